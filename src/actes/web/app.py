"""The local web page of ``actes serve``: the cases of a folder, their deadlines, amounts and
next step, a case form generated from the JSON Schema, document rendering and pièce upload.

The page keeps the command line's guarantees:

- every path comes from the list of cases found in the folder, and is resolved and checked to
  stay inside it (a symbolic link pointing outside is refused);
- case files are written only once everything is valid, through :mod:`actes.cases.casestore`: under
  the case's exclusive lock, only if the file is still the version the form was built from
  (its SHA-256, carried by the form), atomically. A stale save is refused (409) and shown
  with both versions; the refused version is kept as a draft in ``DIR/.actes-brouillons/``.
  A pièce upload re-reads the current file inside the lock and appends to it, so two uploads,
  or an upload and a save, never lose each other's edit. A new case is created with an
  exclusive ``mkdir``: two cases with the same reference cannot overwrite each other;
- every POST carries a per-session CSRF token, checked before anything else;
- an uploaded pièce must be a real PDF (``%PDF-`` and pypdf opens it, not encrypted), at most
  :data:`MAX_UPLOAD` bytes, under a name that :func:`werkzeug.utils.secure_filename` keeps
  unchanged (shortened to :data:`MAX_NAME` characters), and is never written over an
  existing file; its JavaScript, automatic and launch actions are removed
  (:mod:`actes.documents.pdfsafety`) before it is stored;
- a pièce is served only from the case's ``pieces/`` folder, only if it is a PDF, as a
  download;
- rendered documents are written to a fresh folder per request under ``DIR/.actes-out/`` and
  served only from there, only to the session that asked for them;
- data is shown through Jinja autoescaping only, under a Content-Security-Policy that allows
  no script at all; every response but the style sheet carries ``Cache-Control: no-store``
  (the pages show bank details).

With ``password_hash`` (``actes serve --host`` other than loopback), every page needs a
login: a password form, checked against the scrypt hash with a constant-time comparison,
then a signed session cookie; repeated failures from one address are refused for a while.
"""

from __future__ import annotations

import base64
import datetime as dt
import difflib
import hashlib
import io
import re
import secrets
import shutil
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask.globals import request_ctx
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.utils import secure_filename

from actes._io import atomic_write, decode_input, load_document, parse_document, read_input
from actes._paths import workspace_scope
from actes.cases import journal
from actes.cases.case import PIECES_FOLDER, Case, load_case
from actes.cases.case import issues_of as case_issues
from actes.cases.casestore import create_case, update_case, write_case
from actes.cases.events import follow_ups, record_event
from actes.cases.piececheck import pdf_problem
from actes.cases.schema import case_schema
from actes.documents import packet, render
from actes.documents.formatting import format_amount, format_date_long, format_date_short
from actes.documents.pdfsafety import sanitize_pdf
from actes.errors import ActesError, ConflictError, DataIssue, InputError, RateMissing
from actes.law import accounts, assistant, money
from actes.law.procedures import load_registry
from actes.law.timeline import CaseDeadline, case_deadlines
from actes.web import checks, forms, frenchinput, previews, wording
from actes.web.casefile import dump_case, merge_versions
from actes.web.history import history_rows, web_actor
from actes.web.listing import CaseListing
from actes.workspace import firm_for

__all__ = [
    "DRAFTS_FOLDER",
    "MAX_NAME",
    "MAX_UPLOAD",
    "OUTPUT_FOLDER",
    "create_app",
    "hash_password",
    "verify_password",
]

MAX_UPLOAD = 20 * 1024 * 1024
"""Largest request accepted (a pièce and the form around it), in bytes."""

OUTPUT_FOLDER = ".actes-out"
"""Folder of the cases directory that receives rendered documents, one subfolder per request."""

DRAFTS_FOLDER = ".actes-brouillons"
"""Folder of the cases directory that keeps the versions refused by a conflicting save."""

MAX_NAME = 100
"""Longest pièce file name and new case folder name kept, in characters."""

_OUTPUT_TTL = 24 * 3600
_CASE_NAMES = ("dossier.yaml", "dossier.yml", "dossier.json")
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_SAFE_REFERENCE = re.compile(r"[^A-Za-z0-9._-]")


# ---------------------------------------------------------------------------------------------
# Where the cases are, and the only way to reach one of their files.


@dataclass(frozen=True)
class CaseFile:
    """A case file found in the cases folder; ``key`` names it in URLs."""

    key: str
    path: Path
    folder: Path
    root: Path

    @property
    def relative(self) -> str:
        return self.path.relative_to(self.root).as_posix()


def _inside(root: Path, path: Path) -> Path | None:
    """``path`` resolved (links followed) if it stays inside ``root``, else ``None``."""
    resolved = path.resolve()
    return resolved if resolved.is_relative_to(root) else None


def discover_cases(root: Path) -> list[CaseFile]:
    """Every ``*/dossier.yaml`` (``.yml``, ``.json``) and top-level ``*.yaml`` case file."""
    found: list[CaseFile] = []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            folder = _inside(root, entry)
            if folder is None:
                continue
            for name in _CASE_NAMES:
                candidate = entry / name
                path = _inside(root, candidate) if candidate.is_file() else None
                if path is not None and path.parent == folder:
                    found.append(CaseFile(entry.name, path, folder, root))
                    break
        elif entry.suffix in (".yaml", ".yml") and entry.is_file():
            path = _inside(root, entry)
            if path is not None and path.parent == root:
                found.append(CaseFile(entry.name, path, root, root))
    return found


def find_case(root: Path, key: str) -> CaseFile:
    """The case named ``key`` (404 if the folder holds no such case)."""
    for case_file in discover_cases(root):
        if case_file.key == key:
            return case_file
    abort(404)


# ---------------------------------------------------------------------------------------------
# What the pages show about a case.


