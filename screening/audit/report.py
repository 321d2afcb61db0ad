"""The audit's outputs, written from the store in one pass over the results:

- ``results.jsonl``: one contract result per document page, in walk order;
- ``summary.csv``: one row per page, for a spreadsheet;
- ``report.html``: what a supervisor reads. Self-contained (inline CSS, SVG charts drawn
  here, thumbnails as inline JPEG): it opens offline, sent by mail or on a USB stick.
  Past ``per_page`` flagged pages the cards go on in ``report-2.html``, ``report-3.html``...,
  each self-contained too and linked from the others.

``rerender`` writes the report again from ``results.jsonl`` (``screening audit report``),
without screening: in another language, or listing only some of the flagged pages. The
thumbnails and the image fingerprints behind some findings come from ``progress.sqlite``
when it is still there.

Every sentence is a translatable template (``screening.text``), shown in the report's
language through the kiosk's catalogues (``kiosk/locales``): one set of translations for
every interface, check messages included.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import importlib
import json
import math
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from screening.audit import findings as cross
from screening.audit.store import PageRow, Store
from screening.checks import SPECS
from screening.checks.status import document_kind, max_validity
from screening.errors import UsageError
from screening.models import ALERT, CLEAR, REVIEW, UNREADABLE
from screening.mrz.formats import label_text
from screening.text import Join, PluralRule, Text, english_plural, render
from screening.verdict import VIZ_FIELDS, compared, not_compared

VERDICTS = (ALERT, REVIEW, CLEAR, UNREADABLE)
FLAGGED = (ALERT, REVIEW)
COLOURS = {ALERT: "#c62828", REVIEW: "#ef9f00", CLEAR: "#2e7d32", UNREADABLE: "#8a8f98"}
STAGES = ("load", "locate", "read", "parse", "viz", "checks", "audit", "total")  # viz: screening.viz_stage
# Flagged pages with thumbnails per report file; the rest go on in report-2.html, report-3.html...
FLAGGED_LIMIT = 300
# Unreadable files listed (the others are in summary.csv).
UNREADABLE_LIMIT = 300
FINDINGS_LIMIT = 200
LANGUAGES = ("en", "ru")
CSV_FIELDS = ("file", "verdict", "format", "issuing_state", "document_number", "surname", "given_names",
              "nationality", "birth_date", "sex", "expiry_date", "estimated_issue_year", "confidence", "reasons",
              "error_code", "total_ms")
# A template or its values that do not fit (a damaged catalogue entry, a result from elsewhere).
_MISFIT = (KeyError, IndexError, ValueError, TypeError, AttributeError)


@dataclass(frozen=True)
class ReportOptions:
    """How the report is written: its language, which flagged pages it lists, how many a file."""

    language: str = "en"
    verdicts: tuple[str, ...] = FLAGGED  # flagged verdicts listed
    states: tuple[str, ...] = ()  # issuing states listed (empty: every state)
    checks: tuple[str, ...] = ()  # check ids or families ("viz") a listed page failed (empty: any)
    per_page: int = FLAGGED_LIMIT
    name: str = "report"  # report.html, report-2.html, ...

    def lists(self, result: dict) -> bool:
        """Whether a flagged page is listed under these filters."""
        if result["verdict"] not in self.verdicts:
            return False
        mrz = result.get("mrz") or {}
        if self.states and (mrz.get("fields") or {}).get("issuing_state") not in self.states:
            return False
        if self.checks:
            failed = {c["id"] for c in result["checks"] if _counts_against(c)}
            return any(i == wanted or i.startswith(wanted + ".") for i in failed for wanted in self.checks)
        return True

    @property
    def filtered(self) -> bool:
        return set(self.verdicts) != set(FLAGGED) or bool(self.states or self.checks)


def validate_options(options: ReportOptions) -> None:
    """One clear line for options the report cannot honour (before anything is read)."""
    if options.language not in LANGUAGES:
        raise UsageError(f"--lang {options.language}: the report is written in {', '.join(LANGUAGES)}")
    unknown = [v for v in options.verdicts if v not in FLAGGED]
    if unknown or not options.verdicts:
        raise UsageError(f"--verdict {','.join(unknown) or '(none)'}: flagged pages are alert or review")
    families = {spec.family for spec in SPECS.values()} | {i.split(".")[0] for i in SPECS}
    bad = [c for c in options.checks if c not in SPECS and c not in families
           and not any(i.startswith(c + ".") for i in SPECS)]
    if bad:
        raise UsageError(f"--check {','.join(bad)}: no such check (see `screening list-checks`)")
    if options.per_page < 1:
        raise UsageError("--per-page must be at least 1")
    if not re.fullmatch(r"[\w.-]+", options.name) or options.name.endswith(".html"):
        raise UsageError(f"--name {options.name!r}: give a plain file name without .html (e.g. report-ru)")


@dataclass(frozen=True)
class Language:
    """The report's language: the kiosk's message catalogue (``kiosk/locales``) and plural rule."""

    code: str
    messages: Mapping[str, str]
    plural: PluralRule

    @classmethod
    def load(cls, code: str) -> Language:
        if code == "en":
            return cls("en", {}, english_plural)
        module = importlib.import_module(f"kiosk.locales.{code}")
        return cls(code, module.MESSAGES, getattr(module, "plural", english_plural))

    def __call__(self, value: Text | Mapping[str, Any] | str | None, fallback: str = "") -> str:
        """A ``Text`` or its serialised form in this language; English where a translation is missing
        or does not fit, ``fallback`` (the English sentence of a stored result) where nothing renders."""
        if value is None:
            return fallback
        if isinstance(value, str):
            return self.messages.get(value, value)
        if isinstance(value, Text):
            template, params = value.template, dict(value.params)
        else:
            template, params = value["template"], value.get("params") or {}
            fallback = fallback or value.get("message", "")
        try:
            return render(template, params, self._lookup, self.plural)
        except _MISFIT:
            pass
        try:
            return render(template, params)
        except _MISFIT:
            return fallback or template

    def _lookup(self, english: str) -> str:
        return self.messages.get(english, english)

    def number(self, value: int) -> str:
        # Thousands apart by a comma in English, by a narrow space in Russian (1 234).
        text = f"{value:,}"
        return text if self.code == "en" else text.replace(",", "\u202f")

    def decimal(self, value: float, digits: int = 1) -> str:
        text = f"{value:,.{digits}f}"
        return text if self.code == "en" else text.replace(",", "\u202f").replace(".", ",")


@dataclass
class Totals:
    """Everything the report counts, gathered in one pass."""

    pages: int = 0
    verdicts: Counter = field(default_factory=Counter)
    by_state: dict = field(default_factory=lambda: defaultdict(Counter))
    by_year: dict = field(default_factory=lambda: defaultdict(Counter))
    reasons: Counter = field(default_factory=Counter)
    reason_example: dict = field(default_factory=dict)  # check id -> one of its findings (dict)
    errors: Counter = field(default_factory=Counter)
    stage_sums: Counter = field(default_factory=Counter)
    stage_counts: Counter = field(default_factory=Counter)
    # The flagged pages the report lists, as (rank, walk order, reference): the results themselves
    # are fetched one card at a time while writing, so an archive of many flagged pages fits in memory.
    flagged: list = field(default_factory=list)
    flagged_total: int = 0
    unreadable: list = field(default_factory=list)  # (name, reason as a template dict or text)
    # Visual-zone fields compared with the MRZ, and not compared, over the pages that were read.
    viz_compared: Counter = field(default_factory=Counter)
    viz_not_compared: Counter = field(default_factory=Counter)
    facts: list = field(default_factory=list)
    # Pages screened under several lights: their light findings per post (the archive given to the
    # audit that holds the page) and per series (findings.PageFacts.series), LIGHT_COLUMNS' keys.
    archives: tuple = ()
    light_by_post: dict = field(default_factory=lambda: defaultdict(Counter))
    light_by_series: dict = field(default_factory=lambda: defaultdict(Counter))


# The light report's columns: what is counted, and its heading.
LIGHT_COLUMNS = (
    ("sets", Text("pages under several lights")),
    ("incomplete", Text("a light missing")),
    ("light.ir_mrz", Text("MRZ fades under infrared")),
    ("light.uv_paper", Text("paper glows under UV")),
    ("light.consistency", Text("differs between lights")),
    ("light.uv_features", Text("no UV features")),
    ("not_checked", Text("light check could not run")),
)


def post_of(name: str, archives: tuple) -> str:
    """The post a page came from: the archive given to the audit that holds it (its folder or zip
    name, as posts send theirs: /archive/post7), else the page's own folder."""
    best = ""
    for archive in archives:
        archive = str(archive).rstrip("/\\")
        if (name == archive or name.startswith(archive + "/") or name.startswith(archive + "\\")
                or name.startswith(archive + "!")) and len(archive) > len(best):
            best = archive
    return Path(best).name or best if best else (Path(name.split("!")[0]).parent.name or ".")


