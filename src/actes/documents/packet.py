"""The filing packet: every document of a procedure, the exhibits and a checked manifest.

``build_packet`` writes one ZIP holding

* ``documents/``: the rendered documents of the procedure version (DOCX and PDF), the
  bordereau des pièces among them (rendered even when the version does not list it);
* ``pieces/NN-<name>.pdf``: every pièce of the case, numbered as in the bordereau (a DOCX
  pièce is converted by LibreOffice; a PDF pièce is copied byte for byte);
* ``dossier-complet.pdf``: acte(s), bordereau, then each pièce, one bookmark per part and
  « Pièce n° X » stamped on every page of each exhibit, in a band added above the page so
  that it never covers the exhibit (:func:`stamp_exhibit_page`);
* ``manifest.json``: procedure version and why it was selected, the case file's SHA-256, each
  file with its SHA-256, size and page range in ``dossier-complet.pdf``, the deadlines with
  their legal basis, the version of actes and the reference date.

The same inputs give the same bytes: ZIP entries are sorted with fixed timestamps (the
reference date) and permissions; PDFs get fixed dates, producer and an ``/ID`` derived from
their content; DOCX entries get fixed timestamps and ``docProps/core.xml`` dates.

``verify_packet`` recomputes every checksum, size and page count against the manifest.
Nothing is written when a pièce is unusable (missing, outside the case folder, not a PDF,
encrypted, corrupt): the ZIP goes through :func:`actes._io.atomic_open`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    NameObject,
    RectangleObject,
)

from actes import __version__
from actes._io import atomic_open
from actes._paths import data_file, workspace_scope
from actes.cases.case import Case, Piece, load_case
from actes.cases.journal import record_packet
from actes.cases.piececheck import pdf_problem
from actes.documents.authorship import for_template
from actes.documents.pdf import docx_to_pdf
from actes.documents.pdfsafety import strip_active_content
from actes.documents.render import (
    build_context,
    draft_message,
    output_name,
    plan_documents,
    render_documents,
    render_template,
)
from actes.errors import DataIssue, InputError, PreconditionFailed
from actes.law.procedures import DocumentSpec, ProcedureVersion, load_registry
from actes.law.timeline import case_deadlines
from actes.law.title import Purpose, check_title_pieces

__all__ = [
    "BORDEREAU_TEMPLATE",
    "MANIFEST",
    "MERGED",
    "STAMP_BAND",
    "Packet",
    "PacketFile",
    "Verification",
    "VerificationProblem",
    "build_packet",
    "normalize_docx",
    "normalize_pdf",
    "stamp_exhibit_page",
    "stamp_label",
    "verify_packet",
]

BORDEREAU_TEMPLATE = "actes/bordereau_pieces.docx"
MANIFEST = "manifest.json"
MERGED = "dossier-complet.pdf"
FORMAT_VERSION = 1

_BORDEREAU_SPEC = DocumentSpec(
    id="bordereau",
    title="Bordereau des pièces",
    template=BORDEREAU_TEMPLATE,
    output="{reference}-bordereau-pieces.docx",
)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a ZIP entry can hold
_FILE_MODE = 0o100644 << 16  # regular file, rw-r--r--
_UNIX = 3
_CORE_DATE = re.compile(
    rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:(created|modified)>)"
)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_EOF_WINDOW = 1024  # readers look for %%EOF in the last 1024 bytes (PDF 32000-1, 7.5.5)


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class PacketFile:
    """One file of the packet as the manifest records it."""

    chemin: str
    role: str  # "acte", "bordereau", "piece" or "dossier_complet"
    titre: str
    sha256: str
    taille: int
    pages: int | None = None
    premiere_page: int | None = None
    derniere_page: int | None = None
    numero: int | None = None
    date: str | None = None
    source: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "chemin": self.chemin,
            "role": self.role,
            "titre": self.titre,
            "sha256": self.sha256,
            "taille": self.taille,
            "pages": self.pages,
            "pages_dossier_complet": (
                {"debut": self.premiere_page, "fin": self.derniere_page}
                if self.premiere_page is not None
                else None
            ),
        }
        if self.numero is not None:
            data.update(numero=self.numero, date=self.date, source=self.source)
        return data


@dataclass(frozen=True)
class Packet:
    """A written packet: where, its files and its manifest."""

    path: Path
    files: tuple[PacketFile, ...]
    manifest: Mapping[str, Any]
    size: int

    @property
    def pages(self) -> int:
        return next(f.pages or 0 for f in self.files if f.chemin == MERGED)


@dataclass(frozen=True)
class VerificationProblem:
    fichier: str
    message: str

    def format(self) -> str:
        return f"{self.fichier} : {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"fichier": self.fichier, "message": self.message}


@dataclass
class Verification:
    """Result of :func:`verify_packet`: every difference found, per file."""

    path: Path
    checked: list[str] = field(default_factory=list)
    problems: list[VerificationProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, fichier: str, message: str) -> None:
        self.problems.append(VerificationProblem(fichier, message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "archive": str(self.path),
            "valide": self.ok,
            "fichiers_verifies": self.checked,
            "problemes": [p.as_dict() for p in self.problems],
        }


@dataclass(frozen=True)
class _Part:
    """One part of the merged PDF, with the files that stand for it in the ZIP."""

    role: str
    titre: str
    pdf: bytes
    files: tuple[tuple[str, bytes], ...]  # (name in the ZIP, content)
    piece: Piece | None = None


# --------------------------------------------------------------------------- reproducibility


def _pdf_date(day: dt.date) -> str:
    return f"D:{day:%Y%m%d}000000Z"


def _write_reproducible(writer: PdfWriter, day: dt.date, title: str | None) -> bytes:
    """Fixed dates and producer, no XMP packet, and an /ID made from the content."""
    info: dict[str, Any] = dict(writer.metadata or {})
    info.update(
        {
            "/CreationDate": _pdf_date(day),
            "/ModDate": _pdf_date(day),
            "/Producer": f"actes {__version__}",
        }
    )
    if title:
        info["/Title"] = title
    writer.metadata = {k: str(v) for k, v in sorted(info.items())}
    if "/Metadata" in writer.root_object:
        del writer.root_object["/Metadata"]  # XMP repeats the creation date
    # pypdf has no public setter for the trailer /ID; without one it would stay the source's
    # (random, from LibreOffice) or be absent.
    placeholder = ByteStringObject(bytes(16))
    writer._ID = ArrayObject([placeholder, placeholder])
    first = io.BytesIO()
    writer.write(first)
    identifier = ByteStringObject(hashlib.sha256(first.getvalue()).digest()[:16])
    writer._ID = ArrayObject([identifier, identifier])
    final = io.BytesIO()
    writer.write(final)
    return final.getvalue()


def normalize_pdf(data: bytes, day: dt.date, *, title: str | None = None) -> bytes:
    """Rewrite a PDF through pypdf so that it no longer depends on when it was made."""
    return _write_reproducible(PdfWriter(clone_from=PdfReader(io.BytesIO(data))), day, title)


def _zipinfo(name: str, day: dt.date) -> zipfile.ZipInfo:
    stamp = max((day.year, day.month, day.day, 0, 0, 0), _ZIP_EPOCH)
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.external_attr = _FILE_MODE
    info.create_system = _UNIX
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def normalize_docx(data: bytes, day: dt.date) -> bytes:
    """Same DOCX with fixed entry timestamps and core dates set to ``day``."""
    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "docProps/core.xml":
                content = _CORE_DATE.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            target.writestr(_zipinfo(entry.filename, day), content, compresslevel=9)
    return out.getvalue()


# --------------------------------------------------------------------------- exhibits


def stamp_label(numero: int) -> str:
    return f"Pièce n° {numero}"


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


# Height (points) of the band added above each exhibit page for its stamp: 28 pt ≈ 1 cm.
STAMP_BAND = 28.0
_STAMP_WIDTH, _STAMP_HEIGHT, _STAMP_MARGIN = 96.0, 20.0, 18.0


def stamp_exhibit_page(page: PageObject, label: str) -> tuple[float, float, float, float]:
    """Stamp ``label`` on an exhibit page without covering any of its content.

    The page grows by :data:`STAMP_BAND` points above its visible area (crop box), and the
    stamp (text in a thin frame, no background) goes in that band, at the right: whatever
    the exhibit holds — text up to the edge, a full-page scan — stays visible and
    extractable. The original content is clipped to its former visible area, so that
    nothing it drew outside that area shows up in the band. Returns the stamp's frame as
    ``(left, bottom, right, top)`` in page coordinates.
    """
    if page.rotation:
        page.transfer_rotation_to_content()
    visible = page.cropbox
    left, bottom = float(visible.left), float(visible.bottom)
    right, top = float(visible.right), float(visible.top)
    _clip_content(page, left, bottom, right, top)
    new_top = top + STAMP_BAND
    media = page.mediabox
    page.mediabox = RectangleObject(
        [
            min(float(media.left), left),
            min(float(media.bottom), bottom),
            max(float(media.right), right),
            max(float(media.top), new_top),
        ]
    )
    page.cropbox = RectangleObject([left, bottom, right, new_top])
    for name in ("/TrimBox", "/BleedBox", "/ArtBox"):
        if name in page:
            box = RectangleObject(page[name])  # type: ignore[arg-type]
            page[NameObject(name)] = RectangleObject(
                [float(box.left), float(box.bottom), float(box.right), new_top]
            )
    x = max(left, right - _STAMP_WIDTH - _STAMP_MARGIN)
    y = top + (STAMP_BAND - _STAMP_HEIGHT) / 2
    page.merge_page(_stamp_overlay(label, page, x, y))
    return (x, y, x + _STAMP_WIDTH, y + _STAMP_HEIGHT)


def _clip_content(page: PageObject, left: float, bottom: float, right: float, top: float) -> None:
    """Clip the page's own drawing to ``left, bottom, right, top`` (its former visible area)."""
    content = page.get_contents()
    if content is None:
        return
    box = [
        FloatObject(left),
        FloatObject(bottom),
        FloatObject(right - left),
        FloatObject(top - bottom),
    ]
    content.operations.insert(0, (box, b"re"))
    content.operations.insert(1, ([], b"W"))
    content.operations.insert(2, ([], b"n"))
    content.isolate_graphics_state()
    page.replace_contents(content)


