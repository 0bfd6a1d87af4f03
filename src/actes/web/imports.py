"""The « Importer » page of ``actes serve``: e-invoices (``actes import facture``) and bank
statements (``actes import releve``) uploaded, previewed, then confirmed.

An upload is kept in a private folder ``DIR/.actes-imports/<token>/`` (mode 0700) under a
sanitised name; the page shows what the import will write, computed by the same functions as
the command line (:func:`plan_invoice_import`, :func:`match_statement`), and nothing is
written. The confirmation is a POST carrying only the token, which must belong to the
session: the files are read again from the private folder (never a path from the browser),
the plan is computed again and written only if it is still the one shown (else the new
preview is shown), through :func:`apply_plan` / :func:`apply_matches` (case store, journal).
The folder is removed once the import is written, cancelled, or older than
:data:`IMPORT_TTL`.

Uploads are checked by their content, never their name: an invoice must be a PDF (``%PDF-``)
or an XML file, a statement an XML file or plain text. An XML file is refused when it
declares a DOCTYPE or an entity, or when it does not parse with entities, DTDs and network
access disabled: no external entity is read, no entity expansion can blow up.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from lxml import etree  # type: ignore[import-untyped]
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from actes.errors import ActesError, ConflictError
from actes.imports.invoicecase import ImportPlan, PlannedCase, apply_plan, plan_invoice_import
from actes.imports.matching import LineOutcome, MatchReport, apply_matches, match_statement
from actes.imports.statements import read_statement

__all__ = ["IMPORTS_FOLDER", "IMPORT_TTL", "MAX_FILES", "blueprint", "sniff_upload"]

IMPORTS_FOLDER = ".actes-imports"
"""Folder of the cases directory that keeps uploads between preview and confirmation."""

IMPORT_TTL = 2 * 3600
"""Seconds an upload waits for its confirmation before it is removed."""

MAX_FILES = 50
"""Most invoices in one upload (the request itself is limited to ``MAX_UPLOAD`` bytes)."""

_MAX_NAME = 100
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_FORM = re.compile(r"^[A-Za-z]{2,10}$")
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SESSION_KEY = "imports"

blueprint = Blueprint("imports", __name__, url_prefix="/importer")


class UploadRefused(Exception):
    """An uploaded file that is not imported; the message is shown as is."""


# ---------------------------------------------------------------------------------------------
# Checking what was uploaded.


def _safe_name(original: str, index: int, used: set[str]) -> str:
    """A file name safe to store and show: no folder, ASCII, at most 100 characters."""
    base = re.split(r"[/\\]", original)[-1]
    safe = secure_filename(base) or f"fichier-{index}"
    if len(safe) > _MAX_NAME:
        stem, dot, suffix = safe.rpartition(".")
        tail = f".{suffix}" if dot and stem and len(suffix) <= 10 else ""
        safe = safe[: _MAX_NAME - len(tail)].rstrip("._-") + tail
    name, counter = safe, 2
    while name.lower() in used or name == "import.json":
        stem, dot, suffix = safe.rpartition(".")
        name = f"{stem}-{counter}.{suffix}" if dot and stem else f"{safe}-{counter}"
        counter += 1
    used.add(name.lower())
    return name


def _check_xml(content: bytes, name: str) -> None:
    """Refuse an XML file that declares a DTD or entities, or that does not parse safely."""
    if _DECLARATION.search(content):
        raise UploadRefused(
            f"« {name} » : le XML déclare un DOCTYPE ou des entités : refusé (une facture "
            "électronique ou un relevé camt n'en contient jamais ; ce peut être un fichier "
            "piégé)."
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise UploadRefused(f"« {name} » : XML illisible ({exc.msg}).") from None
    if root.getroottree().docinfo.doctype:
        # Another encoding (UTF-16...) can hide the declaration from the byte search above.
        raise UploadRefused(f"« {name} » : le XML déclare un DOCTYPE : refusé.")


def sniff_upload(content: bytes, name: str, *, statement: bool) -> str:
    """The kind of an uploaded file from its content (``pdf``, ``xml``, ``texte``), or
    :class:`UploadRefused`: an invoice is a PDF or an XML file, a statement an XML file or
    plain text (CFONB 120, MT940). The name's extension is not trusted."""
    if not content.strip():
        raise UploadRefused(f"« {name} » est vide.")
    if content.startswith(b"%PDF-"):
        if statement:
            raise UploadRefused(
                f"« {name} » est un PDF : un relevé s'importe au format camt.053 / camt.054 "
                "(XML), CFONB 120 ou MT940, tel que la banque le fournit."
            )
        return "pdf"
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") or content.startswith((b"\xff\xfe", b"\xfe\xff")):
        _check_xml(content, name)
        return "xml"
    if not statement:
        raise UploadRefused(
            f"« {name} » n'est ni un PDF ni un XML : une facture électronique est un PDF "
            "Factur-X ou un XML UBL 2.1 / CII."
        )
    if _CONTROL.search(content):
        raise UploadRefused(
            f"« {name} » n'est pas un fichier texte (caractères de contrôle) : ce n'est pas "
            "un relevé CFONB 120 ou MT940."
        )
    return "texte"


