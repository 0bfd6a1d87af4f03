"""From a case and a procedure version to DOCX documents (docxtpl), and optionally PDF.

The pipeline is flat: load the case under the version's own schema, check every precondition
(nothing is written if one fails), build one context, render each document whose ``when``
holds into memory, and only then write the files atomically.

Case data is only ever a *value* of the context, never template source: the Jinja environment
is sandboxed, autoescapes (``&`` and ``<`` stay valid XML) and refuses undefined names.

Context keys (all amounts and dates are already formatted in French):

``acte``
    ``procedure``, ``titre``, ``version``, ``en_vigueur_depuis``, ``periode``.
``aujourd_hui``, ``lieu``
    Date of the document (« 24 novembre 2026 ») and place it is made at.
``dossier``
    ``reference``, ``objet``.
``creancier``, ``debiteur``, ``expediteur``
    A party: ``nom``, ``est_societe``, ``est_consommateur``, ``qualite``, ``identification``
    (« SAS au capital de 50 000,00 €, immatriculée au RCS de Lyon sous le n° 732 829 320 »
    or birth, nationality and profession of a person), ``forme_juridique``, ``capital``,
    ``siren``, ``siret``, ``rcs``, ``tva``, ``identifiant_etranger``, ``representant``,
    ``civilite``, ``nom_famille``, ``prenoms``, ``date_naissance``, ``lieu_naissance``,
    ``profession``, ``nationalite``, ``adresse`` (lines), ``adresse_ligne``, ``pays``,
    ``code_pays``, ``email``, ``telephone``, ``iban``, ``bic``, ``contact``.
    ``expediteur`` is the collection agency when one acts, else the creditor.
``mandataire``
    ``None`` or a party plus ``role``, ``role_libelle``, ``reference_mandat``, ``date_mandat``.
``signataire``
    ``nom``, ``qualite``.
``juridiction``
    ``None`` when the procedure has no court and the case names none, else ``nom``,
    ``adresse``, ``nature``, ``juge`` (title from :func:`actes.court.competent_court`) and
    ``destinataire`` (« Madame, Monsieur le président du tribunal de commerce de Bordeaux »).
``creances``, ``total_creances``, ``paiements``, ``total_paiements``, ``solde_factures``
    Claims (``reference``, ``libelle``, ``nature``, ``nature_libelle``, ``date_emission``,
    ``date_echeance``, ``montant``, ``fondement``, ``taux_contractuel``) and payments.
``decompte``
    The printed statement from :func:`actes.money.decompte_for_case` (see
    :func:`printed_decompte`), with ``total_du`` and ``total_du_lettres``.
``delais``, ``delai``
    The case's deadlines from :func:`actes.timeline.case_deadlines` as a list and by id:
    ``libelle``, ``date_limite``, ``fondement``, ``consequence``, ``statut``, ``trace``.
``delai_paiement``
    ``jours``, ``jours_lettres``, ``date`` (reference date + days).
``pieces``
    ``numero``, ``titre``, ``date``, ``fichier``.
``mentions``
    The named legal texts of the procedure version.
``evenements``, ``evenements_liste``
    Events by type (the earliest of each type) and all of them in date order: ``type``,
    ``date``, ``reference``, ``organe`` (``nom``, ``role``, ``adresse``), ``juridiction``,
    ``procedure``, ``procedure_libelle``, ``a_personne``, ``montant``, ``note``.
``document``
    ``titre`` of the document being rendered (from the procedure version).
``commissaire``
    ``None`` or the commissaire de justice (``nom``, ``adresse``): the mandataire with that
    role, else the last event naming one as ``organe``.
``declaration``, ``surendettement``, ``plan``, ``ipe``
    Data of the déclaration de créance, surendettement letters, payment plan and European
    order for payment (``None`` when the case has nothing for them).
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from actes._io import atomic_write
from actes._paths import templates_dir
from actes.case import Case, load_case
from actes.conditions import ConditionContext, evaluate
from actes.contexts.collective import declaration_context
from actes.contexts.common import (
    NATURE,
    ROLE,
    address_lines,
    days_in_words,
    event_context,
    money,
    party_context,
)
from actes.contexts.ipe import ipe_context
from actes.contexts.plan import plan_context
from actes.contexts.surendettement import surendettement_context
from actes.errors import DataIssue, IncompleteCase, PreconditionFailed, RenderError
from actes.formatting import (
    FILTERS,
    amount_in_words,
    format_amount,
    format_date_long,
    format_rate,
)
from actes.procedures import DocumentSpec, ProcedureVersion, load_registry

__all__ = [
    "CONTEXT_KEYS",
    "build_context",
    "jinja_environment",
    "printed_decompte",
    "render_documents",
    "render_template",
    "require_template",
    "selected_documents",
    "template_error",
]

CONTEXT_KEYS = frozenset(
    {
        "acte",
        "aujourd_hui",
        "lieu",
        "dossier",
        "creancier",
        "debiteur",
        "expediteur",
        "mandataire",
        "signataire",
        "juridiction",
        "creances",
        "total_creances",
        "paiements",
        "total_paiements",
        "solde_factures",
        "decompte",
        "delais",
        "delai",
        "document",
        "commissaire",
        "delai_paiement",
        "pieces",
        "mentions",
        "evenements",
        "evenements_liste",
        "declaration",
        "surendettement",
        "plan",
        "ipe",
    }
)

_DEFAULT_PAYMENT_DAYS = 8
# A notice of 8 or 15 days before acceleration was held unreasonable for consumer loans


# --------------------------------------------------------------------------- environment


def jinja_environment() -> SandboxedEnvironment:
    """The one environment every template is rendered and checked with."""
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


# --------------------------------------------------------------------------- parties


def _court_source(case: Case) -> Mapping[str, Any] | None:
    if case.data.get("juridiction"):
        return dict(case.data["juridiction"])
    for event in case.evenements:
        if event.get("juridiction"):
            return dict(event.get("juridiction"))
    return None


def _court(version: ProcedureVersion, case: Case) -> dict[str, Any] | None:
    """The court seised: named by the case, checked and titled by :mod:`actes.court`."""
    from actes.court import competent_court

    source = _court_source(case)
    kind = str(version.court.get("kind", "aucune")) if version.court else "aucune"
    judge = ""
    if kind != "aucune":
        advice = competent_court(version, case)
        if not advice.named:
            raise IncompleteCase(
                f"La juridiction de « {version.procedure_id} » n'est pas indiquée dans le "
                f"dossier ({advice.title or advice.place_rule}).",
                hint=advice.to_supply
                or "ajoutez « juridiction: {nom: ..., departement: ...} » au dossier",
            )
        if advice.matches_case is False:
            raise IncompleteCase(
                f"La juridiction du dossier ne convient pas à « {version.procedure_id} ».",
                hint=" ".join(advice.notes) or advice.explanation,
            )
        judge = advice.title[:1].lower() + advice.title[1:]
    if source is None:
        return None
    name = str(source.get("nom", ""))
    if not judge:
        judge = f"président du {name[:1].lower() + name[1:]}"
    return {
        "nom": name,
        "adresse": address_lines(source.get("adresse")),
        "nature": kind,
        "juge": judge,
        "destinataire": f"Madame, Monsieur le {judge}",
    }


# --------------------------------------------------------------------------- money


_INTEREST_LABEL = {
    "penalites_l441_10": "Pénalités de retard (code de commerce, art. L441-10)",
    "interet_legal": "Intérêts au taux légal (code civil, art. 1231-6 et 1344-1)",
    "contractuel": "Intérêts au taux contractuel",
}
_INDEMNITY_LABEL = (
    "Indemnité forfaitaire pour frais de recouvrement (code de commerce, art. L441-10 et D441-5)"
)


def printed_decompte(
    raw: Mapping[str, Any], due_dates: Mapping[str, dt.date] | None = None
) -> dict[str, Any]:
    """Format ``Decompte.as_dict()`` (:mod:`actes.money`) for print.

    Keys: ``date``, ``regime``, ``lignes`` (``reference``, ``libelle``, ``date_echeance``,
    ``principal``, ``paye``, ``solde_principal``, ``interets``, ``indemnite``, ``total``),
    ``total_principal``, ``total_paye``, ``total_solde_principal`` (alias
    ``total_principal_restant``), ``total_interets``, ``total_indemnites``, ``a_indemnites``,
    ``total_du``, ``total_du_lettres``, ``elements`` (principal, interest, indemnity left to
    pay, with their legal basis: the split CPCE R124-4 asks for), ``explication``,
    ``avertissements``. Every amount is « 1 234,56 € ».
    """
    due_dates = due_dates or {}
    totals = raw.get("totaux", {})
    lines = []
    rest_principal = rest_interest = rest_indemnity = Decimal("0")
    for claim in raw.get("creances", []):
        paid = (
            money(claim.get("principal_paye"))
            + money(claim.get("interets_payes"))
            + money(claim.get("indemnite_payee"))
        )
        rest_principal += money(claim.get("principal_restant"))
        rest_interest += money(claim.get("interets_restants"))
        rest_indemnity += money(claim.get("indemnite")) - money(claim.get("indemnite_payee"))
        due = due_dates.get(str(claim.get("reference")))
        lines.append(
            {
                "reference": claim.get("reference", ""),
                "libelle": claim.get("libelle", ""),
                "date_echeance": format_date_long(due) if due else "",
                "principal": format_amount(money(claim.get("principal"))),
                "paye": format_amount(paid),
                "solde_principal": format_amount(money(claim.get("principal_restant"))),
                "interets": format_amount(money(claim.get("interets"))),
                "indemnite": format_amount(money(claim.get("indemnite"))),
                "total": format_amount(money(claim.get("total_du"))),
            }
        )
    regime = str(raw.get("regime", ""))
    elements = [{"libelle": "Principal restant dû", "montant": format_amount(rest_principal)}]
    if regime in _INTEREST_LABEL:
        elements.append(
            {"libelle": _INTEREST_LABEL[regime], "montant": format_amount(rest_interest)}
        )
    if rest_indemnity:
        elements.append({"libelle": _INDEMNITY_LABEL, "montant": format_amount(rest_indemnity)})
    total_du = money(totals.get("total_du"))
    au = raw.get("au")
    return {
        "date": format_date_long(str(au)) if au else "",
        "regime": regime,
        "lignes": lines,
        "total_principal": format_amount(money(totals.get("principal"))),
        "total_paye": format_amount(money(totals.get("paiements"))),
        "total_solde_principal": format_amount(rest_principal),
        "total_principal_restant": format_amount(rest_principal),
        "total_interets": format_amount(money(totals.get("interets"))),
        "total_indemnites": format_amount(money(totals.get("indemnites"))),
        "a_indemnites": money(totals.get("indemnites")) != 0,
        "total_du": format_amount(total_du),
        "total_du_lettres": amount_in_words(total_du),
        "elements": elements,
        "explication": " ".join(str(c) for c in raw.get("conventions", [])),
        "avertissements": [str(w) for w in raw.get("avertissements", [])],
    }


def _deadlines(case: Case, au: dt.date, procedure_id: str) -> list[Any]:
    timeline = importlib.import_module("actes.timeline")
    return list(timeline.case_deadlines(case, au, procedure_id=procedure_id))


def _printed_deadline(item: Any) -> dict[str, Any]:
    basis = getattr(item, "legal_basis", "")
    limit = getattr(item, "date_limite", None)
    trace = getattr(item, "trace", "")
    return {
        "id": getattr(item, "id", ""),
        "libelle": getattr(item, "label", ""),
        "date_limite": format_date_long(limit) if limit else "",
        "fondement": ", ".join(basis) if isinstance(basis, list | tuple) else str(basis),
        "consequence": getattr(item, "consequence", ""),
        "statut": str(getattr(item, "status", "")),
        "trace": "\n".join(map(str, trace)) if isinstance(trace, list | tuple) else str(trace),
        "resume": item.result.summary() if hasattr(item, "result") else "",
    }


def _deadline_lookup(deadlines: Iterable[Any]) -> Callable[[str], str | None]:
    # Same vocabulary as actes.timeline.version_deadlines: "missed" once the last day passed.
    by_id = {d.id: ("missed" if d.missed else "running") for d in deadlines}
    return lambda deadline_id: by_id.get(deadline_id)


def _prescribed(
    case: Case, au: dt.date, deadlines: Sequence[Any] | None = None
) -> Callable[[], bool]:
    def check() -> bool:
        timeline = importlib.import_module("actes.timeline")
        return bool(timeline.is_prescribed(case, au, deadlines))

    return check


# --------------------------------------------------------------------------- events


def _commissaire(case: Case, mandataire: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The commissaire de justice of the case: the mandataire, else the last one named."""
    if mandataire is not None and mandataire["role"] == "commissaire_de_justice":
        return {"nom": mandataire["nom"], "adresse": mandataire["adresse"]}
    for event in sorted(case.evenements, key=lambda e: e.date, reverse=True):
        organe = event.get("organe")
        if organe and organe["role"] == "commissaire_de_justice":
            return {"nom": organe["nom"], "adresse": address_lines(organe.get("adresse"))}
    return None


