"""The chip against the page, and the chip against its issuer (Doc 9303 Parts 10-12).

Only where a chip read was attempted (``CheckContext.chip``): a station without a reader, or an
MRZ typed without one, yields nothing, and the result says "chip: not attempted". What the
chip stage found is compared here; the card was read and its signatures verified before
(screening.chip.reader, screening.chip.evidence).
"""

from __future__ import annotations

from screening.checks.registry import CheckContext, CheckSpec, check
from screening.models import REVIEW
from screening.mrz import formats
from screening.mrz.codes import alpha2
from screening.text import Join, Text

# Read outcomes (screening.chip.errors) and what the officer is told.
_NOT_READ = {
    "no_reader": Text("no chip reader is connected"),
    "no_card": Text("no chip answered on the reader"),
    "removed": Text("the document was taken off the reader during the read"),
    "timeout": Text("the chip stopped answering"),
    "garbage": Text("the chip's answers were damaged or not authentic"),
    "unsupported": Text("the chip uses a protocol this reader does not support"),
    "chip_error": Text("the chip reported an error"),
    "error": Text("the chip could not be read"),
}


@check(
    CheckSpec("chip.access", "alert", "The chip opens with the keys of the printed MRZ (BAC or PACE, Doc 9303 Part 11)"),
    CheckSpec("chip.dg1_match", "alert", "The chip's MRZ (DG1) equals the printed MRZ, character for character"),
    CheckSpec("chip.signature", "alert", "The chip's security object (EF.SOD) is signed by its Document Signer"),
    CheckSpec("chip.certificate_chain", "alert",
              "The Document Signer certificate chains to a CSCA in the trust store (passive authentication)"),
    CheckSpec("chip.revocation", "alert", "No CRL in the trust store revokes the Document Signer or its CSCA"),
    CheckSpec("chip.data_groups", "alert", "Every data group read hashes to its value in the security object"),
    CheckSpec("chip.clone", "alert", "The chip proves it holds its private key (chip or active authentication)"),
)
def chip(ctx: CheckContext):
    evidence = ctx.chip
    if evidence is None:
        return  # no read attempted (no reader at this station, or a typed MRZ)
    read = evidence.read
    keys = ["document_number", "birth_date", "expiry_date"]
    if read.outcome == "refused":
        # The keys come from the printed number, birth and expiry dates with their check digits: a
        # genuine chip opens with them, so a refusal means the page's MRZ is not the chip's, unless
        # those characters were misread (then CheckContext.failed makes it a review).
        yield ctx.failed("chip.access", "The chip refuses the keys of the printed MRZ (document number, date of "
                                        "birth, date of expiry): the page's MRZ is not the one the chip was issued "
                                        "with, or it was misread.", keys)
        return
    if read.access_protocol is None:
        reason = _NOT_READ.get(read.outcome, _NOT_READ["error"])
        if read.outcome == "no_reader":
            severity = None  # the station has no reader: the chip checks cannot apply (docs/checks.md)
        elif read.outcome == "no_card":
            # Cards and visas without a chip are still issued in the region, so no answer is no finding
            # against them; a passport without a working chip is looked at (docs/checks.md).
            severity = REVIEW if ctx.parsed.document_code[:1] == "P" else None
        else:
            severity = REVIEW  # a read that broke off: read it again
        yield ctx.skipped("chip.access", "Chip not read: {reason}. If the document carries the chip symbol, "
                                         "read it again or examine it further.", keys, severity, reason=reason)
        return
    yield ctx.passed("chip.access", "The chip opened with the printed MRZ's keys ({protocol}).", keys,
                     protocol=read.access_protocol)
    yield from _dg1(ctx, read)
    yield from _passive(ctx, evidence)
    yield from _clone(ctx, read)
    if not read.complete:
        yield ctx.skipped("chip.data_groups", "The chip read stopped early ({reason}): read it again.", (), REVIEW,
                          reason=_NOT_READ.get(read.outcome, _NOT_READ["error"]))


def _dg1(ctx: CheckContext, read):
    if not read.mrz_lines:
        reason = read.unreadable.get("DG1", "")
        yield ctx.skipped("chip.dg1_match", "The chip's MRZ (DG1) could not be read{detail}: not compared.", (), REVIEW,
                          detail=f" ({reason})" if reason else "")
        return
    printed, chip_lines = ctx.parsed.lines, tuple(read.mrz_lines)
    if tuple(printed) == chip_lines:
        yield ctx.passed("chip.dg1_match", "The chip's MRZ (DG1) equals the printed MRZ.")
        return
    differing = _differing_fields(ctx.parsed.format, printed, chip_lines)
    # A printed character the reader was unsure of may be the whole difference: then a review
    # (CheckContext.failed), and the message shows the chip's copy to compare by eye.
    names = Join(", ", [formats.name_text(f) for f in differing] or [Text("its layout")])
    yield ctx.failed("chip.dg1_match", "The chip's MRZ differs from the printed one in {names}: the chip holds "
                                       "{chip}.", differing, names=names, chip=" / ".join(chip_lines))


