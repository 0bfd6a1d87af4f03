"""The « Pièce n° X » stamp of the filing packet never covers the exhibit: it sits in a band
added above the page, on no background, and the exhibit's text stays extractable."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject

from actes.documents.packet import STAMP_BAND, stamp_exhibit_page

Box = tuple[float, float, float, float]

# Lines of text running into the top-right corner of an A4 page (595 × 842 points).
CORNER_LINES = [
    (250.0, 834.0, "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
    (250.0, 820.0, "FACTURE 2026-301 ECHEANCE 15/09/2026 TOTAL"),
    (
        40.0,
        806.0,
        "Imprimerie Garonne SAS - 21 allee Jean Jaures, 31000 Toulouse - SIREN 445 903 123",
    ),
]


def _exhibit(rotation: int = 0) -> bytes:
    """A one-page PDF: text up to the top-right corner and a black block in that corner."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    ops = [b"0 0 0 rg 560 800 35 42 re f"]
    for x, y, text in CORNER_LINES:
        ops.append(f"BT /F1 10 Tf {x} {y} Td ({text}) Tj ET".encode())
    stream = ContentStream(None, writer)
    stream.set_data(b"\n".join(ops))
    page.replace_contents(stream)
    if rotation:
        page.rotate(rotation)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _runs(page: PageObject) -> list[tuple[str, float, float, float]]:
    """Text runs as (text, x, y, font size) in page coordinates."""
    found: list[tuple[str, float, float, float]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (cm[0] ** 2 + cm[1] ** 2) ** 0.5 * (tm[0] ** 2 + tm[1] ** 2) ** 0.5
        found.append((text, x, y, size * scale))

    page.extract_text(visitor_text=visit)
    return found


def _text_box(x: float, y: float, size: float, text: str) -> Box:
    # Generous: every glyph as wide as the font size, descent and ascent included.
    return (x, y - 0.3 * size, x + len(text) * size, y + size)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _stamped(data: bytes, label: str = "Pièce n° 7") -> tuple[PageObject, Box, bytes]:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(data)))
    frame = stamp_exhibit_page(writer.pages[0], label)
    out = io.BytesIO()
    writer.write(out)
    raw = out.getvalue()
    return PdfReader(io.BytesIO(raw)).pages[0], frame, raw


def test_stamp_leaves_the_exhibit_text_uncovered_and_extractable() -> None:
    original = PdfReader(io.BytesIO(_exhibit())).pages[0]
    boxes = [_text_box(x, y, size, text) for text, x, y, size in _runs(original)]
    assert len(boxes) == len(CORNER_LINES)
    # The black block of the exhibit, top right.
    boxes.append((560.0, 800.0, 595.0, 842.0))

    page, frame, _ = _stamped(_exhibit())
    text = page.extract_text()
    for _, _, line in CORNER_LINES:
        assert line in text
    assert "Pièce n° 7" in text
    for box in boxes:
        assert not _overlap(frame, box), (frame, box)
    # The stamp is inside the visible page, in the band above the former top edge.
    crop = page.cropbox
    assert float(crop.top) == 842 + STAMP_BAND
    assert float(crop.left) <= frame[0] and frame[2] <= float(crop.right)
    assert frame[1] >= 842 and frame[3] <= float(crop.top)
    # The label's own text sits in that frame.
    (stamp,) = [(x, y) for t, x, y, _ in _runs(page) if "Pièce" in t]
    assert frame[0] <= stamp[0] <= frame[2] and frame[1] <= stamp[1] <= frame[3]
    # And it is the exhibit's text that stays at its place.
    for (t1, x1, y1, _), (t2, x2, y2, _) in zip(
        _runs(original), [r for r in _runs(page) if "Pièce" not in r[0]], strict=True
    ):
        assert (t1, round(x1, 2), round(y1, 2)) == (t2, round(x2, 2), round(y2, 2))


def test_stamp_has_no_background() -> None:
    page, _, _ = _stamped(_exhibit())
    operations = ContentStream(page.get_contents(), page.pdf).operations
    # The exhibit fills one block (its own "f"); the stamp adds only a stroked frame ("S").
    fills = [op for _, op in operations if op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*")]
    assert fills == [b"f"]
    assert b"S" in [op for _, op in operations]


def test_original_content_is_clipped_to_its_former_area() -> None:
    page, _, _ = _stamped(_exhibit())
    operations = ContentStream(page.get_contents(), page.pdf).operations
    ops = [op for _, op in operations]
    first_re = ops.index(b"re")
    assert ops[first_re + 1 : first_re + 3] == [b"W", b"n"]
    assert [float(v) for v in operations[first_re][0]] == [0.0, 0.0, 595.0, 842.0]


def test_rotated_exhibit_is_stamped_at_the_top_of_what_is_seen() -> None:
    page, frame, _ = _stamped(_exhibit(rotation=90))
    assert page.rotation == 0
    crop = page.cropbox
    # Rotated by 90°, the page is seen in landscape: 842 wide, 595 high, plus the band.
    assert (float(crop.width), float(crop.height)) == (842, 595 + STAMP_BAND)
    assert frame[1] >= 595 and frame[3] <= float(crop.top)
    assert "FACTURE 2026-301" in page.extract_text()


def _gray(pdf: bytes, tmp_path: Path, name: str) -> tuple[int, int, bytes]:
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "72", "-singlefile", str(source), str(tmp_path / name)],
        check=True,
    )
    raw = (tmp_path / f"{name}.pgm").read_bytes()
    fields: list[bytes] = []
    index = 0
    while len(fields) < 4:
        while raw[index : index + 1].isspace():
            index += 1
        end = index
        while not raw[end : end + 1].isspace():
            end += 1
        fields.append(raw[index:end])
        index = end
    width, height = int(fields[1]), int(fields[2])
    return width, height, raw[index + 1 :]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler) absent")
def test_exhibit_pixels_are_unchanged_below_the_band(tmp_path: Path) -> None:
    exhibit = _exhibit()
    _, _, stamped = _stamped(exhibit)
    width, height, before = _gray(exhibit, tmp_path, "before")
    width2, height2, after = _gray(stamped, tmp_path, "after")
    band = int(STAMP_BAND)
    assert (width2, height2) == (width, height + band)
    # Every pixel of the exhibit is as it was; only the band above it changed.
    assert after[band * width :] == before
    assert after[: band * width] != bytes([255]) * (band * width)
