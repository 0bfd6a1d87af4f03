"""``actes procedures list|show`` and ``actes schema``: the versioned definitions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from actes._paths import origin
from actes.cases.schema import bundled_schema, effective_schema
from actes.cli._common import date_option, echo_json, today
from actes.law.procedures import Procedure, ProcedureVersion, load_registry


@click.group("procedures")
def procedures() -> None:
    """Les procédures connues et leurs versions datées."""


@procedures.command("list")
@date_option("on", "Date à laquelle chercher la version en vigueur (défaut : aujourd'hui).")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
def list_procedures(on: dt.date | None, as_json: bool) -> None:
    """Tableau : identifiant, titre, version en vigueur, période de validité.

    Les fichiers venant de l'espace de travail du cabinet (procedures/ à côté de actes.toml)
    sont indiqués sous la procédure ; les autres sont ceux d'actes.
    """
    day = on or today()
    rows: list[dict[str, Any]] = []
    for procedure in load_registry():
        version = next((v for v in procedure.versions if v.covers(day)), None)
        own = _workspace_files(procedure)
        rows.append(
            {
                "id": procedure.id,
                "titre": procedure.title,
                "categorie": procedure.category,
                "version": version.version if version else None,
                "valide_du": version.valid_from if version else None,
                "valide_au": version.valid_until if version else None,
                "versions": len(procedure.versions),
                "provenance": _provenance(procedure, own),
                "fichier_version": str(version.file) if version else None,
                "fichiers_espace_de_travail": [str(f) for f in own],
            }
        )
    if as_json:
        echo_json({"date": day, "procedures": rows})
        return
    width = max(len(r["id"]) for r in rows)
    click.echo(f"Procédures en vigueur le {day.isoformat()} :")
    click.echo(f"{'ID':<{width}}  VERS.  VALIDE DU    AU           TITRE")
    for r in rows:
        shown = f"v{r['version']}" if r["version"] else "—"
        start = r["valide_du"].isoformat() if r["valide_du"] else "—"
        end = r["valide_au"].isoformat() if r["valide_au"] else "…"
        click.echo(f"{r['id']:<{width}}  {shown:<5}  {start:<11}  {end:<11}  {r['titre']}")
        for file in r["fichiers_espace_de_travail"]:
            click.echo(f"{'':<{width}}  ↳ espace de travail : {file}")


def _workspace_files(procedure: Procedure) -> list[Path]:
    """The definition files of ``procedure`` that come from the firm's workspace."""
    files = [procedure.index_file] if procedure.index_file is not None else []
    for version in procedure.versions:
        files.extend((*version.superseded, version.file))
    return [f for f in files if origin(f) is not None]


def _provenance(procedure: Procedure, own: list[Path]) -> str:
    if not own:
        return "actes"
    every = 1 + sum(1 + len(v.superseded) for v in procedure.versions)
    return "espace de travail" if len(own) == every else "actes et espace de travail"


@procedures.command("show")
@click.argument("procedure_id", metavar="ID")
@date_option("on", "Date qui choisit la version (défaut : aujourd'hui).")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
def show(procedure_id: str, on: dt.date | None, as_json: bool) -> None:
    """Fondement, champs exigés, documents, délais, conditions, suites d'une procédure."""
    procedure = load_registry().get(procedure_id)
    version = procedure.at(on or today())
    data = describe(procedure, version)
    if as_json:
        echo_json(data)
        return
    click.echo(f"{procedure.title} — {procedure.id}")
    click.echo(f"Version {version.version} en vigueur du {version.period()} : {version.title}")
    if version.revision > 1:
        click.echo(f"Révision {version.revision} ({version.file.name}), qui corrige :")
        for line in version.corrections:
            click.echo(f"  - {line}")
    click.echo("Toutes les versions :")
    for v in procedure.versions:
        marker = "→" if v is version else " "
        click.echo(f"  {marker} v{v.version}  {v.period()}  {v.title}")
    click.echo(
        f"Choix de la version : date de {', '.join(procedure.selected_by) or 'référence'}"
        + (" (à défaut, date de référence)" if procedure.selected_by else "")
    )
    click.echo(f"\n{version.summary.strip()}\n")
    click.echo("Fondement :")
    for line in version.articles():
        click.echo(f"  - {line}")
    if version.court:
        click.echo(f"Juridiction : {version.court['explanation']}")
    click.echo("Champs exigés : " + ", ".join(data["champs_exiges"]))
    click.echo("Documents :")
    for doc in version.documents:
        click.echo(f"  - {doc.title} ({doc.template} → {doc.output})")
    click.echo("Délais :")
    for rule in version.deadlines:
        start = rule.start_event or f"fin du délai {rule.start_after}"
        click.echo(
            f"  - {rule.label} : {rule.duration} à compter de « {start} » "
            f"[{'; '.join(rule.legal_basis)}] — {rule.consequence}"
        )
    click.echo("Conditions :")
    for pre in version.preconditions:
        click.echo(f"  - {pre.id} [{'; '.join(pre.legal_basis)}]")
    if version.leads_to:
        click.echo("Suites possibles :")
        for link in version.leads_to:
            click.echo(f"  - {link.procedure} : {link.when}")
    if version.notes:
        click.echo(f"Notes : {version.notes.strip()}")