def _differing_fields(fmt: str, printed, chip_lines) -> list[str]:
    layout = formats.LAYOUTS.get(fmt)
    if layout is None or len(printed) != len(chip_lines):
        return []
    out = []
    for spec in layout.fields:
        if spec.line < len(printed) and printed[spec.line][spec.start:spec.end] != chip_lines[spec.line][spec.start:spec.end]:
            out.append(spec.name)
    return out


def _passive(ctx: CheckContext, evidence):
    from screening.chip import passive as pa

    result = evidence.passive
    if result is None:
        yield ctx.skipped("chip.signature", "The chip's security object (EF.SOD) was not read: its data cannot be "
                                            "verified.", (), REVIEW)
        return
    signature = result.signature
    if signature.code == pa.VERIFIED:
        yield ctx.passed("chip.signature", "{detail}", detail=signature.message)
    elif signature.code in (pa.FAILED, pa.DIGEST_MISMATCH):
        yield ctx.failed("chip.signature", "The chip's data are not signed as issued: {detail}", detail=signature.message)
    else:  # malformed, unsupported, no certificate: not verified, not disproved
        yield ctx.skipped("chip.signature", "The chip's signature could not be verified: {detail}", (), REVIEW,
                          detail=signature.message)
    chain = result.chain
    page_country = alpha2(ctx.parsed.issuing_state)
    if chain.code == pa.VERIFIED and result.issuing_state and page_country and result.issuing_state != page_country:
        # A chip signed by another state than the one the page names: a chip (or page) of another document.
        yield ctx.failed("chip.certificate_chain", "The chip was signed by a Document Signer of {chip_state}, but the "
                                                   "MRZ names {state} ({page_state}) as the issuing state.",
                         ["issuing_state"], chip_state=result.issuing_state, state=ctx.parsed.issuing_state,
                         page_state=page_country)
    elif chain.code == pa.VERIFIED:
        yield ctx.passed("chip.certificate_chain", "{detail}", detail=chain.message)
    elif chain.code == pa.FAILED:
        yield ctx.failed("chip.certificate_chain", "The chip's Document Signer was not issued by its state's CSCA: "
                                                   "{detail}", detail=chain.message)
    elif chain.code in (pa.UNKNOWN_CSCA, pa.NO_TRUST_STORE):
        yield ctx.skipped("chip.certificate_chain", "This state's certificates are not installed, so the chip's "
                                                    "issuer cannot be confirmed: {detail} (import the state's CSCA "
                                                    "or a master list into the trust store: docs/chip.md).", (), REVIEW, detail=chain.message)
    elif chain.code != pa.NOT_RUN:  # expired, unsupported
        yield ctx.skipped("chip.certificate_chain", "The chip's certificates could not be confirmed: {detail}", (),
                          REVIEW, detail=chain.message)
    revocation = result.revocation
    if revocation.code == pa.REVOKED:
        yield ctx.failed("chip.revocation", "{detail}", detail=revocation.message)
    elif revocation.code == pa.NOT_REVOKED:
        yield ctx.passed("chip.revocation", "{detail}", detail=revocation.message)
    elif revocation.code == pa.CRL_EXPIRED:
        yield ctx.warned("chip.revocation", "{detail}", detail=revocation.message)
    elif revocation.code != pa.NOT_RUN:
        # No current CRL installed: not checked, said so. It does not make the verdict a review
        # (docs/checks.md): CRLs are imported by the service, revocations of signers are rare, and
        # a store without them would otherwise turn every chip into a review.
        yield ctx.skipped("chip.revocation", "{detail}", (), None, detail=revocation.message)
    hashes = result.hashes
    if hashes.code == pa.MATCH:
        yield ctx.passed("chip.data_groups", "{detail}", detail=hashes.message)
    elif hashes.code == pa.MISMATCH:
        yield ctx.failed("chip.data_groups", "The chip's data were altered after signing: {detail}",
                         detail=hashes.message)
    elif hashes.code != pa.NOT_RUN:  # a group the SOD does not list, none read, an unknown hash
        yield ctx.skipped("chip.data_groups", "{detail}", (), REVIEW, detail=hashes.message)


def _clone(ctx: CheckContext, read):
    from screening.chip.models import FAILED, NOT_SUPPORTED, PASSED

    outcomes = [(Text("chip authentication"), read.chip_authentication),
                (Text("active authentication"), read.active_authentication)]
    failed = [(name, o) for name, o in outcomes if o.status == FAILED]
    passed = [name for name, o in outcomes if o.status == PASSED]
    if failed:
        name, outcome = failed[0]
        yield ctx.failed("chip.clone", "The chip failed {mechanism} ({reason}): a copy of a chip without its "
                                       "private key, or a substituted chip.", mechanism=name, reason=outcome.reason)
    elif passed:
        yield ctx.passed("chip.clone", "The chip proved it holds its private key ({mechanisms}).",
                         mechanisms=Join(", ", passed))
    elif all(o.status == NOT_SUPPORTED for _, o in outcomes):
        yield ctx.warned("chip.clone", "The chip offers neither chip nor active authentication (no DG14, no DG15): "
                                       "a copied chip cannot be told from the original by the chip itself.")
    else:
        yield ctx.skipped("chip.clone", "The chip's private key was not tested (the read stopped before): read it "
                                        "again.", (), REVIEW)
