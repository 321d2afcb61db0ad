"""A test eMRTD PKI made at test time (no key is committed): CSCAs, Document Signers, CRLs, master
lists, SODs and PKD-style LDIF files, as an issuing state and the ICAO PKD would make them.

Keys come from ``cryptography``; the CMS structures are assembled with ``asn1crypto`` and signed
with ``cryptography``. Reusable with a software card: ``make_sod(dgs, signer)`` gives EF.SOD for any
data groups.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import lru_cache

from asn1crypto import algos, cms, core, x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

TODAY = dt.date(2026, 11, 23)
_NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)
YEAR = dt.timedelta(days=365)

LDS_SECURITY_OBJECT = "2.23.136.1.1.1"
CSCA_MASTER_LIST = "2.23.136.1.1.2"
_HASHES = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
           "sha384": hashes.SHA384, "sha512": hashes.SHA512}
_CURVES = {"p256": ec.SECP256R1, "brainpool256": ec.BrainpoolP256R1, "brainpool384": ec.BrainpoolP384R1}


@dataclass(frozen=True)
class Authority:
    """A key and its certificate: a CSCA, a Document Signer or a master-list signer."""

    key: object  # a cryptography private key
    certificate: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def serial(self) -> int:
        return self.certificate.serial_number


@lru_cache(maxsize=None)
def _rsa_key(size: int, index: int):
    # Cached by (size, index): RSA key generation is slow, and a test session needs only a few.
    return rsa.generate_private_key(public_exponent=65537, key_size=size)


def new_key(kind: str, index: int = 0):
    """``rsa2048``/``rsa3072`` or an EC curve name of _CURVES; ``index`` tells cached RSA keys apart."""
    if kind.startswith("rsa"):
        return _rsa_key(int(kind[3:]), index)
    return ec.generate_private_key(_CURVES[kind]())


def _name(country: str, common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, country),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"Test state {country}"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _sign_hash(key) -> hashes.HashAlgorithm:
    return hashes.SHA256()


def make_csca(country: str = "UT", key_kind: str = "p256", *, common_name: str | None = None,
              not_before: dt.datetime | None = None, not_after: dt.datetime | None = None,
              key=None, signed_by: Authority | None = None, serial: int | None = None) -> Authority:
    """A CSCA certificate: self-signed, or a link certificate when ``signed_by`` is the old CSCA."""
    key = key or new_key(key_kind, index=hash((country, common_name)) % 1000)
    name = _name(country, common_name or f"CSCA {country}")
    issuer_key = signed_by.key if signed_by else key
    issuer_name = signed_by.certificate.subject if signed_by else name
    public = key.public_key()
    builder = (x509.CertificateBuilder()
               .subject_name(name).issuer_name(issuer_name).public_key(public)
               .serial_number(serial or x509.random_serial_number())
               .not_valid_before(not_before or _NOW - 2 * YEAR)
               .not_valid_after(not_after or _NOW + 13 * YEAR)
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
               .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False))
    issuer_public = issuer_key.public_key()
    builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False)
    return Authority(key, builder.sign(issuer_key, _sign_hash(issuer_key)))


def make_signer(csca: Authority, key_kind: str = "p256", *, common_name: str = "Document Signer",
                not_before: dt.datetime | None = None, not_after: dt.datetime | None = None,
                serial: int | None = None, rsa_pss: bool = False, index: int = 1,
                authority_key_of: Authority | None = None) -> Authority:
    """A Document Signer (or a master-list signer) certificate issued by ``csca``.

    ``authority_key_of`` writes another CSCA's key identifier as the authority key (a forgery)."""
    key = new_key(key_kind, index=index)
    public = key.public_key()
    country = csca.certificate.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value
    builder = (x509.CertificateBuilder()
               .subject_name(_name(country, common_name)).issuer_name(csca.certificate.subject)
               .public_key(public).serial_number(serial or x509.random_serial_number())
               .not_valid_before(not_before or _NOW - YEAR / 4)
               .not_valid_after(not_after or _NOW + 10 * YEAR)
               .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   (authority_key_of or csca).key.public_key()), critical=False))
    if rsa_pss:
        certificate = builder.sign(csca.key, hashes.SHA256(),
                                   rsa_padding=padding.PSS(padding.MGF1(hashes.SHA256()), 32))
    else:
        certificate = builder.sign(csca.key, _sign_hash(csca.key))
    return Authority(key, certificate)


