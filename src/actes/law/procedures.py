"""Versioned procedure definitions: loading, validation against the meta-schema, selection.

A procedure lives in ``procedures/<id>/``: ``index.yaml`` holds what never changes (title,
category, which events select a version) and each ``<valid_from>.yaml`` is one version of the
law. A released version is never edited; a change of law adds a file. A case is handled under
the version in force on the date of its own selecting event (``selected_by``), or on the
reference date when it has none.

A released version whose *transcription* was wrong (the law did not change: a mention, a
condition or a deadline was mis-encoded) is corrected by a revision file
``<valid_from>.r<N>.yaml``: a complete copy with ``revision: N`` and ``corrige`` (what was
corrected and why). The highest revision is used; the original stays on disk, unchanged and
locked, so that what an earlier document was rendered under can still be read.

The firm's workspace may hold its own ``procedures/<id>/`` files (:mod:`actes._paths`): a file
replaces the shipped file of the same name, a new file adds a version, a new folder adds a
procedure; the merged definitions are checked like the shipped ones.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actes._io import load_document
from actes._paths import active_workspace, procedures_dir, schemas_dir
from actes.cases.schema import load_schema, schema_issues
from actes.errors import DataIssue, DefinitionError, NoVersionInForce, UsageProblem

if TYPE_CHECKING:
    from actes.cases.case import Case

__all__ = [
    "DeadlineRule",
    "DocumentSpec",
    "Precondition",
    "Procedure",
    "ProcedureVersion",
    "Registry",
    "load_registry",
]


@dataclass(frozen=True)
class DeadlineRule:
    """A deadline a version starts: which event starts it, how long, on what legal basis."""

    id: str
    label: str
    duration: str
    legal_basis: tuple[str, ...]
    consequence: str
    start_event: str | None = None
    start_after: str | None = None
    start_where: Mapping[str, Any] = field(default_factory=dict)
    counting: str = "cpc"
    distance: str = "aucune"
    party: str = "creancier"
    when: Mapping[str, Any] | None = None
    blocking: bool = False
    duration_parameter: str | None = None
    met_by: str | None = None


@dataclass(frozen=True)
class DocumentSpec:
    id: str
    title: str
    template: str
    output: str
    when: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Precondition:
    id: str
    require: Mapping[str, Any]
    message: str
    legal_basis: tuple[str, ...]
    instead: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeadsTo:
    procedure: str
    when: str
    after: str | None = None


@dataclass(frozen=True)
class ProcedureVersion:
    """One version of a procedure, as the law stood from ``valid_from`` to ``valid_until``."""

    procedure_id: str
    version: int
    valid_from: dt.date
    valid_until: dt.date | None
    title: str
    summary: str
    legal_basis: tuple[Mapping[str, Any], ...]
    documents: tuple[DocumentSpec, ...]
    deadlines: tuple[DeadlineRule, ...]
    preconditions: tuple[Precondition, ...]
    leads_to: tuple[LeadsTo, ...]
    mentions: Mapping[str, str]
    advice: tuple[Mapping[str, Any], ...]
    court: Mapping[str, Any]
    notes: str
    case_schema_path: str | None
    file: Path
    revision: int = 1
    corrections: tuple[str, ...] = ()
    superseded: tuple[Path, ...] = ()
    # « jours_avant_echeance » (relance_preventive): how many days before a claim's due date
    # the reminder goes out; None for the procedures that have no such reminder.
    days_before_due: int | None = None

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @property
    def case_schema(self) -> dict[str, Any] | None:
        if not self.case_schema_path:
            return None
        # A workspace's version may use the shipped procedure schemas.
        root = self.file.parents[2] / "schemas"
        if not (root / self.case_schema_path).is_file():
            root = schemas_dir()
        return load_schema(self.case_schema_path, root)

    def deadline(self, deadline_id: str) -> DeadlineRule:
        for rule in self.deadlines:
            if rule.id == deadline_id:
                return rule
        raise KeyError(deadline_id)

    def articles(self) -> list[str]:
        return [
            f"{basis['code']} art. {', '.join(basis['articles'])}" for basis in self.legal_basis
        ]

    def period(self) -> str:
        end = self.valid_until.isoformat() if self.valid_until else "…"
        return f"{self.valid_from.isoformat()} → {end}"


@dataclass(frozen=True)
class Procedure:
    id: str
    title: str
    category: str
    description: str
    selected_by: tuple[str, ...]
    references: tuple[Mapping[str, str], ...]
    versions: tuple[ProcedureVersion, ...]
    index_file: Path | None = None
    # Document id -> the event type that sending (or filing) it records (index.yaml
    # « evenement_apres_envoi »): what `actes render --enregistrer` and the web page offer.
    events_after_sending: Mapping[str, str] = field(default_factory=dict)

    def at(self, day: dt.date) -> ProcedureVersion:
        """The version in force on ``day``."""
        for version in self.versions:
            if version.covers(day):
                return version
        covered = ", ".join(v.period() for v in self.versions)
        raise NoVersionInForce(
            f"Aucune version de « {self.id} » n'est en vigueur le {day.isoformat()}.",
            hint=f"périodes couvertes : {covered}",
        )

    def selection_date(self, case: Case | None, au: dt.date) -> tuple[dt.date, str]:
        """The date that selects the version for this case, and why (in French)."""
        if case is not None:
            for kind in self.selected_by:
                event = case.event(kind)
                if event is not None:
                    return event.date, f"date de l'événement « {kind} » du dossier"
        return au, "date de référence (aucun événement du dossier ne fixe la version)"

    def for_case(self, case: Case | None, au: dt.date) -> ProcedureVersion:
        day, _ = self.selection_date(case, au)
        return self.at(day)

    @property
    def current(self) -> ProcedureVersion:
        return self.versions[-1]


class Registry:
    """Every procedure found in a ``procedures/`` folder, validated at load."""

    def __init__(self, procedures: Mapping[str, Procedure], root: Path) -> None:
        self._procedures = dict(sorted(procedures.items()))
        self.root = root

    def __iter__(self) -> Iterator[Procedure]:
        return iter(self._procedures.values())

    def __len__(self) -> int:
        return len(self._procedures)

    def __contains__(self, procedure_id: object) -> bool:
        return procedure_id in self._procedures

    def ids(self) -> list[str]:
        return list(self._procedures)

    def get(self, procedure_id: str) -> Procedure:
        try:
            return self._procedures[procedure_id]
        except KeyError:
            raise UsageProblem(
                f"Procédure inconnue : « {procedure_id} ».",
                hint=f"procédures disponibles : {', '.join(self._procedures)}",
            ) from None

    def version(self, procedure_id: str, on: dt.date) -> ProcedureVersion:
        return self.get(procedure_id).at(on)


def load_registry(root: Path | None = None, *, workspace: Path | None = None) -> Registry:
    """Load and validate every definition under ``root`` (default: the shipped ``procedures/``
    with the ``procedures/`` overlay of ``workspace``, default the active workspace)."""
    if root is not None:
        return _load_registry(root, None, ())
    found = workspace if workspace is not None else active_workspace()
    overlay = found / "procedures" if found is not None else None
    if overlay is None or not overlay.is_dir():
        return _load_registry(procedures_dir(), None, ())
    return _load_registry(procedures_dir(), overlay, _stamp(overlay))


def _stamp(overlay: Path) -> tuple[tuple[str, int, int], ...]:
    # An edited, added or removed overlay file loads the registry again (actes serve).
    found = []
    for file in sorted(overlay.glob("*/*.yaml")):
        stat = file.stat()
        found.append((str(file), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def _definition_files(folder: Path | None) -> dict[str, dict[str, Path]]:
    """``{procedure id: {file name: path}}`` of a ``procedures/`` folder."""
    if folder is None:
        return {}
    return {
        sub.name: {f.name: f for f in sorted(sub.glob("*.yaml"))}
        for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    }


@cache
def _load_registry(
    root: Path, overlay: Path | None, stamp: tuple[tuple[str, int, int], ...]
) -> Registry:
    if not root.is_dir():
        raise DefinitionError(f"Dossier des procédures introuvable : {root}")
    schemas = root.parent / "schemas"
    if not (schemas / "procedure.schema.json").is_file():
        schemas = schemas_dir()
    version_schema = load_schema("procedure.schema.json", schemas)
    index_schema = load_schema("procedure-index.schema.json", schemas)
    shipped = _definition_files(root)
    files = dict(shipped)
    for procedure_id, own in _definition_files(overlay).items():
        files[procedure_id] = {**shipped.get(procedure_id, {}), **own}
    procedures: dict[str, Procedure] = {}
    for procedure_id, found in sorted(files.items()):
        folder = (root if procedure_id in shipped or overlay is None else overlay) / procedure_id
        procedure = _load_procedure(folder, found, version_schema, index_schema)
        procedures[procedure.id] = procedure
    _check_links(procedures)
    return Registry(procedures, root)


def _load_procedure(
    folder: Path,
    files: Mapping[str, Path],
    version_schema: Mapping[str, Any],
    index_schema: Mapping[str, Any],
) -> Procedure:
    index_file = files.get("index.yaml", folder / "index.yaml")
    index = load_document(index_file, definition=True)
    _raise_issues(schema_issues(index, index_schema, file=str(index_file)), index_file)
    if index["id"] != folder.name:
        raise DefinitionError(
            f"{index_file} : l'identifiant « {index['id']} » diffère du nom du dossier "
            f"« {folder.name} ».",
            hint="renommez le dossier ou corrigez « id »",
        )
    by_start: dict[dt.date, list[ProcedureVersion]] = {}
    for name, file in sorted(files.items()):
        if name == "index.yaml":
            continue
        data = load_document(file, definition=True)
        _raise_issues(schema_issues(data, version_schema, file=str(file)), file)
        version = _version(index["id"], data, file)
        expected = version.valid_from.isoformat() + (
            f".r{version.revision}" if version.revision > 1 else ""
        )
        if file.stem != expected:
            raise DefinitionError(
                f"{file} : le fichier doit porter le nom de sa date d'effet ({expected}.yaml).",
                hint="une version = un fichier nommé d'après « valid_from » (et « .rN » pour "
                "la révision N d'une version publiée)",
            )
        by_start.setdefault(version.valid_from, []).append(version)
    versions = []
    for start, found in sorted(by_start.items()):
        found.sort(key=lambda v: v.revision)
        revisions = [v.revision for v in found]
        if revisions != list(range(1, len(found) + 1)):
            raise DefinitionError(
                f"{folder} : révisions de la version du {start.isoformat()} incomplètes "
                f"({', '.join(map(str, revisions))}).",
                hint="le fichier d'origine est la révision 1, puis .r2, .r3...",
            )
        latest = found[-1]
        if any(v.version != latest.version for v in found):
            raise DefinitionError(
                f"{latest.file} : une révision garde le numéro de version qu'elle corrige.",
            )
        versions.append(replace(latest, superseded=tuple(v.file for v in found[:-1])))
    if not versions:
        raise DefinitionError(f"{folder} : aucune version (fichier AAAA-MM-JJ.yaml) trouvée.")
    versions.sort(key=lambda v: v.valid_from)
    _check_continuity(versions)
    return Procedure(
        id=index["id"],
        title=index["title"],
        category=index["category"],
        description=index["description"],
        selected_by=tuple(index["selected_by"]),
        references=tuple(index.get("references", [])),
        versions=tuple(versions),
        index_file=index_file,
        events_after_sending=_events_after_sending(index, versions, index_file),
    )


def _events_after_sending(
    index: Mapping[str, Any], versions: list[ProcedureVersion], index_file: Path
) -> dict[str, str]:
    mapping = dict(index.get("evenement_apres_envoi", {}))
    known = {spec.id for version in versions for spec in version.documents}
    unknown = sorted(set(mapping) - known)
    if unknown:
        raise DefinitionError(
            f"{index_file} : evenement_apres_envoi nomme un document qu'aucune version ne "
            f"produit : {', '.join(unknown)}.",
            hint=f"documents de la procédure : {', '.join(sorted(known))}",
        )
    return mapping


def _version(procedure_id: str, data: Mapping[str, Any], file: Path) -> ProcedureVersion:
    until = data.get("valid_until")
    return ProcedureVersion(
        procedure_id=procedure_id,
        version=data["version"],
        valid_from=dt.date.fromisoformat(data["valid_from"]),
        valid_until=dt.date.fromisoformat(until) if until else None,
        title=data["title"],
        summary=data["summary"],
        legal_basis=tuple(data["legal_basis"]),
        documents=tuple(
            DocumentSpec(
                id=d["id"],
                title=d["title"],
                template=d["template"],
                output=d["output"],
                when=d.get("when"),
            )
            for d in data["documents"]
        ),
        deadlines=tuple(_deadline(d) for d in data["deadlines"]),
        preconditions=tuple(
            Precondition(
                id=p["id"],
                require=p["require"],
                message=p["message"],
                legal_basis=tuple(p["legal_basis"]),
                instead=tuple(p.get("instead", ())),
            )
            for p in data["preconditions"]
        ),
        leads_to=tuple(
            LeadsTo(procedure=lt["procedure"], when=lt["when"], after=lt.get("after"))
            for lt in data["leads_to"]
        ),
        mentions=dict(data.get("mentions", {})),
        advice=tuple(data.get("advice", ())),
        court=dict(data.get("court", {})),
        notes=data.get("notes", ""),
        case_schema_path=data.get("case_schema"),
        file=file,
        revision=int(data.get("revision", 1)),
        corrections=tuple(data.get("corrige", ())),
        days_before_due=data.get("jours_avant_echeance"),
    )


def _deadline(data: Mapping[str, Any]) -> DeadlineRule:
    start = data["start"]
    return DeadlineRule(
        id=data["id"],
        label=data["label"],
        duration=data["duration"],
        legal_basis=tuple(data["legal_basis"]),
        consequence=data["consequence"],
        start_event=start.get("event"),
        start_after=start.get("after_deadline"),
        start_where=dict(start.get("where", {})),
        counting=data.get("counting", "cpc"),
        distance=data.get("distance", "aucune"),
        party=data.get("party", "creancier"),
        when=data.get("when"),
        blocking=bool(data.get("blocking", False)),
        duration_parameter=data.get("duration_parameter"),
        met_by=data.get("met_by"),
    )


def _raise_issues(issues: list[DataIssue], file: Path) -> None:
    if issues:
        raise DefinitionError(
            f"Définition invalide : {file}",
            hint="corrigez la définition (voir docs/procedures.md et "
            "schemas/procedure.schema.json)",
            issues=issues,
        )


def _check_continuity(versions: list[ProcedureVersion]) -> None:
    for before, after in itertools.pairwise(versions):
        if before.valid_until is None or before.valid_until >= after.valid_from:
            raise DefinitionError(
                f"{before.file} : la version {before.version} ({before.period()}) chevauche "
                f"la version {after.version} qui commence le {after.valid_from.isoformat()}.",
                hint=f"fixez valid_until de {before.file.name} à la veille de "
                f"{after.valid_from.isoformat()}",
            )
        if (after.valid_from - before.valid_until).days != 1:
            raise DefinitionError(
                f"{after.file} : trou entre {before.valid_until.isoformat()} et "
                f"{after.valid_from.isoformat()}.",
                hint="chaque version doit commencer le lendemain de la fin de la précédente",
            )
        if after.version <= before.version:
            raise DefinitionError(f"{after.file} : numéro de version non croissant.")


def _check_links(procedures: Mapping[str, Procedure]) -> None:
    for procedure in procedures.values():
        for version in procedure.versions:
            ids = {d.id for d in version.deadlines}
            for link in version.leads_to:
                if link.procedure not in procedures:
                    raise DefinitionError(
                        f"{version.file} : leads_to cite une procédure inconnue "
                        f"« {link.procedure} ».",
                        hint=f"procédures connues : {', '.join(sorted(procedures))}",
                    )
            for rule in version.deadlines:
                if rule.start_after and rule.start_after not in ids:
                    raise DefinitionError(
                        f"{version.file} : le délai « {rule.id} » part de la fin d'un délai "
                        f"inconnu « {rule.start_after} ».",
                    )
            for pre in version.preconditions:
                for target in pre.instead:
                    if target not in procedures:
                        raise DefinitionError(
                            f"{version.file} : la condition « {pre.id} » renvoie à une "
                            f"procédure inconnue « {target} ».",
                        )