def _stamp_overlay(label: str, page: PageObject, x: float, y: float) -> PageObject:
    """A page of ``page``'s (enlarged) size holding only the stamp: a stroked frame, no fill."""
    content = b"\n".join(
        [
            b"q 0 0 0 RG 0.6 w",
            f"{x:.2f} {y:.2f} {_STAMP_WIDTH:.2f} {_STAMP_HEIGHT:.2f} re S".encode(),
            b"Q BT 0 0 0 rg /ActesStamp 11 Tf",
            f"{x + 8:.2f} {y + 6:.2f} Td".encode(),
            _pdf_string(label) + b" Tj ET",
        ]
    )
    writer = PdfWriter()
    box = page.cropbox
    overlay = writer.add_blank_page(width=float(box.width), height=float(box.height))
    overlay.mediabox = page.mediabox
    overlay.cropbox = box
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    overlay[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/ActesStamp"): font})}
    )
    stream = ContentStream(None, writer)
    stream.set_data(content)
    overlay.replace_contents(stream)
    return overlay


def _piece_problem(case: Case, case_path: Path, piece: Piece) -> DataIssue | None:
    """Why a pièce cannot go in the packet, or None when it can."""
    where = f"$.pieces[{piece.numero - 1}].fichier"
    folder = (case.folder or case_path.parent).resolve()
    target = (folder / piece.fichier).resolve()

    def issue(message: str, hint: str) -> DataIssue:
        return DataIssue(
            where,
            f"pièce n° {piece.numero} « {piece.titre} » ({piece.fichier}) : {message}",
            hint,
            file=str(case_path),
        )

    if not target.is_relative_to(folder):
        return issue(
            "le chemin sort du dossier de l'affaire",
            f"copiez la pièce dans {folder} ou un sous-dossier et corrigez « fichier »",
        )
    if not target.is_file():
        return issue(
            "fichier introuvable", f"placez le fichier dans {folder} ou corrigez le chemin"
        )
    suffix = target.suffix.lower()
    if suffix == ".docx":
        return _docx_problem(target, issue)
    if suffix != ".pdf":
        return issue(
            f"format « {suffix or 'sans extension'} » refusé (seuls PDF et DOCX sont acceptés)",
            "enregistrez ou numérisez la pièce en PDF",
        )
    problem = pdf_problem(target.read_bytes())  # the same check as the web upload's
    return issue(*problem) if problem is not None else None


