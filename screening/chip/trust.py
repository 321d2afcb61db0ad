"""The trust store: the CSCA certificates, Document Signer certificates and CRLs a service has
imported, in one SQLite file kept with the kiosk's data.

Nothing is downloaded and nothing is shipped: the operator imports what the service has (the ICAO
master list, national master lists, ICAO PKD LDIF files, single certificates and CRLs). Each file
is imported in one transaction: a file that is damaged, of an unknown kind, or a master list whose
signature fails adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from asn1crypto import crl, pem, x509

from screening.chip.ldif import LdifError, read_ldif
from screening.chip.masterlist import (
    MasterListError, could_have_issued, is_master_list, issuing_csca, read_master_list,
)
from screening.chip.signatures import UnsupportedSignature, public_key_of, signed_by
from screening.chip.signed_data import ASN1_ERRORS
from screening.errors import ScreeningError

ENV_VAR = "SCREENING_TRUST_STORE"
STORE_NAME = "trust.sqlite"  # in the kiosk's data directory

CSCA, DSC, CRL = "csca", "dsc", "crl"
UNKNOWN_STATE = "??"  # a certificate without a country in its subject


class TrustStoreError(ScreeningError):
    """The store's file cannot be opened or is not a trust store (a folder, another file, no permission)."""

    code = "trust_store_unusable"


class TrustImportError(ScreeningError):
    """A file that was not imported at all; the message says why."""

    code = "trust_import_refused"


@dataclass(frozen=True)
class Item:
    """One certificate or CRL to store, with what is needed to find it again."""

    kind: str  # CSCA, DSC or CRL
    der: bytes
    state: str

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.der).hexdigest()


@dataclass(frozen=True)
class ImportReport:
    source: str
    file_format: str  # "master list", "LDIF", "certificate", "CRL", "PEM"
    added: dict[tuple[str, str], int]  # (kind, state) -> number of new certificates or CRLs
    duplicates: int  # already in the store, or twice in the file
    notes: tuple[str, ...] = ()  # about the file: the master-list signer's chain, records ignored

    @property
    def added_total(self) -> int:
        return sum(self.added.values())


@dataclass(frozen=True)
class StateCoverage:
    state: str  # the country code of the certificates' subjects (ISO 3166 alpha-2, as ICAO writes it)
    cscas: int
    dscs: int
    crl_next_update: dt.datetime | None  # of the newest CRL (the latest thisUpdate)
    csca_earliest_expiry: dt.datetime | None
    csca_latest_expiry: dt.datetime | None


