"""`screening doctor`: is everything the toolkit needs on this computer, and if not, what to do.

One check per thing needed, each a ``Finding``: the recogniser's model, Tesseract (the visual
zone's reader) with the language data it reads labels in, the fonts (OCR-B for the print checks,
the generator's faces for training sets), the chip reader's pyscard (optional), and write access
to the kiosk's data folder. The kiosk runs the same checks at start and refuses to serve when a
required one fails: a kiosk that cannot read images, or compares no printed field, would still
give verdicts, and wrong ones.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

OK, MISSING, OPTIONAL = "ok", "missing", "optional"
# The languages Tesseract reads the visual zone in: the MRZ's English fields and the labels
# (screening.viz.LABEL_LANGUAGES, "eng+rus", and its Russian second reading).
TESSERACT_LANGUAGES = ("eng", "rus")
# The issuers' own Cyrillic models (screening.viz.NATIONAL_CYRILLIC): optional, a name in Kazakh,
# Kyrgyz, Tajik, Ukrainian or Uzbek letters is otherwise read with Russian's model alone (a
# difference it cannot read is then a review, never a pass it did not earn).
NATIONAL_LANGUAGES = ("kaz", "kir", "tgk", "ukr", "uzb_cyrl")
TESSERACT_PACKAGES = {"eng": "tesseract-ocr-eng", "rus": "tesseract-ocr-rus", "kaz": "tesseract-ocr-kaz",
                      "kir": "tesseract-ocr-kir", "tgk": "tesseract-ocr-tgk", "ukr": "tesseract-ocr-ukr",
                      "uzb_cyrl": "tesseract-ocr-uzb-cyrl"}


@dataclass(frozen=True)
class Finding:
    """One thing the toolkit needs: whether it is there, and the fix when it is not."""

    name: str
    status: str  # OK, MISSING (required and absent: the kiosk refuses), OPTIONAL (absent, not needed)
    detail: str  # what was found, or what is wrong
    fix: str = ""

    @property
    def failed(self) -> bool:
        return self.status == MISSING

    def line(self) -> str:
        mark = {OK: "ok     ", MISSING: "MISSING", OPTIONAL: "-      "}[self.status]
        fix = f"\n          fix: {self.fix}" if self.fix else ""
        return f"{mark} {self.name}: {self.detail}{fix}"


def diagnose(data_dir: Path | None = None) -> list[Finding]:
    """Every check, in the order they are reported; ``data_dir``: the kiosk's ``--data`` folder."""
    findings = [check_model(), check_viz_model(), *check_tesseract(), check_ocrb_font(), check_generator_fonts(), check_pyscard()]
    if data_dir is not None:
        findings.append(check_data_dir(Path(data_dir)))
    return findings


def check_model() -> Finding:
    from screening.mrz import recognize

    return _model_finding("recogniser model", recognize, "screening/mrz/models/ocrb.onnx", "tools/train_ocrb.py")


def check_viz_model() -> Finding:
    from screening import viz_ocr

    return _model_finding("visual zone line model", viz_ocr, "screening/models/vizline.onnx", "tools/train_viz.py")


def _model_finding(name: str, module, shipped: str, trainer: str) -> Finding:
    """Whether ``module``'s network (its check_model, ModelMissingError and MODEL_PATH) loads."""
    try:
        module.check_model()
    except module.ModelMissingError as error:
        return Finding(name, MISSING, error.message,
                       "reinstall the package from its wheel (pip install --force-reinstall --no-deps "
                       f"screening-*.whl): the wheel holds {shipped}; in a source checkout, "
                       f"git checkout the file or retrain it with {trainer}")
    return Finding(name, OK, f"{module.MODEL_PATH} loads")


def check_tesseract() -> list[Finding]:
    """tesserocr (Tesseract's library, the visual zone's reader), each language's data, and the
    tesseract program (for --engine tesseract, and the slower fallback without tesserocr)."""
    from screening import tesseract

    findings = []
    program = _tesseract_program()
    library = _tesserocr_loads()
    if library:
        findings.append(Finding("tesserocr (Tesseract library)", OK, f"version {_version('tesserocr')}"))
    else:
        findings.append(Finding(
            "tesserocr (Tesseract library)", OK if program else MISSING,
            "not installed: the visual zone is read through the tesseract program, one process per line (slower)"
            if program else "not installed, and no tesseract program either: no printed field can be compared",
            "" if program else "pip install tesserocr (or install Tesseract itself: see the tesseract line below)"))
    findings.append(Finding("tesseract program", OK, f"version {program}") if program else Finding(
        "tesseract program", OPTIONAL if library else MISSING,
        "not found on PATH (needed only for --engine tesseract)" if library else "not found on PATH",
        _install_tesseract()))
    for language in TESSERACT_LANGUAGES:
        findings.append(_check_language(tesseract, language, library, program))
    for language in NATIONAL_LANGUAGES:
        found = _check_language(tesseract, language, library, program)
        findings.append(found if not found.failed else Finding(found.name, OPTIONAL, found.detail + " (optional: "
                                                               "names in this alphabet are read with Russian's model)",
                                                               found.fix))
    return findings


