"""What only shows across documents.

- one document number carried by different holders, or with different dates;
- one holder (name and date of birth) on several documents;
- one portrait on different identities (a perceptual hash of the portrait area);
- one image submitted more than once (same pixels, same file, or a re-encoded copy
  with the same MRZ), and one document scanned several times.

Near-equal hashes are found without comparing every pair (archives hold millions of
pages): a hash is cut into ``d + 1`` chunks, and two hashes at most ``d`` bits apart
share at least one chunk exactly (pigeonhole), so only pages sharing a chunk are compared.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator

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

KIND_TITLES = {
    NUMBER_CONFLICT: Text("One document number, different holders or dates"),
    SHARED_PORTRAIT: Text("One portrait, different identities"),
    HOLDER_MANY_DOCUMENTS: Text("One holder on several documents"),
    DUPLICATE_IMAGE: Text("The same image submitted more than once"),
    REPEATED_DOCUMENT: Text("The same document scanned more than once"),
    PLACEHOLDER_PORTRAIT: Text("A portrait shared too widely to be a face"),
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
    return PageFacts(
        result["file"], result["verdict"], tuple(mrz["lines"]), f.get("issuing_state", ""),
        f.get("document_number", ""), f.get("surname", ""), f.get("given_names", ""), f.get("birth_date"),
        f.get("expiry_date"), f.get("sex", ""), f.get("nationality", ""), file_digest, pixel_digest, image_hash,
        portrait_hash,
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