def build_context(
    version: ProcedureVersion,
    case: Case,
    au: dt.date,
    *,
    decompte: Mapping[str, Any] | None = None,
    deadlines: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """Everything a template may print, formatted (keys listed in the module docstring).

    ``decompte`` (a ``Decompte.as_dict()``) and ``deadlines`` (items of
    ``case_deadlines``) are computed by :mod:`actes.money` and :mod:`actes.timeline` unless
    the caller already has them.
    """
    raw_decompte = (
        dict(decompte)
        if decompte is not None
        else importlib.import_module("actes.money").decompte_for_case(case, au).as_dict()
    )
    due_dates = {c.reference: c.date_echeance for c in case.creances}
    printed = printed_decompte(raw_decompte, due_dates)
    items = (
        list(deadlines)
        if deadlines is not None
        else _deadlines(case, au, procedure_id=version.procedure_id)
    )
    delais = [_printed_deadline(d) for d in items]
    params = case.parametres
    days = int(params.get("delai_paiement_jours", _DEFAULT_PAYMENT_DAYS))
    mandataire = case.mandataire
    signataire = params.get("signataire") or {
        "nom": case.creancier.get("representant", {}).get("nom", case.creancier.name),
        "qualite": case.creancier.get("representant", {}).get("qualite", ""),
    }
    creancier = party_context(case.creancier)
    mandataire_ctx = None
    if mandataire is not None:
        mandataire_ctx = {
            **party_context(mandataire.partie),
            "role": mandataire.role,
            "role_libelle": ROLE[mandataire.role],
            "reference_mandat": mandataire.raw.get("reference_mandat", ""),
            "date_mandat": format_date_long(str(mandataire.raw["date_mandat"]))
            if mandataire.raw.get("date_mandat")
            else "",
        }
    expediteur = (
        mandataire_ctx
        if mandataire_ctx and mandataire.role == "societe_recouvrement"  # type: ignore[union-attr]
        else creancier
    )
    juridiction = _court(version, case)
    total_du = raw_decompte.get("totaux", {}).get("total_du")
    events_sorted = sorted(case.evenements, key=lambda e: e.date)
    by_type: dict[str, dict[str, Any]] = {}
    for event in events_sorted:
        by_type.setdefault(event.type, event_context(event))
    jugement = case.event("jugement_ouverture")
    declaration = None
    if jugement is not None:
        at_opening = (
            printed
            if decompte is not None
            else printed_decompte(
                importlib.import_module("actes.money")
                .decompte_for_case(case, min(au, jugement.date))
                .as_dict(),
                due_dates,
            )
        )
        declaration = declaration_context(case, au, at_opening)
    return {
        "acte": {
            "procedure": version.procedure_id,
            "titre": version.title,
            "version": version.version,
            "en_vigueur_depuis": format_date_long(version.valid_from),
            "periode": version.period(),
        },
        "aujourd_hui": format_date_long(au),
        "lieu": params.get("lieu") or case.creancier.adresse.ville,
        "dossier": {"reference": case.reference, "objet": case.data.get("objet", "")},
        "creancier": creancier,
        "debiteur": party_context(case.debiteur),
        "expediteur": expediteur,
        "mandataire": mandataire_ctx,
        "signataire": {"nom": signataire["nom"], "qualite": signataire.get("qualite", "")},
        "juridiction": juridiction,
        "creances": [
            {
                "reference": c.reference,
                "libelle": c.libelle,
                "nature": c.nature,
                "nature_libelle": NATURE.get(c.nature, c.nature),
                "date_emission": format_date_long(c.date_emission),
                "date_echeance": format_date_long(c.date_echeance),
                "montant": format_amount(c.montant, c.devise),
                "fondement": c.fondement,
                "taux_contractuel": format_rate(c.taux_contractuel)
                if c.taux_contractuel is not None
                else "",
            }
            for c in case.creances
        ],
        "total_creances": format_amount(case.principal),
        "paiements": [
            {
                "date": format_date_long(p.date),
                "montant": format_amount(p.montant),
                "reference": p.reference,
                "creance": p.creance or "",
                "mode": p.mode,
            }
            for p in case.paiements
        ],
        "total_paiements": format_amount(case.paid),
        "solde_factures": format_amount(case.principal - case.paid),
        "decompte": printed,
        "delais": delais,
        "delai": {d["id"]: d for d in delais if d["id"]},
        "delai_paiement": {
            "jours": days,
            "jours_lettres": days_in_words(days),
            "date": format_date_long(au + dt.timedelta(days=days)),
        },
        "pieces": [
            {
                "numero": p.numero,
                "titre": p.titre,
                "date": format_date_long(p.date),
                "fichier": p.fichier,
            }
            for p in case.pieces
        ],
        "mentions": dict(version.mentions),
        "evenements": by_type,
        "evenements_liste": [event_context(e) for e in events_sorted],
        "declaration": declaration,
        "surendettement": surendettement_context(case),
        "plan": plan_context(case, Decimal(str(total_du)) if total_du is not None else None),
        "ipe": ipe_context(case, juridiction),
        "commissaire": _commissaire(case, mandataire_ctx),
    }


# --------------------------------------------------------------------------- rendering


def render_template(template: Path, context: Mapping[str, Any]) -> bytes:
    """Render one DOCX template to bytes; template problems become :class:`RenderError`."""
    from docxtpl import DocxTemplate

    require_template(template)
    try:
        document = DocxTemplate(str(template))
        document.render(dict(context), jinja_env=jinja_environment(), autoescape=True)
        buffer = io.BytesIO()
        document.save(buffer)
    except TemplateError as exc:
        raise template_error(template, exc) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise RenderError(f"Modèle {template.name} illisible : {exc}") from None
    return buffer.getvalue()


def require_template(template: Path) -> None:
    """Raise :class:`RenderError` (with the fix) when the template file does not exist."""
    if not template.is_file():
        raise RenderError(
            f"Modèle introuvable : {template}",
            hint="lancez « python tools/build_templates.py » ou corrigez « template » "
            "dans la définition de la procédure",
        )


def template_error(template: Path, exc: TemplateError) -> RenderError:
    """A Jinja error of a DOCX template, with the text around it when docxtpl gives it."""
    around = [line.strip() for line in getattr(exc, "docx_context", []) or []]
    around = [line for line in around if line]
    return RenderError(
        f"Modèle {template.name} : {exc.message or type(exc).__name__}",
        hint="texte autour de l'erreur : « " + " / ".join(around)[:300] + " »"
        if around
        else "vérifiez les balises {{ }} et {% %} du modèle (voir docs/templates.md)",
    )


_NEEDS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "lettre_commissaire_signification.docx": (
        (
            "commissaire",
            "indiquez le commissaire de justice : « mandataire: {role: commissaire_de_justice, "
            "partie: ...} » ou « organe » (role commissaire_de_justice) d'un événement",
        ),
    ),
    "lettre_commissaire_execution.docx": (
        (
            "commissaire",
            "indiquez le commissaire de justice : « organe » (role commissaire_de_justice) de "
            "l'événement ordonnance_signifiee, ou « mandataire »",
        ),
    ),
    "plan_apurement.docx": (
        ("plan", "ajoutez « plan: {echeances: [{date: ..., montant: ...}], ...} » au dossier"),
    ),
    "declaration_de_creance.docx": (
        ("declaration", "ajoutez l'événement « jugement_ouverture » avec son « organe »"),
    ),
    "declaration_creance_surendettement.docx": (
        ("surendettement", "ajoutez les événements de surendettement avec la commission"),
    ),
    "contestation_surendettement.docx": (
        ("surendettement", "ajoutez les événements de surendettement avec la commission"),
        (
            "surendettement.decision_contestee",
            "ajoutez l'événement « surendettement_mesures_notifiees » (ou la recevabilité) "
            "contesté",
        ),
        (
            "surendettement.motifs",
            "écrivez les mesures contestées et les motifs dans « note » de l'événement contesté",
        ),
    ),
}


