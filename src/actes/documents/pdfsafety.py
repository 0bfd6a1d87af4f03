"""Removing active content from a PDF pièce: JavaScript, automatic and launch actions.

A pièce comes from outside (a debtor's e-mail, a scanner, a web download). Before it is
stored by the web page or merged into a filing PDF (``dossier-complet.pdf``) that a greffe or
a commissaire de justice will open, everything that can run or act by itself is removed with
pypdf, and the rest (pages, text, images, links to web addresses, attachments) is kept:

- ``/OpenAction`` (action when the document opens) and ``/AA`` (additional actions: on page
  open/close, on focus, on print...) wherever they are;
- the document-level JavaScript name tree (``/Names /JavaScript``) and every ``/JS`` code;
- ``/A`` and ``/Next`` actions of a dangerous type: ``/JavaScript``, ``/Launch`` (run a
  program or open a file), ``/ImportData``, ``/SubmitForm``, ``/Rendition``, ``/GoToE``,
  ``/GoToR`` (open another file), and ``/URI`` actions whose address is ``javascript:``;
- XFA forms (``/AcroForm /XFA``, which carry their own scripts).

Removing rather than refusing: many ordinary PDFs carry an ``/OpenAction`` (open at page
1, fit the page), which is harmless but indistinguishable from a dangerous one without
interpreting it; the pièce stays usable and nothing can run.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

__all__ = ["DANGEROUS_ACTIONS", "sanitize_pdf", "strip_active_content"]

DANGEROUS_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/ImportData",
        "/SubmitForm",
        "/Rendition",
        "/GoToE",
        "/GoToR",
    }
)
_ALWAYS_REMOVED = ("/AA", "/JS", "/OpenAction")
_ACTION_KEYS = ("/A", "/Next")


def _resolve(value: PdfObject | None) -> PdfObject | None:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _dangerous(value: PdfObject | None) -> str:
    """The type of the dangerous action ``value`` holds (an action or an array of them),
    or "" when it is harmless."""
    action = _resolve(value)
    if isinstance(action, ArrayObject):
        for item in action:
            kind = _dangerous(item)
            if kind:
                return kind
        return ""
    if not isinstance(action, DictionaryObject):
        return ""
    kind = str(action.get("/S", ""))
    if kind in DANGEROUS_ACTIONS:
        return kind
    if kind == "/URI" and str(action.get("/URI", "")).strip().lower().startswith("javascript:"):
        return "/URI javascript:"
    return ""


def strip_active_content(writer: PdfWriter) -> list[str]:
    """Remove, in place, every active element of ``writer`` (see the module docstring);
    return what was removed (PDF names, sorted, each once)."""
    removed: set[str] = set()
    root = writer.root_object
    names = _resolve(root.get("/Names"))
    if isinstance(names, DictionaryObject) and "/JavaScript" in names:
        del names["/JavaScript"]
        removed.add("/JavaScript")
    form = _resolve(root.get("/AcroForm"))
    if isinstance(form, DictionaryObject) and "/XFA" in form:
        del form["/XFA"]
        removed.add("/XFA")
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject | None] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            ident = (item.idnum, item.generation)
            if ident in seen:
                continue
            seen.add(ident)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key in list(item.keys()):
                raw = item.raw_get(key)
                if key in _ALWAYS_REMOVED:
                    kind = _dangerous(raw) if key == "/OpenAction" else ""
                    del item[key]
                    removed.add(f"{key} {kind}".strip())
                elif key in _ACTION_KEYS and (kind := _dangerous(raw)):
                    del item[key]
                    removed.add(kind)
                elif key != "/Parent":
                    stack.append(raw)
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))
    if removed:
        # The removed actions are now unreferenced objects, still written unless dropped.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    return sorted(removed)


def sanitize_pdf(data: bytes) -> tuple[bytes, list[str]]:
    """``data`` without its active content, and what was removed.

    A PDF without any active content is returned byte for byte (a pièce is evidence: it is
    not rewritten needlessly). Raises whatever pypdf raises on a damaged file.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    removed = strip_active_content(writer)
    if not removed:
        return data, []
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), removed
