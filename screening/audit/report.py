"""The audit's outputs, written from the store in one pass over the results:

- ``results.jsonl``: one contract result per document page, in walk order;
- ``summary.csv``: one row per page, for a spreadsheet;
- ``report.html``: what a supervisor reads. Self-contained (inline CSS, SVG charts drawn
  here, thumbnails as inline JPEG): it opens offline, sent by mail or on a USB stick.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import json
import math
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from screening.audit import findings as cross
from screening.audit.store import Store
from screening.checks import SPECS
from screening.checks.status import document_kind, max_validity
from screening.models import ALERT, CLEAR, REVIEW, UNREADABLE
from screening.mrz.formats import label
from screening.verdict import VIZ_FIELDS, compared, not_compared

VERDICTS = (ALERT, REVIEW, CLEAR, UNREADABLE)
COLOURS = {ALERT: "#c62828", REVIEW: "#ef9f00", CLEAR: "#2e7d32", UNREADABLE: "#8a8f98"}
STAGES = ("load", "locate", "read", "parse", "checks", "audit", "total")
# The report lists this many flagged pages with thumbnails; all of them are in summary.csv.
FLAGGED_LIMIT = 300
FINDINGS_LIMIT = 200
CSV_FIELDS = ("file", "verdict", "format", "issuing_state", "document_number", "surname", "given_names",
              "nationality", "birth_date", "sex", "expiry_date", "estimated_issue_year", "confidence", "reasons",
              "error_code", "total_ms")


@dataclass
class Totals:
    """Everything the report counts, gathered in one pass."""

    pages: int = 0
    verdicts: Counter = field(default_factory=Counter)
    by_state: dict = field(default_factory=lambda: defaultdict(Counter))
    by_year: dict = field(default_factory=lambda: defaultdict(Counter))
    reasons: Counter = field(default_factory=Counter)
    reason_example: dict = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)
    stage_sums: Counter = field(default_factory=Counter)
    stage_counts: Counter = field(default_factory=Counter)
    flagged: list = field(default_factory=list)  # (rank, seq, name, verdict, reasons, line)
    flagged_total: int = 0
    unreadable: list = field(default_factory=list)  # (name, reason)
    # Visual-zone fields compared with the MRZ, and not compared, over the pages that were read.
    viz_compared: Counter = field(default_factory=Counter)
    viz_not_compared: Counter = field(default_factory=Counter)
    facts: list = field(default_factory=list)


def estimated_issue_year(fields: dict, mrz_format: str) -> int | None:
    """Year of issue is not in the MRZ: expiry year minus the issuer's longest validity (an estimate)."""
    expiry = fields.get("expiry_date")
    if not expiry:
        return None
    rule = max_validity(fields.get("issuing_state", ""), document_kind(fields.get("document_code", ""), mrz_format))
    return int(expiry[:4]) - rule[0] if rule else None