def _check_needs(template: Path, context: Mapping[str, Any]) -> None:
    """Fail with a hint naming the missing case data rather than a Jinja error."""
    for path, hint in _NEEDS.get(template.name, ()):
        value: Any = context
        for key in path.split("."):
            value = value.get(key) if isinstance(value, Mapping) else None
        if not value:
            raise IncompleteCase(
                f"Le dossier ne contient pas ce qu'exige le modèle {template.name} ({path}).",
                hint=hint,
            )


def selected_documents(
    version: ProcedureVersion, condition_context: ConditionContext
) -> list[DocumentSpec]:
    """The documents of ``version`` whose ``when`` holds for the case."""
    return [
        doc
        for doc in version.documents
        if doc.when is None or evaluate(doc.when, condition_context)
    ]


def output_name(spec: DocumentSpec, reference: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", reference)
    return spec.output.format(reference=safe)


@dataclass(frozen=True)
class DocumentPlan:
    """What rendering a procedure for a case will produce, preconditions already checked."""

    version: ProcedureVersion
    case: Case
    context: dict[str, Any]
    documents: tuple[tuple[DocumentSpec, Path, str], ...]  # spec, template, output name

    def context_for(self, spec: DocumentSpec) -> dict[str, Any]:
        return {**self.context, "document": {"titre": spec.title}}


def plan_documents(
    procedure_id: str, case: Case, au: dt.date, *, source: str = ""
) -> DocumentPlan:
    """Check the version's preconditions for a validated case and build its context.

    Raises :class:`PreconditionFailed` with every failed condition, its message and articles.
    The case must already be valid against ``version.case_schema`` (see
    :func:`render_documents`). Shared by :func:`render_documents` and the batch renderer.
    """
    version = load_registry().get(procedure_id).for_case(case, au)
    deadlines = _deadlines(case, au, procedure_id=version.procedure_id)
    conditions = ConditionContext(
        case=case,
        au=au,
        deadline_status=_deadline_lookup(deadlines),
        prescribed=_prescribed(case, au, deadlines),
    )
    failed = [p for p in version.preconditions if not evaluate(p.require, conditions)]
    if failed:
        instead = sorted({target for p in failed for target in p.instead})
        raise PreconditionFailed(
            f"La procédure « {procedure_id} » ne peut pas être utilisée pour le dossier "
            f"{case.reference} :",
            hint=f"procédure(s) à envisager : {', '.join(instead)}" if instead else "",
            issues=[
                DataIssue(
                    json_path="",
                    message=f"{p.message} ({'; '.join(p.legal_basis)})",
                    rule=p.id,
                    file=source,
                )
                for p in failed
            ],
        )
    context = build_context(version, case, au, deadlines=deadlines)
    documents = []
    for spec in selected_documents(version, conditions):
        template = templates_dir() / spec.template
        _check_needs(template, context)
        documents.append((spec, template, output_name(spec, case.reference)))
    return DocumentPlan(version, case, context, tuple(documents))


def render_documents(
    procedure_id: str, case_path: Path, outdir: Path, au: dt.date, pdf: bool = False
) -> list[Path]:
    """Render every applicable document of a procedure for a case; return the written files.

    A failed precondition raises :class:`PreconditionFailed` before anything is written; the
    files are written only once every document has rendered.
    """
    procedure = load_registry().get(procedure_id)
    first = load_case(case_path, au=au)
    version = procedure.for_case(first, au)
    case = load_case(case_path, au=au, extra_schema=version.case_schema)
    plan = plan_documents(procedure_id, case, au, source=str(case_path))
    rendered: list[tuple[Path, bytes]] = [
        (outdir / name, render_template(template, plan.context_for(spec)))
        for spec, template, name in plan.documents
    ]
    written = []
    for path, data in rendered:
        atomic_write(path, data)
        written.append(path)
    if pdf and written:
        from actes.pdf import docx_to_pdf

        written.extend(docx_to_pdf(written, outdir))
    return written