def _tesserocr_loads() -> bool:
    try:
        import tesserocr  # noqa: F401  (a wheel without its libtesseract fails here, not at find_spec)
    except ImportError:
        return False
    return True


def _tesseract_program() -> str | None:
    from screening import tesseract

    try:
        return tesseract.version()
    except tesseract.TesseractMissingError:
        return None


def _check_language(tesseract, language: str, library: bool, program: str | None) -> Finding:
    name = f"Tesseract language data {language}"
    fix = (f"on Debian/Ubuntu: apt-get install {TESSERACT_PACKAGES[language]}; elsewhere put {language}.traineddata "
           f"(from github.com/tesseract-ocr/tessdata_fast) into Tesseract's tessdata folder, or into a folder "
           f"named by TESSDATA_PREFIX")
    if library:
        try:
            tesseract._api(language)
        except tesseract.TesseractMissingError as error:
            return Finding(name, MISSING, error.message, fix)
        return Finding(name, OK, f"loads ({tesseract._tessdata() or 'Tesseract default folder'})")
    if program:
        import pytesseract

        try:
            languages = set(pytesseract.get_languages())
        except (pytesseract.TesseractError, OSError) as error:
            return Finding(name, MISSING, f"tesseract --list-langs failed: {error}", fix)
        if language in languages:
            return Finding(name, OK, "listed by tesseract --list-langs")
        return Finding(name, MISSING, "not listed by tesseract --list-langs", fix)
    return Finding(name, MISSING, "no Tesseract to load it", fix)


def _install_tesseract() -> str:
    if sys.platform == "win32":
        return ("install Tesseract 5 (the UB Mannheim build for Windows) with English and Russian data, and add its "
                "folder to PATH")
    return "on Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus (or make)"


def check_ocrb_font() -> Finding:
    from screening import fonts

    try:
        path = fonts.font_path("ocrb")
    except fonts.FontMissing as error:
        return Finding("OCR-B font", MISSING, error.message,
                       "reinstall the package: its wheel holds screening/data/fonts/OCRB.otf")
    return Finding("OCR-B font", OK, f"{path} (the print checks compare MRZ glyphs with it)")


def check_generator_fonts() -> Finding:
    """The specimen generator's faces: needed only to make training sets (`screening samples generate`)."""
    from screening import fonts

    missing = fonts.missing_faces(face for face in fonts.FACES if face != "ocrb")
    if not missing:
        return Finding("specimen generator fonts", OK, f"all {len(fonts.FACES) - 1} faces found")
    files = sorted({fonts.FACES[face][0][0] for face in missing})
    packages = sorted({fonts.FACES[face][1] for face in missing})
    return Finding("specimen generator fonts", OPTIONAL,
                   f"missing {', '.join(files)} (needed only by `screening samples generate`)",
                   f"on Debian/Ubuntu install {', '.join(packages)}; elsewhere copy these files into a folder and "
                   f"name it in the SCREENING_FONTS environment variable")


def check_pyscard() -> Finding:
    """pyscard reads the chip of an e-passport through a PC/SC reader (the chip extra); optional."""
    if importlib.util.find_spec("smartcard") is None:
        return Finding("chip reading (pyscard)", OPTIONAL, "not installed (optional)")
    return Finding("chip reading (pyscard)", OK, f"version {_version('pyscard')}")


def check_data_dir(folder: Path) -> Finding:
    """The kiosk's data folder, or where it will be made, takes a file written and removed."""
    name = f"data folder {folder}"
    if folder.exists() and not folder.is_dir():
        return Finding(name, MISSING, "is a file, not a folder", "give --data a folder (it is made when missing)")
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        with tempfile.NamedTemporaryFile(dir=existing, prefix=".screening-doctor-"):
            pass
    except OSError as error:
        account = _account()
        return Finding(name, MISSING, f"cannot write into {existing}: {error.strerror}",
                       f"give the account the kiosk runs as ({account}) write access to {existing} "
                       f"(Linux: chown {account} {existing}; Windows: icacls \"{existing}\" /grant {account}:M), "
                       f"or choose another --data")
    what = "writable" if existing == folder else f"does not exist yet; {existing} is writable, so it can be made"
    return Finding(name, OK, what)


def _account() -> str:
    try:
        import getpass

        return getpass.getuser()
    except (KeyError, OSError):  # no name for this user id (a container)
        return str(os.getuid()) if hasattr(os, "getuid") else "the kiosk's account"


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def failures(findings: Iterable[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.failed]


def report(findings: list[Finding]) -> str:
    lines = [finding.line() for finding in findings]
    bad = failures(findings)
    lines.append(f"{len(bad)} required thing{'s' if len(bad) != 1 else ''} missing: the kiosk will not start"
                 if bad else "everything required is here")
    return "\n".join(lines)


__all__ = ["Finding", "check_data_dir", "diagnose", "failures", "report"]