def write_outputs(store: Store, out: Path, run_info: dict) -> Totals:
    out = Path(out)
    totals = Totals()
    # Written beside, then renamed: a crash while writing never leaves a half file behind.
    with open(out / "results.jsonl.part", "w", encoding="utf-8", newline="\n") as jsonl, \
            open(out / "summary.csv.part", "w", encoding="utf-8", newline="") as table:
        writer = csv.DictWriter(table, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in store.pages():
            result = row.result
            jsonl.write(json.dumps(result, ensure_ascii=False) + "\n")
            writer.writerow(_csv_row(result))
            _count(totals, row, result)
    os.replace(out / "results.jsonl.part", out / "results.jsonl")
    os.replace(out / "summary.csv.part", out / "summary.csv")
    found = cross.find_all(totals.facts)
    document = render_html(totals, found, run_info, store)
    (out / "report.html.part").write_text(document, encoding="utf-8")
    os.replace(out / "report.html.part", out / "report.html")
    totals.facts = []  # large; the caller needs only the counts
    run_info["findings"] = len([f for f in found if f.kind != cross.PLACEHOLDER_PORTRAIT])
    return totals


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


def _count(totals: Totals, row, result: dict) -> None:
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
        if check["status"] == "fail" or (check["status"] == "skip" and check["severity"]):
            totals.reasons[check["id"]] += 1
            totals.reason_example.setdefault(check["id"], check["message"])
    missing = not_compared(result["checks"])
    totals.viz_compared.update(compared(result["checks"]))
    totals.viz_not_compared.update(missing)
    for stage, ms in result["timings_ms"].items():
        totals.stage_sums[stage] += ms
        totals.stage_counts[stage] += 1
    if verdict == UNREADABLE:
        error = result.get("error")
        totals.errors[error["code"] if error else "no_mrz_found"] += 1
        if len(totals.unreadable) < FLAGGED_LIMIT:
            totals.unreadable.append((row.name, result["reasons"][0] if result["reasons"] else "", row.item_seq))
    elif verdict in (ALERT, REVIEW):
        totals.flagged_total += 1
        rank = 0 if verdict == ALERT else 1
        entry = (rank, row.item_seq, row.page, row.name, verdict, tuple(result["reasons"]), _holder_line(mrz),
                 tuple(label(key) for key in missing))
        # Keep the first alerts, then reviews, up to the limit (alerts first in the report).
        totals.flagged.append(entry)
        if len(totals.flagged) > 2 * FLAGGED_LIMIT:
            totals.flagged = sorted(totals.flagged)[:FLAGGED_LIMIT]
    totals.facts.append(cross.facts_from_result(result, row.file_digest, row.pixel_digest, row.image_hash,
                                                row.portrait_hash))


def _holder_line(mrz: dict | None) -> str:
    if not mrz:
        return ""
    f = mrz["fields"]
    name = ", ".join(p for p in (f.get("surname"), f.get("given_names")) if p)
    return (f"{mrz['format']} {f.get('document_code', '')} {f.get('issuing_state', '')} no. {f.get('document_number', '')}"
            f" · {name} · born {f.get('birth_date') or '?'} · expires {f.get('expiry_date') or '?'}")


# -- HTML ---------------------------------------------------------------------------

def e(text) -> str:
    return html.escape(str(text), quote=True)


def render_html(totals: Totals, found: list[cross.CrossFinding], info: dict, store: Store) -> str:
    flagged = sorted(totals.flagged)[:FLAGGED_LIMIT]
    parts = [HEAD.replace("{title}", e(f"Audit report — {', '.join(info.get('archives', []))}"))]
    parts.append(f"<header><h1>Audit report</h1><p class='sub'>{e(', '.join(info.get('archives', [])))} · "
                 f"screened as of {e(info.get('today', ''))} · written {e(info.get('written', ''))}</p></header>")
    parts.append(_tiles(totals, found, info))
    parts.append("<section><h2>Verdicts</h2><div class='charts'>")
    parts.append(_figure("All pages by verdict", bar_chart([(v.capitalize(), {v: totals.verdicts[v]}) for v in VERDICTS])))
    states = sorted(totals.by_state.items(), key=lambda kv: -sum(kv[1].values()))[:20]
    parts.append(_figure("By issuing state (pages with a readable MRZ)",
                         bar_chart([(s, c) for s, c in states])))
    years = sorted((y, c) for y, c in totals.by_year.items() if y != "unknown")
    unknown = totals.by_year.get("unknown")
    note = f" {sum(unknown.values())} pages without an estimate (visas, unreadable expiry)." if unknown else ""
    parts.append(_figure("By year of issue — <em>estimated</em>",
                         column_chart([(str(y), c) for y, c in years]),
                         "Not printed in the MRZ: estimated as the expiry year minus the longest validity the issuer "
                         "gives this kind of document (screening/data/validity_periods.json)." + note))
    parts.append("</div>" + _legend() + "</section>")
    parts.append(_reasons(totals))
    parts.append(_visual_zone(totals))
    parts.append(_findings(found))
    parts.append(_flagged(flagged, totals.flagged_total, store))
    parts.append(_unreadable(totals))
    parts.append(_run(totals, info))
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _tiles(totals: Totals, found, info) -> str:
    real = [f for f in found if f.kind != cross.PLACEHOLDER_PORTRAIT]
    tiles = [("Pages screened", f"{totals.pages:,}", "#1f3a5f")]
    for verdict in VERDICTS:
        share = 100.0 * totals.verdicts[verdict] / totals.pages if totals.pages else 0
        tiles.append((verdict.capitalize(), f"{totals.verdicts[verdict]:,} <small>{share:.0f}%</small>", COLOURS[verdict]))
    tiles.append(("Cross-document findings", f"{len(real):,}", "#5b3a8c"))
    rate = info.get("rate")
    if rate:
        tiles.append(("Throughput", f"{rate:.1f} <small>pages/s</small>", "#1f3a5f"))
    cells = "".join(f"<div class='tile' style='border-color:{c}'><div class='n' style='color:{c}'>{v}</div>"
                    f"<div class='l'>{e(label)}</div></div>" for label, v, c in tiles)
    return f"<main><section class='tiles'>{cells}</section>"


def _figure(title: str, svg: str, caption: str = "") -> str:
    cap = f"<p class='cap'>{e(caption)}</p>" if caption else ""
    return f"<figure><figcaption>{title}</figcaption>{svg}{cap}</figure>"


def _legend() -> str:
    return "<p class='legend'>" + "".join(
        f"<span><i style='background:{COLOURS[v]}'></i>{v}</span>" for v in VERDICTS) + "</p>"


def bar_chart(rows: list[tuple[str, Counter | dict]], width: int = 560, bar: int = 20) -> str:
    """Horizontal bars, each split by verdict, labelled with its total."""
    if not rows:
        return "<p class='empty'>Nothing to show.</p>"
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
                           f"<title>{e(label)}: {value} {verdict}</title></rect>")
                x += w
        out.append(f"<text x='{x + 6:.1f}' y='{y + bar * 0.7:.1f}' class='val'>{sum(counts.values()):,}</text>")
    out.append("</svg>")
    return "".join(out)


