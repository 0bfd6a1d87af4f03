"""Whether a PDF can be used as a pièce: one check for every way a pièce comes in.

``actes packet`` (before merging the exhibits), the web upload of a pièce and anything else
that accepts a PDF pièce call :func:`pdf_problem`, so that a file one of them accepts is never
refused by another later (an encrypted PDF taken by the upload and refused by the packet, a
page whose content is garbage packed as is).
"""

from __future__ import annotations

import io
import zlib
from typing import Any

__all__ = ["pdf_problem"]

_EOF_WINDOW = 1024


def pdf_problem(data: bytes) -> tuple[str, str] | None:
    """Why ``data`` is not a usable PDF pièce, as (message, what to do) in French, or
    ``None``. Checked: the ``%PDF-`` header and ``%%EOF`` mark, encryption, that pypdf reads
    every object a copy needs, at least one page, and that every page's content stream
    decodes and parses (a page holding garbage would print blank or broken)."""
    from pypdf import PdfReader, PdfWriter

    if b"%PDF-" not in data[:_EOF_WINDOW]:
        return (
            "le fichier n'est pas un PDF (en-tête %PDF absent)",
            "exportez la pièce en PDF depuis son logiciel d'origine",
        )
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        return (
            "PDF tronqué (marque de fin %%EOF absente)",
            "le fichier a été coupé pendant une copie ou un téléchargement : récupérez-le à "
            "nouveau",
        )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return (
                "PDF chiffré (protégé par un mot de passe)",
                "enregistrez une copie sans protection (« imprimer en PDF ») et remplacez "
                "le fichier",
            )
        pages = list(reader.pages)
        # A trial copy reads every object the merged PDF will need.
        trial = PdfWriter()
        trial.append(reader, import_outline=False)
        trial.write(io.BytesIO())
    except Exception as exc:  # the file is untrusted input: any parser failure means corrupt
        return (
            f"PDF illisible ({type(exc).__name__} : {exc})",
            "ouvrez la pièce dans un lecteur PDF, réenregistrez-la, puis relancez",
        )
    if not pages:
        return ("le PDF ne contient aucune page", "remplacez le fichier par la bonne pièce")
    for number, page in enumerate(pages, start=1):
        problem = _page_problem(reader, page)
        if problem:
            return (
                f"page {number} endommagée ({problem}) : elle s'imprimerait vide ou fausse",
                "ouvrez la pièce dans un lecteur PDF, vérifiez cette page, réenregistrez-la "
                "(« imprimer en PDF ») ou numérisez à nouveau le document",
            )
    return None


def _page_problem(reader: Any, page: Any) -> str:
    """Why the page's content stream cannot be read ("" when it can)."""
    from pypdf.generic import ArrayObject, ContentStream

    try:
        contents = page.get("/Contents")
        if contents is None:
            return ""
        contents = contents.get_object()
        streams = contents if isinstance(contents, ArrayObject) else [contents]
        for stream in streams:
            _strict_flate(stream.get_object())
        content = page.get_contents()
        if content is not None:
            ContentStream(content, reader).operations  # noqa: B018 - parses the stream
    except Exception as exc:  # untrusted input: any failure means a damaged page
        return f"contenu illisible, {type(exc).__name__}"
    return ""


def _strict_flate(stream: Any) -> None:
    """pypdf decodes a damaged Flate stream to nothing, silently: decode it here instead."""
    filters = stream.get("/Filter")
    names = list(filters) if isinstance(filters, list) else [filters] if filters else []
    if names and str(names[0]) in ("/FlateDecode", "/Fl"):
        zlib.decompressobj().decompress(stream._data)
