"""A picture of the first page of each rendered PDF, shown on the page before download.

pypdf reads PDFs but cannot draw them: the picture comes from ``pdftoppm`` (poppler-utils)
when it is installed, from the PDFs LibreOffice wrote (« Documents (DOCX et PDF) », or the
acts of a filing packet). Without ``pdftoppm``, or when it fails, there is simply no
preview: the documents themselves are never affected.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

__all__ = ["FOLDER", "SUFFIX", "available", "first_pages"]

FOLDER = "apercus"
"""Subfolder of a render's output folder that holds the pictures (never offered for download)."""

SUFFIX = "-page1.png"
WIDTH = 640  # pixels: legible on the page, small enough to send at once
_TIMEOUT = 60


def available() -> bool:
    return shutil.which("pdftoppm") is not None


def first_pages(written: list[Path], outdir: Path) -> list[tuple[Path, str]]:
    """(picture, name of the PDF it shows) for each PDF of ``written`` and each act of a
    packet (``actes/*.pdf`` of a ZIP), written to ``outdir/apercus/``."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return []
    found: list[tuple[Path, str]] = []
    target = outdir / FOLDER
    for path in written:
        if path.suffix == ".pdf":
            image = _draw(tool, path, target, path.stem)
            if image is not None:
                found.append((image, path.name))
        elif path.suffix == ".zip":
            found.extend(_packet_pages(tool, path, target))
    return found


def _packet_pages(tool: str, packet: Path, target: Path) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    with zipfile.ZipFile(packet) as archive, tempfile.TemporaryDirectory() as scratch:
        for name in archive.namelist():
            member = PurePosixPath(name)
            if member.parts[:1] != ("actes",) or member.suffix != ".pdf" or len(member.parts) != 2:
                continue
            pdf = Path(scratch) / member.name
            pdf.write_bytes(archive.read(name))
            image = _draw(tool, pdf, target, member.stem)
            if image is not None:
                found.append((image, member.name))
    return found


def _draw(tool: str, pdf: Path, target: Path, stem: str) -> Path | None:
    target.mkdir(exist_ok=True)
    stem = "".join(c if c.isalnum() or c in "._-" else "-" for c in stem)
    base = target / f"{stem}{SUFFIX.removesuffix('.png')}"
    paths = (str(pdf), str(base))
    try:
        subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [tool, "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to", str(WIDTH), *paths],
            check=True,
            capture_output=True,
            timeout=_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # no preview; the document itself is there
    image = base.with_name(base.name + ".png")
    return image if image.is_file() else None
