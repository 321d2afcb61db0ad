"""EF.SOD, the chip's Document Security Object (Doc 9303 Part 10, 4.6.2): the hash of every data
group, signed by the issuing state's Document Signer.

The file is an application tag 0x77 around a CMS ContentInfo; the SignedData's content is an
LDSSecurityObject (id-icao-mrtd-security-ldsSecurityObject, 2.23.136.1.1.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from asn1crypto import algos, core

from screening.chip.signed_data import ASN1_ERRORS, SignedContent, SignedDataError, parse_content_info
from screening.errors import ScreeningError

LDS_SECURITY_OBJECT = "2.23.136.1.1.1"
SOD_TAG = 0x77  # [APPLICATION 23], constructed


class DataGroupHash(core.Sequence):
    _fields = [("data_group_number", core.Integer), ("data_group_hash_value", core.OctetString)]


class DataGroupHashValues(core.SequenceOf):
    _child_spec = DataGroupHash


class LDSVersionInfo(core.Sequence):
    _fields = [("lds_version", core.PrintableString), ("unicode_version", core.PrintableString)]


class LDSSecurityObject(core.Sequence):
    _fields = [
        ("version", core.Integer),  # v0, or v1 with ldsVersionInfo (LDS 1.8)
        ("hash_algorithm", algos.DigestAlgorithm),
        ("data_group_hash_values", DataGroupHashValues),
        ("lds_version_info", LDSVersionInfo, {"optional": True}),
    ]


class SodFormatError(ScreeningError):
    """EF.SOD is not a Document Security Object; the message says what was wrong."""

    code = "chip_sod_malformed"


@dataclass(frozen=True)
class SecurityObject:
    version: int
    hash_algorithm: str  # of the data-group hashes, e.g. "sha256"
    data_group_hashes: Mapping[int, bytes]  # data group number (1 for DG1) -> its hash
    lds_version: str | None  # "0108" etc. in LDS 1.8 objects, else None
    signed: SignedContent  # the CMS around it: signer, certificates, signed attributes


def parse_sod(data: bytes) -> SecurityObject:
    """Read EF.SOD as read from the chip (with the 0x77 tag; a bare ContentInfo is accepted too).

    Raises SodFormatError for anything that is not a well-formed Document Security Object."""
    try:
        outer = core.load(data)
    except ASN1_ERRORS as error:
        raise SodFormatError(f"EF.SOD is not DER ({_first_line(error)})") from None
    if outer.class_ == 1 and outer.tag == SOD_TAG & 0x1F:
        if outer.method != 1:
            raise SodFormatError("EF.SOD's tag 0x77 is not constructed")
        content_info = outer.contents
    elif outer.class_ == 0 and outer.tag == 16:
        content_info = outer.dump()  # a ContentInfo without the application tag
    else:
        raise SodFormatError(f"EF.SOD starts with tag class {outer.class_} number {outer.tag}, not 0x77")
    try:
        signed = parse_content_info(content_info, LDS_SECURITY_OBJECT)
    except SignedDataError as error:
        raise SodFormatError(f"EF.SOD: {error}") from None
    return _security_object(signed)


def _security_object(signed: SignedContent) -> SecurityObject:
    try:
        lds = LDSSecurityObject.load(signed.content, strict=True)
        version = lds["version"].native
        hash_algorithm = lds["hash_algorithm"]["algorithm"].native
        hashes: dict[int, bytes] = {}
        for entry in lds["data_group_hash_values"]:
            number = entry["data_group_number"].native
            if not 1 <= number <= 16:
                raise SodFormatError(f"the SOD lists data group {number} (there are 1 to 16)")
            if number in hashes:
                raise SodFormatError(f"the SOD lists data group {number} twice")
            hashes[number] = entry["data_group_hash_value"].native
        info = lds["lds_version_info"]
        lds_version = None if info.native is None else info["lds_version"].native
    except ASN1_ERRORS as error:
        raise SodFormatError(f"the SOD's LDSSecurityObject is malformed ({_first_line(error)})") from None
    if not hashes:
        raise SodFormatError("the SOD lists no data group")
    return SecurityObject(version, hash_algorithm, MappingProxyType(hashes), lds_version, signed)


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:160] if text else type(error).__name__