def column_chart(columns: list[tuple[str, Counter]], width: int = 560, height: int = 220) -> str:
    """Vertical columns split by verdict (years along the bottom)."""
    if not columns:
        return "<p class='empty'>No page has an estimate.</p>"
    left, bottom, top_pad = 36, 34, 16
    top = max(sum(c.values()) for _, c in columns) or 1
    slot = (width - left - 8) / len(columns)
    col = max(min(slot * 0.75, 40), 2)
    scale = (height - bottom - top_pad) / top
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img'>",
           f"<line x1='{left}' y1='{height - bottom}' x2='{width}' y2='{height - bottom}' stroke='#999'/>",
           f"<text x='{left - 4}' y='{top_pad + 4}' text-anchor='end' class='val'>{top:,}</text>",
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
                           f"fill='{COLOURS[verdict]}'><title>{e(label)}: {value} {verdict}</title></rect>")
        if n % every == 0:
            out.append(f"<text x='{x + col / 2:.1f}' y='{height - bottom + 16}' text-anchor='middle' class='lbl'>"
                       f"{e(label)}</text>")
    out.append(f"<text x='{width / 2:.0f}' y='{height - 4}' text-anchor='middle' class='cap'>year of issue (estimated)</text>")
    out.append("</svg>")
    return "".join(out)


