"""``actes batch``: one procedure over a portfolio of cases, resumable, on many processes.

The batch is a map over cases with no shared state:

* the parent reads the portfolio (:mod:`actes.portfolio.sources`), gives each case a key
  (SHA-256 of its canonical JSON, the procedure, the date, the templates' checksum, the
  output kind and the actes version), skips the keys already done, and hands chunks of cases to an
  :class:`Executor`;
* a worker (:func:`render_chunk`) validates each case exactly as ``actes validate`` does,
  checks the procedure's preconditions, builds the context with
  :func:`actes.documents.render.build_context` and renders each document with a
  :class:`FastTemplate` prepared once per process; with ``--pdf`` the chunk's documents go
  through **one** LibreOffice call (:func:`actes.documents.pdf.docx_to_pdf`, with its own profile);
* the parent records each finished case in ``OUTDIR/.actes-batch/journal.jsonl`` (one line
  appended after the case's files are in place), rewrites ``OUTDIR/manifest.csv`` and
  ``OUTDIR/errors.csv`` by rename every :data:`FLUSH_EVERY` cases (or every tenth of the
  cases already listed, for large portfolios), every :data:`FLUSH_SECONDS` and at the end.

A rerun after an interruption (Ctrl-C, kill, power cut) reads the journal, skips the cases
whose key is recorded and whose files are still there, and renders the rest. Every output
file is written atomically, so a file is either the old one, the new one or absent.

Executors: :class:`LocalExecutor` (this machine: in-process for one job, else a
``ProcessPoolExecutor``) and :class:`DaskExecutor` (a ``dask.distributed`` cluster; workers
send the files back, no shared disk needed). Anything with ``map_unordered`` fits.
"""

from __future__ import annotations

import abc
import concurrent.futures as cf
import contextlib
import copy
import datetime as dt
import functools
import hashlib
import importlib
import io
import itertools
import json
import os
import re
import signal
import struct
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Template, TemplateError

from actes import __version__
from actes._io import atomic_write
from actes._paths import active_workspace, data_file, exact_workspace_scope, workspace_scope
from actes.cases.case import case_from_data, issues_of
from actes.documents.render import (
    jinja_environment,
    plan_documents,
    render_template,
    require_template,
    template_error,
)
from actes.errors import (
    ActesError,
    CaseError,
    DataIssue,
    DefinitionError,
    EnvironmentProblem,
    OutputProblem,
    UsageProblem,
)
from actes.law.procedures import Procedure, load_registry
from actes.portfolio.csvsafe import SafeWriter
from actes.portfolio.remote import WorkspaceBundle, bundle_workspace, materialize, piece_issues
from actes.portfolio.sources import PortfolioCase, Reason, load_creditor_file, open_portfolio

__all__ = [
    "FLUSH_EVERY",
    "BatchReport",
    "CaseResult",
    "CaseTask",
    "DaskExecutor",
    "Executor",
    "FastTemplate",
    "JobSpec",
    "LocalExecutor",
    "OutputFile",
    "case_key",
    "make_executor",
    "render_chunk",
    "run_batch",
    "templates_checksum",
]


def __dir__() -> list[str]:
    return __all__


FLUSH_EVERY = 100
"""The manifest and errors.csv are rewritten (by rename) at least every this many finished
cases (every tenth of the listed cases once there are more than 1,000)."""

FLUSH_SECONDS = 10.0
STATE_DIR = ".actes-batch"
JOURNAL = "journal.jsonl"
MANIFEST = "manifest.csv"
ERRORS = "errors.csv"
CSV_DELIMITER = ";"

_T = TypeVar("_T")
_R = TypeVar("_R")


# =========================================================================== fast renderer


class _Unsupported(Exception):
    """The template cannot take the fast path; it is rendered with plain docxtpl."""


class _CompiledEnvironment:
    """A Jinja environment whose ``from_string`` compiles each source once.

    docxtpl's ``render_xml_part`` calls ``from_string`` on every render; handing it this
    adapter keeps docxtpl's own pre- and post-processing while compiling only once.
    """

    def __init__(self, env: Any) -> None:
        self.env = env
        self._compiled: dict[str, Template] = {}
        self._lock = threading.Lock()

    def from_string(self, source: str) -> Template:
        template = self._compiled.get(source)
        if template is None:
            with self._lock:
                template = self._compiled.get(source)
                if template is None:
                    template = self.env.from_string(source)
                    self._compiled[source] = template
        return template


_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
_END_RECORD = struct.Struct("<IHHHHIIH")
_DEFLATED = 8


@dataclass(frozen=True)
class _Member:
    name: str
    local: bytes  # local header + data (+ data descriptor), copied byte for byte
    central: bytes  # central directory record; its offset field is rewritten
    info: Any  # zipfile.ZipInfo