def describe(procedure: Procedure, version: ProcedureVersion) -> dict[str, Any]:
    schema = effective_schema(version.case_schema)
    return {
        "id": procedure.id,
        "titre": procedure.title,
        "categorie": procedure.category,
        "choix_de_version": list(procedure.selected_by),
        "versions": [
            {
                "version": v.version,
                "valide_du": v.valid_from,
                "valide_au": v.valid_until,
                "titre": v.title,
                "fichier": v.file.name,
                "provenance": "espace de travail" if origin(v.file) is not None else "actes",
                "revision": v.revision,
                "corrige": list(v.corrections),
                "revisions_precedentes": [f.name for f in v.superseded],
            }
            for v in procedure.versions
        ],
        "version": version.version,
        "valide_du": version.valid_from,
        "valide_au": version.valid_until,
        "resume": version.summary.strip(),
        "fondement": list(version.legal_basis),
        "juridiction": dict(version.court),
        "champs_exiges": _required_fields(schema),
        "documents": [
            {"id": d.id, "titre": d.title, "modele": d.template, "sortie": d.output}
            for d in version.documents
        ],
        "delais": [
            {
                "id": r.id,
                "libelle": r.label,
                "depart": r.start_event or f"fin:{r.start_after}",
                "duree": r.duration,
                "computation": r.counting,
                "prolongation_distance": r.distance,
                "fondement": list(r.legal_basis),
                "consequence": r.consequence,
            }
            for r in version.deadlines
        ],
        "conditions": [
            {
                "id": p.id,
                "message": p.message,
                "fondement": list(p.legal_basis),
                "sinon": list(p.instead),
            }
            for p in version.preconditions
        ],
        "suites": [{"procedure": link.procedure, "quand": link.when} for link in version.leads_to],
        "mentions": dict(version.mentions),
        "notes": version.notes.strip(),
    }


def _required_fields(schema: dict[str, Any], prefix: str = "$") -> list[str]:
    fields = [f"{prefix}.{name}" for name in schema.get("required", [])]
    for part in schema.get("allOf", []):
        fields.extend(f"{prefix}.{name}" for name in part.get("required", []))
        for key, sub in part.get("properties", {}).items():
            if isinstance(sub, dict):
                fields.extend(f"{prefix}.{key}.{name}" for name in sub.get("required", []))
                items = sub.get("items")
                if isinstance(items, dict):
                    fields.extend(f"{prefix}.{key}[].{n}" for n in items.get("required", []))
    return sorted(set(fields))


@click.command("schema")
@click.argument("procedure_id", metavar="ID", required=False)
@date_option("on", "Date qui choisit la version (défaut : aujourd'hui).")
def schema(procedure_id: str | None, on: dt.date | None) -> None:
    """Affiche le schéma JSON effectif d'un dossier (pour une procédure, ou le schéma de base)."""
    if procedure_id is None:
        echo_json(bundled_schema(effective_schema(None)))
        return
    version = load_registry().get(procedure_id).at(on or today())
    echo_json(bundled_schema(effective_schema(version.case_schema)))