def _reasons(totals: Totals) -> str:
    rows = []
    for check_id, count in totals.reasons.most_common(15):
        spec = SPECS.get(check_id)
        severity = spec.severity if spec else ""
        title = spec.title if spec else check_id
        rows.append(f"<tr><td class='num'>{count:,}</td><td><span class='sev {e(severity)}'>{e(severity or 'notice')}</span></td>"
                    f"<td>{e(title)}<div class='id'>{e(check_id)} · e.g. “{e(totals.reason_example[check_id])}”</div></td></tr>")
    for code, count in totals.errors.most_common():
        rows.append(f"<tr><td class='num'>{count:,}</td><td><span class='sev unreadable'>unreadable</span></td>"
                    f"<td>{e(_error_title(code))}<div class='id'>{e(code)}</div></td></tr>")
    body = "".join(rows) or "<tr><td colspan='3'>No check failed.</td></tr>"
    return ("<section><h2>Most common reasons</h2><p class='cap'>Pages on which each check failed (a page can fail "
            f"several).</p><table class='reasons'><tr><th>pages</th><th>weight</th><th>check</th></tr>{body}</table></section>")


def _visual_zone(totals: Totals) -> str:
    """How many of each printed field were compared with the MRZ, and how many not (named on each
    flagged page): what was not compared, an officer compares by eye."""
    if not (totals.viz_compared or totals.viz_not_compared):
        return ""
    rows, done, left = [], 0, 0
    for key in VIZ_FIELDS:
        yes, no = totals.viz_compared[key], totals.viz_not_compared[key]
        done, left = done + yes, left + no
        share = f"{100 * yes / (yes + no):.1f}%" if yes + no else "–"
        rows.append(f"<tr><td>{e(label(key))}</td><td class='num'>{yes:,}</td><td class='num'>{no:,}</td>"
                    f"<td class='num'>{share}</td></tr>")
    total = f"{100 * done / (done + left):.1f}%" if done + left else "–"
    return ("<section><h2>Visual zone compared with the MRZ</h2><p class='cap'>Printed fields the screening compared "
            f"with the MRZ, over all pages read: {total}. A field not compared makes the page a review.</p>"
            "<table class='plain'><tr><th>field</th><th>compared</th><th>not compared</th><th>share</th></tr>"
            f"{''.join(rows)}</table></section>")


def _error_title(code: str) -> str:
    return {"no_mrz_found": "No MRZ found on the page (not a data page, or too blurred / cut off)",
            "empty_file": "Empty file", "image_truncated": "Truncated or damaged image",
            "not_an_image": "Not an image file", "pdf_encrypted": "Password-protected PDF",
            "pdf_unreadable": "Unreadable PDF", "image_too_large": "Image too large to open safely",
            "zip_unreadable": "Damaged zip file or member", "file_unreadable": "File could not be opened",
            "worker_crashed": "The screening process crashed on this file"}.get(code, code.replace("_", " ").capitalize())


def _findings(found: list[cross.CrossFinding]) -> str:
    if not found:
        return ("<section><h2>Across documents</h2><p>No contradictions or duplicates between documents were "
                "found.</p></section>")
    by_kind: dict[str, list[cross.CrossFinding]] = defaultdict(list)
    for finding in found:
        by_kind[finding.kind].append(finding)
    parts = ["<section><h2>Across documents</h2><p class='cap'>What only shows when documents are compared with "
             "each other. Portraits are compared by a perceptual hash of the photo area, placed from the MRZ: "
             "look at the pictures before acting, as a shared stock or placeholder picture groups too.</p>"]
    for kind, title in cross.KIND_TITLES.items():
        items = by_kind.get(kind, [])
        if not items:
            continue
        parts.append(f"<h3>{e(title)} <span class='count'>{len(items)}</span></h3>")
        for n, finding in enumerate(items[:FINDINGS_LIMIT]):
            details = "".join(f"<li>{e(d)}</li>" for d in finding.details)
            # The first few of each kind open, so a printed report shows what was found.
            opened = " open" if n < 3 and kind != cross.PLACEHOLDER_PORTRAIT else ""
            parts.append(f"<details class='finding {kind}'{opened}><summary>{e(finding.summary)}</summary>"
                         f"<ul>{details}</ul></details>")
        if len(items) > FINDINGS_LIMIT:
            parts.append(f"<p class='cap'>… and {len(items) - FINDINGS_LIMIT} more.</p>")
    parts.append("</section>")
    return "".join(parts)