@dataclass
class CaseView:
    """A case as loaded for display: the typed case, or why it could not be loaded."""

    file: CaseFile
    case: Case | None = None
    data: Any = None
    error: ActesError | None = None
    assessment: assistant.Assessment | None = None
    assessment_error: str = ""
    decompte: money.Decompte | None = None
    decompte_error: str = ""
    decompte_failure: ActesError | None = None
    deadlines: list[CaseDeadline] = field(default_factory=list)
    deadlines_error: str = ""

    @property
    def reference(self) -> str:
        if self.case is not None:
            return self.case.reference
        if isinstance(self.data, Mapping) and isinstance(self.data.get("reference"), str):
            return str(self.data["reference"])
        return self.file.key

    @property
    def debtor(self) -> str:
        if self.case is not None:
            return self.case.debiteur.name
        return ""

    @property
    def next_deadline(self) -> CaseDeadline | None:
        upcoming = [d for d in self.deadlines if d.status in ("a_venir", "aujourd_hui")]
        return upcoming[0] if upcoming else None

    @property
    def error_line(self) -> str:
        if self.error is None:
            return ""
        first = self.error.issues[0].format() if self.error.issues else ""
        more = len(self.error.issues) - 1
        tail = f" (et {more} autre{'s' if more > 1 else ''})" if more > 0 else ""
        return f"{self.error.message} {_short(first)}{tail}".strip()


def _short(text: str) -> str:
    # Issues name their file; the page already says which case it is.
    return re.sub(r"^\S*/", "", text)


def load_view(case_file: CaseFile, au: dt.date, *, full: bool = True) -> CaseView:
    view = CaseView(case_file)
    try:
        view.data = load_document(case_file.path)
        view.case = load_case(case_file.path, au=au)
    except ActesError as error:
        view.error = error
        return view
    try:
        view.deadlines = case_deadlines(view.case, au)
    except ActesError as error:
        view.deadlines_error = error.format()
    try:
        view.assessment = assistant.next_steps(view.case, au)
    except ActesError as error:
        view.assessment_error = error.format()
    if full or view.assessment is not None:
        try:
            view.decompte = accounts.decompte_for_case(view.case, au)
        except ActesError as error:
            view.decompte_error = error.format()
            view.decompte_failure = error
    return view


# ---------------------------------------------------------------------------------------------
# CSRF: one random token per session, checked on every POST.


def csrf_token() -> str:
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


# Forms shown again, with what was typed, when their token is stale (server restarted).
_KEPT_FORMS = ("new_case", "edit_case")


def _check_csrf() -> None:
    if request.method != "POST":
        return
    expected = session.get("csrf")
    given = request.form.get("_csrf", "")
    if not isinstance(expected, str) or not secrets.compare_digest(expected, given):
        if request.endpoint in _KEPT_FORMS and given:
            # Nothing is written: the form comes back with its values and a fresh token.
            g.csrf_lost = True
            return
        abort(
            400,
            description="Jeton de sécurité (CSRF) absent ou périmé (le serveur a peut-être "
            "redémarré) : revenez à la page précédente, puis recommencez l'opération.",
        )


# ---------------------------------------------------------------------------------------------
# Login (only when the page is reachable from other machines).

_SCRYPT = (2**15, 8, 1)  # n, r, p: about 32 MiB and a few tens of milliseconds per check
_MAX_FAILURES = 5
_LOCKOUT = 15 * 60


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$hash`` (hex) of ``password``: what ``actes.toml`` may hold."""
    n, r, p = _SCRYPT
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=128 * 1024 * 1024, dklen=32
    )
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_password(password: str, encoded: str) -> bool:
    """Whether ``password`` matches an encoded :func:`hash_password` (constant-time)."""
    try:
        kind, n, r, p, salt, expected = encoded.split("$")
        if kind != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=128 * 1024 * 1024,
            dklen=len(expected) // 2,
        )
    except (ValueError, MemoryError):
        return False
    return secrets.compare_digest(digest.hex(), expected)


def is_password_hash(value: str) -> bool:
    parts = value.split("$")
    return len(parts) == 6 and parts[0] == "scrypt" and all(parts[1:])


class _Failures:
    """Failed logins per address; an address with too many is refused for a while."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, list[float]] = {}

    def blocked(self, address: str) -> bool:
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._seen.get(address, []) if now - t < _LOCKOUT]
            self._seen[address] = recent
            return len(recent) >= _MAX_FAILURES

    def add(self, address: str) -> None:
        with self._lock:
            self._seen.setdefault(address, []).append(time.monotonic())

    def clear(self, address: str) -> None:
        with self._lock:
            self._seen.pop(address, None)