def default_path() -> Path:
    """$SCREENING_TRUST_STORE, else ``trust.sqlite`` in the per-user data directory (as the watch list)."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "screening" / STORE_NAME


class TrustStore:
    """The imported trust material in one SQLite file (created on first use)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path))
            self._create_tables()
        except (OSError, sqlite3.Error) as error:
            raise TrustStoreError(f"the trust store {self.path} cannot be used: {error}") from None

    def _create_tables(self) -> None:
        with self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS certificates (fingerprint TEXT PRIMARY KEY, kind TEXT NOT NULL, "
                "state TEXT NOT NULL, subject TEXT NOT NULL, issuer TEXT NOT NULL, serial TEXT NOT NULL, "
                "key_id BLOB, not_after TEXT NOT NULL, der BLOB NOT NULL, source TEXT NOT NULL)")
            self._db.execute("CREATE INDEX IF NOT EXISTS certificates_subject ON certificates (kind, subject)")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS crls (fingerprint TEXT PRIMARY KEY, state TEXT NOT NULL, "
                "issuer TEXT NOT NULL, this_update TEXT NOT NULL, next_update TEXT, der BLOB NOT NULL, "
                "source TEXT NOT NULL)")

    @classmethod
    def in_data_dir(cls, data_dir: str | Path) -> "TrustStore":
        return cls(Path(data_dir) / STORE_NAME)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "TrustStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- importing ------------------------------------------------------------------------

    def import_file(self, path: str | Path) -> ImportReport:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise TrustImportError(f"{path}: cannot be read ({error.strerror or error})") from None
        return self.import_bytes(data, source=path.name)

    def import_bytes(self, data: bytes, source: str = "") -> ImportReport:
        file_format, items, notes = self._items_of(data)
        added: Counter[tuple[str, str]] = Counter()
        duplicates = 0
        with self._db:  # one transaction: every item of the file, or none
            for item in items:
                if self._insert(item, source):
                    added[(item.kind, item.state)] += 1
                else:
                    duplicates += 1
        return ImportReport(source, file_format, dict(added), duplicates, tuple(notes))

    def _items_of(self, data: bytes) -> tuple[str, list[Item], list[str]]:
        if not data.strip():
            raise TrustImportError("the file is empty")
        head = data.lstrip()[:64]
        if head.startswith(b"-----BEGIN"):
            return "PEM", _pem_items(data), []
        if head[:1] in (b"#", b"d", b"v", b"D", b"V"):  # dn:, version:, a comment: LDIF text
            return ("LDIF", *self._ldif_items(data))
        if data[:1] != b"\x30":
            raise TrustImportError("not a certificate, CRL, master list or LDIF file (it does not begin "
                                   "like any of them)")
        return self._der_items(data)

    def _der_items(self, data: bytes) -> tuple[str, list[Item], list[str]]:
        if is_master_list(data):
            items, notes = self._master_list_items(data, "the master list")
            return "master list", items, notes
        certificate = _certificate(data)
        if certificate is not None:
            return "certificate", [certificate_item(certificate)], []
        revocation = _crl(data)
        if revocation is not None:
            return "CRL", [crl_item(revocation)], []
        raise TrustImportError("a DER file that is neither a certificate, a CRL nor a CSCA master list "
                               "(or one cut short)")

    def _master_list_items(self, data: bytes, what: str) -> tuple[list[Item], list[str]]:
        try:
            master_list = read_master_list(data)
        except MasterListError as error:
            raise TrustImportError(f"{what} was refused: {error}") from None
        items = [Item(CSCA, c.dump(), state_of(c.subject)) for c in master_list.certificates]
        # The list's signature vouches for its bytes, so a CSCA failing its own signature was issued so:
        # kept (its key may still verify its Document Signers), and said.
        problems = [p for p in map(self_signature_problem, master_list.certificates) if p]
        signer = master_list.signer
        in_list = issuing_csca(signer, master_list.certificates)
        signer_name = name_text(signer.subject)
        if in_list is not None:
            note = f"{what} is signed by {signer_name}, issued by a CSCA in the list itself ({state_of(in_list.subject)})"
        elif (in_store := issuing_csca(signer, self.cscas_for(signer))) is not None:
            note = f"{what} is signed by {signer_name}, issued by a CSCA already in the store ({state_of(in_store.subject)})"
        else:
            note = (f"{what} is signed by {signer_name}, whose certificate chains to no CSCA in the list or "
                    f"the store: its CSCAs are trusted only as far as the file's origin is")
        return items, [note] + [f"{what}: {problem.replace(': it is damaged', '')} (imported as listed)"
                                for problem in problems]

    def _ldif_items(self, data: bytes) -> tuple[list[Item], list[str]]:
        try:
            records = read_ldif(data.decode("utf-8"))
        except UnicodeDecodeError:
            raise TrustImportError("the LDIF file is not UTF-8 text") from None
        except LdifError as error:
            raise TrustImportError(f"the LDIF file is damaged: {error}") from None
        items: list[Item] = []
        notes: list[str] = []
        ignored = Counter()
        for record in records:
            if record.changetype == "version":
                continue
            if record.changetype != "add":
                ignored[record.changetype] += 1  # delta files' deletions: an operator removes nothing blindly
                continue
            where = f"the LDIF record at line {record.line} ({record.dn[:80]})"
            for value in record.values("userCertificate;binary") + record.values("cACertificate;binary"):
                certificate = _certificate(_binary(value, where))
                if certificate is None:
                    raise TrustImportError(f"{where} holds a certificate that cannot be read")
                items.append(certificate_item(certificate))
            for value in record.values("certificateRevocationList;binary"):
                revocation = _crl(_binary(value, where))
                if revocation is None:
                    raise TrustImportError(f"{where} holds a CRL that cannot be read")
                items.append(crl_item(revocation))
            for value in record.values("pkdMasterListContent;binary") + record.values("pkdMasterListContent"):
                found, found_notes = self._master_list_items(_binary(value, where), f"the master list of {where}")
                items += found
                notes += found_notes
        for changetype, count in sorted(ignored.items()):
            notes.append(f"{count} '{changetype}' record(s) ignored: only additions are imported")
        if not items:
            raise TrustImportError("the LDIF file holds no certificate, CRL or master list")
        return items, notes

    def _insert(self, item: Item, source: str) -> bool:
        if item.kind == CRL:
            revocation = crl.CertificateList.load(item.der)
            next_update = revocation["tbs_cert_list"]["next_update"].native
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO crls VALUES (?, ?, ?, ?, ?, ?, ?)",
                (item.fingerprint, item.state, revocation.issuer.hashable,
                 revocation["tbs_cert_list"]["this_update"].native.isoformat(),
                 next_update.isoformat() if next_update else None, item.der, source))
        else:
            certificate = x509.Certificate.load(item.der)
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO certificates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (item.fingerprint, item.kind, item.state, certificate.subject.hashable,
                 certificate.issuer.hashable, format(certificate.serial_number, "x"), certificate.key_identifier,
                 certificate["tbs_certificate"]["validity"]["not_after"].native.isoformat(), item.der, source))
        return cursor.rowcount == 1

    # --- looking up ------------------------------------------------------------------------

    def cscas_for(self, certificate) -> list[x509.Certificate]:
        """The CSCA certificates (link certificates included) that could have issued ``certificate``
        (a certificate or a CRL): by its authority key identifier, else by its issuer's name."""
        authority_key = certificate.authority_key_identifier
        rows = self._db.execute(
            "SELECT der FROM certificates WHERE kind = ? AND (subject = ? OR key_id = ?)",
            (CSCA, certificate.issuer.hashable, authority_key)).fetchall()
        found = [x509.Certificate.load(der) for (der,) in rows]
        return [c for c in found if could_have_issued(c, certificate)]

    def document_signer(self, issuer: x509.Name | None, serial_number: int | None,
                        key_identifier: bytes | None) -> x509.Certificate | None:
        """A Document Signer certificate from the store (for SODs that do not carry theirs)."""
        if key_identifier is not None:
            row = self._db.execute("SELECT der FROM certificates WHERE kind = ? AND key_id = ?",
                                   (DSC, key_identifier)).fetchone()
        elif issuer is not None and serial_number is not None:
            row = self._db.execute("SELECT der FROM certificates WHERE kind = ? AND issuer = ? AND serial = ?",
                                   (DSC, issuer.hashable, format(serial_number, "x"))).fetchone()
        else:
            row = None
        return x509.Certificate.load(row[0]) if row else None

    def crls_by(self, issuer: x509.Name) -> list[crl.CertificateList]:
        """The CRLs issued under ``issuer``'s name, newest first."""
        rows = self._db.execute("SELECT der FROM crls WHERE issuer = ? ORDER BY this_update DESC",
                                (issuer.hashable,)).fetchall()
        return [crl.CertificateList.load(der) for (der,) in rows]

    def coverage(self) -> list[StateCoverage]:
        """Per issuing state: how many CSCAs and DSCs, the newest CRL's next update, CSCA expiries."""
        states: dict[str, dict] = {}
        for state, kind, count, earliest, latest in self._db.execute(
                "SELECT state, kind, COUNT(*), MIN(not_after), MAX(not_after) FROM certificates "
                "GROUP BY state, kind"):
            entry = states.setdefault(state, {"cscas": 0, "dscs": 0, "earliest": None, "latest": None})
            if kind == CSCA:
                entry.update(cscas=count, earliest=_when(earliest), latest=_when(latest))
            else:
                entry["dscs"] = count
        newest_crl = {}
        for state, next_update in self._db.execute(
                "SELECT state, next_update FROM crls c WHERE this_update = "
                "(SELECT MAX(this_update) FROM crls WHERE state = c.state)"):
            newest_crl[state] = _when(next_update)
        for state in newest_crl:
            states.setdefault(state, {"cscas": 0, "dscs": 0, "earliest": None, "latest": None})
        return [StateCoverage(state, e["cscas"], e["dscs"], newest_crl.get(state), e["earliest"], e["latest"])
                for state, e in sorted(states.items())]


