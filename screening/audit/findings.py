"""What only shows across documents.

- one document number carried by different holders, or with different dates;
- one holder (name and date of birth) on several documents;
- one portrait on different identities (a perceptual hash of the portrait area);
- one image submitted more than once (same pixels, same file, or a re-encoded copy
  with the same MRZ), and one document scanned several times;
- a page whose UV-fluorescent features (pages screened under several lights) lie elsewhere
  than on the other documents of its series.

Near-equal hashes are found without comparing every pair (archives hold millions of
pages): a hash is cut into ``d + 1`` chunks, and two hashes at most ``d`` bits apart
share at least one chunk exactly (pigeonhole), so only pages sharing a chunk are compared.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator

import numpy as np

from screening.audit.features import hamming
from screening.text import Join, Text

# Bits two portrait hashes may differ by and still be the same picture: a re-print and
# re-scan of one photo moves a few bits; different faces framed alike differ by 15 or more.
PORTRAIT_DISTANCE = 5
# Whole-page hashes of a copy re-encoded (JPEG quality, resize, PNG) differ by a few bits.
IMAGE_DISTANCE = 4
# One "portrait" on more identities than this is a placeholder or an empty photo frame
# (or the specimens' silhouette), not a face: reported once, not as a finding per pair.
PLACEHOLDER_IDENTITIES = 5
# A chunk bucket this full is a placeholder too; comparing it pairwise would cost n^2.
BUCKET_LIMIT = 3000

NUMBER_CONFLICT = "number_conflict"
HOLDER_MANY_DOCUMENTS = "holder_many_documents"
SHARED_PORTRAIT = "shared_portrait"
PLACEHOLDER_PORTRAIT = "placeholder_portrait"
DUPLICATE_IMAGE = "duplicate_image"
REPEATED_DOCUMENT = "repeated_document"
UV_SERIES_OUTLIER = "uv_series_outlier"

# A series: documents of one issuing state and document code whose numbers start alike (the
# first SERIES_PREFIX characters). Not measured but chosen: the region's passport and card numbers
# begin with a one- or two-letter block the issuer prints a series from (samples/people.py's
# number formats imitate them). Too long a prefix splits a series (fewer pages compared, none
# wrongly); too short merges series of different UV designs, whose smaller one would then look
# like outliers: two characters errs towards splitting. The UV signatures
# (screening.checks.light.uv_signature: the fluorescent % per cell of a 4 x 8 grid over the visual
# zone) of a series are compared once it has UV_SERIES_MIN documents: in
# `benchmarks/uv_series.py --per-reader 10 --seed 7` (400 random series per size, tuning readers
# only) an odd page (another series' emblem, brightened paper) is found in 90 % of series of 3 and
# in every series of 4 or more, and no clean page is reported at any size; 5 keeps one page of margin.
SERIES_PREFIX = 2
UV_SERIES_MIN = 5
# A page is an outlier when its grid differs from the series' median grid by more than
# UV_OUTLIER_DISTANCE percentage points per cell on average, and by more than
# UV_OUTLIER_FACTOR times the series' own median distance (a series captured on a worn reader
# spreads more). Measured with `benchmarks/uv_series.py --per-reader 10 --seed 7`: 40 clean
# generated TD3 sets of one series (its emblem in one place), ten on each of the four tuning
# readers (reader_desk, reader_border, reader_compact, reader_old): distances to their median
# 0.31-0.81 points (median 0.50, the largest 1.6 times it); the same layout with another series'
# emblem 1.88-3.34, brightened office paper without an emblem 2.19. The limits sit about half
# again above the genuine maximum and its ratio, below the odd pages' minimum.
UV_OUTLIER_DISTANCE = 1.3
UV_OUTLIER_FACTOR = 2.5

KIND_TITLES = {
    NUMBER_CONFLICT: Text("One document number, different holders or dates"),
    SHARED_PORTRAIT: Text("One portrait, different identities"),
    HOLDER_MANY_DOCUMENTS: Text("One holder on several documents"),
    DUPLICATE_IMAGE: Text("The same image submitted more than once"),
    REPEATED_DOCUMENT: Text("The same document scanned more than once"),
    PLACEHOLDER_PORTRAIT: Text("A portrait shared too widely to be a face"),
    UV_SERIES_OUTLIER: Text("UV features unlike the rest of the series"),
}


@dataclass(frozen=True)
class PageFacts:
    """What findings compare, for one page."""

    name: str
    verdict: str
    lines: tuple[str, ...] | None = None
    issuing_state: str = ""
    document_number: str = ""
    surname: str = ""
    given_names: str = ""
    birth_date: str | None = None
    expiry_date: str | None = None
    sex: str = ""
    nationality: str = ""
    file_digest: str | None = None
    pixel_digest: str | None = None
    image_hash: int | None = None
    portrait_hash: int | None = None
    document_code: str = ""
    uv_grid: tuple[int, ...] | None = None  # the UV signature's grid, row by row (a page under several lights)

    @property
    def series(self) -> tuple[str, str, str] | None:
        """(issuing state, document code, the number's first SERIES_PREFIX characters), or None."""
        if self.lines is None or not self.document_number:
            return None
        return self.issuing_state, self.document_code, self.document_number[:SERIES_PREFIX]

    @property
    def full_name(self) -> str:
        return ", ".join(p for p in (self.surname, self.given_names) if p)

    @property
    def holder(self) -> Text:
        return Text("{name}, born {birth}", name=self.full_name, birth=self.birth_date or "?")

    @property
    def identity(self) -> tuple:
        return (self.surname, self.given_names, self.birth_date)

    def describe(self) -> Text:
        if self.lines is None:
            return Text("{file}: MRZ not read", file=self.name)
        return Text("{file}: {holder}, {state} no. {number}, expires {expiry}", file=self.name, holder=self.holder,
                    state=self.issuing_state, number=self.document_number, expiry=self.expiry_date or "?")


def facts_from_result(result: dict, file_digest=None, pixel_digest=None, image_hash=None, portrait_hash=None) -> PageFacts:
    mrz = result.get("mrz")
    if not mrz:
        return PageFacts(result["file"], result["verdict"], file_digest=file_digest, pixel_digest=pixel_digest,
                         image_hash=image_hash)
    f = mrz["fields"]
    signature = (result.get("lights") or {}).get("uv_signature") or {}
    grid = tuple(int(v) for row in signature.get("grid") or () for v in row) or None
    return PageFacts(
        result["file"], result["verdict"], tuple(mrz["lines"]), f.get("issuing_state", ""),
        f.get("document_number", ""), f.get("surname", ""), f.get("given_names", ""), f.get("birth_date"),
        f.get("expiry_date"), f.get("sex", ""), f.get("nationality", ""), file_digest, pixel_digest, image_hash,
        portrait_hash, (f.get("document_code") or "").rstrip("<"), grid,
    )


@dataclass(frozen=True)
class CrossFinding:
    kind: str
    summary: Text  # one sentence a supervisor reads (translatable, screening.text)
    files: tuple[str, ...]
    details: tuple[Text, ...]  # one line per page involved


def find_all(pages: Iterable[PageFacts]) -> list[CrossFinding]:
    pages = list(pages)
    found: list[CrossFinding] = []
    found += number_conflicts(pages)
    found += shared_portraits(pages)
    found += holders_on_many_documents(pages)
    found += duplicate_images(pages)
    found += uv_series_outliers(pages)
    return found


def number_conflicts(pages: list[PageFacts]) -> Iterator[CrossFinding]:
    groups: dict[tuple[str, str], list[PageFacts]] = defaultdict(list)
    for page in pages:
        if page.lines is not None and page.document_number:
            groups[(page.issuing_state, page.document_number)].append(page)
    for (state, number), group in sorted(groups.items()):
        identities = {p.identity for p in group}
        dates = {(p.birth_date, p.expiry_date, p.sex) for p in group}
        if len(identities) > 1:
            summary = Text("Document number {number} ({state}) is carried by {count} different holders.",
                           number=number, state=state, count=len(identities))
        elif len(dates) > 1:
            summary = Text("Document number {number} ({state}) appears with different dates of birth, expiry or sex "
                           "for {name}.", number=number, state=state, name=group[0].full_name)
        else:
            continue
        yield CrossFinding(NUMBER_CONFLICT, summary, tuple(p.name for p in group), tuple(p.describe() for p in group))


def holders_on_many_documents(pages: list[PageFacts]) -> Iterator[CrossFinding]:
    groups: dict[tuple, list[PageFacts]] = defaultdict(list)
    for page in pages:
        if page.lines is not None and page.surname and page.birth_date:
            groups[page.identity].append(page)
    for _, group in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        documents = sorted({(p.issuing_state, p.document_number) for p in group})
        if len(documents) < 2:
            continue
        issuers = sorted({state for state, _ in documents})
        if len(issuers) > 1:
            summary = Text("{holder} holds {count} different documents from {issuers} issuers ({states}).",
                           holder=group[0].holder, count=len(documents), issuers=len(issuers),
                           states=Join(", ", issuers))
        else:
            summary = Text("{holder} holds {count} different documents.", holder=group[0].holder,
                           count=len(documents))
        yield CrossFinding(HOLDER_MANY_DOCUMENTS, summary, tuple(p.name for p in group),
                           tuple(p.describe() for p in group))


def shared_portraits(pages: list[PageFacts]) -> Iterator[CrossFinding]:
    hashed = [p for p in pages if p.portrait_hash is not None]
    for cluster in clusters([p.portrait_hash for p in hashed], PORTRAIT_DISTANCE):
        group = [hashed[i] for i in cluster]
        identities = {p.identity for p in group}
        if len(identities) < 2:
            continue  # one person's documents: the same photo is expected
        if len(identities) > PLACEHOLDER_IDENTITIES:
            yield CrossFinding(
                PLACEHOLDER_PORTRAIT,
                Text("{pages} pages ({identities} identities) show one and the same portrait: most likely a "
                     "placeholder, an empty photo frame or specimen artwork, not a face. Look at a few of them.",
                     pages=len(group), identities=len(identities)),
                tuple(p.name for p in group),
                tuple(p.describe() for p in group[:5]) + ((Text("…"),) if len(group) > 5 else ()))
            continue
        yield CrossFinding(SHARED_PORTRAIT, Text("The same portrait appears on {count} different identities.",
                                                 count=len(identities)),
                           tuple(p.name for p in group), tuple(p.describe() for p in group))


def duplicate_images(pages: list[PageFacts]) -> Iterator[CrossFinding]:
    """Identical pixels or file bytes, or a near-identical image with the same MRZ: one submission twice."""
    union = UnionFind(len(pages))
    first: dict[tuple, int] = {}
    for i, page in enumerate(pages):
        if page.pixel_digest is not None:
            union.join(first.setdefault(("pixels", page.pixel_digest), i), i)
        if page.file_digest is not None:
            # The pages of one multi-page file share its bytes: only the same page of another copy
            # of the file is the same image.
            union.join(first.setdefault(("file", page.file_digest, page_number(page.name)), i), i)
    with_hash = [i for i, p in enumerate(pages) if p.image_hash is not None and p.lines is not None]
    for a, b in near_pairs([pages[i].image_hash for i in with_hash], IMAGE_DISTANCE):
        i, j = with_hash[a], with_hash[b]
        if pages[i].lines == pages[j].lines:
            union.join(i, j)
    image_groups = [g for g in union.groups() if len(g) > 1]
    in_image_group = {i: n for n, g in enumerate(image_groups) for i in g}
    for group in image_groups:
        members = [pages[i] for i in group]
        identical = len({p.pixel_digest for p in members}) == 1 and members[0].pixel_digest is not None
        how = Text("identical pixels") if identical else Text("near-identical images (a re-encoded or resized copy)")
        yield CrossFinding(DUPLICATE_IMAGE, Text("One image submitted {count} times ({how}).", count=len(members),
                                                 how=how),
                           tuple(p.name for p in members), tuple(p.describe() for p in members))
    # The same MRZ in files that are not copies of one image: the document scanned again.
    by_lines: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, page in enumerate(pages):
        if page.lines is not None:
            by_lines[page.lines].append(i)
    for lines, group in by_lines.items():
        scans = {in_image_group.get(i, -1 - i) for i in group}
        if len(scans) > 1:
            members = [pages[i] for i in group]
            yield CrossFinding(REPEATED_DOCUMENT, Text("{name}'s document {number} was scanned {count} times "
                                                       "(different scans, same MRZ).", name=members[0].full_name,
                                                       number=members[0].document_number, count=len(scans)),
                               tuple(p.name for p in members), tuple(p.describe() for p in members))


def series_text(series: tuple[str, str, str]) -> str:
    state, code, prefix = series
    return f"{state} {code} {prefix}…"


def uv_series_outliers(pages: list[PageFacts], minimum: int = UV_SERIES_MIN) -> Iterator[CrossFinding]:
    """Pages whose UV features lie elsewhere than on the rest of their series (a counterfeit on
    another substrate, a forged or missing emblem), with each page's distance and the series'.
    The limits are UV_OUTLIER_DISTANCE and UV_OUTLIER_FACTOR (their measurement is beside them);
    series smaller than ``minimum`` pages are not compared."""
    by_series: dict[tuple, list[PageFacts]] = defaultdict(list)
    for page in pages:
        if page.uv_grid is not None and page.series is not None:
            by_series[page.series].append(page)
    for series, group in sorted(by_series.items()):
        sizes = {len(p.uv_grid) for p in group}
        if len(group) < minimum or len(sizes) != 1:
            continue
        grids = np.array([p.uv_grid for p in group], np.float64)
        median = np.median(grids, axis=0)
        distances = np.abs(grids - median).mean(axis=1)
        typical = float(np.median(distances))
        for page, distance in zip(group, distances):
            if distance > UV_OUTLIER_DISTANCE and distance > UV_OUTLIER_FACTOR * typical:
                yield CrossFinding(
                    UV_SERIES_OUTLIER,
                    Text("{file}'s UV-fluorescent features lie elsewhere than on the {count} other documents of its "
                         "series {series}: {distance} points per cell from the series' median (the series' documents "
                         "typically {typical}; an outlier differs by more than {limit}).", file=page.name,
                         count=len(group) - 1, series=series_text(series), distance=f"{distance:.1f}",
                         typical=f"{typical:.1f}", limit=f"{max(UV_OUTLIER_DISTANCE, UV_OUTLIER_FACTOR * typical):.1f}"),
                    (page.name,), (page.describe(),))


def page_number(name: str) -> int:
    """The page of a multi-page file a result is for (``scan.pdf#page=3``), 1 for a single page."""
    head, mark, number = name.rpartition("#page=")
    return int(number) if mark and number.isdigit() else 1


# -- near-equal hashes --------------------------------------------------------------

def near_pairs(hashes: list[int], max_distance: int, bits: int = 64) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) of hashes at most ``max_distance`` bits apart, without comparing all pairs."""
    chunks = max_distance + 1
    edges = [round(bits * k / chunks) for k in range(chunks + 1)]
    seen: set[tuple[int, int]] = set()
    for lo, hi in zip(edges, edges[1:]):
        mask = (1 << (hi - lo)) - 1
        buckets: dict[int, list[int]] = defaultdict(list)
        for index, value in enumerate(hashes):
            buckets[(value >> lo) & mask].append(index)
        for members in buckets.values():
            if len(members) < 2 or len(members) > BUCKET_LIMIT:
                continue
            for x, i in enumerate(members):
                for j in members[x + 1:]:
                    if (i, j) not in seen and hamming(hashes[i], hashes[j]) <= max_distance:
                        seen.add((i, j))
                        yield i, j


def clusters(hashes: list[int], max_distance: int) -> list[list[int]]:
    """Groups of indices linked by chains of near-equal hashes, largest first."""
    union = UnionFind(len(hashes))
    for i, j in near_pairs(hashes, max_distance):
        union.join(i, j)
    return sorted((g for g in union.groups() if len(g) > 1), key=len, reverse=True)


class UnionFind:
    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return list(out.values())