class _ZipShell:
    """The template's zip, ready to be written again with some members replaced.

    Untouched members (styles, fonts, images...) are copied byte for byte, compressed data
    included; replaced members are deflated and get fresh headers with the template's dates,
    so the same input gives the same bytes.
    """

    def __init__(self, raw: bytes) -> None:
        import zipfile

        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
        end = raw.rfind(b"PK\x05\x06")
        if end < 0:
            raise _Unsupported("fin de zip introuvable")
        _, _, _, _, count, cd_size, cd_offset, _ = _END_RECORD.unpack_from(raw, end)
        if cd_offset == 0xFFFFFFFF or count != len(infos):
            raise _Unsupported("zip64")
        records: list[tuple[bytes, int]] = []
        position = cd_offset
        while position < cd_offset + cd_size:
            fields = _CENTRAL_HEADER.unpack_from(raw, position)
            if fields[0] != 0x02014B50:
                raise _Unsupported("répertoire central illisible")
            length = _CENTRAL_HEADER.size + fields[10] + fields[11] + fields[12]
            records.append((raw[position : position + length], fields[16]))
            position += length
        if len(records) != len(infos):
            raise _Unsupported("répertoire central incomplet")
        starts = sorted({offset for _, offset in records} | {cd_offset})
        following = dict(itertools.pairwise(starts))
        self.members = [
            _Member(info.filename, raw[offset : following[offset]], record, info)
            for (record, offset), info in zip(records, infos, strict=True)
        ]

    def write(self, replaced: Mapping[str, bytes]) -> bytes:
        out = bytearray()
        central: list[bytes] = []
        for member in self.members:
            offset = len(out)
            data = replaced.get(member.name)
            if data is None:
                record = bytearray(member.central)
                struct.pack_into("<I", record, 42, offset)
                out += member.local
                central.append(bytes(record))
                continue
            name = member.name.encode("utf-8")
            flags = 0 if member.name.isascii() else 0x800
            year, month, day, hour, minute, second = member.info.date_time
            dos_time = (hour << 11) | (minute << 5) | (second // 2)
            dos_date = ((year - 1980) << 9) | (month << 5) | day
            crc = zlib.crc32(data)
            packer = zlib.compressobj(_DEFLATE_LEVEL, zlib.DEFLATED, -15)
            compressed = packer.compress(data) + packer.flush()
            sizes = (crc, len(compressed), len(data), len(name))
            stamp = (flags, _DEFLATED, dos_time, dos_date)
            out += _LOCAL_HEADER.pack(0x04034B50, 20, *stamp, *sizes, 0)
            out += name
            out += compressed
            made_by = (member.info.create_system << 8) | member.info.create_version
            attributes = (0, 0, 0, 0, member.info.external_attr, offset)
            central.append(
                _CENTRAL_HEADER.pack(0x02014B50, made_by, 20, *stamp, *sizes, *attributes) + name
            )
        directory = b"".join(central)
        start = len(out)
        out += directory
        out += _END_RECORD.pack(
            0x06054B50, 0, 0, len(central), len(central), len(directory), start, 0
        )
        return bytes(out)


_TAG = re.compile(r"\{[\{%#]")
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
# docxtpl tags that add, remove or widen table cells (``{%tc``, ``{{tc``, colspan, hm, vm):
# only they can make a row's cells disagree with its table grid, which fix_tables repairs.
_CELL_TAGS = re.compile(r"(?:\{%|\{\{)tc |\{%-?\s*(?:colspan|hm|vm)\b")
_XML_TAG = re.compile(r"<[^>]+>")
_DEFLATE_LEVEL = 1


@dataclass(frozen=True)
class _Part:
    """A rendered zip member: its compiled template, docxtpl's source and part, encoding."""

    template: Template
    source: str
    part: Any
    encoding: str


class FastTemplate:
    """A DOCX template prepared once: docxtpl's XML patching and the Jinja compilation done,
    the zip kept in memory. Each :meth:`render` renders only ``word/document.xml`` (and the
    headers, footers and footnotes that hold tags) and writes a new zip around them.

    The XML is the one ``DocxTemplate(path).render(context, jinja_environment(),
    autoescape=True)`` makes: docxtpl's ``patch_xml`` prepares the same source, the same
    compiled Jinja template renders it, and the post-processing of ``render_xml_part``
    (paragraph breaks, escaped braces, ``resolve_listing``) is applied, as ``str.replace``
    instead of regular expressions (a test checks that both give the same string on every
    shipped template). docxtpl's ``fix_tables`` runs only for templates whose tags can change
    the number of cells in a row (it parses the whole body for nothing otherwise), and the
    drawing ids are renumbered only when the body has drawings. A template the fast path
    cannot handle (tags in the document properties, zip64) is rendered with plain docxtpl
    through :func:`actes.documents.render.render_template`; :attr:`fast` tells which.
    """

    def __init__(self, path: Path) -> None:
        from docxtpl import DocxTemplate
        from lxml import etree  # type: ignore[import-untyped]

        self.path = path
        require_template(path)
        raw = path.read_bytes()
        self.sha256 = hashlib.sha256(raw).hexdigest()
        self.fast = True
        self.fixes_tables = False
        self.renumbers_drawings = False
        self._env = _CompiledEnvironment(jinja_environment())
        self._docx = DocxTemplate(io.BytesIO(raw))
        self._docx.init_docx()
        self._docx.resolve_listing = _skip_plain_listing(self._docx.resolve_listing)
        self._parts: dict[str, _Part] = {}
        try:
            self._shell = _ZipShell(raw)
            self._check_properties()
            document = self._docx.docx
            root = copy.deepcopy(document._element)
            marker = etree.Comment("actes-body")
            root.replace(root.body, marker)
            shell = etree.tostring(root, encoding="UTF-8", standalone=True).decode("utf-8")
            if shell.count("<!--actes-body-->") != 1:
                raise _Unsupported("corps du document introuvable")
            self._prefix, self._suffix = shell.split("<!--actes-body-->")
            source = self._docx.get_xml()
            body = self._docx.patch_xml(source)
            self._body = _Part(self._compile(body), body, document.part, "")
            self.fixes_tables = bool(
                _CELL_TAGS.search(_XML_TAG.sub("", source))
            ) or not self._grid_consistent(body)
            self.renumbers_drawings = "docPr" in body
            self._prepare_parts()
        except _Unsupported:
            self.fast = False
        except TemplateError as exc:
            raise template_error(path, exc) from None

    @property
    def rendered_parts(self) -> tuple[str, ...]:
        """The zip members rendered for each case; every other member is copied as is."""
        return ("word/document.xml", *self._parts) if self.fast else ()

    def _check_properties(self) -> None:
        properties = self._docx.docx.core_properties
        for name in _PROPERTIES:
            if _TAG.search(getattr(properties, name) or ""):
                raise _Unsupported(f"balise dans la propriété {name}")

    def _grid_consistent(self, body: str) -> bool:
        """Whether fix_tables leaves the template's own tables unchanged: then rows repeated
        or removed whole by ``{%tr %}`` cannot need it either."""
        from lxml import etree

        parser = etree.XMLParser(recover=True)
        before = etree.tostring(etree.fromstring(body, parser=parser))
        return bool(before == etree.tostring(self._docx.fix_tables(body)))

    def _compile(self, source: str) -> Template:
        # What render_xml_part hands to from_string (its exact input): a syntax error shows
        # before the first case and no worker compiles twice.
        return self._env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", source))

    def _prepare_parts(self) -> None:
        docx = self._docx
        for uri in (docx.HEADER_URI, docx.FOOTER_URI):
            for _, part in docx.get_headers_footers(uri):
                xml = docx.get_part_xml(part)
                patched = docx.patch_xml(xml)
                if _TAG.search(patched):
                    encoding = docx.get_headers_footers_encoding(xml)
                    self._parts[str(part.partname).lstrip("/")] = _Part(
                        self._compile(patched), patched, part, encoding
                    )
        for part in docx.docx.part.package.parts:
            if part.content_type == _FOOTNOTES:
                blob = part.blob
                patched = docx.patch_xml(blob.decode("utf-8") if isinstance(blob, bytes) else blob)
                if _TAG.search(patched):
                    self._parts[str(part.partname).lstrip("/")] = _Part(
                        self._compile(patched), patched, part, ""
                    )

    def render_part(self, name: str, context: Mapping[str, Any]) -> str:
        """The XML of one rendered part (``word/document.xml``: the body only), as docxtpl's
        ``render_xml_part`` returns it."""
        part = self._body if name == "word/document.xml" else self._parts[name]
        docx = self._docx
        docx.current_rendering_part = part.part
        try:
            xml = part.template.render(context)
        except TemplateError:
            # docxtpl's own call raises the same error with the text around it.
            docx.render_xml_part(part.source, part.part, context, self._env)
            raise
        # render_xml_part's re.sub(r"\n<w:p([ >])", r"<w:p\1", ...) and brace unescaping.
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%")
        return str(docx.resolve_listing(xml.replace("%_}", "%}")))

    def render(self, context: Mapping[str, Any]) -> bytes:
        """The rendered DOCX as bytes; template problems become :class:`RenderError`."""
        entete = context.get("entete")
        if not self.fast or (isinstance(entete, Mapping) and entete.get("logo_fichier")):
            # The firm's logo adds an image part to the package: docxtpl's own path does.
            return render_template(self.path, context)
        values = dict(context)
        try:
            body = self.render_part("word/document.xml", values)
            if self.fixes_tables or self.renumbers_drawings:
                body = self._fix_body(body)
            replaced = {"word/document.xml": (self._prefix + body + self._suffix).encode("utf-8")}
            for name, part in self._parts.items():
                rendered = self.render_part(name, values)
                if part.encoding:
                    header = f"<?xml version='1.0' encoding='{part.encoding}' standalone='yes'?>\n"
                    replaced[name] = (header + rendered).encode(part.encoding)
                else:
                    replaced[name] = rendered.encode("utf-8")
        except TemplateError as exc:
            raise template_error(self.path, exc) from None
        return self._shell.write(replaced)

    def _fix_body(self, body: str) -> str:
        from lxml import etree

        if self.fixes_tables:
            tree = self._docx.fix_tables(body)
        else:
            tree = etree.fromstring(body, parser=etree.XMLParser(recover=True))
        for number, element in enumerate(tree.iter(_DOCPR), start=1001):
            element.attrib["id"] = str(number)
        return str(etree.tostring(tree, encoding="unicode"))


def _skip_plain_listing(resolve: Callable[[str], str]) -> Callable[[str], str]:
    """docxtpl's ``resolve_listing`` only rewrites tab, bell, newline and form-feed characters
    inside text runs; rendered XML holding none of them comes back unchanged, so its three
    nested regular expressions (a seventh of the per-case time) are skipped."""

    def resolve_if_needed(xml: str) -> str:
        if any(char in xml for char in "\t\a\n\f"):
            return resolve(xml)
        return xml

    return resolve_if_needed


_TEMPLATES: dict[tuple[str, int, int], FastTemplate] = {}
_TEMPLATES_LOCK = threading.Lock()


def _prepared(path: Path) -> FastTemplate:
    """The template prepared once per process (again only if the file changes)."""
    stat = path.stat() if path.is_file() else None
    key = (str(path), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)
    with _TEMPLATES_LOCK:
        template = _TEMPLATES.get(key)
        if template is None:
            template = FastTemplate(path)
            _TEMPLATES[key] = template
    return template


# =========================================================================== worker side


@dataclass(frozen=True)
class JobSpec:
    """What every case of the batch shares. ``outdir`` is ``None`` when workers do not see
    the client's disk: they then send the files' bytes back, open no path of the client and
    use the files of ``workspace`` it sent (:mod:`actes.portfolio.remote`)."""

    procedure_id: str
    au: dt.date
    pdf: bool = False
    outdir: str | None = None
    workspace: WorkspaceBundle | None = None


@dataclass(frozen=True)
class CaseTask:
    """One case: its data, where it comes from (``source``, a label; ``folder``, None for a
    worker that cannot read the client's disk) and, for such a worker, the problems of its
    pièces found on the client (``piece_issues``)."""

    index: int
    key: str
    data: Mapping[str, Any]
    source: str
    folder: str | None = None
    piece_issues: tuple[DataIssue, ...] = ()


@dataclass(frozen=True)
class OutputFile:
    name: str
    sha256: str
    size: int
    content: bytes | None = None


@dataclass(frozen=True)
class CaseResult:
    """A rendered case (``outputs``) or a rejected one (``error`` and/or ``issues``).

    ``fatal`` names an installation problem (missing LibreOffice, broken definition) that
    stops the whole batch; exceptions do not travel well between processes, strings do.
    """

    index: int
    key: str
    outputs: tuple[OutputFile, ...] = ()
    error: str = ""
    hint: str = ""
    issues: tuple[DataIssue, ...] = ()
    fatal: str = ""

    @property
    def ok(self) -> bool:
        return not (self.error or self.issues or self.fatal)


_FATAL: dict[str, type[ActesError]] = {
    "DefinitionError": DefinitionError,
    "EnvironmentProblem": EnvironmentProblem,
    "OutputProblem": OutputProblem,
}


def _documents(job: JobSpec, task: CaseTask) -> list[tuple[str, bytes]]:
    """Validate, check preconditions, build the context and render: (file name, bytes)."""
    if job.outdir is None:  # a worker that does not see the client's disk
        workspace = materialize(job.workspace) if job.workspace is not None else None
        with exact_workspace_scope(workspace):
            return _documents_in_scope(job, task, None)
    folder = Path(task.folder) if task.folder else None
    with workspace_scope(folder):
        return _documents_in_scope(job, task, folder)


def _documents_in_scope(
    job: JobSpec, task: CaseTask, folder: Path | None
) -> list[tuple[str, bytes]]:
    issues = issues_of(task.data, file=task.source, folder=folder, au=job.au)
    # The pièce checks the client made on its disk; sorted as validation sorts its issues.
    extra = [issue for issue in task.piece_issues if issue not in issues]
    if extra:
        issues = sorted([*issues, *extra], key=lambda issue: (issue.json_path, issue.message))
    if issues:
        raise CaseError(task.source, issues)
    case = case_from_data(task.data, path=Path(task.source) if task.folder else None)
    version = load_registry().get(job.procedure_id).for_case(case, job.au)
    if version.case_schema is not None:
        issues = issues_of(
            task.data,
            file=task.source,
            folder=folder,
            au=job.au,
            extra_schema=version.case_schema,
        )
        if issues:
            raise CaseError(task.source, issues)
    plan = plan_documents(job.procedure_id, case, job.au, source=task.source)
    return [
        (name, _prepared(template).render(plan.context_for(spec)))
        for spec, template, name in plan.documents
    ]


def _render_case(job: JobSpec, task: CaseTask, target: Path) -> CaseResult:
    try:
        documents = _documents(job, task)
    except CaseError as error:
        return CaseResult(task.index, task.key, issues=error.issues)
    except (DefinitionError, EnvironmentProblem) as error:
        return CaseResult(
            task.index, task.key, error=error.message, hint=error.hint, fatal=type(error).__name__
        )
    except ActesError as error:
        return CaseResult(
            task.index, task.key, error=error.message, hint=error.hint, issues=error.issues
        )
    except Exception as exc:  # one bad case must not stop ten thousand
        return CaseResult(
            task.index,
            task.key,
            error=f"erreur interne : {type(exc).__name__}: {exc}",
            hint="signalez-la aux développeurs d'actes avec la ligne du portefeuille",
        )
    outputs = []
    try:
        for name, data in documents:
            atomic_write(target / name, data, durable=False)
            outputs.append(OutputFile(name, hashlib.sha256(data).hexdigest(), len(data)))
    except OutputProblem as error:  # full disk, read-only folder: stops the batch
        for output in outputs:
            (target / output.name).unlink(missing_ok=True)
        return CaseResult(
            task.index, task.key, error=error.message, hint=error.hint, fatal="OutputProblem"
        )
    return CaseResult(task.index, task.key, outputs=tuple(outputs))


def render_chunk(job: JobSpec, tasks: Sequence[CaseTask]) -> list[CaseResult]:
    """Render a chunk of cases in this process (the unit of work sent to an executor).

    With ``job.pdf`` every DOCX of the chunk is converted by one LibreOffice call. When
    ``job.outdir`` is ``None`` the files are made in a private folder and returned as bytes.
    """
    with contextlib.ExitStack() as stack:
        if job.outdir is None:
            target = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="actes-")))
        else:
            target = Path(job.outdir)
        results = [_render_case(job, task, target) for task in tasks]
        if job.pdf:
            results = _add_pdfs(results, target)
        if job.outdir is None:
            results = [_with_content(result, target) for result in results]
    return results