def make_crl(csca: Authority, revoked: tuple[int, ...] = (), *, this_update: dt.datetime | None = None,
             next_update: dt.datetime | None = None, signing_key=None) -> bytes:
    """A DER CRL by ``csca`` revoking the certificate serial numbers ``revoked``."""
    builder = (x509.CertificateRevocationListBuilder()
               .issuer_name(csca.certificate.subject)
               .last_update(this_update or _NOW - dt.timedelta(days=10))
               .next_update(next_update or _NOW + dt.timedelta(days=80))
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(csca.key.public_key()),
                              critical=False)
               .add_extension(x509.CRLNumber(1), critical=False))
    for serial in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial)
            .revocation_date(_NOW - dt.timedelta(days=30)).build())
    key = signing_key or csca.key
    return builder.sign(key, _sign_hash(key)).public_bytes(serialization.Encoding.DER)


# --- CMS SignedData, assembled with asn1crypto and signed with cryptography ---------------------

def _signature_algorithm(key, hash_name: str, rsa_pss: bool,
                         key_type_only: bool = False) -> tuple[algos.SignedDigestAlgorithm, object]:
    """The AlgorithmIdentifier and the cryptography arguments to sign with ``key``.

    ``key_type_only`` names only the key type (rsaEncryption, id-ecPublicKey), as many SODs do."""
    if isinstance(key, ec.EllipticCurvePrivateKey):
        name = "1.2.840.10045.2.1" if key_type_only else f"{hash_name}_ecdsa"
        return algos.SignedDigestAlgorithm({"algorithm": name}), ec.ECDSA(_HASHES[hash_name]())
    if key_type_only:
        return (algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"}),
                (padding.PKCS1v15(), _HASHES[hash_name]()))
    if rsa_pss:
        salt = _HASHES[hash_name].digest_size
        params = algos.RSASSAPSSParams({
            "hash_algorithm": {"algorithm": hash_name},
            "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": hash_name}},
            "salt_length": salt,
            "trailer_field": "trailer_field_bc",
        })
        pad = padding.PSS(padding.MGF1(_HASHES[hash_name]()), salt)
        return algos.SignedDigestAlgorithm({"algorithm": "rsassa_pss", "parameters": params}), (pad, _HASHES[hash_name]())
    return algos.SignedDigestAlgorithm({"algorithm": f"{hash_name}_rsa"}), (padding.PKCS1v15(), _HASHES[hash_name]())


def _sign(key, data: bytes, how) -> bytes:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, how)
    pad, digest = how
    return key.sign(data, pad, digest)