def certificate_item(certificate: x509.Certificate) -> Item:
    """A CA certificate is a CSCA (or a CSCA link certificate); any other is a Document Signer.

    A self-signed CSCA whose signature fails is refused: its bytes were damaged, and a damaged key
    would make every genuine chip of its state fail the chain."""
    if certificate.ca:
        problem = self_signature_problem(certificate)
        if problem:
            raise TrustImportError(problem)
    return Item(CSCA if certificate.ca else DSC, certificate.dump(), state_of(certificate.subject))


def self_signature_problem(certificate: x509.Certificate) -> str | None:
    """Why a self-signed certificate's signature fails, or None (also when not self-signed, or when
    the algorithm cannot be checked here: the chain check will say so)."""
    if certificate.subject != certificate.issuer:
        return None  # a link certificate: signed by the previous CSCA, checked when used
    try:
        if signed_by(certificate, public_key_of(certificate)):
            return None
    except UnsupportedSignature:
        return None
    return f"the CSCA certificate {name_text(certificate.subject)} does not verify with its own key: it is damaged"


def crl_item(revocation: crl.CertificateList) -> Item:
    return Item(CRL, revocation.dump(), state_of(revocation.issuer))


def name_text(name: x509.Name) -> str:
    """A certificate name as officers and operators read it: its common name and country."""
    try:
        parts = name.native
    except ASN1_ERRORS:
        return "(unreadable name)"
    common = parts.get("common_name") or parts.get("organization_name") or parts.get("organizational_unit_name")
    if isinstance(common, list):  # a name may repeat an attribute
        common = common[-1]
    return f"{common} ({state_of(name)})" if common else name.human_friendly