def _add_pdfs(results: list[CaseResult], target: Path) -> list[CaseResult]:
    from actes.documents.pdf import docx_to_pdf, find_soffice

    good = [r for r in results if r.ok]
    sources = [target / o.name for r in good for o in r.outputs if o.name.endswith(".docx")]
    if not sources:
        return results
    converted: dict[int, CaseResult] = {}
    failed: dict[int, EnvironmentProblem] = {}
    try:
        docx_to_pdf(sources, target)
        converted = {r.index: r for r in good}
    except EnvironmentProblem as error:
        if find_soffice() is None:
            return [_fatal(r, error) if r.ok else r for r in results]
        # Find the culprit(s): one call per case of this chunk, then carry on.
        for result in good:
            try:
                docx_to_pdf([target / o.name for o in result.outputs], target)
                converted[result.index] = result
            except EnvironmentProblem as single:
                failed[result.index] = single
    final = []
    for result in results:
        if result.index in failed:
            problem = failed[result.index]
            for output in result.outputs:
                with contextlib.suppress(FileNotFoundError):
                    (target / output.name).unlink()
            final.append(
                CaseResult(
                    result.index,
                    result.key,
                    error=f"conversion PDF impossible : {problem.message}",
                    hint=problem.hint,
                )
            )
        elif result.index in converted:
            pdfs = []
            for output in result.outputs:
                pdf = target / (Path(output.name).stem + ".pdf")
                data = pdf.read_bytes()
                pdfs.append(OutputFile(pdf.name, hashlib.sha256(data).hexdigest(), len(data)))
            final.append(CaseResult(result.index, result.key, outputs=(*result.outputs, *pdfs)))
        else:
            final.append(result)
    return final