def _docx_problem(target: Path, issue: Callable[[str, str], DataIssue]) -> DataIssue | None:
    """A DOCX pièce LibreOffice could not convert: not a ZIP, or without its document part.
    The case's problem (exit code 1), not a broken installation."""
    hint = "ouvrez la pièce dans un traitement de texte, réenregistrez-la en DOCX ou en PDF"
    try:
        with zipfile.ZipFile(target) as docx:
            names = set(docx.namelist())
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                return issue("DOCX incomplet (partie word/document.xml absente)", hint)
            if docx.testzip() is not None:
                return issue("DOCX corrompu (contenu de l'archive abîmé)", hint)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return issue(f"DOCX illisible ({type(exc).__name__})", hint)
    return None


def _check_pieces(case: Case, case_path: Path) -> None:
    issues = [p for p in (_piece_problem(case, case_path, x) for x in case.pieces) if p]
    if not issues:
        return
    if len(issues) == 1:
        raise InputError(
            f"Pièce inutilisable — {issues[0].message}.", hint=issues[0].hint, issues=issues
        )
    raise InputError(
        f"{len(issues)} pièces inutilisables dans {case_path} : rien n'a été écrit.",
        issues=issues,
    )


# Templates whose packet goes to the commissaire de justice, and what the commissaire does
# with it: the pièces of the title that packet must hold (actes.law.title).
_COMMISSAIRE_TEMPLATES: Mapping[str, Purpose] = {
    "courriers/lettre_commissaire_signification_titre.docx": "signification",
    "courriers/lettre_commissaire_seconde_signification.docx": "signification",
    "courriers/lettre_commissaire_execution_titre.docx": "execution",
}