def _light_counts(result: dict) -> Counter:
    counts = Counter(sets=1)
    if (result.get("lights") or {}).get("missing"):
        counts["incomplete"] += 1
    for check in result["checks"]:
        if not check["id"].startswith("light."):
            continue
        if check["status"] == "fail" or (check["status"] == "warn" and check["id"] == "light.uv_features"):
            counts[check["id"]] += 1
        elif check["status"] == "skip" and check["severity"]:
            counts["not_checked"] += 1
    return counts


# Fetches a listed page's result and thumbnail (None when there is none) by its reference.
CardSource = Callable[[Any], tuple[dict, bytes | None]]


def estimated_issue_year(fields: dict, mrz_format: str) -> int | None:
    """Year of issue is not in the MRZ: expiry year minus the issuer's longest validity (an estimate)."""
    expiry = fields.get("expiry_date")
    if not expiry:
        return None
    rule = max_validity(fields.get("issuing_state", ""), document_kind(fields.get("document_code", ""), mrz_format))
    return int(expiry[:4]) - rule[0] if rule else None


def write_outputs(store: Store, out: Path, run_info: dict, options: ReportOptions = ReportOptions()) -> Totals:
    out = Path(out)
    totals = Totals(archives=tuple(run_info.get("archives") or ()))
    # Written beside, then renamed: a crash while writing never leaves a half file behind.
    with open(out / "results.jsonl.part", "w", encoding="utf-8", newline="\n") as jsonl, \
            open(out / "summary.csv.part", "w", encoding="utf-8", newline="") as table:
        writer = csv.DictWriter(table, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in store.pages():
            result = row.result
            jsonl.write(json.dumps(result, ensure_ascii=False) + "\n")
            writer.writerow(_csv_row(result))
            _count(totals, row, result, (row.item_seq, row.page), options)
    os.replace(out / "results.jsonl.part", out / "results.jsonl")
    os.replace(out / "summary.csv.part", out / "summary.csv")
    found = cross.find_all(totals.facts)
    write_report(out, totals, found, run_info, lambda ref: store.card(*ref), options)
    totals.facts = []  # large; the caller needs only the counts
    run_info["findings"] = len([f for f in found if f.kind != cross.PLACEHOLDER_PORTRAIT])
    return totals


def rerender(out: Path, options: ReportOptions = ReportOptions()) -> tuple[list[Path], Totals]:
    """The report written again from ``results.jsonl`` in ``out``, without screening anything.

    ``progress.sqlite`` beside it, when there, gives the thumbnails, the image fingerprints for
    the duplicate-image and shared-portrait findings, and the run's sessions; without it the
    report says what it lacks.
    """
    validate_options(options)
    out = Path(out)
    results_path = out / "results.jsonl"
    if not results_path.is_file():
        raise UsageError(f"no results.jsonl in {out}: give the --out folder of an audit")
    store = Store.read_only(out) if Store.exists(out) else None
    try:
        keys = store.page_keys() if store is not None else {}
        info = _run_info(out, store)
        totals = Totals(archives=tuple(info.get("archives") or ()))
        with open(results_path, "rb") as handle:
            for order, (offset, result) in enumerate(_results(handle, results_path)):
                key = keys.get(result["file"])
                row = PageRow(key.item_seq if key else order, key.page if key else 0, result["file"],
                              result["verdict"], result, *(key.digests if key else (None, None, None, None)), None)
                _count(totals, row, result, (offset, key), options)
            found = cross.find_all(totals.facts)
            totals.facts = []

            def card(ref) -> tuple[dict, bytes | None]:
                offset, key = ref
                handle.seek(offset)
                result = json.loads(handle.readline())
                thumbnail = store.thumbnail(key.item_seq, key.page) if store is not None and key else None
                return result, thumbnail

            written = write_report(out, totals, found, info, card, options)
        return written, totals
    finally:
        if store is not None:
            store.close()


def _results(handle, path: Path) -> Iterator[tuple[int, dict]]:
    offset = 0
    for number, line in enumerate(handle, 1):
        if line.strip():
            try:
                yield offset, json.loads(line)
            except json.JSONDecodeError:
                raise UsageError(f"{path} line {number} is not a JSON result: was the file cut or edited?") from None
        offset += len(line)


def _run_info(out: Path, store: Store | None) -> dict:
    """What the report says about the run, from the store when it is there."""
    info: dict[str, Any] = {"out": str(out), "written": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}
    if store is None:
        info["no_store"] = True
        return info
    settings = store.get_meta("settings") or {}
    info.update(archives=list(store.get_meta("archives") or []), engine=settings.get("engine", ""),
                today=settings.get("today", ""), items=store.count_items(), sessions=store.sessions())
    done_time = sum(s["busy_seconds"] for s in info["sessions"])
    done_items = sum(s["items_done"] for s in info["sessions"])
    info["rate"] = done_items / done_time if done_time else None
    return info


def _csv_row(result: dict) -> dict:
    mrz = result.get("mrz") or {}
    f = mrz.get("fields") or {}
    return {
        "file": result["file"], "verdict": result["verdict"], "format": mrz.get("format", ""),
        "issuing_state": f.get("issuing_state", ""), "document_number": f.get("document_number", ""),
        "surname": f.get("surname", ""), "given_names": f.get("given_names", ""),
        "nationality": f.get("nationality", ""), "birth_date": f.get("birth_date") or "", "sex": f.get("sex", ""),
        "expiry_date": f.get("expiry_date") or "",
        "estimated_issue_year": (estimated_issue_year(f, mrz["format"]) or "") if mrz else "",
        "confidence": mrz.get("confidence", ""), "reasons": " | ".join(result["reasons"]),
        "error_code": (result.get("error") or {}).get("code", ""),
        "total_ms": result["timings_ms"].get("total", ""),
    }


def _counts_against(check: dict) -> bool:
    """A check the page failed, or could not run where that bears on the verdict."""
    return check["status"] == "fail" or (check["status"] == "skip" and bool(check["severity"]))


def _count(totals: Totals, row: PageRow, result: dict, ref: Any, options: ReportOptions) -> None:
    verdict = result["verdict"]
    totals.pages += 1
    totals.verdicts[verdict] += 1
    mrz = result.get("mrz")
    if mrz:
        state = mrz["fields"].get("issuing_state") or "?"
        totals.by_state[state][verdict] += 1
        year = estimated_issue_year(mrz["fields"], mrz["format"])
        totals.by_year[year if year is not None else "unknown"][verdict] += 1
    for check in result["checks"]:
        if _counts_against(check):
            totals.reasons[check["id"]] += 1
            totals.reason_example.setdefault(check["id"], check)
    totals.viz_compared.update(compared(result["checks"]))
    totals.viz_not_compared.update(not_compared(result["checks"]))
    for stage, ms in result["timings_ms"].items():
        totals.stage_sums[stage] += ms
        totals.stage_counts[stage] += 1
    if verdict == UNREADABLE:
        error = result.get("error")
        totals.errors[error["code"] if error else "no_mrz_found"] += 1
        if len(totals.unreadable) < UNREADABLE_LIMIT:
            totals.unreadable.append((row.name, _first_reason(result)))
    elif verdict in FLAGGED:
        totals.flagged_total += 1
        if options.lists(result):
            totals.flagged.append((0 if verdict == ALERT else 1, totals.pages, ref))  # alerts first
    facts = cross.facts_from_result(result, row.file_digest, row.pixel_digest, row.image_hash, row.portrait_hash)
    totals.facts.append(facts)
    if result.get("lights") is not None:
        counts = _light_counts(result)
        totals.light_by_post[post_of(row.name, totals.archives)].update(counts)
        totals.light_by_series[cross.series_text(facts.series) if facts.series else "?"].update(counts)


def _first_reason(result: dict) -> Any:
    templates = result.get("reason_templates") or []
    reasons = result.get("reasons") or []
    if templates and reasons:
        return {**templates[0], "message": reasons[0]}
    return reasons[0] if reasons else ""


def _reasons_of(result: dict) -> list[Any]:
    """A result's reasons as templates where it has them (older results: the English sentences)."""
    reasons = list(result.get("reasons") or [])
    templates = result.get("reason_templates") or []
    if len(templates) == len(reasons):
        return [{**t, "message": r} for t, r in zip(templates, reasons)]
    return reasons


def _holder_line(mrz: dict | None) -> Text | None:
    if not mrz:
        return None
    f = mrz["fields"]
    name = ", ".join(p for p in (f.get("surname"), f.get("given_names")) if p)
    return Text("{format} {code} {state} no. {number} · {name} · born {birth} · expires {expiry}",
                format=mrz["format"], code=f.get("document_code", ""), state=f.get("issuing_state", ""),
                number=f.get("document_number", ""), name=name, birth=f.get("birth_date") or "?",
                expiry=f.get("expiry_date") or "?")


# -- HTML ---------------------------------------------------------------------------

def e(text) -> str:
    return html.escape(str(text), quote=True)


def file_names(name: str, count: int) -> list[str]:
    """The report's files: ``report.html``, then ``report-2.html``, ``report-3.html``..."""
    return [f"{name}.html"] + [f"{name}-{n}.html" for n in range(2, count + 1)]


def write_report(out: Path, totals: Totals, found: list[cross.CrossFinding], info: dict, card: CardSource,
                 options: ReportOptions) -> list[Path]:
    """Writes the report's files (each beside, then renamed) and removes pages left from a longer
    report of the same name; returns the files written, the main one first."""
    listed = sorted(totals.flagged)
    chunks = [listed[i:i + options.per_page] for i in range(0, len(listed), options.per_page)] or [[]]
    names = file_names(options.name, len(chunks))
    language = Language.load(options.language)
    written = []
    for number, chunk in enumerate(chunks, 1):
        pager = Pager(number, names, options.per_page, len(listed))
        if number == 1:
            document = render_html(totals, found, info, chunk, pager, card, options, language)
        else:
            document = render_more(totals, info, chunk, pager, card, options, language)
        target = out / names[number - 1]
        part = target.with_name(target.name + ".part")
        part.write_text(document, encoding="utf-8")
        os.replace(part, target)
        written.append(target)
    for stale in out.glob(f"{options.name}-*.html"):
        match = re.fullmatch(re.escape(options.name) + r"-(\d+)\.html", stale.name)
        if match and int(match.group(1)) > len(chunks):
            stale.unlink()
    return written


@dataclass(frozen=True)
class Pager:
    """Where one report file stands among the report's files."""

    number: int  # 1-based
    names: list[str]
    per_page: int
    listed: int  # flagged pages listed over every file

    @property
    def first(self) -> int:
        return (self.number - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return min(self.number * self.per_page, self.listed)

    def links(self, t: Language) -> str:
        if len(self.names) == 1:
            return ""
        def link(number: int, text: Text) -> str:
            return f"<a href='{e(self.names[number - 1])}'>{e(t(text))}</a>"
        parts = []
        if self.number > 1:
            parts += [link(1, Text("First")), link(self.number - 1, Text("Previous"))]
        parts.append(f"<b>{e(t(Text('Page {number} of {count}', number=self.number, count=len(self.names))))}</b>")
        if self.number < len(self.names):
            parts += [link(self.number + 1, Text("Next")), link(len(self.names), Text("Last"))]
        return f"<nav class='pager'>{' · '.join(parts)}</nav>"


def _verdict_word(verdict: str, t: Language) -> str:
    return t(verdict)  # the catalogue translates the verdict words ("alert": "тревога")


def _head(t: Language, title: str) -> str:
    return HEAD.replace("{lang}", e(t.code)).replace("{title}", e(title))


def _header(info: dict, t: Language) -> str:
    archives = ", ".join(info.get("archives", []))
    if info.get("no_store"):
        sub = t(Text("{out} · written {written}", out=info.get("out", ""), written=info.get("written", "")))
    else:
        sub = t(Text("{archives} · screened as of {today} · written {written}", archives=archives,
                     today=info.get("today", ""), written=info.get("written", "")))
    return f"<header><h1>{e(t(Text('Audit report')))}</h1><p class='sub'>{e(sub)}</p></header>"


def render_html(totals: Totals, found: list[cross.CrossFinding], info: dict, flagged: list, pager: Pager,
                card: CardSource, options: ReportOptions, t: Language) -> str:
    archives = ", ".join(info.get("archives", [])) or info.get("out", "")
    parts = [_head(t, t(Text("Audit report — {archives}", archives=archives))), _header(info, t)]
    parts.append(_tiles(totals, found, info, t))
    if info.get("no_store"):
        note = t(Text("Written from results.jsonl alone: the audit's progress.sqlite is not in this folder, so the "
                      "report has no thumbnails, no sessions, and no findings that compare images (duplicate images, "
                      "shared portraits)."))
        parts.append(f"<section class='note'>{e(note)}</section>")
    parts.append(f"<section><h2>{e(t(Text('Verdicts')))}</h2><div class='charts'>")
    parts.append(_figure(t(Text("All pages by verdict")),
                         bar_chart([(_verdict_word(v, t).capitalize(), {v: totals.verdicts[v]}) for v in VERDICTS], t)))
    states = sorted(totals.by_state.items(), key=lambda kv: -sum(kv[1].values()))[:20]
    parts.append(_figure(t(Text("By issuing state (pages with a readable MRZ)")), bar_chart(list(states), t)))
    years = sorted((y, c) for y, c in totals.by_year.items() if y != "unknown")
    unknown = totals.by_year.get("unknown")
    caption = t(Text("Not printed in the MRZ: estimated as the expiry year minus the longest validity the issuer "
                     "gives this kind of document (screening/data/validity_periods.json)."))
    if unknown:
        caption += " " + t(Text("{count} pages without an estimate (visas, unreadable expiry).",
                                count=sum(unknown.values())))
    parts.append(_figure(t(Text("By year of issue (estimated)")), column_chart([(str(y), c) for y, c in years], t),
                         caption))
    parts.append("</div>" + _legend(t) + "</section>")
    parts.append(_reasons(totals, t))
    parts.append(_visual_zone(totals, t))
    parts.append(_lights(totals, t))
    parts.append(_findings(found, t))
    parts.append(_flagged(flagged, totals, pager, card, options, t))
    parts.append(_unreadable(totals, t))
    parts.append(_run(totals, info, t))
    parts.append("</main></body></html>")
    return "\n".join(parts)


def render_more(totals: Totals, info: dict, flagged: list, pager: Pager, card: CardSource, options: ReportOptions,
                t: Language) -> str:
    """A further page of flagged documents: the header, the way back, the cards."""
    archives = ", ".join(info.get("archives", [])) or info.get("out", "")
    title = t(Text("Audit report — {archives} — page {number}", archives=archives, number=pager.number))
    back = t(Text("Back to the report's summary"))
    return "\n".join([_head(t, title), _header(info, t),
                      f"<main><p><a href='{e(pager.names[0])}'>{e(back)}</a></p>",
                      _flagged(flagged, totals, pager, card, options, t), "</main></body></html>"])


def _tiles(totals: Totals, found, info, t: Language) -> str:
    real = [f for f in found if f.kind != cross.PLACEHOLDER_PORTRAIT]
    tiles = [(t(Text("Pages screened")), t.number(totals.pages), "#1f3a5f")]
    for verdict in VERDICTS:
        share = 100.0 * totals.verdicts[verdict] / totals.pages if totals.pages else 0
        tiles.append((_verdict_word(verdict, t).capitalize(),
                      f"{t.number(totals.verdicts[verdict])} <small>{share:.0f}%</small>", COLOURS[verdict]))
    tiles.append((t(Text("Cross-document findings")), t.number(len(real)), "#5b3a8c"))
    rate = info.get("rate")
    if rate:
        tiles.append((t(Text("Throughput")), f"{t.decimal(rate)} <small>{e(t(Text('pages/s')))}</small>", "#1f3a5f"))
    cells = "".join(f"<div class='tile' style='border-color:{c}'><div class='n' style='color:{c}'>{v}</div>"
                    f"<div class='l'>{e(label)}</div></div>" for label, v, c in tiles)
    return f"<main><section class='tiles'>{cells}</section>"


def _figure(title: str, svg: str, caption: str = "") -> str:
    cap = f"<p class='cap'>{e(caption)}</p>" if caption else ""
    return f"<figure><figcaption>{e(title)}</figcaption>{svg}{cap}</figure>"


def _legend(t: Language) -> str:
    return "<p class='legend'>" + "".join(
        f"<span><i style='background:{COLOURS[v]}'></i>{e(_verdict_word(v, t))}</span>" for v in VERDICTS) + "</p>"


def bar_chart(rows: list[tuple[str, Counter | dict]], t: Language = Language.load("en"), width: int = 560,
              bar: int = 20) -> str:
    """Horizontal bars, each split by verdict, labelled with its total."""
    if not rows:
        return f"<p class='empty'>{e(t(Text('Nothing to show.')))}</p>"
    label_w, gap = 110, 6
    top = max(sum(c.values()) for _, c in rows) or 1
    scale = (width - label_w - 60) / top
    height = len(rows) * (bar + gap) + gap
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img'>"]
    for n, (label, counts) in enumerate(rows):
        y = gap + n * (bar + gap)
        out.append(f"<text x='{label_w - 8}' y='{y + bar * 0.7:.1f}' text-anchor='end' class='lbl'>{e(label)}</text>")
        x = float(label_w)
        for verdict in VERDICTS:
            value = counts.get(verdict, 0)
            if value:
                w = value * scale
                out.append(f"<rect x='{x:.1f}' y='{y}' width='{max(w, 1):.1f}' height='{bar}' fill='{COLOURS[verdict]}'>"
                           f"<title>{e(label)}: {t.number(value)} {e(_verdict_word(verdict, t))}</title></rect>")
                x += w
        out.append(f"<text x='{x + 6:.1f}' y='{y + bar * 0.7:.1f}' class='val'>{t.number(sum(counts.values()))}</text>")
    out.append("</svg>")
    return "".join(out)


def column_chart(columns: list[tuple[str, Counter]], t: Language = Language.load("en"), width: int = 560,
                 height: int = 220) -> str:
    """Vertical columns split by verdict (years along the bottom)."""
    if not columns:
        return f"<p class='empty'>{e(t(Text('No page has an estimate.')))}</p>"
    left, bottom, top_pad = 36, 34, 16
    top = max(sum(c.values()) for _, c in columns) or 1
    slot = (width - left - 8) / len(columns)
    col = max(min(slot * 0.75, 40), 2)
    scale = (height - bottom - top_pad) / top
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img'>",
           f"<line x1='{left}' y1='{height - bottom}' x2='{width}' y2='{height - bottom}' stroke='#999'/>",
           f"<text x='{left - 4}' y='{top_pad + 4}' text-anchor='end' class='val'>{t.number(top)}</text>",
           f"<text x='{left - 4}' y='{height - bottom}' text-anchor='end' class='val'>0</text>"]
    every = max(1, math.ceil(34 / slot))  # a year label is about 34 px wide: no two overlap
    for n, (label, counts) in enumerate(columns):
        x = left + n * slot + (slot - col) / 2
        y = float(height - bottom)
        for verdict in VERDICTS:
            value = counts.get(verdict, 0)
            if value:
                h = value * scale
                y -= h
                out.append(f"<rect x='{x:.1f}' y='{y:.1f}' width='{col:.1f}' height='{max(h, 1):.1f}' "
                           f"fill='{COLOURS[verdict]}'><title>{e(label)}: {t.number(value)} "
                           f"{e(_verdict_word(verdict, t))}</title></rect>")
        if n % every == 0:
            out.append(f"<text x='{x + col / 2:.1f}' y='{height - bottom + 16}' text-anchor='middle' class='lbl'>"
                       f"{e(label)}</text>")
    out.append(f"<text x='{width / 2:.0f}' y='{height - 4}' text-anchor='middle' class='cap'>"
               f"{e(t(Text('year of issue (estimated)')))}</text>")
    out.append("</svg>")
    return "".join(out)


def _reasons(totals: Totals, t: Language) -> str:
    rows = []
    example = t(Text("e.g."))
    for check_id, count in totals.reasons.most_common(15):
        spec = SPECS.get(check_id)
        severity = spec.severity if spec else ""
        title = t(spec.title) if spec else check_id
        sample = t(totals.reason_example[check_id], totals.reason_example[check_id].get("message", ""))
        rows.append(f"<tr><td class='num'>{t.number(count)}</td><td><span class='sev {e(severity)}'>"
                    f"{e(_verdict_word(severity, t) if severity else t(Text('notice')))}</span></td>"
                    f"<td>{e(title)}<div class='id'>{e(check_id)} · {e(example)} “{e(sample)}”</div></td></tr>")
    for code, count in totals.errors.most_common():
        rows.append(f"<tr><td class='num'>{t.number(count)}</td><td><span class='sev unreadable'>"
                    f"{e(_verdict_word(UNREADABLE, t))}</span></td>"
                    f"<td>{e(t(error_title(code)))}<div class='id'>{e(code)}</div></td></tr>")
    body = "".join(rows) or f"<tr><td colspan='3'>{e(t(Text('No check failed.')))}</td></tr>"
    return (f"<section><h2>{e(t(Text('Most common reasons')))}</h2><p class='cap'>"
            f"{e(t(Text('Pages on which each check failed (a page can fail several).')))}</p><table class='reasons'>"
            f"<tr><th>{e(t(Text('pages')))}</th><th>{e(t(Text('weight')))}</th><th>{e(t(Text('check')))}</th></tr>"
            f"{body}</table></section>")


def _visual_zone(totals: Totals, t: Language) -> str:
    """How many of each printed field were compared with the MRZ, and how many not (named on each
    flagged page): what was not compared, an officer compares by eye."""
    if not (totals.viz_compared or totals.viz_not_compared):
        return ""
    rows, done, left = [], 0, 0
    for key in VIZ_FIELDS:
        yes, no = totals.viz_compared[key], totals.viz_not_compared[key]
        done, left = done + yes, left + no
        share = f"{t.decimal(100 * yes / (yes + no))}%" if yes + no else "–"
        rows.append(f"<tr><td>{e(t(label_text(key)))}</td><td class='num'>{t.number(yes)}</td>"
                    f"<td class='num'>{t.number(no)}</td><td class='num'>{share}</td></tr>")
    total = f"{t.decimal(100 * done / (done + left))}%" if done + left else "–"
    caption = t(Text("Printed fields the screening compared with the MRZ, over all pages read: {share}. A field not "
                     "compared makes the page a review.", share=total))
    heads = "".join(f"<th>{e(t(word))}</th>" for word in (Text("field"), Text("compared"), Text("not compared"),
                                                           Text("share")))
    return (f"<section><h2>{e(t(Text('Visual zone compared with the MRZ')))}</h2><p class='cap'>{e(caption)}</p>"
            f"<table class='plain'><tr>{heads}</tr>{''.join(rows)}</table></section>")


def _lights(totals: Totals, t: Language) -> str:
    """The light findings per post and per series (pages screened under white, IR and UV light)."""
    if not totals.light_by_post:
        return ""
    heads = "".join(f"<th>{e(t(title))}</th>" for _key, title in LIGHT_COLUMNS)

    def table(first: Text, rows: dict) -> str:
        body = "".join(f"<tr><td>{e(name)}</td>" + "".join(f"<td class='num'>{t.number(counts[key])}</td>"
                                                           for key, _title in LIGHT_COLUMNS) + "</tr>"
                       for name, counts in sorted(rows.items(), key=lambda kv: (-kv[1]["sets"], kv[0])))
        return f"<table class='plain lights'><tr><th>{e(t(first))}</th>{heads}</tr>{body}</table>"

    caption = t(Text("Pages whose images under white, infrared and ultraviolet light were screened together, and "
                     "the light checks that failed on them. A post is the archive given to the audit; a series is "
                     "the issuing state, the document code and the first characters of the number."))
    return (f"<section><h2>{e(t(Text('Under infrared and ultraviolet light')))}</h2><p class='cap'>{e(caption)}</p>"
            f"<h3>{e(t(Text('By post')))}</h3>{table(Text('post'), totals.light_by_post)}"
            f"<h3>{e(t(Text('By series')))}</h3>{table(Text('series'), totals.light_by_series)}</section>")


def error_title(code: str) -> Text:
    titles = {
        "no_mrz_found": Text("No MRZ found on the page (not a data page, or too blurred / cut off)"),
        "empty_file": Text("Empty file"), "image_truncated": Text("Truncated or damaged image"),
        "not_an_image": Text("Not an image file"), "pdf_encrypted": Text("Password-protected PDF"),
        "pdf_unreadable": Text("Unreadable PDF"), "image_too_large": Text("Image too large to open safely"),
        "zip_unreadable": Text("Damaged zip file or member"), "file_unreadable": Text("File could not be opened"),
        "worker_crashed": Text("The screening process crashed on this file"),
        "internal_error": Text("A bug stopped the screening of this file (see the log)"),
    }
    return titles.get(code) or Text.verbatim(code.replace("_", " ").capitalize())


def _findings(found: list[cross.CrossFinding], t: Language) -> str:
    heading = e(t(Text("Across documents")))
    if not found:
        return (f"<section><h2>{heading}</h2><p>"
                f"{e(t(Text('No contradictions or duplicates between documents were found.')))}</p></section>")
    by_kind: dict[str, list[cross.CrossFinding]] = defaultdict(list)
    for finding in found:
        by_kind[finding.kind].append(finding)
    caption = t(Text("What only shows when documents are compared with each other. Portraits are compared by a "
                     "perceptual hash of the photo area, placed from the MRZ: look at the pictures before acting, as "
                     "a shared stock or placeholder picture groups too."))
    parts = [f"<section><h2>{heading}</h2><p class='cap'>{e(caption)}</p>"]
    for kind, title in cross.KIND_TITLES.items():
        items = by_kind.get(kind, [])
        if not items:
            continue
        parts.append(f"<h3>{e(t(title))} <span class='count'>{t.number(len(items))}</span></h3>")
        for n, finding in enumerate(items[:FINDINGS_LIMIT]):
            details = "".join(f"<li>{e(t(d))}</li>" for d in finding.details)
            # The first few of each kind open, so a printed report shows what was found.
            opened = " open" if n < 3 and kind != cross.PLACEHOLDER_PORTRAIT else ""
            parts.append(f"<details class='finding {kind}'{opened}><summary>{e(t(finding.summary))}</summary>"
                         f"<ul>{details}</ul></details>")
        if len(items) > FINDINGS_LIMIT:
            more = Text("… and {count} more.", count=len(items) - FINDINGS_LIMIT)
            parts.append(f"<p class='cap'>{e(t(more))}</p>")
    parts.append("</section>")
    return "".join(parts)


def _filters(options: ReportOptions, t: Language) -> Text:
    """The filters in words, for the caption of a filtered list."""
    parts = [Text("verdict {verdicts}", verdicts=", ".join(t(v) for v in options.verdicts))]
    if options.states:
        parts.append(Text("issuing state {states}", states=", ".join(options.states)))
    if options.checks:
        parts.append(Text("failed check {checks}", checks=", ".join(options.checks)))
    return Join("; ", parts)


def _flagged(flagged: list, totals: Totals, pager: Pager, card: CardSource, options: ReportOptions,
             t: Language) -> str:
    caption = [t(Text("Alerts first, then pages to review; the MRZ the reader found is outlined in red."))]
    if options.filtered:
        caption.append(t(Text("Listed: the {listed} of {total} flagged pages with {filters}.", listed=pager.listed,
                              total=totals.flagged_total, filters=_filters(options, t))))
    if len(pager.names) > 1:
        caption.append(t(Text("This file shows {first}–{last} of {listed}; the others are on the pages linked "
                              "below and above, and summary.csv lists every page.", first=pager.first,
                              last=pager.last, listed=pager.listed)))
    count = pager.listed if options.filtered else totals.flagged_total
    nav = pager.links(t)
    parts = [f"<section><h2>{e(t(Text('Flagged documents')))} <span class='count'>{t.number(count)}</span></h2>"
             f"<p class='cap'>{e(' '.join(caption))}</p>{nav}<div class='cards'>"]
    no_image = e(t(Text("no image")))
    for _, _, ref in flagged:
        result, thumb = card(ref)
        img = (f"<img alt='' src='data:image/jpeg;base64,{base64.b64encode(thumb).decode()}'>" if thumb
               else f"<div class='noimg'>{no_image}</div>")
        items = "".join(f"<li>{e(t(reason))}</li>" for reason in _reasons_of(result))
        missing = not_compared(result["checks"])
        if missing:
            words = t(Text("Not compared with the page (compare by eye): {fields}",
                           fields=Join(", ", [label_text(key) for key in missing])))
            items += f"<li class='not-compared'>{e(words)}</li>"
        verdict = result["verdict"]
        holder = _holder_line(result.get("mrz"))
        parts.append(f"<article class='card'>{img}<div><div class='file'><span class='badge' "
                     f"style='background:{COLOURS[verdict]}'>{e(_verdict_word(verdict, t))}</span> "
                     f"{e(result['file'])}</div><div class='holder'>{e(t(holder))}</div><ul>{items}</ul></div>"
                     f"</article>")
    parts.append(f"</div>{nav}</section>")
    return "".join(parts)


def _unreadable(totals: Totals, t: Language) -> str:
    count = totals.verdicts[UNREADABLE]
    if not count:
        return ""
    rows = "".join(f"<tr><td>{e(name)}</td><td>{e(t(reason))}</td></tr>" for name, reason in totals.unreadable)
    more = ""
    if count > len(totals.unreadable):
        more = f"<p class='cap'>{e(t(Text('The first {count} are listed; summary.csv has all.', count=len(totals.unreadable))))}</p>"
    return (f"<section><h2>{e(t(Text('Unreadable')))} <span class='count'>{t.number(count)}</span></h2>"
            f"<table class='plain'><tr><th>{e(t(Text('file')))}</th><th>{e(t(Text('why')))}</th></tr>{rows}</table>"
            f"{more}</section>")


def _run(totals: Totals, info: dict, t: Language) -> str:
    settings = [(Text("Archives"), ", ".join(info.get("archives", []))), (Text("Output"), info.get("out", "")),
                (Text("Reader engine"), info.get("engine", "")), (Text("Screened as of"), info.get("today", "")),
                (Text("Items (files and zip members)"), t.number(info.get("items", 0))),
                (Text("Pages"), t.number(totals.pages))]
    rows = "".join(f"<tr><th>{e(t(k))}</th><td>{e(v)}</td></tr>" for k, v in settings)
    sessions = []
    for s in info.get("sessions", []):
        started = dt.datetime.fromtimestamp(s["started"]).strftime("%Y-%m-%d %H:%M:%S")
        rate = s["items_done"] / s["busy_seconds"] if s["busy_seconds"] else 0
        sessions.append(f"<tr><td>{s['id']}</td><td>{started}</td><td>{e(s['executor'])}</td>"
                        f"<td class='num'>{t.number(s['items_done'])}</td>"
                        f"<td class='num'>{t.decimal(s['busy_seconds'])} {e(t(Text('s')))}</td>"
                        f"<td class='num'>{t.decimal(rate)}/{e(t(Text('s')))}</td></tr>")
    stage_rows = []
    for stage in STAGES:
        n = totals.stage_counts.get(stage)
        if n:
            stage_rows.append(f"<tr><td>{stage}</td><td class='num'>{t.decimal(totals.stage_sums[stage] / n)} "
                              f"{e(t(Text('ms')))}</td><td class='num'>{t.number(n)}</td></tr>")
    heads = lambda words: "".join(f"<th>{e(t(w))}</th>" for w in words)  # noqa: E731
    session_caption = t(Text("A session is one start of the command; an interrupted audit resumed with --resume has "
                             "several."))
    time_caption = t(Text("Mean per page, measured inside the workers (audit = the fingerprints and thumbnail for "
                          "cross-document findings)."))
    return (f"<section><h2>{e(t(Text('This run')))}</h2><div class='charts'><div><h3>{e(t(Text('Settings')))}</h3>"
            f"<table class='plain'>{rows}</table></div><div><h3>{e(t(Text('Sessions')))}</h3><p class='cap'>"
            f"{e(session_caption)}</p><table class='plain'><tr><th>#</th>"
            f"{heads([Text('started'), Text('executor'), Text('items'), Text('screening time'), Text('rate')])}</tr>"
            f"{''.join(sessions)}</table><h3>{e(t(Text('Where the time goes')))}</h3><p class='cap'>"
            f"{e(time_caption)}</p><table class='plain'><tr>{heads([Text('stage'), Text('mean'), Text('pages')])}</tr>"
            f"{''.join(stage_rows)}</table></div></div></section>")


HEAD = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>
body{font:15px/1.45 "DejaVu Sans",Arial,sans-serif;margin:0;color:#1d2430;background:#f4f5f7}
header{background:#1f3a5f;color:#fff;padding:18px 32px}header h1{margin:0;font-size:24px}
.sub{margin:4px 0 0;opacity:.85;font-size:13px}main{padding:8px 32px 40px;max-width:1240px}
section{background:#fff;border-radius:6px;padding:14px 20px;margin:16px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{margin:4px 0 10px;font-size:19px}h3{font-size:15px;margin:14px 0 6px}
.tiles{display:flex;flex-wrap:wrap;gap:12px;background:none;box-shadow:none;padding:0}
.tile{background:#fff;border-left:5px solid;border-radius:6px;padding:10px 16px;min-width:120px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.tile .n{font-size:24px;font-weight:bold}.tile small{font-size:13px;color:#667}.tile .l{font-size:12px;color:#556;text-transform:uppercase;letter-spacing:.03em}
.charts{display:flex;flex-wrap:wrap;gap:24px}figure{margin:0}figcaption{font-weight:bold;margin-bottom:6px}
svg .lbl{font-size:12px;fill:#333}svg .val{font-size:11px;fill:#555}svg .cap{font-size:11px;fill:#777}
.cap{color:#667;font-size:12.5px;margin:4px 0 8px;max-width:560px}.legend span{margin-right:16px;font-size:13px}
.legend i{display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:-1px;border-radius:2px}
table{border-collapse:collapse}td,th{padding:4px 8px;text-align:left;vertical-align:top;border-bottom:1px solid #eceef1;font-size:13.5px}
th{color:#556;font-weight:600}.num{text-align:right;white-space:nowrap}.id{color:#778;font-size:12px}
.sev{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;color:#fff;background:#8a8f98}
.sev.alert{background:#c62828}.sev.review{background:#ef9f00}
.count{background:#e4e7ec;border-radius:9px;padding:0 8px;font-size:13px;color:#334;font-weight:normal}
details.finding{border-left:4px solid #5b3a8c;padding:4px 10px;margin:6px 0;background:#faf9fd}
details.finding summary{cursor:pointer;font-weight:600}details.finding ul{margin:6px 0;font-size:13px;color:#333}
details.placeholder_portrait{border-color:#aaa;background:#f7f7f7}details.repeated_document,details.holder_many_documents{border-color:#3a6ea5}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:12px}
.card{display:flex;gap:12px;border:1px solid #e3e6ea;border-radius:6px;padding:10px}
.card img,.noimg{width:220px;flex:none;border:1px solid #ddd;align-self:flex-start}.noimg{height:140px;display:flex;align-items:center;justify-content:center;color:#999}
.card .file{font-weight:600;word-break:break-all;font-size:13.5px}.card .holder{color:#556;font-size:12.5px;margin:2px 0}
.card ul{margin:4px 0 0;padding-left:18px;font-size:13px}
.badge{color:#fff;border-radius:3px;padding:0 6px;font-size:12px;text-transform:uppercase}
table.plain th{width:auto}
.pager{margin:10px 0;font-size:13.5px}.pager a{color:#1f3a5f}.note{border-left:5px solid #ef9f00}
</style></head><body>"""