def _fatal(result: CaseResult, error: ActesError) -> CaseResult:
    return CaseResult(
        result.index, result.key, error=error.message, hint=error.hint, fatal=type(error).__name__
    )


def _with_content(result: CaseResult, target: Path) -> CaseResult:
    if not result.ok:
        return result
    outputs = tuple(
        OutputFile(o.name, o.sha256, o.size, (target / o.name).read_bytes())
        for o in result.outputs
    )
    return CaseResult(result.index, result.key, outputs=outputs)


# =========================================================================== executors


class Executor(abc.ABC):
    """Runs a function over items somewhere, yielding results as they finish.

    ``workers`` sizes the chunks; ``shares_filesystem`` says whether workers can write into
    the output folder themselves (else they return the bytes).
    """

    workers: int = 1
    shares_filesystem: bool = True

    @abc.abstractmethod
    def map_unordered(self, fn: Callable[[_T], _R], items: Iterable[_T]) -> Iterator[_R]:
        """``fn(item)`` for each item, at most a few items ahead of the results consumed."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the workers (nothing to do by default)."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_PR_SET_PDEATHSIG = 1
LIVENESS_SECONDS = 0.5
"""How often a worker checks that the batch that started it is still alive."""


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux ``/proc``; empty elsewhere), parents first."""
    children: dict[int, list[int]] = {}
    with contextlib.suppress(OSError):
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text("ascii", errors="replace")
                parent = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    queue = [pid]
    while queue:
        below = children.get(queue.pop(0), [])
        found.extend(below)
        queue.extend(below)
    return found


def _orphaned(*_: object) -> None:
    """The batch that started this worker is gone: stop its LibreOffice, then this worker,
    at once (no more files written into the output folder, the output lock released)."""
    for child in _descendants(os.getpid()):
        with contextlib.suppress(OSError):
            os.kill(child, signal.SIGKILL)
    os._exit(1)