def _check_title_pieces(case: Case, documents: Iterable[tuple[DocumentSpec, Path, str]]) -> None:
    """A packet for the commissaire holds the title's pièces, or is refused before anything
    is written (the error names the missing pièce)."""
    purposes = {
        _COMMISSAIRE_TEMPLATES[spec.template]
        for spec, _, _ in documents
        if spec.template in _COMMISSAIRE_TEMPLATES
    }
    if "execution" in purposes:
        check_title_pieces(case, "execution")
    elif purposes:
        check_title_pieces(case, "signification")


def _piece_name(piece: Piece, width: int) -> str:
    stem = _SAFE_NAME.sub("-", Path(piece.fichier).stem).strip("-") or "piece"
    return f"pieces/{piece.numero:0{width}d}-{stem}.pdf"


# --------------------------------------------------------------------------- building


def _is_bordereau(spec: DocumentSpec) -> bool:
    return spec.id == "bordereau" or spec.template == BORDEREAU_TEMPLATE


def _rendered_parts(
    version: ProcedureVersion, case: Case, case_path: Path, au: dt.date, work: Path
) -> tuple[list[_Part], Path | None]:
    """The version's documents (acte(s) first, bordereau last) rendered to DOCX and PDF.

    When the version renders no bordereau, its DOCX is rendered through the same context and
    returned as the second value, to be converted with the DOCX pièces in one LibreOffice
    call.
    """
    rendered = render_documents(version.procedure_id, case_path, work / "documents", au, pdf=True)
    written = {p.name: p for p in rendered}
    parts: list[_Part] = []
    bordereau: _Part | None = None
    for spec in version.documents:
        docx = written.get(output_name(spec, case.reference))
        if docx is None:
            continue
        part = _document_part(spec, docx, docx.with_suffix(".pdf"), au)
        if _is_bordereau(spec) and bordereau is None:
            bordereau = part
        else:
            parts.append(part)
    if bordereau is not None:
        return [*parts, bordereau], None
    context = for_template(build_context(version, case, au), BORDEREAU_TEMPLATE, case)
    data = render_template(
        data_file("templates", BORDEREAU_TEMPLATE),
        {**context, "document": {"titre": _BORDEREAU_SPEC.title}},
    )
    target = work / "extra" / output_name(_BORDEREAU_SPEC, case.reference)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return parts, target