# ---------------------------------------------------------------------------------------------
# The private folder of one upload.


@dataclass
class _Batch:
    """One upload waiting for its confirmation."""

    token: str
    folder: Path
    meta: dict[str, Any]

    @property
    def files(self) -> list[Path]:
        return [self.folder / "fichiers" / str(n) for n in self.meta.get("fichiers", [])]

    def save_meta(self) -> None:
        (self.folder / "import.json").write_text(
            json.dumps(self.meta, ensure_ascii=False), encoding="utf-8"
        )


def _root() -> Path:
    root: Path = current_app.config["ACTES_CASES_DIR"]
    return root


def _today() -> dt.date:
    fixed = current_app.config["ACTES_AU"]
    return fixed if isinstance(fixed, dt.date) else dt.date.today()


def _store() -> Path:
    return _root() / IMPORTS_FOLDER


def _prune() -> None:
    """Remove the uploads never confirmed, older than :data:`IMPORT_TTL`."""
    store = _store()
    if not store.is_dir() or store.is_symlink():
        return
    limit = time.time() - IMPORT_TTL
    for entry in store.iterdir():
        with contextlib.suppress(OSError):
            stale = entry.is_dir() and not entry.is_symlink() and entry.stat().st_mtime < limit
            if _TOKEN.fullmatch(entry.name) and stale:
                shutil.rmtree(entry, ignore_errors=True)


def _remove(batch: _Batch) -> None:
    shutil.rmtree(batch.folder, ignore_errors=True)
    tokens = [t for t in session.get(_SESSION_KEY, []) if t != batch.token]
    session[_SESSION_KEY] = tokens