def _watch_parent(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            _orphaned()
        time.sleep(LIVENESS_SECONDS)


def _quiet_worker(parent: int | None = None) -> None:
    """Initializer of every worker process.

    Ctrl-C reaches every process of the terminal's group: only the parent handles it. A
    worker must not outlive its batch (``kill -9`` of the parent would leave it rendering and
    holding the output lock): on Linux the kernel sends it SIGTERM when the parent dies
    (``PR_SET_PDEATHSIG``), and a thread also checks every :data:`LIVENESS_SECONDS` that the
    parent is still its parent (other systems, and a parent dead before ``prctl`` ran). Either
    way :func:`_orphaned` kills the worker's own children (LibreOffice) and exits.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is None:
        return
    signal.signal(signal.SIGTERM, _orphaned)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:
        _orphaned()
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


class LocalExecutor(Executor):
    """This machine: in this process for ``jobs == 1``, else a pool of ``jobs`` processes."""

    def __init__(self, jobs: int | None = None) -> None:
        self.workers = max(1, jobs or os.cpu_count() or 1)
        self._pool: cf.ProcessPoolExecutor | None = None

    def map_unordered(self, fn: Callable[[_T], _R], items: Iterable[_T]) -> Iterator[_R]:
        if self.workers == 1:
            yield from map(fn, items)
            return
        if self._pool is None:
            self._pool = cf.ProcessPoolExecutor(
                self.workers, initializer=_quiet_worker, initargs=(os.getpid(),)
            )
        pool = self._pool
        source = iter(items)
        running: set[cf.Future[_R]] = set()
        ahead = 2 * self.workers
        try:
            for item in itertools.islice(source, ahead):
                running.add(pool.submit(fn, item))
            while running:
                done, running = cf.wait(running, return_when=cf.FIRST_COMPLETED)
                for future in done:
                    yield future.result()
                for item in itertools.islice(source, len(done)):
                    running.add(pool.submit(fn, item))
        finally:
            for future in running:
                future.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor(Executor):
    """A ``dask.distributed`` cluster (``pip install actes[dask]``).

    Give a scheduler address (``tcp://host:8786``) or a ready ``Client``. Workers need actes
    installed; they send the files back, so no shared disk is needed.
    """

    shares_filesystem = False

    def __init__(self, address: str | None = None, *, client: Any = None) -> None:
        try:
            distributed: Any = importlib.import_module("distributed")
        except ImportError:
            raise EnvironmentProblem(
                "dask.distributed n'est pas installé : --executor dask est impossible.",
                hint="pip install 'actes[dask]'",
            ) from None
        if client is None:
            if not address:
                raise UsageProblem(
                    "--executor dask demande l'adresse du planificateur.",
                    hint="ajoutez --scheduler tcp://hôte:8786",
                )
            try:
                client = distributed.Client(address, timeout=30)
            except OSError as exc:
                raise EnvironmentProblem(
                    f"Planificateur Dask injoignable ({address}) : {exc}",
                    hint="vérifiez l'adresse et que « dask scheduler » tourne",
                ) from None
            self._owned = True
        else:
            self._owned = False
        self.client = client
        workers = client.scheduler_info().get("workers", {})
        self.workers = max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def map_unordered(self, fn: Callable[[_T], _R], items: Iterable[_T]) -> Iterator[_R]:
        distributed: Any = importlib.import_module("distributed")
        source = iter(items)
        ahead = 2 * self.workers
        submitted = {
            self.client.submit(fn, item, pure=False) for item in itertools.islice(source, ahead)
        }
        if not submitted:
            return
        pending = distributed.as_completed(list(submitted))
        try:
            for future in pending:
                result = future.result()
                submitted.discard(future)
                future.release()
                for item in itertools.islice(source, 1):
                    new = self.client.submit(fn, item, pure=False)
                    submitted.add(new)
                    pending.add(new)
                yield result
        finally:
            for future in submitted:
                future.cancel()

    def close(self) -> None:
        if self._owned:
            self.client.close()


def make_executor(kind: str, *, jobs: int | None = None, scheduler: str | None = None) -> Executor:
    """``local`` or ``dask``, from the command line options."""
    if kind == "local":
        return LocalExecutor(jobs)
    if kind == "dask":
        return DaskExecutor(scheduler)
    raise UsageProblem(f"Exécuteur inconnu : « {kind} ».", hint="choisissez local ou dask")


# =========================================================================== client side


def templates_checksum(procedure: Procedure) -> str:
    """SHA-256 over every template any version of the procedure may render."""
    digest = hashlib.sha256()
    for name in sorted({d.template for v in procedure.versions for d in v.documents}):
        path = data_file("templates", name)
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"-")
    return digest.hexdigest()


def case_key(
    data: Mapping[str, Any], procedure_id: str, au: dt.date, templates: str, *, pdf: bool
) -> str:
    """The resume key: same case, procedure, date, templates and outputs → same files."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # surrogatepass: a lone surrogate (refused later, in the worker) must not stop the batch.
    digest = hashlib.sha256(canonical.encode("utf-8", "surrogatepass"))
    kind = "docx+pdf" if pdf else "docx"
    digest.update(
        f"\0{procedure_id}\0{au.isoformat()}\0{templates}\0{kind}\0{__version__}".encode()
    )
    return digest.hexdigest()


@dataclass
class BatchReport:
    """What a batch did. ``rows_read == rows_rendered + rows_rejected`` always holds."""

    outdir: Path
    rows_read: int = 0
    blank_rows: int = 0
    cases: int = 0
    rendered: int = 0
    skipped: int = 0
    rejected: int = 0
    rows_rendered: int = 0
    rows_rejected: int = 0
    documents: int = 0
    pdfs: int = 0
    interrupted: bool = False
    from_folder: bool = False

    @property
    def manifest(self) -> Path:
        return self.outdir / MANIFEST

    @property
    def errors(self) -> Path:
        return self.outdir / ERRORS

    def as_dict(self) -> dict[str, Any]:
        return {
            "lignes_lues": self.rows_read,
            "lignes_vides": self.blank_rows,
            "dossiers": self.cases,
            "dossiers_produits": self.rendered + self.skipped,
            "dossiers_deja_faits": self.skipped,
            "dossiers_rejetes": self.rejected,
            "lignes_produites": self.rows_rendered,
            "lignes_rejetees": self.rows_rejected,
            "documents": self.documents,
            "pdf": self.pdfs,
            "interrompu": self.interrupted,
        }


_MANIFEST_HEADER = ("fichier", "sha256", "octets", "dossier", "lignes")
_ERRORS_HEADER = (
    "source", "lignes", "dossier", "ligne", "colonne", "chemin", "message", "correction", "regle"
)  # fmt: skip


class _Journal:
    """Append-only record of finished cases: one JSON line per case, after its files.

    A line cut by a crash is ignored on reading (the case is rendered again). At the end of
    a run the journal is rewritten with the current input's cases only.
    """

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.path = outdir / STATE_DIR / JOURNAL
        self.entries: dict[str, dict[str, Any]] = {}
        if self.path.is_file():
            raw = self.path.read_bytes()
            for line in raw.splitlines():
                with contextlib.suppress(ValueError):
                    entry = json.loads(line)
                    if isinstance(entry, dict) and "key" in entry:
                        self.entries[entry["key"]] = entry
            if raw and not raw.endswith(b"\n"):
                with self.path.open("ab") as handle:
                    handle.write(b"\n")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._pending: list[str] = []

    def done(self, key: str) -> dict[str, Any] | None:
        """The entry of a finished case whose files are all still there, unchanged (same
        size and SHA-256: documents are not forced to disk one by one, so a power cut may
        have left one empty or truncated), else ``None``."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        for name, sha256, size in entry["outputs"]:
            try:
                content = (self.outdir / name).read_bytes()
            except OSError:
                return None
            if len(content) != size or hashlib.sha256(content).hexdigest() != sha256:
                return None
        return entry

    def record(self, key: str, reference: str, rows: str, outputs: Sequence[OutputFile]) -> None:
        entry = {
            "key": key,
            "dossier": reference,
            "lignes": rows,
            "outputs": [[o.name, o.sha256, o.size] for o in outputs],
        }
        self.entries[key] = entry
        self._pending.append(json.dumps(entry, ensure_ascii=False) + "\n")

    def write(self) -> None:
        """Append the lines recorded since the last call (one write per chunk of cases)."""
        if self._pending:
            os.write(self._fd, "".join(self._pending).encode("utf-8"))
            self._pending.clear()

    def sync(self) -> None:
        self.write()
        os.fsync(self._fd)

    def compact(self, keys: Iterable[str]) -> None:
        lines = [
            json.dumps(self.entries[k], ensure_ascii=False) for k in keys if k in self.entries
        ]
        self._pending.clear()  # in self.entries, hence in the rewritten journal
        os.close(self._fd)
        atomic_write(self.path, "".join(line + "\n" for line in lines))
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)

    def close(self) -> None:
        self.write()
        os.close(self._fd)


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    buffer = io.StringIO()
    writer = SafeWriter(buffer, delimiter=CSV_DELIMITER, lineterminator="\n")  # no formula
    writer.writerow(header)
    writer.writerows(rows)
    # BOM: spreadsheets then read the accents right. A value that is not valid text (a lone
    # surrogate in a rejected case's reference) is written escaped, never fatal.
    atomic_write(path, ("\ufeff" + buffer.getvalue()).encode("utf-8", "backslashreplace"))


def _record_history(run: _Run, case: PortfolioCase, result: CaseResult) -> None:
    """One ``document_generated`` line per case in the workspace's history (parent only)."""
    from actes.cases.case import case_from_data
    from actes.cases.journal import record_batch_case

    version = None
    # The worker rendered this case, so its version is known to exist; should the lookup
    # fail all the same, the line is written without it rather than stopping the batch.
    with contextlib.suppress(Exception):
        procedure = load_registry().get(run.procedure_id)
        version = procedure.for_case(case_from_data(case.data or {}), run.au)
    rows = f"ligne{'s' if len(case.rows) > 1 else ''} {_rows_label(case)}"
    case_file = case.folder / Path(case.source).name if case.folder is not None else None
    record_batch_case(
        case_file,
        f"{case.source} ({rows})",
        run.outdir,
        case.reference,
        run.procedure_id,
        version,
        run.au,
        [(output.name, output.sha256) for output in result.outputs],
        pdf=run.pdf,
    )


def _rows_label(case: PortfolioCase) -> str:
    return " ".join(str(r) for r in case.rows)


@dataclass
class _Claim:
    """The case that holds an output reference (its documents' names): its place in the
    portfolio, a label for messages, and whether it is valid (``None``: not known yet)."""

    index: int
    label: str
    valid: bool | None = None


@dataclass
class _Run:
    """The client side of one batch: bookkeeping of cases sent, finished and rejected."""

    procedure_id: str
    au: dt.date
    pdf: bool
    outdir: Path
    templates: str
    journal: _Journal
    report: BatchReport
    on_case: Callable[[int], None] | None
    remote: bool = False
    """Workers do not see this disk: tasks carry no path, the pièces are checked here."""
    workspace: Path | None = None
    """The workspace sent to remote workers (the portfolio's)."""
    pending: dict[int, PortfolioCase] = field(default_factory=dict)
    # Keyed by the case's place in the portfolio: the journal and errors.csv are written in
    # portfolio order, whatever order the workers finish in (a resumed run then writes the
    # same bytes as an uninterrupted one).
    done_keys: dict[int, str] = field(default_factory=dict)
    outputs: dict[str, tuple[str, int, str, str]] = field(default_factory=dict)
    errors: dict[int, list[tuple[Any, ...]]] = field(default_factory=dict)
    error_rows: int = 0
    references: dict[str, _Claim] = field(default_factory=dict)
    since_flush: int = 0
    last_flush: float = field(default_factory=time.monotonic)

    def tasks(self, cases: Iterable[PortfolioCase]) -> Iterator[CaseTask]:
        """The cases still to render; rejected and already-done ones are settled here."""
        for index, case in enumerate(cases):
            if case.data is None:
                self.reject(index, case, case.reasons)
                continue
            reference = re.sub(r"[^A-Za-z0-9._-]", "-", str(case.data.get("reference", "")))
            holder = self.references.get(reference) if reference else None
            if holder is None:
                self.references[reference] = _Claim(index, self._label(case))
            elif self._valid(case):
                if self._holder_valid(holder):
                    self.reject(
                        index,
                        case,
                        [
                            Reason(
                                f"référence de dossier « {case.reference} » déjà utilisée "
                                f"({holder.label}) : les documents s'écraseraient",
                                "donnez une référence unique à chaque dossier",
                                column="debiteur_reference" if not self.report.from_folder else "",
                                json_path="$.reference",
                                rule="batch.reference_double",
                            )
                        ],
                    )
                    continue
                # The holder is invalid: it writes no file, this valid case takes the name.
                self.references[reference] = _Claim(index, self._label(case), valid=True)
            # else: an invalid case writes no file either; it is refused for its own reasons.
            key = case_key(case.data, self.procedure_id, self.au, self.templates, pdf=self.pdf)
            entry = self.journal.done(key)
            if entry is not None:
                self.report.skipped += 1
                self._settled(index, case, rendered=True)
                self._accept(
                    index, case, key, [OutputFile(n, s, z) for n, s, z in entry["outputs"]]
                )
                continue
            if self.remote and case.folder is not None:
                if self._other_workspace(index, case):
                    continue
                self.pending[index] = case
                pieces = piece_issues(case.data, case.folder, case.source)
                yield CaseTask(index, key, case.data, case.source, piece_issues=pieces)
                continue
            self.pending[index] = case
            yield CaseTask(
                index,
                key,
                case.data,
                case.source,
                str(case.folder) if case.folder else None,
            )

    def _other_workspace(self, index: int, case: PortfolioCase) -> bool:
        """Reject a case of a workspace other than the one sent to remote workers."""
        own = active_workspace(case.folder)
        if own == self.workspace:
            return False
        self._settled(index, case, rendered=False)
        self.reject(
            index,
            case,
            [
                Reason(
                    f"dossier de l'espace de travail {own or '(aucun)'}, autre que celui du "
                    f"portefeuille ({self.workspace or 'aucun'}) : --executor dask n'envoie "
                    "aux machines de calcul que l'espace de travail du portefeuille",
                    "lancez un lot par espace de travail, ou --executor local",
                    rule="batch.espace_de_travail",
                )
            ],
        )
        return True

    @staticmethod
    def _label(case: PortfolioCase) -> str:
        return f"{Path(case.source).name} {_rows_label(case)}"

    def _valid(self, case: PortfolioCase) -> bool:
        """Whether the case passes ``actes validate`` (the worker's first check)."""
        if case.data is None:
            return False
        return not issues_of(case.data, file=case.source, folder=case.folder, au=self.au)

    def _holder_valid(self, holder: _Claim) -> bool:
        """Whether the case holding a reference is valid; decided the same way (by
        validation) whether it is still rendering or already settled, so that which case
        gets a shared reference does not depend on the workers' timing."""
        if holder.valid is None:
            case = self.pending.get(holder.index)
            holder.valid = case is not None and self._valid(case)
        return holder.valid

    def _settled(self, index: int, case: PortfolioCase, *, rendered: bool) -> None:
        """Record whether a case that holds a reference is valid, while its data is at hand
        (a rejected one is validated again: it may have failed after validation)."""
        if case.data is None:
            return
        reference = re.sub(r"[^A-Za-z0-9._-]", "-", str(case.data.get("reference", "")))
        claim = self.references.get(reference)
        if claim is not None and claim.index == index and claim.valid is None:
            claim.valid = rendered or self._valid(case)

    def reject(self, index: int, case: PortfolioCase, reasons: Sequence[Reason]) -> None:
        self.report.rejected += 1
        self.report.rows_rejected += len(case.rows)
        rows = _rows_label(case)
        errors = self.errors.setdefault(index, [])
        self.error_rows += len(reasons)
        for reason in reasons:
            errors.append(
                (
                    case.source,
                    rows,
                    case.reference,
                    reason.row if reason.row is not None else "",
                    reason.column,
                    reason.json_path,
                    reason.message,
                    reason.hint,
                    reason.rule,
                )
            )
        self._tick()

    def _accept(
        self, index: int, case: PortfolioCase, key: str, outputs: Sequence[OutputFile]
    ) -> None:
        self.report.rows_rendered += len(case.rows)
        self.done_keys[index] = key
        for output in outputs:
            self.outputs[output.name] = (
                output.sha256,
                output.size,
                case.reference,
                _rows_label(case),
            )
            if output.name.endswith(".pdf"):
                self.report.pdfs += 1
            else:
                self.report.documents += 1
        self._tick()

    def finish(self, result: CaseResult) -> None:
        case = self.pending.pop(result.index)
        if result.fatal:
            raise _FATAL.get(result.fatal, EnvironmentProblem)(result.error, hint=result.hint)
        if not result.ok:
            reasons = []
            if result.error:
                reasons.append(Reason(result.error, result.hint, rule="batch.rendu"))
            reasons.extend(case.explain(result.issues))
            self._settled(result.index, case, rendered=False)
            self.reject(result.index, case, reasons)
            return
        for output in result.outputs:
            if output.content is not None:
                atomic_write(self.outdir / output.name, output.content, durable=False)
        self.journal.record(result.key, case.reference, _rows_label(case), result.outputs)
        _record_history(self, case, result)
        self.report.rendered += 1
        self._settled(result.index, case, rendered=True)
        self._accept(result.index, case, result.key, result.outputs)

    def _tick(self) -> None:
        if self.on_case is not None:
            self.on_case(1)
        self.since_flush += 1
        # Every FLUSH_EVERY cases, or a tenth of those already listed if more: rewriting the
        # whole manifest then costs about ten rows per case whatever the portfolio's size
        # (every 100 cases, a portfolio of 100,000 would write 50 million rows).
        every = max(FLUSH_EVERY, (len(self.outputs) + self.error_rows) // 10)
        if self.since_flush >= every or time.monotonic() - self.last_flush > FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        self.journal.sync()
        rows = sorted(
            (name, sha, size, reference, lines)
            for name, (sha, size, reference, lines) in self.outputs.items()
        )
        _write_csv(self.outdir / MANIFEST, _MANIFEST_HEADER, rows)
        errors = (row for index in sorted(self.errors) for row in self.errors[index])
        _write_csv(self.outdir / ERRORS, _ERRORS_HEADER, errors)
        self.since_flush = 0
        self.last_flush = time.monotonic()


def _chunks(tasks: Iterator[CaseTask], size: int) -> Iterator[list[CaseTask]]:
    while chunk := list(itertools.islice(tasks, size)):
        yield chunk


def default_chunk_size(cases: int, workers: int, *, pdf: bool) -> int:
    """Cases per task: small for DOCX (smooth progress, little lost on a kill), larger with
    PDF so that each LibreOffice start converts many documents (at most 64 per call)."""
    if not pdf:
        return 8
    return max(1, min(64, -(-cases // max(1, workers))))


def run_batch(
    procedure_id: str,
    portfolio: Path,
    outdir: Path,
    *,
    au: dt.date,
    pdf: bool = False,
    creditor_file: Path | None = None,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    on_start: Callable[[int], None] | None = None,
    on_case: Callable[[int], None] | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> BatchReport:
    """Render ``procedure_id`` for every case of ``portfolio`` into ``outdir``.

    Rejected cases go to ``outdir/errors.csv`` with every reason; outputs are listed with
    their SHA-256 in ``outdir/manifest.csv``. Already rendered cases (same key) are skipped.
    ``on_start`` receives the number of cases, ``on_case`` is called once per settled case,
    ``on_notice`` receives messages for the user (a stale lock taken over; default: stderr).
    Raises :class:`ActesError` only for problems that concern the whole batch.
    """
    procedure = load_registry().get(procedure_id)
    templates = templates_checksum(procedure)
    creditor = load_creditor_file(creditor_file) if creditor_file else None
    source = open_portfolio(portfolio, creditor)
    outdir.mkdir(parents=True, exist_ok=True)
    report = BatchReport(
        outdir=outdir,
        rows_read=source.rows,
        blank_rows=source.blank_rows,
        cases=source.cases,
        from_folder=source.is_folder,
    )
    if on_start is not None:
        on_start(source.cases)
    owned = executor is None
    runner = executor or LocalExecutor()
    remote = not runner.shares_filesystem
    # Remote workers get the portfolio's workspace (letterhead, overlays) as content.
    workspace = active_workspace(portfolio if portfolio.is_dir() else None) if remote else None
    bundle = bundle_workspace(workspace) if workspace is not None else None
    lock = _lock(outdir, on_notice or _to_stderr)
    # Left by a run killed in the middle of a write (see actes._io.atomic_open).
    for stale in outdir.glob(".*.tmp"):
        stale.unlink(missing_ok=True)
    journal = _Journal(outdir)
    run = _Run(
        procedure_id,
        au,
        pdf,
        outdir,
        templates,
        journal,
        report,
        on_case,
        remote=remote,
        workspace=workspace,
    )
    job = JobSpec(procedure_id, au, pdf, None if remote else str(outdir.resolve()), bundle)
    size = chunk_size or default_chunk_size(source.cases, runner.workers, pdf=pdf)
    work = functools.partial(render_chunk, job)
    try:
        for results in runner.map_unordered(work, _chunks(run.tasks(source), size)):
            for result in results:
                run.finish(result)
            journal.write()
        journal.compact(run.done_keys[i] for i in sorted(run.done_keys))
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        if owned:
            runner.close()
        run.flush()
        journal.close()
        if report.interrupted:
            os.close(lock)  # the lock file keeps this PID: the next run says it took it over
        else:
            _unlock(lock)
    return report


def _to_stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


LOCK = "lock"
LOCK_WAIT_SECONDS = 10.0
"""How long a batch waits for the workers of a killed batch to let go of the output lock."""


def _process_start(pid: int) -> str:
    """The start time of ``pid`` (clock ticks since boot, Linux), "" when unknown: with the
    PID it tells a live owner from a new process that got the same PID."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text("ascii", errors="replace")
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _alive(pid: int, start: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    current = _process_start(pid)
    return not (start and current and current != start)


def _lock_owner(fd: int) -> tuple[int, str] | None:
    """The PID (and start time) written in the lock file by the batch that holds or held it."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = os.pread(fd, 200, 0).decode("ascii").split()
        return int(fields[0]), fields[1] if len(fields) > 1 else ""
    return None


def _holders(path: Path) -> list[int]:
    """The processes that have the lock file open (Linux ``/proc``; empty elsewhere)."""
    found = []
    target = str(path.resolve())
    with contextlib.suppress(OSError):
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            with contextlib.suppress(OSError):
                for fd in (entry / "fd").iterdir():
                    with contextlib.suppress(OSError):
                        if str(fd.readlink()) == target:
                            found.append(int(entry.name))
                            break
    return sorted(found)


def _lock(outdir: Path, notice: Callable[[str], None]) -> int:
    """One batch at a time per output folder.

    The lock is a ``flock`` on ``.actes-batch/lock``, which holds the owner's PID (and start
    time) while it runs and is emptied at a clean end. The kernel releases a ``flock`` with
    the last process that has the file open: the owner, and its workers (which die with it,
    see :func:`_quiet_worker`). A lock that is busy although its owner is gone is held by
    workers of a killed batch that are still stopping: they are waited for up to
    :data:`LOCK_WAIT_SECONDS`. A lock file naming an owner that is gone is stale: it is
    taken over, and ``notice`` says so.
    """
    import fcntl

    path = outdir / STATE_DIR / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            owner = _lock_owner(fd)
            if owner is not None and _alive(*owner):
                os.close(fd)
                raise UsageProblem(
                    f"Un autre « actes batch » (processus {owner[0]}) écrit déjà dans {outdir}.",
                    hint="attendez sa fin ou choisissez un autre dossier de sortie",
                ) from None
            if time.monotonic() > deadline:
                os.close(fd)
                holders = " ".join(str(p) for p in _holders(path)) or "inconnus"
                gone = f"processus {owner[0]} disparu" if owner else "propriétaire inconnu"
                raise UsageProblem(
                    f"Le verrou de {outdir} est tenu par des processus restés d'un « actes "
                    f"batch » arrêté ({gone}) : {holders}.",
                    hint=f"arrêtez-les (kill {holders}) puis relancez ; le travail fait est "
                    "repris",
                ) from None
            time.sleep(0.1)
    previous = _lock_owner(fd)
    if previous is not None and previous[0] != os.getpid():
        notice(
            f"Verrou périmé dans {outdir} : le « actes batch » qui le tenait (processus "
            f"{previous[0]}) a été arrêté sans finir. Verrou repris ; le travail déjà fait "
            "est conservé et la suite reprend."
        )
    mine = f"{os.getpid()} {_process_start(os.getpid())}\n".encode("ascii")
    os.ftruncate(fd, 0)
    os.pwrite(fd, mine, 0)
    return fd


def _unlock(fd: int) -> None:
    """A clean end: the lock file is emptied (no stale owner), then released."""
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
    os.close(fd)