def _document_part(spec: DocumentSpec, docx: Path, pdf: Path, au: dt.date) -> _Part:
    clean_pdf = normalize_pdf(pdf.read_bytes(), au, title=spec.title)
    return _Part(
        role="bordereau" if _is_bordereau(spec) else "acte",
        titre=spec.title,
        pdf=clean_pdf,
        files=(
            (f"documents/{docx.stem}.docx", normalize_docx(docx.read_bytes(), au)),
            (f"documents/{docx.stem}.pdf", clean_pdf),
        ),
    )


def _merge(parts: Sequence[_Part], title: str, au: dt.date) -> tuple[bytes, list[tuple[int, int]]]:
    """The merged PDF, one bookmark per part, exhibits stamped; and each part's page range."""
    writer = PdfWriter()
    ranges: list[tuple[int, int]] = []
    for part in parts:
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(part.pdf)), import_outline=False)
        end = len(writer.pages)
        if part.piece is not None:
            label = stamp_label(part.piece.numero)
            for index in range(start, end):
                stamp_exhibit_page(writer.pages[index], label)
        writer.add_outline_item(title=part.titre, page_number=start)
        ranges.append((start + 1, end))
    writer.page_mode = "/UseOutlines"
    # Pièces come from outside: no JavaScript, launch or automatic action in the filing PDF.
    strip_active_content(writer)
    return _write_reproducible(writer, au, title), ranges


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def build_packet(procedure_id: str, case_path: Path, output: Path, au: dt.date) -> Packet:
    """Build the packet of ``procedure_id`` for the case at ``case_path`` into ``output``.

    Raises :class:`InputError` naming the pièce when an exhibit is unusable, and whatever
    rendering raises (failed precondition, broken template, LibreOffice missing); in every
    error case nothing is written. The templates and definitions are those of the case's
    workspace (docs/workspace.md).
    """
    with workspace_scope(case_path.parent):
        return _build_packet(procedure_id, case_path, output, au)