def _safe_next(target: str | None) -> str:
    """A local path to go back to after login (never another site)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


# ---------------------------------------------------------------------------------------------
# Uploads.


class UploadRefused(Exception):
    """A pièce that must not be stored; the message is shown as is."""


def check_pdf_upload(upload: FileStorage | None) -> tuple[str, bytes, list[str]]:
    """The safe file name and content of an uploaded pièce, with what was changed in them
    (name shortened, active content removed), or :class:`UploadRefused`."""
    if upload is None or not upload.filename:
        raise UploadRefused("Aucun fichier reçu : choisissez un fichier PDF.")
    original = upload.filename
    safe = secure_filename(original)
    if not safe or safe != original:
        suggestion = f" (par exemple « {_cut(safe)} »)" if safe else ""
        raise UploadRefused(
            f"Nom de fichier refusé : « {_cut(original)} ». Renommez-le avec des lettres sans "
            f"accent, des chiffres, « - », « _ » et « . » uniquement, sans espace ni dossier"
            f"{suggestion}."
        )
    if not safe.lower().endswith(".pdf"):
        raise UploadRefused(
            f"« {_cut(safe)} » n'est pas un PDF : seuls les fichiers .pdf sont admis."
        )
    notes: list[str] = []
    if len(safe) > MAX_NAME:
        # A name the file system cannot hold (255 bytes) must not reach it.
        safe = safe[: MAX_NAME - 4].rstrip("._-") + ".pdf"
        notes.append(f"nom trop long, pièce enregistrée sous « {safe} »")
    content = upload.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise UploadRefused(_too_large())
    if not content.startswith(b"%PDF-"):
        raise UploadRefused(f"« {safe} » n'est pas un PDF (il ne commence pas par « %PDF- »).")
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise UploadRefused(
                f"« {safe} » est un PDF chiffré (protégé par un mot de passe) : enregistrez-en "
                "une copie sans protection (« imprimer en PDF »)."
            )
        if len(reader.pages) < 1:
            raise UploadRefused(f"« {safe} » ne contient aucune page.")
        # The packet's own check: a pièce accepted here is never refused by `actes packet`.
        problem = pdf_problem(content)
        if problem is not None:
            raise UploadRefused(f"« {safe} » : {problem[0]} ({problem[1]}).")
        content, removed = sanitize_pdf(content)
    except UploadRefused:
        raise
    except Exception as exc:  # pypdf raises many types on a damaged file
        raise UploadRefused(f"« {safe} » est un PDF illisible ou endommagé ({exc}).") from None
    if removed:
        notes.append(
            "contenu actif retiré du PDF (JavaScript, actions automatiques ou de lancement : "
            + ", ".join(removed)
            + ")"
        )
    return safe, content, notes


def _cut(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _too_large() -> str:
    return f"Fichier trop volumineux : {MAX_UPLOAD // (1024 * 1024)} Mo au plus par envoi."


# ---------------------------------------------------------------------------------------------
# Writing a case file: the version a form starts from travels with it.


def _version(path: Path) -> tuple[str, str]:
    """The text of a case file and the SHA-256 of the bytes read (one read, size-limited)."""
    raw = read_input(path)
    return decode_input(raw, path), hashlib.sha256(raw).hexdigest()


def _encode_base(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _decode_base(value: str) -> str | None:
    try:
        return base64.b64decode(value.encode("ascii"), validate=True).decode("utf-8")
    except (ValueError, UnicodeError):
        return None


def _parsed(text: str | None, name: str) -> Any:
    if text is None:
        return None
    try:
        return parse_document(text, name)
    except ActesError:
        return None


def _shown(value: Any) -> str:
    return "(absent)" if value is None else _cut(str(value), 120)


# ---------------------------------------------------------------------------------------------
# The application.


def create_app(
    cases_dir: Path,
    *,
    secret_key: str | None = None,
    au: dt.date | None = None,
    password_hash: str | None = None,
) -> Flask:
    """The Flask application serving the cases of ``cases_dir``.

    ``secret_key`` signs the session cookie (a random one per process by default, so that
    sessions end with the server); ``au`` fixes the reference date (default: each request's
    day); ``password_hash`` (:func:`hash_password`) makes every page require a login.
    """
    root = Path(cases_dir).resolve()
    if not root.is_dir():
        raise ActesError(f"Dossier des affaires introuvable : {cases_dir}")
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_hex(32),
        MAX_CONTENT_LENGTH=MAX_UPLOAD,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        ACTES_CASES_DIR=root,
        ACTES_AU=au,
        ACTES_PASSWORD_HASH=password_hash,
        ACTES_INDEX_BUDGET=None,  # seconds of list computation per request (None: no limit)
        ACTES_INDEX_WATCH=None,  # seconds between background scans (None: scan per request)
    )
    listing = CaseListing(root)
    failures = _Failures()
    app.jinja_env.autoescape = True
    app.jinja_env.globals.update(csrf_token=csrf_token)
    app.jinja_env.filters.update(
        montant=_fmt_amount,
        date_courte=_fmt_date,
        date_longue=_fmt_long_date,
        mots=wording.words,
        champ=forms.name_for_json_path,
        clair=lambda text: wording.said(str(text), forms.label_for, _names()),
    )
    app.jinja_env.globals.update(
        lieu=lambda path: wording.place(path, forms.label_for),
        essential=forms.ESSENTIAL,
        complements_open=lambda node: [c.spec.key for c in node.children if forms.has_errors(c)],
    )
    spec = forms.build_spec(case_schema())

    def today() -> dt.date:
        fixed = app.config["ACTES_AU"]
        return fixed if isinstance(fixed, dt.date) else dt.date.today()

    def output_root() -> Path:
        return root / OUTPUT_FOLDER

    @app.before_request
    def _login() -> Any:
        if not app.config["ACTES_PASSWORD_HASH"] or request.endpoint in ("login", "static"):
            return None
        if request.routing_exception is not None:
            return None  # untrusted host, unknown page: refused by routing, nothing shown
        if session.get("connecte") is True:
            return None
        if request.method == "GET":
            return redirect(url_for("login", suivant=request.full_path.rstrip("?")), code=303)
        abort(401, description="Connexion requise : identifiez-vous puis recommencez.")

    @app.before_request
    def _csrf() -> None:
        _check_csrf()

    @app.before_request
    def _actor() -> None:
        # What this request writes is recorded in the journal under the session's name.
        g.actes_actor = journal.set_actor(web_actor(session.get("utilisateur")))

    @app.teardown_request
    def _actor_done(_: BaseException | None) -> None:
        token = g.pop("actes_actor", None)
        if token is not None:
            journal.reset_actor(token)

    @app.before_request
    def _workspace() -> None:
        # Overlays and identity of the workspace holding the cases (docs/workspace.md),
        # whatever the server's own working folder.
        g.actes_workspace = workspace_scope(root)
        g.actes_workspace.__enter__()

    @app.teardown_request
    def _workspace_end(_: BaseException | None) -> None:
        scope = g.pop("actes_workspace", None)
        if scope is not None:
            scope.__exit__(None, None, None)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            "form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'"
        )
        if request.endpoint == "dashboard.chart":
            # A chart (matplotlib SVG) styles its shapes inline: opened on its own it keeps
            # them. It holds no script and loads nothing.
            response.headers["Content-Security-Policy"] = (
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
            )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if request.endpoint != "static":
            # Case pages show IBANs and debtors' details: never kept by a browser or proxy.
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        if request_ctx.url_adapter is None:
            # The request was refused before routing (host not trusted): no links to build.
            return f"<!doctype html><title>Erreur {code}</title><p>Requête refusée.</p>", code
        if isinstance(error, RequestEntityTooLarge):
            message = _too_large() + " Rien n'a été enregistré."
        else:
            message = _HTTP_MESSAGES.get(code, "La requête n'a pas pu être traitée.")
            if error.description and error.description != type(error).description:
                message = error.description
        return render_template("erreur.html", code=code, message=message), code

    @app.errorhandler(ActesError)
    def _actes_error(error: ActesError) -> tuple[str, int]:
        return render_template("erreur.html", code=422, message=error.format()), 422

    # -- login ---------------------------------------------------------------------------------

    @app.route("/connexion", methods=["GET", "POST"])
    def login() -> Any:
        expected = app.config["ACTES_PASSWORD_HASH"]
        target = _safe_next(request.values.get("suivant"))
        if not expected:
            return redirect(target, code=303)
        if request.method == "GET":
            return render_template("connexion.html", suivant=target, au=None)
        address = request.remote_addr or "?"
        if failures.blocked(address):
            message = "Trop d'essais infructueux : réessayez dans quinze minutes."
            return render_template("connexion.html", suivant=target, erreur=message), 429
        if not verify_password(request.form.get("mot_de_passe", ""), str(expected)):
            failures.add(address)
            message = "Mot de passe incorrect."
            return render_template("connexion.html", suivant=target, erreur=message), 401
        failures.clear(address)
        session.clear()
        session["connecte"] = True
        name = " ".join(request.form.get("nom", "").split())[:MAX_NAME]
        if name:
            session["utilisateur"] = name
        return redirect(target, code=303)

    @app.post("/deconnexion")
    def logout() -> Any:
        session.clear()
        return redirect(url_for("login"), code=303)

    # -- pages ---------------------------------------------------------------------------------

    @app.get("/")
    def index() -> str:
        # From the folder's index (actes.portfolio.index), refreshed from changed files.
        au_ = today()
        config = app.config
        shown = listing.page(
            request.args, au_, config["ACTES_INDEX_BUDGET"], config["ACTES_INDEX_WATCH"]
        )
        return render_template("index.html", au=au_, root=root, **shown)

    @app.get("/dossier/<key>")
    def case_page(key: str) -> str:
        au_ = today()
        with render.remembered_plans():  # the assistant's render checks serve « À faire » too
            view = load_view(find_case(root, key), au_)
            needs = _needs(view, au_, request.args.getlist("viser"))
        procedures = list(load_registry())
        history = history_rows(view.file.path)
        return render_template(
            "dossier.html",
            view=view,
            au=au_,
            procedures=procedures,
            history=history,
            problems=_problems(view, au_),
            piece_typed=session.pop("piece_saisie", {}),
            needs=needs,
            rate=_rate(view),
        )

    def _problems(view: CaseView, au_: dt.date) -> list[DataIssue]:
        """Every problem of an invalid case at once, in the form's words."""
        if view.error is None:
            return []
        if not isinstance(view.data, dict):
            return _said(list(view.error.issues))
        found = checks.case_problems(
            view.data, file=view.file.relative, folder=view.file.folder, au=au_
        )
        return _said(found or list(view.error.issues))

    def _needs(
        view: CaseView, au_: dt.date, wanted: list[str], *, only: bool = False
    ) -> dict[str, checks.ProcedureNeeds]:
        """What each procedure offered (the available ones and those asked for; ``only``: those
        asked for) still needs before it renders: « disponible » only when nothing."""
        if view.case is None or not isinstance(view.data, dict):
            return {}
        registry = load_registry()
        ids = [s.procedure_id for s in view.assessment.available] if view.assessment else []
        if only:
            ids = []
        ids += [p for p in wanted if p in registry and p not in ids]
        found = {}
        for procedure_id in ids:
            need = checks.procedure_needs(
                procedure_id,
                view.data,
                file=view.file.path.name,
                folder=view.file.folder,
                au=au_,
                valid=True,
                case=view.case,
            )
            found[procedure_id] = checks.ProcedureNeeds(
                need.procedure_id, need.title, tuple(_said(list(need.issues))), need.rate
            )
        return found

    def _rate(view: CaseView) -> checks.RateProblem | None:
        error = view.decompte_failure
        return checks.rate_problem(error) if isinstance(error, RateMissing) else None

    @app.post("/dossier/<key>/taux-provisoire")
    def accept_provisional_rate(key: str) -> Any:
        """Tick « accepter les taux non confirmés » in the case (one click from the page)."""
        case_file = find_case(root, key)

        def accept(text: str) -> str:
            data = _parsed(text, case_file.relative)
            if not isinstance(data, dict):
                raise InputError("Le dossier est illisible : corrigez-le d'abord.")
            parametres = data.get("parametres")
            data["parametres"] = {
                **(parametres if isinstance(parametres, dict) else {}),
                "taux_non_confirmes": True,
            }
            return dump_case(data, case_file.path, text)

        try:
            update_case(case_file.path, accept)
        except ActesError as error:
            flash(f"Rien n'a été enregistré : {error.format()}", "erreur")
        else:
            flash(
                "Taux provisoire accepté pour ce dossier (paramètre « Accepter les taux non "
                "confirmés ») : les montants sont calculés sur la valeur rapportée ; "
                "enregistrez le taux publié dès sa parution.",
                "ok",
            )
        return redirect(url_for("case_page", key=key, _anchor="decompte"), code=303)

    @app.post("/dossier/<key>/evenement")
    def record_event_page(key: str) -> Any:
        """Record the event offered after a document was generated (or any event)."""
        case_file = find_case(root, key)
        kind = request.form.get("type", "")
        try:
            day = dt.date.fromisoformat(request.form.get("date", ""))
        except ValueError:
            abort(400, description="Date de l'événement absente ou invalide (AAAA-MM-JJ).")
        # A relance préventive is recorded once per claim it recalls, with its reference.
        reference = request.form.get("reference", "").strip() or None
        try:
            added = record_event(case_file.path, kind, day, reference=reference, au=today())
        except ActesError as error:
            flash(f"Événement non enregistré : {error.format()}", "erreur")
        else:
            shown = format_date_short(day)
            message = "Événement enregistré" if added else "Événement déjà enregistré"
            about = f" ({reference})" if reference else ""
            flash(f"{message} : {wording.words(kind)}{about} le {shown}.", "ok")
        return redirect(url_for("case_page", key=key, _anchor="historique"), code=303)

    @app.route("/nouveau", methods=["GET", "POST"])
    def new_case() -> Any:
        au_ = today()
        if request.method == "GET":
            data: dict[str, Any] = {"format_version": 1}
            model = request.args.get("modele")
            creditor = ""
            if not model:
                data, creditor = _blank_case()
            if model:
                source = find_case(root, model)
                loaded = load_document(source.path)
                if isinstance(loaded, dict):
                    # The pièces of the model belong to its folder: they are not copied.
                    data = {k: v for k, v in loaded.items() if k not in ("pieces", "$schema")}
                    data["reference"] = ""
            bound = forms.bind(spec, data)
            wanted = [p for p in request.args.getlist("procedure") if p in load_registry()]
            return _form_page(bound, None, "", targets=wanted, creditor=creditor)
        return _save_form(None, au_)

    def _blank_case() -> tuple[dict[str, Any], str]:
        """A new case's defaults: addresses in France, and the creditor of the workspace
        (its ``[cabinet]`` when the firm is the creditor itself), else that of the case last
        modified; with where the creditor comes from."""
        address = {"pays": "FR"}
        party = {"type": "personne_morale", "qualite": "professionnel", "adresse": address}
        data: dict[str, Any] = {
            "format_version": 1,
            "creancier": dict(party),
            "debiteur": {"adresse": dict(address)},
        }
        try:
            firm = firm_for(root)
        except ActesError:
            firm = None
        if firm is not None and firm.role == "creancier":
            data["creancier"] = firm.as_party()
            return data, f"l'identité du cabinet ({firm.file.name})"
        latest: tuple[float, CaseFile] | None = None
        for other in discover_cases(root):
            moment = other.path.stat().st_mtime
            if latest is None or moment > latest[0]:
                latest = (moment, other)
        if latest is not None:
            try:
                loaded = load_document(latest[1].path)
            except ActesError:
                loaded = None
            if isinstance(loaded, dict) and isinstance(loaded.get("creancier"), dict):
                data["creancier"] = loaded["creancier"]
                reference = loaded.get("reference", latest[1].key)
                return data, f"le dossier modifié en dernier ({reference})"
        return data, ""

    @app.route("/dossier/<key>/modifier", methods=["GET", "POST"])
    def edit_case(key: str) -> Any:
        au_ = today()
        case_file = find_case(root, key)
        if request.method == "POST":
            return _save_form(case_file, au_)
        text, digest = _version(case_file.path)
        data = parse_document(text, case_file.relative)
        if not isinstance(data, dict):
            data = {}
        issues = checks.case_problems(
            data, file=case_file.relative, folder=case_file.folder, au=au_
        )
        bound = forms.bind(spec, data, _said(issues))
        wanted = [p for p in request.args.getlist("procedure") if p in load_registry()]
        return _form_page(bound, case_file, digest, _encode_base(text), targets=wanted)

    def _form_page(
        form: forms.BoundForm,
        case_file: CaseFile | None,
        digest: str,
        base: str | None = None,
        *,
        targets: list[str] | None = None,
        needs: list[checks.ProcedureNeeds] | None = None,
        **extra: Any,
    ) -> str:
        """The case form, with the procedures it is checked against and what they need."""
        return render_template(
            "formulaire.html",
            form=form,
            case_file=case_file,
            digest=digest,
            base=base,
            targets=targets or [],
            needs=needs or [],
            procedures=list(load_registry()),
            **extra,
        )

    def _said(issues: list[DataIssue]) -> list[DataIssue]:
        names = _names()
        return [wording.humanise(i, forms.label_for, names) for i in issues]

    def _names() -> dict[str, str]:
        """Procedure ids and template files → their titles, for messages."""
        registry = load_registry()
        names = {p.id: p.title for p in registry}
        for procedure in registry:
            for version in procedure.versions:
                for document in version.documents:
                    names.setdefault(Path(document.template).name, document.title)
        return names

    def _targets() -> list[str]:
        registry = load_registry()
        return [p for p in dict.fromkeys(request.form.getlist("_viser")) if p in registry]

    def _save_form(case_file: CaseFile | None, au_: dt.date) -> Any:
        action = forms.parse_action(request.form.get("_action"))
        removed = action.target if action.kind == "supprimer" else ""
        name = case_file.relative if case_file else "dossier.yaml"
        parsed = forms.parse_form(spec, request.form, removed=removed, file=name)
        digest = request.form.get("_empreinte", "")
        base = request.form.get("_base", "")
        targets = _targets()
        if request.form.get("_taux_provisoire") == "oui" and action.kind == "enregistrer":
            parametres = parsed.data.get("parametres")
            parsed.data["parametres"] = {
                **(parametres if isinstance(parametres, dict) else {}),
                "taux_non_confirmes": True,
            }
        if action.kind == "ajouter":
            parsed.empty_rows[action.target] = parsed.empty_rows.get(action.target, 1) + 1
        if action.kind != "enregistrer" or g.get("csrf_lost"):
            bound = forms.bind(spec, parsed.data, empty_rows=parsed.empty_rows, notes=parsed.notes)
            page = _form_page(
                bound, case_file, digest, base, targets=targets, csrf_lost=g.get("csrf_lost")
            )
            return (page, 400) if g.get("csrf_lost") else page
        data = parsed.data
        current_text: str | None = None
        if case_file is not None:
            target, folder = case_file.path, case_file.folder
            current_text, _ = _version(target)
            previous = _parsed(current_text, name)
            if isinstance(previous, dict) and "$schema" in previous:
                data = {"$schema": previous["$schema"], **data}
        else:
            reference = data.get("reference")
            slug = _SAFE_REFERENCE.sub("-", reference) if isinstance(reference, str) else ""
            folder = root / (slug or "nouveau-dossier")
            target = folder / "dossier.yaml"
        # Everything at once: the form's own reading, schema, rules, the reference, and what
        # the procedures aimed at need.
        issues = checks.case_problems(data, file=name, folder=folder, au=au_, first=parsed.issues)
        if isinstance(data.get("reference"), str) and not any(
            i.json_path == "$.reference" for i in issues
        ):
            if case_file is None:
                issues += _new_case_problems(folder, data.get("reference"))
            else:
                issues += _reference_taken(data["reference"], case_file.key)
        needs = [
            checks.procedure_needs(
                p, data, file=target.name, folder=folder, au=au_, valid=not issues, problems=issues
            )
            for p in targets
        ]
        if not issues:
            try:
                text = dump_case(data, target, current_text)
                if case_file is None:
                    create_case(target, text)
                else:
                    write_case(target, text, digest)
            except FileExistsError:
                # Another person created this case between the check above and now.
                issues.append(_folder_taken(folder))
            except ConflictError as conflict:
                assert case_file is not None
                return _conflict(case_file, data, text, base, conflict, parsed.empty_rows)
        if issues:
            # What the procedures aimed at need is shown at its fields too, but never keeps
            # a valid case from being saved (pièces, for one, are added once it exists).
            wanted = [i for n in needs for i in n.issues if i.json_path]
            bound = forms.bind(
                spec,
                data,
                _said(checks.merge(issues, wanted)),
                empty_rows=parsed.empty_rows,
                notes=parsed.notes,
            )
            shown = [
                checks.ProcedureNeeds(
                    n.procedure_id, n.title, tuple(_said(list(n.issues))), n.rate, n.checked
                )
                for n in needs
            ]
            page = _form_page(bound, case_file, digest, base, targets=targets, needs=shown)
            return page, 422
        key = case_file.key if case_file else folder.name
        flash(f"Dossier enregistré : {target.relative_to(root).as_posix()}.", "ok")
        for typed, kept in parsed.notes.values():
            flash(f"Saisie normalisée : « {typed} » enregistré « {kept} ».", "info")
        return redirect(url_for("case_page", key=key, viser=targets, _anchor="a-faire"), code=303)

    def _reference_taken(reference: str, own_key: str) -> list[DataIssue]:
        for other in discover_cases(root):
            if other.key == own_key:
                continue
            try:
                existing = load_document(other.path)
            except ActesError:
                continue
            if isinstance(existing, dict) and existing.get("reference") == reference:
                return [
                    DataIssue(
                        "$.reference",
                        f"la référence « {reference} » est déjà celle du dossier « {other.key} »",
                        "choisissez une autre référence",
                    )
                ]
        return []

    def _new_case_problems(folder: Path, reference: Any) -> list[DataIssue]:
        if _inside(root, folder) is None or folder.name.startswith("."):
            return [DataIssue("$.reference", "référence inutilisable comme dossier")]
        if len(folder.name) > MAX_NAME:
            return [
                DataIssue(
                    "$.reference",
                    f"référence trop longue pour nommer un dossier ({len(folder.name)} "
                    f"caractères)",
                    f"{MAX_NAME} caractères au plus",
                )
            ]
        if folder.exists():
            return [_folder_taken(folder)]
        for other in discover_cases(root):
            try:
                existing = load_document(other.path)
            except ActesError:
                continue
            if isinstance(existing, dict) and existing.get("reference") == reference:
                return [
                    DataIssue(
                        "$.reference",
                        f"la référence « {reference} » est déjà celle du dossier « {other.key} »",
                        "choisissez une autre référence ou modifiez le dossier existant",
                    )
                ]
        return []

    def _folder_taken(folder: Path) -> DataIssue:
        return DataIssue(
            "$.reference",
            f"un dossier « {folder.name} » existe déjà",
            "choisissez une autre référence ou modifiez le dossier existant",
        )

    def _conflict(
        case_file: CaseFile,
        mine: dict[str, Any],
        mine_text: str,
        base: str,
        conflict: ConflictError,
        empty_rows: dict[str, int],
    ) -> tuple[str, int]:
        """The refused save: the user's version kept as a draft, both versions shown, and
        the form again, with the user's changes reapplied onto the current version."""
        drafts = root / DRAFTS_FOLDER
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        draft = drafts / f"{case_file.key}-{stamp}-{secrets.token_hex(4)}{case_file.path.suffix}"
        atomic_write(draft, mine_text)
        current_text = conflict.current_text or ""
        theirs = _parsed(current_text, case_file.relative)
        merged, clashes = merge_versions(
            _parsed(_decode_base(base), case_file.relative),
            mine,
            theirs if isinstance(theirs, dict) else {},
        )
        issues = [
            DataIssue(
                path,
                f"modifié aussi par quelqu'un d'autre : valeur actuelle « {_shown(current)} », "
                f"la vôtre « {_shown(yours)} » est dans le formulaire",
                "gardez votre valeur ou reprenez la valeur actuelle, puis enregistrez",
                rule="conflit",
            )
            for path, yours, current in clashes
        ]
        diff = list(
            difflib.unified_diff(
                current_text.splitlines(),
                mine_text.splitlines(),
                "version actuelle",
                "votre version",
                lineterm="",
                n=2,
            )
        )
        bound = forms.bind(spec, merged, _said(issues), empty_rows=empty_rows)
        page = _form_page(
            bound,
            case_file,
            conflict.current_sha256,
            _encode_base(current_text),
            targets=_targets(),
            conflict={
                "deleted": conflict.current_text is None,
                "draft": draft.relative_to(root).as_posix(),
                "diff": diff[2:],
                "current": current_text,
                "mine": mine_text,
                "clashes": len(clashes),
            },
        )
        return page, 409

    @app.get("/dossier/<key>/pieces/<int:numero>")
    def piece(key: str, numero: int) -> Response:
        case_file = find_case(root, key)
        data = load_document(case_file.path)
        pieces = data.get("pieces", []) if isinstance(data, dict) else []
        if not 1 <= numero <= len(pieces) or not isinstance(pieces[numero - 1], dict):
            abort(404)
        name = str(pieces[numero - 1].get("fichier", ""))
        pieces_dir = _inside(case_file.folder, case_file.folder / PIECES_FOLDER)
        path = _inside(case_file.folder, case_file.folder / name)
        # Only a PDF of the case's pieces/ folder: never the case file or anything else.
        if (
            pieces_dir is None
            or path is None
            or not path.is_relative_to(pieces_dir)
            or path.suffix.lower() != ".pdf"
            or not path.is_file()
        ):
            abort(404)
        with path.open("rb") as handle:
            if handle.read(5) != b"%PDF-":
                abort(404)
        return send_from_directory(
            pieces_dir,
            path.relative_to(pieces_dir).as_posix(),
            mimetype="application/pdf",
            as_attachment=True,
        )

    @app.post("/dossier/<key>/pieces")
    def upload(key: str) -> Any:
        au_ = today()
        case_file = find_case(root, key)
        title = request.form.get("titre", "").strip()
        day = request.form.get("date", "").strip()
        stored: list[Path] = []
        try:
            if not title:
                raise UploadRefused("Indiquez le titre de la pièce.")
            day = frenchinput.read_date(day) or day
            try:
                dt.date.fromisoformat(day)
            except ValueError:
                raise UploadRefused(
                    "Indiquez la date de la pièce (JJ/MM/AAAA, année sur quatre chiffres)."
                ) from None
            safe, content, notes = check_pdf_upload(request.files.get("fichier"))
            relative = f"{PIECES_FOLDER}/{safe}"

            def add_piece(text: str) -> str:
                """Runs under the case's lock, on the file as it is now (other uploads and
                saves included)."""
                data = _parsed(text, case_file.relative)
                if not isinstance(data, dict) or case_issues(
                    data, file=case_file.relative, folder=case_file.folder, au=au_
                ):
                    raise UploadRefused(
                        "Le dossier est invalide : corrigez-le avant d'y ajouter des pièces."
                    )
                pieces_dir = case_file.folder / PIECES_FOLDER
                checked = _inside(case_file.folder, pieces_dir)
                if checked is None or (pieces_dir.exists() and not pieces_dir.is_dir()):
                    raise UploadRefused("Le sous-dossier « pieces » est inutilisable.")
                target = pieces_dir / safe
                if target.exists() or target.is_symlink():
                    raise UploadRefused(
                        f"Une pièce « {safe} » existe déjà dans ce dossier : renommez le fichier."
                    )
                entry = {"titre": title, "date": day, "fichier": relative}
                updated = {**data, "pieces": [*data.get("pieces", []), entry]}
                atomic_write(target, content)
                stored.append(target)
                problems = case_issues(
                    updated, file=case_file.relative, folder=case_file.folder, au=au_
                )
                if problems:
                    raise UploadRefused("; ".join(p.format() for p in problems) + ".")
                return dump_case(updated, case_file.path, text)

            update_case(case_file.path, add_piece)
        except UploadRefused as refused:
            _remove(stored)
            session["piece_saisie"] = {"titre": title[:MAX_NAME], "date": day[:20]}
            flash(f"Pièce refusée : {refused} Rien n'a été enregistré.", "piece-erreur")
            return redirect(url_for("case_page", key=key, _anchor="pieces"), code=303)
        except OSError as exc:
            _remove(stored)
            app.logger.exception("écriture de la pièce impossible")
            flash(
                f"Pièce refusée : écriture impossible ({exc.strerror or type(exc).__name__}). "
                "Rien n'a été enregistré.",
                "piece-erreur",
            )
            return redirect(url_for("case_page", key=key, _anchor="pieces"), code=303)
        except BaseException:
            _remove(stored)
            raise
        done = "".join(f" ({note})" for note in notes)
        flash(f"Pièce ajoutée : {relative}.{done}", "piece-ok")
        return redirect(url_for("case_page", key=key, _anchor="pieces"), code=303)

    @app.route("/dossier/<key>/procedure/<procedure_id>", methods=["GET", "POST"])
    def procedure_page(key: str, procedure_id: str) -> Any:
        au_ = today()
        case_file = find_case(root, key)
        registry = load_registry()
        if procedure_id not in registry:
            abort(404)
        procedure = registry.get(procedure_id)
        with render.remembered_plans():  # the assistant's render checks serve « À compléter » too
            view = load_view(case_file, au_)
            need = _needs(view, au_, [procedure_id], only=True).get(procedure_id)
        outputs: list[tuple[str, str]] = []
        shots: list[tuple[str, str, str]] = []
        offered: list[Any] = []
        failure = ""
        status = 200
        if request.method == "POST":
            kind = request.form.get("quoi", "docx")
            if kind not in ("docx", "pdf", "dossier"):
                abort(400)
            token = secrets.token_hex(16)
            outdir = output_root() / token
            _prune(output_root())
            outdir.mkdir(parents=True)
            try:
                written = _produce(kind, procedure_id, case_file.path, outdir, au_)
            except ActesError as error:
                shutil.rmtree(outdir, ignore_errors=True)
                failure = _short_paths(_said([DataIssue("", error.format())])[0].message)
                status = 422
            else:
                tokens = [t for t in session.get("sorties", []) if isinstance(t, str)]
                session["sorties"] = [*tokens[-19:], token]
                outputs = [(token, p.name) for p in written if p.parent == outdir]
                shots = [
                    (token, image.name, name)
                    for image, name in previews.first_pages(written, outdir)
                ]
                if kind != "dossier":
                    offered = _offered(procedure_id, case_file.path, au_, written)
        version_error = ""
        version = None
        try:
            version = procedure.for_case(view.case, au_)
        except ActesError as error:
            version_error = error.format()
        page = render_template(
            "procedure.html",
            view=view,
            procedure=procedure,
            version=version,
            version_error=version_error,
            outputs=outputs,
            previews=shots,
            preview_tool=previews.available(),
            offered=offered,
            failure=failure,
            au=au_,
            need=need,
            titles={p.id: p.title for p in registry},
            rate=_rate(view),
        )
        return page, status

    def _offered(procedure_id: str, path: Path, au_: dt.date, written: list[Path]) -> list[Any]:
        """The events the documents just generated call for (« Enregistrer l'envoi »)."""
        try:
            return list(follow_ups(procedure_id, path, au_, written))
        except ActesError:
            return []  # the documents were produced; only the offer is left out

    def _produce(
        kind: str, procedure_id: str, case_path: Path, outdir: Path, au_: dt.date
    ) -> list[Path]:
        if kind == "dossier":
            reference = _SAFE_REFERENCE.sub("-", load_case(case_path, au=au_).reference)
            built = packet.build_packet(
                procedure_id, case_path, outdir / f"{reference}-{procedure_id}.zip", au_
            )
            return [built.path]
        return render.render_documents(procedure_id, case_path, outdir, au_, pdf=kind == "pdf")

    @app.get("/sorties/<token>/apercu/<filename>")
    def preview(token: str, filename: str) -> Response:
        """The first page of a rendered PDF as an image, shown inline on the page."""
        allowed = session.get("sorties", [])
        if not _TOKEN.fullmatch(token) or not isinstance(allowed, list) or token not in allowed:
            abort(404)
        if secure_filename(filename) != filename or not filename.endswith(previews.SUFFIX):
            abort(404)
        folder = output_root() / token / previews.FOLDER
        path = _inside(root, folder / filename)
        if path is None or path.parent != folder.resolve() or not path.is_file():
            abort(404)
        return send_from_directory(folder, filename, mimetype="image/png")

    @app.get("/sorties/<token>/<filename>")
    def download(token: str, filename: str) -> Response:
        allowed = session.get("sorties", [])
        if not _TOKEN.fullmatch(token) or not isinstance(allowed, list) or token not in allowed:
            abort(404)
        if secure_filename(filename) != filename:
            abort(404)
        folder = output_root() / token
        path = _inside(root, folder / filename)
        if path is None or path.parent != folder.resolve() or not path.is_file():
            abort(404)
        return send_from_directory(folder, filename, as_attachment=True)

    # Imports (actes.web.imports): e-invoices and statements, previewed then confirmed.
    from actes.web.imports import blueprint as imports_blueprint
    from actes.web.promises import blueprint as promises_blueprint

    app.register_blueprint(imports_blueprint)
    # Promises to pay (actes.web.promises): the case page's section and its form.
    app.register_blueprint(promises_blueprint)
    # The « Tableau de bord » (actes.web.dashboard): the portfolio report, read from the
    # list's index.
    from actes.web.dashboard import blueprint as dashboard_blueprint

    app.extensions["actes.listing"] = listing
    app.register_blueprint(dashboard_blueprint)
    return app