def _new_batch(kind: str, uploads: Sequence[FileStorage], **options: str) -> _Batch:
    """Store the uploaded files in a fresh private folder, each checked by its content."""
    _prune()
    store = _store()
    if store.is_symlink() or (store.exists() and not store.is_dir()):
        raise UploadRefused(f"Le dossier {IMPORTS_FOLDER} est inutilisable (lien ou fichier).")
    store.mkdir(mode=0o700, exist_ok=True)
    token = secrets.token_hex(16)
    folder = store / token
    folder.mkdir(mode=0o700)
    (folder / "fichiers").mkdir(mode=0o700)
    names: list[str] = []
    used: set[str] = set()
    try:
        for index, upload in enumerate(uploads, start=1):
            name = _safe_name(upload.filename or "", index, used)
            content = upload.read()
            sniff_upload(content, name, statement=kind == "releve")
            fd = os.open(
                folder / "fichiers" / name,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                0o600,
            )
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            names.append(name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    batch = _Batch(token, folder, {"type": kind, "cree": time.time(), "fichiers": names})
    batch.meta.update(options)
    batch.save_meta()
    tokens = [t for t in session.get(_SESSION_KEY, []) if isinstance(t, str)]
    session[_SESSION_KEY] = [*tokens[-19:], token]
    return batch


def _batch(kind: str) -> _Batch | None:
    """The upload named by the form's token, if it is this session's, of this kind and not
    expired."""
    token = request.form.get("jeton", "")
    allowed = session.get(_SESSION_KEY, [])
    if not _TOKEN.fullmatch(token) or not isinstance(allowed, list) or token not in allowed:
        return None
    folder = _store() / token
    if folder.is_symlink() or not folder.is_dir():
        return None
    try:
        meta = json.loads((folder / "import.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("type") != kind:
        return None
    names = meta.get("fichiers")
    if not isinstance(names, list) or any(secure_filename(str(n)) != n for n in names):
        return None
    batch = _Batch(token, folder, meta)
    if time.time() - float(meta.get("cree", 0)) > IMPORT_TTL:
        _remove(batch)
        return None
    return batch


def _expired() -> Any:
    flash(
        "Cet import a expiré, a déjà été confirmé ou a été annulé : rien n'a été enregistré. "
        "Déposez à nouveau les fichiers.",
        "erreur",
    )
    return redirect(url_for("imports.page"), code=303)


# ---------------------------------------------------------------------------------------------
# What the pages show.


def _cleaner(batch: _Batch) -> Any:
    """A function removing the private folder and the cases folder from a message, so that
    files are named as uploaded and cases by their place in the folder."""
    prefixes = [f"{batch.folder / 'fichiers'}{os.sep}", f"{_root()}{os.sep}"]

    def clean(text: str) -> str:
        for prefix in prefixes:
            text = text.replace(prefix, "")
        return text

    return clean


def _case_key(path: Path) -> str:
    """The name of a case file of the cases folder in the page's URLs."""
    return path.relative_to(_root()).parts[0]


def _party_view(party: Mapping[str, Any]) -> dict[str, str]:
    address = party.get("adresse") or {}
    lines = [
        str(address.get("ligne1", "")),
        str(address.get("ligne2", "")),
        f"{address.get('code_postal', '')} {address.get('ville', '')}".strip(),
    ]
    name = str(party.get("denomination") or party.get("nom") or "")
    form = str(party.get("forme_juridique") or "")
    return {
        "nom": f"{name} {form}".strip(),
        "siren": str(party.get("siren") or ""),
        "iban": str(party.get("iban") or ""),
        "adresse": ", ".join(line for line in lines if line),
    }


def _claim_view(claim: Mapping[str, Any]) -> dict[str, Any]:
    from actes.cases.case import claim_due_date

    notes = [n for n in claim.get("avoirs") or [] if isinstance(n, Mapping)]
    due: dt.date | None = None
    with contextlib.suppress(ActesError, KeyError, TypeError, ValueError):
        # Unreadable terms are already a blocking decision of the plan.
        due = claim_due_date(claim)
    return {
        "echeance": due,
        "reference": str(claim.get("reference", "")),
        "libelle": str(claim.get("libelle", "")),
        "date_emission": claim.get("date_emission"),
        "date_echeance": claim.get("date_echeance"),
        "conditions": str(claim.get("conditions_paiement") or ""),
        "montant": claim.get("montant"),
        "avoirs": [str(n.get("reference", "")) for n in notes],
    }


def _invoice_case_view(case: PlannedCase, clean: Any, existing_key: str) -> dict[str, Any]:
    claims = [c for c in case.data.get("creances", []) if isinstance(c, Mapping)]
    touched = set(case.added_claims) | {
        str(c.get("reference"))
        for c in claims
        for n in c.get("avoirs") or []
        if isinstance(n, Mapping) and str(n.get("reference")) in case.credit_notes
    }
    return {
        "nouveau": case.new,
        "chemin": clean(str(case.path)),
        "cle": existing_key or (case.path.parent.name if case.new else ""),
        "reference": str(case.data.get("reference", "")),
        "creancier": _party_view(case.data.get("creancier") or {}),
        "debiteur": _party_view(case.data.get("debiteur") or {}),
        "creances": [_claim_view(c) for c in claims if str(c.get("reference")) in touched],
        "ajoutees": case.added_claims,
        "avoirs": case.credit_notes,
        "deja": case.skipped,
        "pieces": [name for name, _ in case.pieces],
        "lu": [clean(line) for line in case.read],
        "decisions": [
            {
                "bloquant": d.severity == "bloquant",
                "message": clean(d.message),
                "fichier": clean(d.file),
            }
            for d in case.decisions
        ],
        "bloque": case.blocked,
    }


def _invoice_view(plan: ImportPlan, batch: _Batch, existing_key: str) -> dict[str, Any]:
    clean = _cleaner(batch)
    files = [
        {
            "fichier": inv.file.name,
            "format": f"{inv.syntax} {inv.level.upper()}",
            "type": inv.kind,
            "numero": inv.number,
            "date": inv.issued,
            "total": inv.total,
            "paye": inv.paid,
            "a_payer": inv.amount_due,
            "echeance": inv.due,
            "vendeur": str(inv.seller.get("name", "")),
            "acheteur": str(inv.buyer.get("name", "")),
            "cite": ", ".join(inv.preceding),
        }
        for inv in plan.read
    ]
    cases = [_invoice_case_view(c, clean, existing_key) for c in plan.cases]
    return {"fichiers": files, "dossiers": cases, "bloque": plan.blocked}


_STATUS = {
    "a_enregistrer": "à enregistrer",
    "enregistre": "enregistré",
    "deja_enregistre": "déjà enregistré",
    "non_rapproche": "non rapproché",
    "ambigu": "ambigu",
    "a_confirmer": "à confirmer",
    "debit_ignore": "débit ignoré",
}


def _outcome_view(outcome: LineOutcome) -> dict[str, Any]:
    line = outcome.line
    case = outcome.case
    return {
        "ligne": line.where,
        "date": line.booked,
        "montant": line.amount,
        "credit": line.credit,
        "contrepartie": line.counterparty,
        "iban": line.counterparty_iban,
        "libelle": line.text,
        "reference": line.reference,
        "statut": outcome.status,
        "statut_texte": _STATUS.get(outcome.status, outcome.status),
        "dossier": case.reference if case is not None else "",
        "cle": _case_key(case.path) if case is not None else "",
        "creance": outcome.claim or "",
        "raison": outcome.reason,
        "candidats": ", ".join(outcome.candidates),
    }


def _statement_view(report: MatchReport, batch: _Batch) -> dict[str, Any]:
    statement = report.statement
    counts = report.counts()
    clean = _cleaner(batch)
    return {
        "fichier": statement.file.name,
        "format": statement.format,
        "compte": statement.account,
        "devise": statement.currency,
        "nombre": len(statement.lines),
        "operations": [_outcome_view(o) for o in report.outcomes],
        "bilan": [(_STATUS.get(k, k), v) for k, v in sorted(counts.items())],
        "a_enregistrer": counts.get("a_enregistrer", 0),
        "enregistres": counts.get("enregistre", 0),
        "deja": counts.get("deja_enregistre", 0),
        "illisibles": [clean(p) for p in report.skipped_cases],
    }


def _fingerprint(value: Any) -> str:
    """The SHA-256 of what a preview showed, to tell whether a confirmation still writes it."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _report_fingerprint(report: MatchReport) -> str:
    return _fingerprint(
        [
            [o.key, o.status, str(o.case.path) if o.case else "", o.claim or "", o.candidates]
            for o in report.outcomes
        ]
    )


def _choices() -> list[str]:
    from actes.web.app import discover_cases

    return [c.key for c in discover_cases(_root())]


def _page(status: int = 200, **errors: str) -> tuple[str, int]:
    return (
        render_template(
            "importer.html",
            au=_today(),
            dossiers=_choices(),
            valeurs=request.form if request.method == "POST" else {},
            max_fichiers=MAX_FILES,
            **errors,
        ),
        status,
    )


# ---------------------------------------------------------------------------------------------
# E-invoices.


@blueprint.get("/")
def page() -> tuple[str, int]:
    """The two upload forms."""
    _prune()
    return _page()


def _invoice_options(batch_meta: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments of :func:`plan_invoice_import` for the options chosen on the page."""
    from actes.web.app import find_case

    options: dict[str, Any] = {
        "reference": batch_meta.get("reference") or None,
        "forme_juridique": batch_meta.get("forme") or None,
        "au": _today(),
    }
    if batch_meta.get("cible") == "dossier":
        options["dossier"] = find_case(_root(), str(batch_meta.get("dossier", ""))).path
    else:
        options["nouveau"] = _root()
    return options


def _checked_invoice_form() -> dict[str, str]:
    """The options of the invoice form, or :class:`UploadRefused` saying which is wrong."""
    target = request.form.get("cible", "nouveau")
    key = request.form.get("dossier", "").strip()
    reference = request.form.get("reference", "").strip()
    form = request.form.get("forme_juridique", "").strip().upper()
    if target not in ("nouveau", "dossier"):
        raise UploadRefused("Choisissez un nouveau dossier ou un dossier existant.")
    if target == "dossier" and key not in _choices():
        raise UploadRefused("Choisissez dans la liste le dossier auquel ajouter les factures.")
    if target == "dossier" and reference:
        raise UploadRefused("La référence ne vaut que pour un nouveau dossier.")
    if reference and (not _REFERENCE.fullmatch(reference) or reference.startswith(".")):
        raise UploadRefused(
            f"Référence « {reference[:80]} » inutilisable comme nom de dossier : lettres sans "
            "accent, chiffres, « - », « _ » et « . » uniquement, 100 caractères au plus."
        )
    if form and not _FORM.fullmatch(form):
        raise UploadRefused(
            "Forme juridique à écrire en sigle, lettres seules (SARL, SAS, EURL...)."
        )
    return {
        "cible": target,
        "dossier": key if target == "dossier" else "",
        "reference": reference,
        "forme": form,
    }


def _plan(batch: _Batch) -> ImportPlan:
    options = _invoice_options(batch.meta)
    plan = plan_invoice_import(batch.files, **options)
    root = _root()
    for case in plan.cases:
        # The page writes only the chosen case, or new cases one level down its folder.
        if case.new:
            allowed = case.path.parent.parent == root and not case.path.parent.name.startswith(".")
        else:
            allowed = case.path == options.get("dossier")
        if not allowed:
            raise UploadRefused(f"Emplacement de dossier refusé : {case.path.parent.name}.")
    return plan


@blueprint.post("/factures")
def invoices_preview() -> Any:
    """Store the uploaded invoices and show what the import would write."""
    uploads = [u for u in request.files.getlist("fichiers") if u.filename]
    try:
        if not uploads:
            raise UploadRefused("Aucun fichier reçu : choisissez une ou plusieurs factures.")
        if len(uploads) > MAX_FILES:
            raise UploadRefused(f"{len(uploads)} fichiers : {MAX_FILES} au plus par envoi.")
        options = _checked_invoice_form()
        batch = _new_batch("factures", uploads, **options)
    except UploadRefused as refused:
        return _page(422, erreur_factures=f"{refused} Rien n'a été enregistré.")
    except OSError as exc:
        current_app.logger.exception("dépôt impossible")
        message = (
            f"Dépôt impossible : {exc.strerror or type(exc).__name__}. Rien n'a été enregistré."
        )
        return _page(422, erreur_factures=message)
    return _invoice_preview(batch, status=200)


def _invoice_preview(batch: _Batch, *, status: int, notice: str = "") -> Any:
    try:
        plan = _plan(batch)
    except (ActesError, UploadRefused) as error:
        message = error.format() if isinstance(error, ActesError) else str(error)
        _remove(batch)
        return _page(422, erreur_factures=_cleaner(batch)(message))
    view = _invoice_view(plan, batch, str(batch.meta.get("dossier") or ""))
    if plan.blocked:
        # Nothing can be confirmed: the upload is not kept.
        _remove(batch)
        page = render_template("import_factures.html", au=_today(), vue=view, notice=notice)
        return page, status
    batch.meta["empreinte"] = _fingerprint(plan.as_dict())
    batch.save_meta()
    page = render_template(
        "import_factures.html", au=_today(), vue=view, jeton=batch.token, notice=notice
    )
    return page, status


@blueprint.post("/factures/confirmer")
def invoices_confirm() -> Any:
    """Write the previewed import, if it is still what the preview showed."""
    batch = _batch("factures")
    if batch is None:
        return _expired()
    try:
        plan = _plan(batch)
    except (ActesError, UploadRefused) as error:
        message = error.format() if isinstance(error, ActesError) else str(error)
        _remove(batch)
        return _page(422, erreur_factures=_cleaner(batch)(message))
    if _fingerprint(plan.as_dict()) != batch.meta.get("empreinte"):
        notice = (
            "Les dossiers ont changé depuis l'aperçu : voici l'aperçu à jour ; rien n'a été "
            "écrit. Vérifiez-le, puis confirmez à nouveau."
        )
        return _invoice_preview(batch, status=409, notice=notice)
    view = _invoice_view(plan, batch, str(batch.meta.get("dossier") or ""))
    if plan.blocked:
        notice = "Import bloqué : des points sont à décider ; rien n'a été écrit."
        page = render_template(
            "import_factures.html", au=_today(), vue=view, jeton=batch.token, notice=notice
        )
        return page, 422
    try:
        apply_plan(plan, au=_today())
    except ActesError as error:
        current_app.logger.info("import de factures refusé : %s", error.message)
        notice = f"Rien n'a été écrit : {_cleaner(batch)(error.format())}"
        page = render_template(
            "import_factures.html", au=_today(), vue=view, jeton=batch.token, notice=notice
        )
        return page, 409 if isinstance(error, ConflictError) else 422
    _remove(batch)
    return render_template("import_factures.html", au=_today(), vue=view, fait=True)


# ---------------------------------------------------------------------------------------------
# Bank statements.


def _match(batch: _Batch) -> MatchReport:
    files = batch.files
    if len(files) != 1:
        raise UploadRefused("Un relevé à la fois.")
    return match_statement(read_statement(files[0]), _root())


@blueprint.post("/releve")
def statement_preview() -> Any:
    """Store the uploaded statement and show each operation's match."""
    uploads = [u for u in request.files.getlist("releve") if u.filename]
    try:
        if len(uploads) != 1:
            raise UploadRefused("Choisissez un fichier de relevé (un seul à la fois).")
        batch = _new_batch("releve", uploads)
    except UploadRefused as refused:
        return _page(422, erreur_releve=f"{refused} Rien n'a été enregistré.")
    except OSError as exc:
        current_app.logger.exception("dépôt impossible")
        message = (
            f"Dépôt impossible : {exc.strerror or type(exc).__name__}. Rien n'a été enregistré."
        )
        return _page(422, erreur_releve=message)
    return _statement_preview(batch, status=200)


def _statement_preview(batch: _Batch, *, status: int, notice: str = "") -> Any:
    try:
        report = _match(batch)
    except (ActesError, UploadRefused) as error:
        message = error.format() if isinstance(error, ActesError) else str(error)
        _remove(batch)
        return _page(422, erreur_releve=_cleaner(batch)(message))
    view = _statement_view(report, batch)
    if not view["a_enregistrer"]:
        # Nothing to confirm: the upload is not kept.
        _remove(batch)
        page = render_template("import_releve.html", au=_today(), vue=view, notice=notice)
        return page, status
    batch.meta["empreinte"] = _report_fingerprint(report)
    batch.save_meta()
    page = render_template(
        "import_releve.html", au=_today(), vue=view, jeton=batch.token, notice=notice
    )
    return page, status


@blueprint.post("/releve/confirmer")
def statement_confirm() -> Any:
    """Record the previewed payments, if the matches are still those shown."""
    batch = _batch("releve")
    if batch is None:
        return _expired()
    try:
        report = _match(batch)
    except (ActesError, UploadRefused) as error:
        message = error.format() if isinstance(error, ActesError) else str(error)
        _remove(batch)
        return _page(422, erreur_releve=_cleaner(batch)(message))
    if _report_fingerprint(report) != batch.meta.get("empreinte"):
        notice = (
            "Les dossiers ont changé depuis l'aperçu : voici les rapprochements à jour ; rien "
            "n'a été enregistré. Vérifiez-les, puis confirmez à nouveau."
        )
        return _statement_preview(batch, status=409, notice=notice)
    try:
        apply_matches(report, au=_today())
    except ActesError as error:
        view = _statement_view(report, batch)
        notice = f"Rien n'a été enregistré : {_cleaner(batch)(error.format())}"
        page = render_template(
            "import_releve.html", au=_today(), vue=view, jeton=batch.token, notice=notice
        )
        return page, 422
    _remove(batch)
    view = _statement_view(report, batch)
    return render_template("import_releve.html", au=_today(), vue=view, fait=True)


@blueprint.post("/annuler")
def cancel() -> Any:
    """Forget an upload: its private folder is removed, nothing is written."""
    batch = _batch(request.form.get("type", ""))
    if batch is not None:
        _remove(batch)
    flash("Import annulé : les fichiers déposés ont été effacés, rien n'a été écrit.", "ok")
    return redirect(url_for("imports.page"), code=303)