def _build_packet(procedure_id: str, case_path: Path, output: Path, au: dt.date) -> Packet:
    procedure = load_registry().get(procedure_id)
    first = load_case(case_path, au=au)
    selected_on, reason = procedure.selection_date(first, au)
    version = procedure.at(selected_on)
    case = load_case(case_path, au=au, extra_schema=version.case_schema)
    _check_pieces(case, case_path)
    # A filing packet is never built from a draft (a provisional rate made an amount).
    documents = plan_documents(procedure_id, case, au, source=str(case_path))
    _check_title_pieces(case, documents.documents)
    drafts = documents.drafts()
    if drafts:
        raise PreconditionFailed(
            f"Dossier de dépôt refusé : {draft_message(drafts)}",
            hint="enregistrez le taux publié (actes taux ajouter …), puis relancez « actes "
            "packet » (docs/rates.md)",
        )
    folder = (case.folder or case_path.parent).resolve()
    width = max(2, len(str(len(case.pieces))))

    with tempfile.TemporaryDirectory(prefix="actes-packet-") as tmp:
        work = Path(tmp)
        parts, bordereau_docx = _rendered_parts(version, case, case_path, au, work)
        pending = [bordereau_docx] if bordereau_docx is not None else []
        docx_pieces: dict[int, Path] = {}
        for piece in case.pieces:
            source = folder / piece.fichier
            if source.suffix.lower() == ".docx":
                copy = work / "extra" / f"piece-{piece.numero:0{width}d}.docx"
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, copy)
                docx_pieces[piece.numero] = copy
                pending.append(copy)
        converted = {p.stem: p for p in docx_to_pdf(pending, work / "converted")}
        if bordereau_docx is not None:
            parts.append(
                _document_part(_BORDEREAU_SPEC, bordereau_docx, converted[bordereau_docx.stem], au)
            )
        for piece in case.pieces:
            name = _piece_name(piece, width)
            if piece.numero in docx_pieces:
                raw = converted[docx_pieces[piece.numero].stem].read_bytes()
                data = normalize_pdf(raw, au, title=piece.titre)
            else:
                data = (folder / piece.fichier).read_bytes()
            parts.append(
                _Part(
                    role="piece",
                    titre=f"{stamp_label(piece.numero)} — {piece.titre}",
                    pdf=data,
                    files=((name, data),),
                    piece=piece,
                )
            )

    merged, ranges = _merge(parts, f"Dossier complet — {case.reference}", au)
    files: list[PacketFile] = []
    for part, (start, end) in zip(parts, ranges, strict=True):
        for name, data in part.files:
            files.append(
                PacketFile(
                    chemin=name,
                    role=part.role,
                    titre=part.titre,
                    sha256=_sha256(data),
                    taille=len(data),
                    pages=_page_count(data) if name.endswith(".pdf") else None,
                    premiere_page=start,
                    derniere_page=end,
                    numero=part.piece.numero if part.piece else None,
                    date=part.piece.date.isoformat() if part.piece else None,
                    source=part.piece.fichier if part.piece else None,
                )
            )
    merged_pages = _page_count(merged)
    files.append(
        PacketFile(
            chemin=MERGED,
            role="dossier_complet",
            titre=f"Dossier complet — {case.reference}",
            sha256=_sha256(merged),
            taille=len(merged),
            pages=merged_pages,
            premiere_page=1,
            derniere_page=merged_pages,
        )
    )
    manifest = _manifest(version, case, case_path, au, selected_on, reason, files)
    contents = {name: data for part in parts for name, data in part.files}
    contents[MERGED] = merged
    contents[MANIFEST] = (
        json.dumps(manifest, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    ).encode("utf-8")
    with atomic_open(output, "wb") as handle, zipfile.ZipFile(handle, "w") as archive:
        for name in sorted(contents):
            archive.writestr(_zipinfo(name, au), contents[name], compresslevel=9)
    record_packet(case_path, version, case.reference, au, output)
    return Packet(path=output, files=tuple(files), manifest=manifest, size=output.stat().st_size)


def _manifest(
    version: ProcedureVersion,
    case: Case,
    case_path: Path,
    au: dt.date,
    selected_on: dt.date,
    reason: str,
    files: Iterable[PacketFile],
) -> dict[str, Any]:
    deadlines = case_deadlines(case, au, procedure_id=version.procedure_id)
    return {
        "format": "actes-packet",
        "format_version": FORMAT_VERSION,
        "outil": {"nom": "actes", "version": __version__},
        "date_reference": au.isoformat(),
        "procedure": {
            "id": version.procedure_id,
            "version": version.version,
            "titre": version.title,
            "periode": version.period(),
            "fondement": version.articles(),
        },
        "selection": {"date": selected_on.isoformat(), "motif": reason},
        "dossier": {
            "reference": case.reference,
            "fichier": case_path.name,
            "sha256": case.sha256,
        },
        "fichiers": [f.as_dict() for f in files],
        "delais": [d.as_dict() for d in deadlines],
    }


# --------------------------------------------------------------------------- verification


def _check_names(names: Sequence[str], result: Verification, where: str = "l'archive") -> None:
    """Refuse a name given twice, or two names that extract to the same file (``a.pdf`` and
    ``./a.pdf``, ``A.pdf`` on a case-insensitive disk): ``unzip`` keeps the first entry,
    Python's zipfile reads the last, so the checked file may not be the one extracted."""
    seen: dict[str, str] = {}
    reported: set[str] = set()
    for name in names:
        key = "/".join(
            part for part in name.replace("\\", "/").split("/") if part not in ("", ".")
        ).casefold()
        first = seen.setdefault(key, name)
        if first == name and names.count(name) > 1 and name not in reported:
            reported.add(name)
            result.add(
                name,
                f"nom présent {names.count(name)} fois dans {where} : un outil d'extraction "
                "peut prendre une autre copie que celle vérifiée (archive altérée)",
            )
        elif first != name and name not in reported:
            reported.add(name)
            result.add(
                name,
                f"nom qui désigne le même fichier que « {first} » une fois extrait "
                f"(dans {where}) : archive altérée",
            )


def _read_manifest(archive: zipfile.ZipFile, result: Verification) -> dict[str, Any] | None:
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except KeyError:
        result.add(MANIFEST, "manifeste absent de l'archive")
        return None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        result.add(MANIFEST, f"manifeste illisible ({exc})")
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("fichiers"), list):
        result.add(MANIFEST, "manifeste sans liste « fichiers »")
        return None
    return manifest


