"""``actes next``: what to do next on a case, read from the procedure definitions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from actes.cases.case import load_case
from actes.cli._common import au_option, case_argument, case_file, echo_json, json_option, today
from actes.law.assistant import Assessment, AvailableStep, Recommendation, next_steps
from actes.law.calendar import long_date
from actes.law.court import CourtAdvice
from actes.law.timeline import CaseDeadline
from actes.workspace import firm_for, firm_mandate_note, with_firm

_STATUS = {
    "a_venir": "à venir",
    "aujourd_hui": "AUJOURD'HUI",
    "depasse": "DÉPASSÉ",
    "accompli": "accompli",
}
_RULES = {
    "conseil": "conseil d'une procédure",
    "suite": "suite d'une étape accomplie",
    "priorite": "ordre de priorité",
}


@click.command("next")
@case_argument
@au_option()
@json_option
def next_command(case: Path, au: dt.date | None, as_json: bool) -> None:
    """Prochaine étape du dossier : procédures possibles, écartées, conseils, juridiction.

    Tout vient des définitions de procédures (conditions, conseils, suites, délais), chaque
    procédure étant prise dans la version que fixent les dates du dossier.
    """
    day = au or today()
    path = case_file(case)
    loaded = load_case(path, au=day)
    # A collection agency's workspace is the mandataire of a case naming none (as rendered).
    firm = firm_for(path.parent)
    note = firm_mandate_note(loaded, firm)
    assessment = next_steps(with_firm(loaded, firm), day)
    if as_json:
        data = assessment.as_dict()
        if note:
            data["mandataire_espace_de_travail"] = note
        echo_json(data)
        return
    if note:
        click.echo(note)
    for line in describe(assessment):
        click.echo(line)


def describe(assessment: Assessment) -> list[str]:
    """The readable report: recommended step, available, blocked, advice, warnings, court."""
    lines = [f"Dossier {assessment.reference} au {long_date(assessment.au)}", ""]
    lines += _recommended(assessment.recommended, len(assessment.warnings))
    lines += ["", "Procédures possibles :"]
    if not assessment.available:
        lines.append("  aucune.")
    for step in assessment.available:
        lines += _available(step)
    lines += ["", "Procédures écartées :"]
    if not assessment.blocked:
        lines.append("  aucune.")
    for blocked in assessment.blocked:
        version = f" v{blocked.version}" if blocked.version else ""
        lines.append(f"  - {blocked.procedure_id}{version} [{blocked.precondition_id}]")
        lines.append(f"      {blocked.message}")
        if blocked.legal_basis:
            lines.append(f"      Fondement : {'; '.join(blocked.legal_basis)}")
        for fact in blocked.facts:
            lines.append(f"      Fait : {_deadline(fact)}")
        if blocked.instead:
            lines.append(f"      Plutôt : {', '.join(blocked.instead)}")
    lines += ["", "Conseils :"]
    if not assessment.advice:
        lines.append("  aucun.")
    for advice in assessment.advice:
        lines.append(f"  - {advice.text}")
        basis = f"{'; '.join(advice.legal_basis)} — " if advice.legal_basis else ""
        lines.append(f"      {basis}{', '.join(advice.procedures)}")
    lines += ["", "Avertissements :"]
    if not assessment.warnings:
        lines.append("  aucun.")
    for warning in assessment.warnings:
        lines.append(f"  ⚠ {warning.message}")
        lines.append(f"      Fondement : {'; '.join(warning.legal_basis)}")
    lines += ["", "Juridiction :"]
    lines += _court(assessment.court) if assessment.court else ["  aucune juridiction à saisir."]
    return lines


def _recommended(step: Recommendation | None, warnings: int) -> list[str]:
    if step is None:
        return ["Étape recommandée : aucune (aucune procédure n'est possible)."]
    lines = [
        f"Étape recommandée : {step.procedure_id} (v{step.version}) — {step.title}",
        f"  Pourquoi ({_RULES.get(step.rule, step.rule)}) : {step.reason}",
    ]
    if step.legal_basis:
        lines.append(f"  Fondement : {'; '.join(step.legal_basis)}")
    if step.action:
        lines.append(f"  Action : {step.action}")
    if step.deadline is not None:
        lines.append(f"  Délai : {_deadline(step.deadline)}")
    if step.documents:
        lines.append(f"  Documents : {', '.join(d.title for d in step.documents)}")
        lines.append(f"  Commande : {step.command}")
    else:
        lines.append("  Aucun document à produire avec actes pour cette étape.")
    if warnings:
        lines.append(f"  Attention : {warnings} avertissement(s) ci-dessous.")
    return lines


def _available(step: AvailableStep) -> list[str]:
    lines = [
        f"  - {step.procedure_id} v{step.version.version} — {step.title}",
        f"      Version : {step.selection_reason} ({step.selection_date.isoformat()})",
    ]
    if step.next_deadline is not None:
        lines.append(f"      Prochain délai : {_deadline(step.next_deadline)}")
    if step.documents:
        lines.append(f"      Documents : {', '.join(d.id for d in step.documents)}")
        lines.append(f"      Commande : {step.command}")
    return lines


def _court(court: CourtAdvice) -> list[str]:
    lines = [
        f"  {court.title} ({court.procedure_id})",
        f"  Lieu : {court.place_rule}",
        f"  {court.explanation}",
    ]
    if court.legal_basis:
        lines.append(f"  Fondement : {'; '.join(court.legal_basis)}")
    lines += [f"  Remarque : {note}" for note in court.notes]
    if court.to_supply:
        lines.append(f"  À fournir : {court.to_supply}")
    return lines


def _deadline(deadline: CaseDeadline) -> str:
    left = f", J{deadline.days_left:+d}" if deadline.status != "accompli" else ""
    return (
        f"{deadline.date_limite.isoformat()} ({_STATUS.get(deadline.status, deadline.status)}"
        f"{left}) — {deadline.label} "
        f"({'; '.join(deadline.legal_basis)})"
    )
