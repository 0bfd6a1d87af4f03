"""DOCX to PDF with LibreOffice in headless mode.

All files go through one ``soffice`` process (starting LibreOffice costs seconds, converting a
letter a fraction of that). Each call uses its own throw-away user profile: two conversions
running at once with the default profile would lock each other out, and a user's own
LibreOffice settings must not change the output. Results are converted in a private folder and
then moved into place atomically, so a reader never sees half a PDF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from actes._io import atomic_open
from actes.errors import EnvironmentProblem

__all__ = ["docx_to_pdf", "find_soffice"]

_CANDIDATES = ("soffice", "libreoffice")
_INSTALL_HINT = (
    "installez LibreOffice (Debian/Ubuntu : « apt-get install libreoffice-writer-nogui ») "
    "ou indiquez son exécutable dans la variable ACTES_SOFFICE"
)
DEFAULT_TIMEOUT = 180.0


def find_soffice() -> Path | None:
    """The LibreOffice executable: ``ACTES_SOFFICE`` first, then ``soffice`` on the PATH."""
    override = os.environ.get("ACTES_SOFFICE")
    if override:
        return Path(override) if Path(override).is_file() else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def docx_to_pdf(
    paths: Sequence[Path], outdir: Path, *, timeout: float = DEFAULT_TIMEOUT
) -> list[Path]:
    """Convert every DOCX of ``paths`` to ``outdir/<stem>.pdf`` in one LibreOffice call."""
    if not paths:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise EnvironmentProblem(
            "LibreOffice est introuvable : la conversion en PDF est impossible.",
            hint=_INSTALL_HINT,
        )
    sources = [Path(p).resolve() for p in paths]
    stems = [p.stem for p in sources]
    if len(set(stems)) != len(stems):
        raise EnvironmentProblem("Deux documents portent le même nom : conversion ambiguë.")
    with tempfile.TemporaryDirectory(prefix="actes-pdf-") as work:
        profile = Path(work) / "profile"
        converted = Path(work) / "out"
        converted.mkdir()
        command = [
            str(soffice),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(converted),
            *map(str, sources),
        ]
        try:
            result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                env={**os.environ, "HOME": work},
            )
        except subprocess.TimeoutExpired:
            raise EnvironmentProblem(
                f"LibreOffice n'a pas terminé la conversion en {timeout:.0f} s.",
                hint="relancez la commande ; si le problème persiste, fermez les instances "
                "de LibreOffice ouvertes",
            ) from None
        except OSError as exc:
            raise EnvironmentProblem(
                f"LibreOffice ne peut pas être lancé ({soffice}) : {exc.strerror}",
                hint=_INSTALL_HINT,
            ) from None
        missing = [stem for stem in stems if not (converted / f"{stem}.pdf").is_file()]
        if result.returncode != 0 or missing:
            detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise EnvironmentProblem(
                f"LibreOffice n'a pas produit le PDF de : {', '.join(missing) or 'tous'} "
                f"(code {result.returncode}).",
                hint=" / ".join(detail) or "vérifiez que les fichiers DOCX s'ouvrent",
            )
        written = []
        for stem in stems:
            target = outdir / f"{stem}.pdf"
            with atomic_open(target, "wb") as handle:
                handle.write((converted / f"{stem}.pdf").read_bytes())
            written.append(target)
    return written
