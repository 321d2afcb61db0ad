"""The chip's files (Doc 9303 Part 10, the LDS) and the security infos of Part 11 §9.2.

File identifiers, parsers of the files the reader uses and, for test data and tools,
builders of the same files. ASN.1 structures are asn1crypto classes; the LDS' BER-TLV
wrappers go through ``screening.chip.tlv``. Every parser raises MalformedFile, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asn1crypto import core, keys

from screening.chip import tlv
from screening.chip.errors import MalformedFile

# --- file identifiers (Part 10 Table 3) ------------------------------------------------------

EF_CARD_ACCESS = 0x011C  # in the master file, readable without access control
EF_COM = 0x011E
EF_SOD = 0x011D
DG_FIDS = {n: 0x0100 + n for n in range(1, 17)}  # DG1 0101 ... DG14 010E, DG15 010F, DG16 0110
EMRTD_AID = bytes.fromhex("A0000002471001")

# The tag of each file's outer data object; EF.COM lists the data groups by these tags.
DG_TAGS = {1: 0x61, 2: 0x75, 3: 0x63, 4: 0x76, 5: 0x65, 6: 0x66, 7: 0x67, 8: 0x68, 9: 0x69,
           10: 0x6A, 11: 0x6B, 12: 0x6C, 13: 0x6D, 14: 0x6E, 15: 0x6F, 16: 0x70}
TAG_COM = 0x60
TAG_SOD = 0x77


def file_name(fid: int) -> str:
    """'EF.COM', 'EF.SOD', 'DG1' ... for a file identifier."""
    names = {EF_COM: "EF.COM", EF_SOD: "EF.SOD", EF_CARD_ACCESS: "EF.CardAccess"}
    if fid in names:
        return names[fid]
    return f"DG{fid - 0x0100}" if 0x0101 <= fid <= 0x0110 else f"EF {fid:04X}"


# --- object identifiers (BSI TR-03110 / Doc 9303 Part 11 §9.2) ------------------------------

BSI_DE = "0.4.0.127.0.7"
ID_PK_ECDH = BSI_DE + ".2.2.1.2"
ID_CA_ECDH = BSI_DE + ".2.2.3.2"
ID_PACE = BSI_DE + ".2.2.4"
ID_PACE_ECDH_GM = ID_PACE + ".2"
ID_AA = "2.23.136.1.1.5"
ECDSA_PLAIN = BSI_DE + ".1.1.4.1"

# Last arc of id-PACE-*-GM-* and id-CA-*-*: the symmetric cipher and its key size in bytes.
CIPHER_BY_ARC = {1: ("3DES", 16), 2: ("AES", 16), 3: ("AES", 24), 4: ("AES", 32)}
ECDSA_PLAIN_HASHES = {ECDSA_PLAIN + ".1": "sha1", ECDSA_PLAIN + ".2": "sha224", ECDSA_PLAIN + ".3": "sha256",
                      ECDSA_PLAIN + ".4": "sha384", ECDSA_PLAIN + ".5": "sha512"}


class SecurityInfo(core.Sequence):
    _fields = [
        ("protocol", core.ObjectIdentifier),
        ("required_data", core.Any),
        ("optional_data", core.Any, {"optional": True}),
    ]


class SecurityInfos(core.SetOf):
    _child_spec = SecurityInfo


class PACEInfo(core.Sequence):
    _fields = [
        ("protocol", core.ObjectIdentifier),
        ("version", core.Integer),
        ("parameter_id", core.Integer, {"optional": True}),
    ]


class ChipAuthenticationInfo(core.Sequence):
    _fields = [
        ("protocol", core.ObjectIdentifier),
        ("version", core.Integer),
        ("key_id", core.Integer, {"optional": True}),
    ]


class ChipAuthenticationPublicKeyInfo(core.Sequence):
    _fields = [
        ("protocol", core.ObjectIdentifier),
        ("chip_authentication_public_key", keys.PublicKeyInfo),
        ("key_id", core.Integer, {"optional": True}),
    ]


class ActiveAuthenticationInfo(core.Sequence):
    _fields = [
        ("protocol", core.ObjectIdentifier),
        ("version", core.Integer),
        ("signature_algorithm", core.ObjectIdentifier),
    ]


@dataclass(frozen=True)
class PaceOption:
    protocol: str
    version: int
    parameter_id: int | None

    @property
    def is_ecdh_generic_mapping(self) -> bool:
        return self.protocol.startswith(ID_PACE_ECDH_GM + ".")

    @property
    def cipher(self) -> tuple[str, int] | None:
        return CIPHER_BY_ARC.get(int(self.protocol.rsplit(".", 1)[1]))


@dataclass(frozen=True)
class ChipAuthenticationOption:
    protocol: str
    version: int
    key_id: int | None

    @property
    def cipher(self) -> tuple[str, int] | None:
        if not self.protocol.startswith(ID_CA_ECDH + "."):
            return None
        return CIPHER_BY_ARC.get(int(self.protocol.rsplit(".", 1)[1]))


@dataclass(frozen=True)
class ChipAuthenticationKey:
    protocol: str
    public_key_info: bytes  # DER SubjectPublicKeyInfo
    key_id: int | None


@dataclass(frozen=True)
class SecurityInfoSet:
    pace: tuple[PaceOption, ...] = ()
    chip_authentication: tuple[ChipAuthenticationOption, ...] = ()
    chip_authentication_keys: tuple[ChipAuthenticationKey, ...] = ()
    active_authentication_hash: str | None = None  # from ActiveAuthenticationInfo, ECDSA AA only
    unknown_protocols: tuple[str, ...] = ()


def parse_security_infos(der: bytes) -> SecurityInfoSet:
    """EF.CardAccess, or the content of DG14: the protocols the chip offers."""
    pace, ca, ca_keys, unknown = [], [], [], []
    aa_hash = None
    try:
        infos = SecurityInfos.load(der)
        for info in infos:
            protocol = info["protocol"].dotted
            encoded = info.dump()
            if protocol.startswith(ID_PACE + ".") and protocol.count(".") == ID_PACE.count(".") + 2:
                parsed = PACEInfo.load(encoded)
                pace.append(PaceOption(protocol, parsed["version"].native, parsed["parameter_id"].native))
            elif protocol.startswith(ID_CA_ECDH + ".") or protocol.startswith(BSI_DE + ".2.2.3.1."):
                parsed = ChipAuthenticationInfo.load(encoded)
                ca.append(ChipAuthenticationOption(protocol, parsed["version"].native, parsed["key_id"].native))
            elif protocol.startswith(BSI_DE + ".2.2.1."):
                parsed = ChipAuthenticationPublicKeyInfo.load(encoded)
                ca_keys.append(ChipAuthenticationKey(protocol, parsed["chip_authentication_public_key"].dump(),
                                                     parsed["key_id"].native))
            elif protocol == ID_AA:
                parsed = ActiveAuthenticationInfo.load(encoded)
                aa_hash = ECDSA_PLAIN_HASHES.get(parsed["signature_algorithm"].dotted)
            else:
                unknown.append(protocol)
    except (ValueError, TypeError, KeyError) as exc:
        # asn1crypto parses lazily and reports bad encodings as ValueError (TypeError for a
        # value of the wrong universal type) wherever a field is first touched.
        raise MalformedFile(f"security infos: {exc}") from None
    return SecurityInfoSet(tuple(pace), tuple(ca), tuple(ca_keys), aa_hash, tuple(unknown))


def build_security_infos(*infos: core.Sequence) -> bytes:
    """DER SET OF the given PACEInfo / ChipAuthenticationInfo / ... values."""
    return SecurityInfos([SecurityInfo.load(info.dump()) for info in infos]).dump()


# --- EF.COM -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ComFile:
    lds_version: str
    unicode_version: str
    data_groups: tuple[int, ...]


def parse_com(data: bytes) -> ComFile:
    objects = tlv.decode_all(tlv.decode_one(data, TAG_COM))
    tags = tlv.find(objects, 0x5C)
    if tags is None:
        raise MalformedFile("EF.COM without its tag list 5C")
    by_tag = {tag: number for number, tag in DG_TAGS.items()}
    groups = tuple(sorted(by_tag[t] for t in tags if t in by_tag))
    return ComFile(_text(tlv.find(objects, 0x5F01)), _text(tlv.find(objects, 0x5F36)), groups)


def build_com(data_groups: list[int], lds_version: str = "0107", unicode_version: str = "040000") -> bytes:
    body = (tlv.encode(0x5F01, lds_version.encode()) + tlv.encode(0x5F36, unicode_version.encode())
            + tlv.encode(0x5C, bytes(DG_TAGS[n] for n in data_groups)))
    return tlv.encode(TAG_COM, body)


def _text(value: bytes | None) -> str:
    if value is None:
        return ""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedFile("text field that is not UTF-8") from None


# --- DG1: the MRZ ---------------------------------------------------------------------------

_MRZ_LINE_LENGTHS = {90: 30, 72: 36, 88: 44}  # TD1 3 x 30, TD2 2 x 36, TD3 2 x 44


def parse_dg1(data: bytes) -> tuple[str, ...]:
    """The MRZ lines the chip holds."""
    mrz = tlv.find(tlv.decode_all(tlv.decode_one(data, DG_TAGS[1])), 0x5F1F)
    if mrz is None:
        raise MalformedFile("DG1 without its MRZ 5F1F")
    text = _text(mrz)
    width = _MRZ_LINE_LENGTHS.get(len(text))
    if width is None:
        raise MalformedFile(f"DG1 MRZ of {len(text)} characters")
    return tuple(text[i:i + width] for i in range(0, len(text), width))


def build_dg1(lines: list[str] | tuple[str, ...]) -> bytes:
    return tlv.encode(DG_TAGS[1], tlv.encode(0x5F1F, "".join(lines).encode("ascii")))


# --- DG2: the face --------------------------------------------------------------------------

JPEG = "jpeg"
JPEG2000 = "jpeg2000"
_IMAGE_TYPES = {0: JPEG, 1: JPEG2000}


@dataclass(frozen=True)
class FaceImage:
    image: bytes
    format: str  # "jpeg" or "jpeg2000"
    width: int = 0
    height: int = 0


def _format_by_signature(image: bytes) -> str | None:
    if image.startswith(b"\xff\xd8\xff"):
        return JPEG
    if image.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n") or image.startswith(b"\xff\x4f\xff\x51"):
        return JPEG2000
    return None


def parse_face_block(block: bytes) -> FaceImage:
    """The image in an ISO/IEC 19794-5 facial record (the biometric data block of DG2)."""
    if block[:4] != b"FAC\x00" or len(block) < 14 + 20 + 12:
        raise MalformedFile("DG2 biometric data block is not an ISO 19794-5 facial record")
    pointer = 14  # general header: 'FAC\0', version, record length (4), number of images (2)
    feature_points = int.from_bytes(block[pointer + 4:pointer + 6], "big")
    pointer += 20 + 8 * feature_points  # facial information, then the feature points
    info = block[pointer:pointer + 12]
    if len(info) < 12:
        raise MalformedFile("DG2 facial record cut short")
    declared = _IMAGE_TYPES.get(info[1])
    width, height = int.from_bytes(info[2:4], "big"), int.from_bytes(info[4:6], "big")
    image = block[pointer + 12:]
    found = _format_by_signature(image)
    if found is None:
        raise MalformedFile("DG2 image is neither JPEG nor JPEG 2000")
    if declared is not None and declared != found:
        raise MalformedFile(f"DG2 says {declared}, the image is {found}")
    return FaceImage(image, found, width, height)


def parse_dg2(data: bytes) -> FaceImage:
    """The first face image of DG2 (75 / 7F61 / 7F60 / 5F2E or 7F2E)."""
    group = tlv.decode_all(tlv.decode_one(data, DG_TAGS[2]))
    template = tlv.find(group, 0x7F61)
    if template is None:
        raise MalformedFile("DG2 without its biometric information group template 7F61")
    for tag, value in tlv.decode_all(template):
        if tag == 0x7F60:
            inner = tlv.decode_all(value)
            block = tlv.find(inner, 0x5F2E) or tlv.find(inner, 0x7F2E)
            if block is None:
                raise MalformedFile("DG2 template without its biometric data block")
            return parse_face_block(block)
    raise MalformedFile("DG2 without a biometric information template 7F60")


def build_face_block(image: bytes, image_format: str, width: int = 0, height: int = 0) -> bytes:
    image_type = {JPEG: 0, JPEG2000: 1}[image_format]
    facial_info = (12 + len(image) + 20).to_bytes(4, "big") + bytes(2) + bytes(14)
    image_info = bytes([1, image_type]) + width.to_bytes(2, "big") + height.to_bytes(2, "big") + bytes(6)
    record = facial_info + image_info + image
    return b"FAC\x00010\x00" + (14 + len(record)).to_bytes(4, "big") + (1).to_bytes(2, "big") + record


def build_dg2(image: bytes, image_format: str, width: int = 0, height: int = 0) -> bytes:
    header = tlv.encode(0xA1, tlv.encode(0x80, b"\x01\x01") + tlv.encode(0x81, b"\x02")
                        + tlv.encode(0x87, b"\x01\x01") + tlv.encode(0x88, b"\x00\x08"))
    info = tlv.encode(0x7F60, header + tlv.encode(0x5F2E, build_face_block(image, image_format, width, height)))
    return tlv.encode(DG_TAGS[2], tlv.encode(0x7F61, tlv.encode(0x02, b"\x01") + info))


# --- DG11 and DG12: additional personal and document details ---------------------------------

DG11_FIELDS = {0x5F0E: "full_name", 0x5F0F: "other_names", 0x5F10: "personal_number",
               0x5F2B: "full_date_of_birth", 0x5F11: "place_of_birth", 0x5F42: "address",
               0x5F12: "telephone", 0x5F13: "profession", 0x5F14: "title",
               0x5F15: "personal_summary", 0x5F17: "other_travel_documents", 0x5F18: "custody"}
DG12_FIELDS = {0x5F19: "issuing_authority", 0x5F26: "date_of_issue", 0x5F1B: "endorsements",
               0x5F1C: "tax_exit_requirements", 0x5F55: "personalization_time",
               0x5F56: "personalization_device"}


@dataclass(frozen=True)
class DetailsFile:
    fields: dict[str, str] = field(default_factory=dict)
    objects: tuple[tuple[int, bytes], ...] = ()  # every data object inside, as (tag, value)


def parse_details(data: bytes, group: int) -> DetailsFile:
    """DG11 or DG12: the named text fields it has, and all its data objects."""
    names = DG11_FIELDS if group == 11 else DG12_FIELDS
    objects = tlv.decode_all(tlv.decode_one(data, DG_TAGS[group]))
    found = {}
    for tag, value in objects:
        if tag in names:
            try:
                found[names[tag]] = value.decode("utf-8")
            except UnicodeDecodeError:
                continue  # a binary field (an image of the front, say) is kept in ``objects`` only
    return DetailsFile(found, tuple(objects))


def build_details(group: int, fields: dict[str, str]) -> bytes:
    names = DG11_FIELDS if group == 11 else DG12_FIELDS
    tags = {name: tag for tag, name in names.items()}
    chosen = [tags[name] for name in fields]
    body = tlv.encode(0x5C, b"".join(t.to_bytes(2, "big") for t in chosen))
    body += b"".join(tlv.encode(tags[name], value.encode()) for name, value in fields.items())
    return tlv.encode(DG_TAGS[group], body)


# --- DG14 and DG15 -----------------------------------------------------------------------------

def parse_dg14(data: bytes) -> SecurityInfoSet:
    return parse_security_infos(tlv.decode_one(data, DG_TAGS[14]))


def build_dg14(security_infos_der: bytes) -> bytes:
    return tlv.encode(DG_TAGS[14], security_infos_der)


def parse_dg15(data: bytes) -> bytes:
    """The DER SubjectPublicKeyInfo of the Active Authentication key."""
    der = tlv.decode_one(data, DG_TAGS[15])
    try:
        keys.PublicKeyInfo.load(der)["algorithm"].native
    except (ValueError, TypeError, KeyError) as exc:
        raise MalformedFile(f"DG15 public key: {exc}") from None
    return der


def build_dg15(public_key_info_der: bytes) -> bytes:
    return tlv.encode(DG_TAGS[15], public_key_info_der)