def signed_data(content_type: str, content: bytes, signer: Authority, *, hash_name: str = "sha256",
                rsa_pss: bool = False, extra_certificates: tuple[bytes, ...] = (), include_certificate: bool = True,
                signed_attributes: bool = True, signing_time: dt.datetime | None = None,
                message_digest: bytes | None = None, key_type_only: bool = False) -> bytes:
    """A DER ContentInfo with a SignedData over ``content`` signed by ``signer``.

    ``message_digest`` replaces the true one in the signed attributes (to test a mismatch)."""
    digest = message_digest if message_digest is not None else hashlib.new(hash_name, content).digest()
    algorithm, how = _signature_algorithm(signer.key, hash_name, rsa_pss, key_type_only)
    signer_certificate = asn1_x509.Certificate.load(signer.der)
    info = {
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber({
            "issuer": signer_certificate.issuer, "serial_number": signer_certificate.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": hash_name}),
        "signature_algorithm": algorithm,
    }
    if signed_attributes:
        attributes = cms.CMSAttributes([
            cms.CMSAttribute({"type": "content_type", "values": [cms.ContentType(content_type)]}),
            cms.CMSAttribute({"type": "signing_time",
                              "values": [cms.Time({"utc_time": signing_time or _NOW - dt.timedelta(days=20)})]}),
            cms.CMSAttribute({"type": "message_digest", "values": [digest]}),
        ])
        info["signed_attrs"] = attributes
        info["signature"] = _sign(signer.key, attributes.dump(), how)
    else:
        info["signature"] = _sign(signer.key, content, how)
    certificates = [asn1_x509.Certificate.load(der) for der in extra_certificates]
    if include_certificate:
        certificates.insert(0, signer_certificate)
    signed = cms.SignedData({
        "version": "v3",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": hash_name})],
        "encap_content_info": {"content_type": content_type, "content": core.ParsableOctetString(content)},
        "certificates": certificates or None,
        "signer_infos": [cms.SignerInfo(info)],
    })
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()


# --- EF.SOD -----------------------------------------------------------------------------------

class _DataGroupHash(core.Sequence):
    _fields = [("data_group_number", core.Integer), ("data_group_hash_value", core.OctetString)]


class _DataGroupHashValues(core.SequenceOf):
    _child_spec = _DataGroupHash


class _LDSSecurityObject(core.Sequence):
    # Written out again here rather than imported, so that the tests check the parser against an
    # independent statement of Doc 9303 Part 10's structure.
    _fields = [("version", core.Integer), ("hash_algorithm", algos.DigestAlgorithm),
               ("data_group_hash_values", _DataGroupHashValues)]


def make_sod(dgs: dict[int, bytes], signer: Authority, hash: str = "sha256", *, rsa_pss: bool = False,
             signature_hash: str | None = None, **cms_options) -> bytes:
    """EF.SOD (tag 0x77) over the data groups ``dgs`` (number -> the file's bytes), signed by ``signer``.

    ``hash`` hashes the data groups; ``signature_hash`` (default the same) the signature."""
    security_object = _LDSSecurityObject({
        "version": 0,
        "hash_algorithm": {"algorithm": hash},
        "data_group_hash_values": [{"data_group_number": n, "data_group_hash_value": hashlib.new(hash, data).digest()}
                                   for n, data in sorted(dgs.items())],
    }).dump()
    content_info = signed_data(LDS_SECURITY_OBJECT, security_object, signer,
                               hash_name=signature_hash or hash, rsa_pss=rsa_pss, **cms_options)
    return _tlv(0x77, content_info)


def _tlv(tag: int, value: bytes) -> bytes:
    # The application tag around the ContentInfo, with asn1crypto writing the length.
    return core.Asn1Value(class_="application", tag=tag & 0x1F, method="constructed", contents=value).dump()


def make_dg1(mrz: str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10") -> bytes:
    """DG1 as on the chip: tag 0x61 around 0x5F1F with the MRZ characters."""
    inner = core.Asn1Value(class_="application", tag=31, method="primitive", contents=mrz.encode("ascii")).dump()
    return _tlv(0x61, inner)


def sample_data_groups() -> dict[int, bytes]:
    """DG1 and a stand-in DG2 (contents do not matter to passive authentication, only their hashes)."""
    return {1: make_dg1(), 2: _tlv(0x75, b"\x7f\x61\x03\x02\x01\x01" + bytes(range(200)))}


# --- Master lists -----------------------------------------------------------------------------

class _CertificateSet(core.SetOf):
    _child_spec = asn1_x509.Certificate


class _CscaMasterList(core.Sequence):
    _fields = [("version", core.Integer), ("cert_list", _CertificateSet)]


def make_master_list(cscas: list[bytes], signer: Authority, *, extra_certificates: tuple[bytes, ...] = (),
                     **cms_options) -> bytes:
    """A CSCA master list (Doc 9303 Part 12, 9): SignedData over CscaMasterList signed by ``signer``."""
    content = _CscaMasterList({"version": 0,
                               "cert_list": [asn1_x509.Certificate.load(der) for der in cscas]}).dump()
    return signed_data(CSCA_MASTER_LIST, content, signer, extra_certificates=extra_certificates, **cms_options)


def tamper(data: bytes, index: int = -1) -> bytes:
    """``data`` with one bit flipped at ``index`` (the last byte: inside the signature of a SignedData)."""
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


# --- LDIF as the ICAO PKD writes it --------------------------------------------------------------

def ldif_entry(dn: str, attributes: list[tuple[str, bytes | str]]) -> str:
    """One LDIF record; binary values base64 (``name::``), every line folded at 76 characters."""
    lines = [f"dn: {dn}"]
    for name, value in attributes:
        if isinstance(value, bytes):
            lines.append(f"{name}:: {base64.b64encode(value).decode('ascii')}")
        else:
            lines.append(f"{name}: {value}")
    return "".join(_fold(line) for line in lines) + "\n"


def _fold(line: str, width: int = 76) -> str:
    # RFC 2849: a long line continues on lines that begin with one space.
    parts = [line[:width]] + [" " + line[i:i + width - 1] for i in range(width, len(line), width - 1)]
    return "\n".join(parts) + "\n"


def pkd_ldif(*, dscs: tuple[tuple[str, bytes], ...] = (), crls: tuple[tuple[str, bytes], ...] = (),
             master_lists: tuple[tuple[str, bytes], ...] = ()) -> str:
    """An LDIF file in the shape of the ICAO PKD downloads: (country, DER) for each DSC, CRL, master list."""
    records = ["version: 1\n\n"]
    base = "dc=data,dc=download,dc=pkd,dc=icao,dc=int"
    for index, (country, der) in enumerate(dscs):
        records.append(ldif_entry(f"cn=DSC {index}+sn={index:04x},o=dsc,c={country},{base}",
                                  [("objectClass", "inetOrgPerson"), ("objectClass", "pkdDownload"),
                                   ("cn", f"DSC {index}"), ("sn", f"{index:04x}"),
                                   ("userCertificate;binary", der)]))
    for country, der in crls:
        records.append(ldif_entry(f"cn=CRL {country},o=crl,c={country},{base}",
                                  [("objectClass", "cRLDistributionPoint"), ("objectClass", "pkdDownload"),
                                   ("cn", f"CRL {country}"), ("certificateRevocationList;binary", der)]))
    for country, der in master_lists:
        records.append(ldif_entry(f"cn=ML {country},o=ml,c={country},{base}",
                                  [("objectClass", "pkdMasterList"), ("objectClass", "pkdDownload"),
                                   ("cn", f"ML {country}"), ("pkdMasterListContent;binary", der)]))
    return "\n".join(records)


@dataclass(frozen=True)
class TestPki:
    """One genuine state (UT, ECDSA), one with RSA (UR), one the store does not know (ZZ)."""

    csca: Authority
    signer: Authority
    revoked_signer: Authority
    crl: bytes
    rsa_csca: Authority
    rsa_signer: Authority
    unknown_csca: Authority
    unknown_signer: Authority
    ml_signer: Authority
    master_list: bytes


def build_test_pki() -> TestPki:
    csca = make_csca("UT", "p256")
    signer = make_signer(csca, "p256", common_name="Document Signer 1")
    revoked = make_signer(csca, "p256", common_name="Document Signer 2")
    crl = make_crl(csca, (revoked.serial,))
    rsa_csca = make_csca("UR", "rsa3072")
    rsa_signer = make_signer(rsa_csca, "rsa2048", common_name="Document Signer RSA")
    unknown_csca = make_csca("ZZ", "brainpool256")
    unknown_signer = make_signer(unknown_csca, "brainpool256")
    ml_signer = make_signer(csca, "p256", common_name="Master List Signer")
    master_list = make_master_list([csca.der, rsa_csca.der], ml_signer)
    return TestPki(csca, signer, revoked, crl, rsa_csca, rsa_signer, unknown_csca, unknown_signer, ml_signer,
                   master_list)
