"""The printable course sheet: the documents first, the answers on the last pages (A4, fpdf2).

DejaVu Sans is embedded so that Cyrillic names print; the images are the very files
given to trainees.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from fpdf import FPDF
from PIL import Image

from screening.samples import families
from screening.samples.catalogue import CONDITIONS
from screening.samples.defects import get as defect_spec
from screening.samples.fonts import font_path

def _condition_title(name: str) -> str:
    """A capture condition's title, or a full-page reader's (sets made with --lights)."""
    return CONDITIONS[name].title if name in CONDITIONS else families.get("reader", name).title


VERDICT_COLOURS = {"clear": (30, 120, 50), "review": (190, 120, 0), "alert": (190, 30, 30)}


def _printable(image: Image.Image, max_px: int = 1100) -> io.BytesIO:
    """The image as a JPEG small enough for a sheet printed at about 180 dpi."""
    image = image.convert("RGB")
    if max(image.size) > max_px:
        scale = max_px / max(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
    data = io.BytesIO()
    image.save(data, "JPEG", quality=62)
    data.seek(0)
    return data


def _pdf(today: dt.date) -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", font_path("dejavu_sans"))
    pdf.add_font("DejaVu", "B", font_path("dejavu_sans_bold"))
    pdf.add_font("DejaVuMono", "", font_path("dejavu_mono"))
    pdf.set_creation_date(dt.datetime(today.year, today.month, today.day, tzinfo=dt.timezone.utc))
    pdf.set_title("Document screening exercise")
    pdf.set_auto_page_break(True, margin=15)
    return pdf


def course_pdf(out: Path, entries: list[dict], options) -> Path:
    pdf = _pdf(options.today)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 18)
    pdf.cell(0, 12, "Document screening exercise", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, (
        f"{len(entries)} specimen documents (seed {options.seed}; verdicts as of {options.today:%d.%m.%Y}).\n"
        "For each document decide: CLEAR (nothing found), REVIEW (expired, specimen, needs a second look) or "
        "ALERT (evidence of altered or invalid data), and write down what you noticed. Check the MRZ check digits, "
        "the dates, the state codes, compare the MRZ with the printed page, and look at how the MRZ is printed.\n"
        "The answers are on the last pages. These are generated training specimens, not real documents."),
        new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 7, "Answer sheet", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for entry in entries:
        pdf.cell(0, 6.5, f"{entry['index']:3d}.  clear / review / alert   ____________________________________________",
                 new_x="LMARGIN", new_y="NEXT")

    # Two documents per page.
    slot_h = 128
    for i, entry in enumerate(entries):
        if i % 2 == 0:
            pdf.add_page()
        top = 15 + (i % 2) * (slot_h + 8)
        pdf.set_xy(15, top)
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 7, f"Document {entry['index']}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)
        pdf.set_x(15)
        pdf.cell(0, 5, f"{entry['format']} · {_condition_title(entry['condition'])}", new_x="LMARGIN", new_y="NEXT")
        with Image.open(out / entry["file"]) as image:
            printable = _printable(image)
        width_px, height_px = image.size
        box_w, box_h = 180, slot_h - 16
        scale = min(box_w / width_px, box_h / height_px)
        w, h = width_px * scale, height_px * scale
        pdf.image(printable, x=15 + (box_w - w) / 2, y=top + 14, w=w, h=h)

    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, "Answers", new_x="LMARGIN", new_y="NEXT")
    for entry in entries:
        verdict = entry["expected_verdict"]
        pdf.set_font("DejaVu", "B", 10)
        pdf.set_text_color(0, 0, 0)
        pdf.cell(30, 6, f"Document {entry['index']}")
        pdf.set_text_color(*VERDICT_COLOURS[verdict])
        pdf.cell(25, 6, verdict.upper())
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("DejaVu", "", 9)
        defects = ", ".join(defect_spec(d).title for d in entry["defects"]) or "no defect"
        pdf.cell(0, 6, defects, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVuMono", "", 7.5)
        for line in entry["mrz_lines"]:
            pdf.cell(0, 3.8, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 8.5)
        pdf.multi_cell(0, 4.4, entry["explanation"], new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.5)
    path = out / "course.pdf"
    pdf.output(str(path))
    return path