def _short_paths(text: str) -> str:
    """A message without absolute paths (temporary folders, the installed package): only
    the file names are kept."""
    return re.sub(r"(?<![\w.])/(?:[^\s/()«»]+/)+([^\s/()«»]+)", r"\1", text)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """Remove the output folders of earlier requests older than a day."""
    if not folder.is_dir():
        return
    limit = time.time() - _OUTPUT_TTL
    for entry in folder.iterdir():
        stale = entry.is_dir() and not entry.is_symlink() and entry.stat().st_mtime < limit
        if _TOKEN.fullmatch(entry.name) and stale:
            shutil.rmtree(entry, ignore_errors=True)


_HTTP_MESSAGES = {
    400: "Requête invalide.",
    404: "Page introuvable : ce dossier, cette pièce ou ce fichier n'existe pas ici.",
    405: "Méthode non admise pour cette adresse.",
    413: _too_large(),
    500: "Erreur interne : l'opération n'a pas abouti.",
}


def _fmt_amount(value: Decimal | str | int | None) -> str:
    return "" if value is None or value == "" else format_amount(value)


def _fmt_date(value: dt.date | str | None) -> str:
    return "" if value is None or value == "" else format_date_short(value)


def _fmt_long_date(value: dt.date | str | None) -> str:
    return "" if value is None or value == "" else format_date_long(value)