def _check_entry(
    archive: zipfile.ZipFile, entry: Mapping[str, Any], result: Verification
) -> int | None:
    """Check one declared file; return its actual page count (PDF) or None."""
    name = str(entry.get("chemin", ""))
    try:
        data = archive.read(name)
    except KeyError:
        result.add(name, "fichier déclaré dans le manifeste mais absent de l'archive")
        return None
    except (zipfile.BadZipFile, OSError) as exc:
        result.add(name, f"fichier illisible dans l'archive ({exc})")
        return None
    result.checked.append(name)
    if len(data) != entry.get("taille"):
        result.add(name, f"taille différente : {len(data)} octets, {entry.get('taille')} attendus")
    digest = _sha256(data)
    if digest != entry.get("sha256"):
        result.add(
            name,
            f"empreinte SHA-256 différente : {digest[:16]}…, {str(entry.get('sha256'))[:16]}… "
            "attendue (fichier modifié)",
        )
    if not name.endswith(".pdf"):
        return None
    try:
        pages = _page_count(data)
    except Exception as exc:  # a tampered archive is untrusted input
        result.add(name, f"PDF illisible ({type(exc).__name__})")
        return None
    if pages != entry.get("pages"):
        result.add(name, f"{pages} page(s), {entry.get('pages')} attendue(s)")
    return pages


def _check_ranges(entries: Sequence[Mapping[str, Any]], result: Verification) -> None:
    """Each part's range matches its page count; the parts cover the merged PDF in order."""
    merged = next((e for e in entries if e.get("chemin") == MERGED), None)
    if merged is None:
        result.add(MERGED, "dossier complet non déclaré dans le manifeste")
        return
    expected = 1
    seen: set[tuple[int, int]] = set()
    for entry in entries:
        span = entry.get("pages_dossier_complet")
        if entry is merged or not isinstance(span, dict):
            continue
        start, end = span.get("debut"), span.get("fin")
        if not isinstance(start, int) or not isinstance(end, int):
            result.add(str(entry.get("chemin")), "plage de pages manquante dans le manifeste")
            continue
        if entry.get("pages") is not None and end - start + 1 != entry.get("pages"):
            result.add(
                str(entry.get("chemin")),
                f"plage {start}–{end} du dossier complet incohérente avec ses "
                f"{entry.get('pages')} page(s)",
            )
        if (start, end) in seen:
            continue
        seen.add((start, end))
        if start != expected:
            result.add(
                str(entry.get("chemin")),
                f"la plage commence page {start}, page {expected} attendue",
            )
        expected = end + 1
    if merged.get("pages") is not None and expected - 1 != merged.get("pages"):
        result.add(
            MERGED,
            f"les parties couvrent {expected - 1} page(s), le dossier complet en déclare "
            f"{merged.get('pages')}",
        )


def _check_outline(
    archive: zipfile.ZipFile, entries: Sequence[Mapping[str, Any]], result: Verification
) -> None:
    try:
        reader = PdfReader(io.BytesIO(archive.read(MERGED)))
        titles = [item.title for item in reader.outline if not isinstance(item, list)]
    except Exception:  # an unreadable merged PDF is already reported by _check_entry
        return
    expected: dict[str, str] = {}
    for entry in entries:
        span = entry.get("pages_dossier_complet")
        if entry.get("chemin") != MERGED and isinstance(span, dict):
            expected.setdefault(f"{span.get('debut')}-{span.get('fin')}", str(entry.get("titre")))
    if titles != list(expected.values()):
        result.add(MERGED, "signets différents des parties déclarées dans le manifeste")


def verify_packet(path: Path) -> Verification:
    """Recompute every checksum, size and page count of a packet against its manifest."""
    result = Verification(path=path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InputError(f"Archive introuvable : {path}", hint="vérifiez le chemin") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            f"{path} n'est pas une archive ZIP lisible ({exc}).",
            hint="indiquez le fichier produit par « actes packet »",
        ) from None
    with archive:
        _check_names(archive.namelist(), result)
        manifest = _read_manifest(archive, result)
        if manifest is None:
            return result
        entries = [e for e in manifest["fichiers"] if isinstance(e, dict)]
        _check_names([str(e.get("chemin")) for e in entries], result, where="le manifeste")
        for entry in entries:
            _check_entry(archive, entry, result)
        declared = {str(e.get("chemin")) for e in entries} | {MANIFEST}
        for name in sorted(set(archive.namelist()) - declared):
            result.add(name, "fichier présent dans l'archive mais absent du manifeste")
        _check_ranges(entries, result)
        _check_outline(archive, entries, result)
    return result