def state_of(name: x509.Name) -> str:
    """The country (C) of a certificate name, upper case, or UNKNOWN_STATE."""
    try:
        country = name.native.get("country_name")
    except ASN1_ERRORS:
        return UNKNOWN_STATE
    return country.strip().upper() if isinstance(country, str) and country.strip() else UNKNOWN_STATE


def _certificate(data: bytes) -> x509.Certificate | None:
    try:
        certificate = x509.Certificate.load(data, strict=True)
        certificate.native  # parse all of it: lazily parsed parts hide damage until used
        certificate.key_identifier, certificate.authority_key_identifier, certificate.ca
    except ASN1_ERRORS:
        return None
    return certificate


def _crl(data: bytes) -> crl.CertificateList | None:
    try:
        revocation = crl.CertificateList.load(data, strict=True)
        revocation.native
        revocation.authority_key_identifier
    except ASN1_ERRORS:
        return None
    return revocation


def _pem_items(data: bytes) -> list[Item]:
    items = []
    try:
        blocks = list(pem.unarmor(data, multiple=True))
    except ASN1_ERRORS as error:
        raise TrustImportError(f"the PEM file is damaged ({str(error)[:160]})") from None
    for kind, _headers, der in blocks:
        if kind in ("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"):
            certificate = _certificate(der)
            if certificate is None:
                raise TrustImportError(f"a PEM {kind} block does not hold a readable certificate")
            items.append(certificate_item(certificate))
        elif kind in ("X509 CRL", "CRL"):
            revocation = _crl(der)
            if revocation is None:
                raise TrustImportError(f"a PEM {kind} block does not hold a readable CRL")
            items.append(crl_item(revocation))
        else:
            raise TrustImportError(f"a PEM {kind} block: only certificates and CRLs are imported from PEM")
    if not items:
        raise TrustImportError("the PEM file holds no block")
    return items


def _binary(value: bytes | str, where: str) -> bytes:
    if isinstance(value, str):
        raise TrustImportError(f"{where} has a binary attribute written as text, not base64")
    return value


def _when(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def open_existing(path: str | Path | None = None) -> TrustStore | None:
    """The store at ``path`` (default: default_path()) if it exists, else None (nothing is created)."""
    path = Path(path) if path else default_path()
    return TrustStore(path) if path.is_file() else None


def describe_counts(added: dict[tuple[str, str], int]) -> Iterable[str]:
    """"3 CSCA (DE 2, FR 1)" for each kind, for reports."""
    for kind in (CSCA, DSC, CRL):
        per_state = {state: n for (k, state), n in added.items() if k == kind}
        if per_state:
            states = ", ".join(f"{state} {n}" for state, n in sorted(per_state.items()))
            yield f"{sum(per_state.values())} {kind.upper()} ({states})"