def _flagged(flagged: list, total: int, store: Store) -> str:
    more = f" The first {len(flagged)} of {total:,} are shown; summary.csv lists all." if total > len(flagged) else ""
    parts = [f"<section><h2>Flagged documents <span class='count'>{total:,}</span></h2>"
             f"<p class='cap'>Alerts first, then pages to review; the MRZ the reader found is outlined in red.{more}</p>"
             "<div class='cards'>"]
    for _, seq, page, name, verdict, reasons, holder, missing in flagged:
        thumb = store.thumbnail(seq, page)
        img = (f"<img alt='' src='data:image/jpeg;base64,{base64.b64encode(thumb).decode()}'>" if thumb
               else "<div class='noimg'>no image</div>")
        items = "".join(f"<li>{e(r)}</li>" for r in reasons)
        if missing:
            items += f"<li class='not-compared'>Not compared with the page (compare by eye): {e(', '.join(missing))}</li>"
        parts.append(f"<article class='card'>{img}<div><div class='file'><span class='badge' "
                     f"style='background:{COLOURS[verdict]}'>{verdict}</span> {e(name)}</div>"
                     f"<div class='holder'>{e(holder)}</div><ul>{items}</ul></div></article>")
    parts.append("</div></section>")
    return "".join(parts)


def _unreadable(totals: Totals) -> str:
    count = totals.verdicts[UNREADABLE]
    if not count:
        return ""
    rows = "".join(f"<tr><td>{e(name)}</td><td>{e(reason)}</td></tr>" for name, reason, _ in totals.unreadable)
    more = f"<p class='cap'>The first {len(totals.unreadable)} are listed; summary.csv has all.</p>" if count > len(totals.unreadable) else ""
    return (f"<section><h2>Unreadable <span class='count'>{count:,}</span></h2><table class='plain'>"
            f"<tr><th>file</th><th>why</th></tr>{rows}</table>{more}</section>")


def _run(totals: Totals, info: dict) -> str:
    settings = [("Archives", ", ".join(info.get("archives", []))), ("Output", info.get("out", "")),
                ("Reader engine", info.get("engine", "")), ("Screened as of", info.get("today", "")),
                ("Items (files and zip members)", f"{info.get('items', 0):,}"), ("Pages", f"{totals.pages:,}")]
    rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in settings)
    sessions = []
    for s in info.get("sessions", []):
        started = dt.datetime.fromtimestamp(s["started"]).strftime("%Y-%m-%d %H:%M:%S")
        rate = s["items_done"] / s["busy_seconds"] if s["busy_seconds"] else 0
        sessions.append(f"<tr><td>{s['id']}</td><td>{started}</td><td>{e(s['executor'])}</td>"
                        f"<td class='num'>{s['items_done']:,}</td><td class='num'>{s['busy_seconds']:.1f} s</td>"
                        f"<td class='num'>{rate:.1f}/s</td></tr>")
    stage_rows = []
    for stage in STAGES:
        n = totals.stage_counts.get(stage)
        if n:
            stage_rows.append(f"<tr><td>{stage}</td><td class='num'>{totals.stage_sums[stage] / n:.1f} ms</td>"
                              f"<td class='num'>{n:,}</td></tr>")
    return ("<section><h2>This run</h2><div class='charts'><div><h3>Settings</h3>"
            f"<table class='plain'>{rows}</table></div><div><h3>Sessions</h3><p class='cap'>A session is one start of "
            "the command; an interrupted audit resumed with --resume has several.</p><table class='plain'>"
            "<tr><th>#</th><th>started</th><th>executor</th><th>items</th><th>screening time</th><th>rate</th></tr>"
            f"{''.join(sessions)}</table>"
            "<h3>Where the time goes</h3><p class='cap'>Mean per page, measured inside the workers "
            "(audit = the fingerprints and thumbnail for cross-document findings).</p><table class='plain'>"
            f"<tr><th>stage</th><th>mean</th><th>pages</th></tr>{''.join(stage_rows)}</table></div></div></section>")


HEAD = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
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
</style></head><body>"""
