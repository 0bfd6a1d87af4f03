"""The firm's identity, read from the ``[cabinet]`` table of its workspace's ``actes.toml``.

The identity gives every document the firm sends a **letterhead** (logo, name, identification,
address, contact: the ``entete`` key of the rendering context), supplies the signatory when a
case names none, and, when the firm is a collection agency (``role = "societe_recouvrement"``)
and a case names no ``mandataire``, makes the firm that case's mandataire (CPCE R124-1 to
R124-7: its letters carry its own name, dedicated account and signatory). A case that names its
own parties is never changed. See docs/workspace.md.

``actes.toml`` is checked against ``schemas/workspace.schema.json`` plus what a schema cannot
say (the logo exists and is a PNG or JPEG image inside the workspace, the SIREN and IBAN
check digits); every problem is reported at once with the key and the file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from actes._paths import WORKSPACE_MARKER, active_workspace
from actes.errors import DataIssue, InputError

__all__ = [
    "FIRM_ROLES",
    "Firm",
    "firm_for",
    "firm_is_sender",
    "firm_party",
    "letterhead",
    "load_firm",
    "with_firm",
]

FIRM_ROLES = {
    "creancier": "service de recouvrement du créancier",
    "societe_recouvrement": "société de recouvrement amiable",
    "avocat": "avocat",
    "commissaire_de_justice": "commissaire de justice",
}

_LOGO_MAX_BYTES = 5 * 1024 * 1024
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class Firm:
    """The ``[cabinet]`` table of a workspace, checked."""

    workspace: Path
    file: Path
    raw: Mapping[str, Any]

    @property
    def name(self) -> str:
        return str(self.raw["nom"])

    @property
    def role(self) -> str:
        return str(self.raw["role"])

    @property
    def logo(self) -> Path | None:
        logo = self.raw.get("logo")
        return (self.workspace / str(logo)).resolve() if logo else None

    @property
    def signer(self) -> Mapping[str, str] | None:
        signer = self.raw.get("signataire")
        return {"nom": str(signer["nom"]), "qualite": str(signer["qualite"])} if signer else None

    @property
    def bar_mention(self) -> str:
        """« Barreau de Lyon – toque 123 » for a lawyer (in the letterhead), else ``""``."""
        if self.role != "avocat" or not self.raw.get("barreau"):
            return ""
        toque = self.raw.get("toque")
        return f"Barreau de {self.raw['barreau']}" + (f" – toque {toque}" if toque else "")

    def as_party(self) -> dict[str, Any]:
        """The firm as a ``partie`` of the case format (a company, professional)."""
        party: dict[str, Any] = {
            "type": "personne_morale",
            "qualite": "professionnel",
            "denomination": self.name,
            "adresse": dict(self.raw["adresse"]),
        }
        for key in ("forme_juridique", "capital", "siren", "rcs", "telephone", "email"):
            if self.raw.get(key):
                party[key] = self.raw[key]
        return party

    def as_mandataire(self) -> dict[str, Any]:
        """The firm as the ``mandataire`` of a case (collection agency)."""
        found: dict[str, Any] = {"role": self.role, "partie": self.as_party()}
        if self.signer:
            found["signataire"] = dict(self.signer)
        account = self.raw.get("compte_dedie")
        if account:
            found["compte_dedie"] = str(account["iban"])
        if self.raw.get("assurance_rc"):
            found["assurance_rc"] = str(self.raw["assurance_rc"])
        return found


def firm_for(folder: Path | None = None) -> Firm | None:
    """The identity of the workspace holding ``folder`` (a case's folder), else of the active
    workspace (:func:`actes._paths.active_workspace`); None without one or without
    ``[cabinet]``. A broken ``actes.toml`` raises :class:`InputError`."""
    workspace = active_workspace(folder)
    return load_firm(workspace) if workspace is not None else None


def load_firm(workspace: Path) -> Firm | None:
    """The checked ``[cabinet]`` of ``workspace/actes.toml``, or None when there is none."""
    file = workspace / WORKSPACE_MARKER
    try:
        stat = file.stat()
    except OSError:
        return None
    return _load(file.resolve(), stat.st_mtime_ns, stat.st_size)


@cache
def _load(file: Path, mtime: int, size: int) -> Firm | None:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise _invalid(
            file, [DataIssue("", "le fichier n'est pas encodé en UTF-8", file=str(file))]
        ) from None
    except tomllib.TOMLDecodeError as error:
        position = _TOML_POSITION.search(str(error))
        raise _invalid(
            file,
            [
                DataIssue(
                    "",
                    "syntaxe TOML invalide",
                    hint="vérifiez les guillemets, les crochets des tables et les « = »",
                    file=str(file),
                    line=int(position[1]) if position else None,
                    column=int(position[2]) if position else None,
                )
            ],
        ) from None
    table = data.get("cabinet")
    if table is None:
        return None
    from actes.cases.schema import load_schema, schema_issues

    plain = _plain(data)
    issues = [
        dataclasses.replace(issue, json_path=issue.json_path.removeprefix("$."))
        for issue in schema_issues(
            {"cabinet": plain["cabinet"]}, load_schema("workspace.schema.json"), file=str(file)
        )
    ]
    if not issues:
        issues = _business_issues(plain["cabinet"], file)
    if issues:
        raise _invalid(file, issues)
    return Firm(workspace=file.parent, file=file, raw=plain["cabinet"])


def _plain(value: Any) -> Any:
    """TOML dates as ISO strings, like the case files' (the schema checks their format)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def _business_issues(table: Mapping[str, Any], file: Path) -> list[DataIssue]:
    from stdnum import iban as std_iban
    from stdnum.fr import siren as std_siren

    issues = []
    if table.get("siren") and not std_siren.is_valid(str(table["siren"])):
        issues.append(
            DataIssue(
                "cabinet.siren",
                f"« {table['siren']} » n'est pas un SIREN valide (clé de contrôle fausse)",
                hint="recopiez le SIREN depuis l'extrait Kbis ou l'avis de situation INSEE",
                file=str(file),
            )
        )
    account = table.get("compte_dedie")
    if account and not std_iban.is_valid(str(account["iban"])):
        issues.append(
            DataIssue(
                "cabinet.compte_dedie.iban",
                f"« {account['iban']} » n'est pas un IBAN valide (contrôle modulo 97 faux)",
                hint="recopiez l'IBAN du compte dédié depuis son RIB (les espaces sont admis)",
                file=str(file),
            )
        )
    if table.get("logo"):
        problem = _logo_problem(file.parent, str(table["logo"]))
        if problem:
            issues.append(
                DataIssue(
                    "cabinet.logo",
                    problem,
                    hint="indiquez une image PNG ou JPEG placée dans l'espace de travail, "
                    'chemin relatif à actes.toml (exemple : logo = "logo.png")',
                    file=str(file),
                )
            )
    return issues


def _logo_problem(workspace: Path, relative: str) -> str:
    path = (workspace / relative).resolve()
    if Path(relative).is_absolute() or not path.is_relative_to(workspace.resolve()):
        return f"le logo « {relative} » doit être dans l'espace de travail ({workspace})"
    if not path.is_file():
        return f"logo introuvable : {path}"
    if path.stat().st_size > _LOGO_MAX_BYTES:
        return f"le logo « {relative} » dépasse 5 Mo"
    with path.open("rb") as handle:
        head = handle.read(8)
    if not (head.startswith(_PNG) or head.startswith(_JPEG)):
        return f"« {relative} » n'est pas une image PNG ou JPEG"
    try:
        from docx.image.image import Image

        Image.from_file(str(path))
    except Exception as error:  # any failure to read the image is the same answer
        return f"image « {relative} » illisible ({type(error).__name__})"
    return ""


def _invalid(file: Path, issues: list[DataIssue]) -> InputError:
    plural = "s" if len(issues) > 1 else ""
    return InputError(
        f"Espace de travail invalide ({file}) : {len(issues)} problème{plural} dans "
        f"[cabinet] à corriger.",
        hint="corrigez actes.toml (clés décrites dans docs/workspace.md) puis relancez",
        issues=issues,
    )


# --------------------------------------------------------------------------- cases


def with_firm(case: Any, firm: Firm | None) -> Any:
    """``case`` with the firm as its mandataire when the firm is a collection agency and the
    case names none; the case itself otherwise (a case naming its parties is never changed)."""
    if firm is None or firm.role != "societe_recouvrement" or case.mandataire is not None:
        return case
    from actes.cases.case import case_from_data

    data = {**case.data, "mandataire": firm.as_mandataire()}
    return dataclasses.replace(case_from_data(data, path=case.path), sha256=case.sha256)


def firm_mandate_note(case: Any, firm: Firm | None) -> str:
    """The sentence ``actes validate`` and ``actes next`` print when the firm becomes the
    case's mandataire, or ``""``."""
    if firm is None or firm.role != "societe_recouvrement" or case.mandataire is not None:
        return ""
    return (
        f"Mandataire : {firm.name}, société de recouvrement de l'espace de travail "
        f"({firm.file}), le dossier n'en nommant aucun ; ses courriers sont ceux de la société "
        "de recouvrement (CPCE R124-4)."
    )


def _same(name: str, other: str) -> bool:
    return " ".join(name.casefold().split()) == " ".join(other.casefold().split())


def firm_is_sender(firm: Firm, case: Any) -> bool:
    """Whether the documents of ``case`` go out from the firm: an agency sends those of the
    cases whose mandataire it is; a creditor's department, a lawyer or a commissaire de
    justice those of every case, except when another collection agency is the case's
    mandataire (its letters are its own)."""
    mandataire = case.mandataire
    if mandataire is not None and mandataire.role == "societe_recouvrement":
        own = mandataire.partie
        siren = own.get("siren")
        if siren and firm.raw.get("siren"):
            return str(siren) == str(firm.raw["siren"])
        return _same(own.name, firm.name)
    return firm.role != "societe_recouvrement"


def firm_party(firm: Firm) -> Any:
    """The firm as a :class:`actes.cases.case.Party` (a company, professional)."""
    from actes.cases.case import Address, Party

    raw = firm.as_party()
    address = raw["adresse"]
    return Party(
        type="personne_morale",
        qualite="professionnel",
        adresse=Address(
            ligne1=str(address["ligne1"]),
            ligne2=str(address.get("ligne2", "")),
            code_postal=str(address["code_postal"]),
            ville=str(address["ville"]),
            pays=str(address.get("pays", "FR")),
        ),
        raw=raw,
    )


def letterhead(firm: Firm | None, case: Any, sender: Mapping[str, Any]) -> dict[str, Any] | None:
    """The ``entete`` of the rendering context: None unless the firm sends the document.

    Keys: ``nom``, ``identification``, ``adresse`` (lines), ``contact``, ``logo`` (``""``:
    :func:`actes.documents.render.render_template` puts the image there), ``logo_fichier``,
    ``expediteur`` (True when the sender of the document is the firm itself: the sender's
    own block is then not printed twice).
    """
    if firm is None or not firm_is_sender(firm, case):
        return None
    from actes.documents.contexts.common import party_context

    printed = party_context(firm_party(firm))
    identity = [str(printed["identification"]), firm.bar_mention]
    logo = firm.logo
    return {
        "nom": printed["nom"],
        "identification": " – ".join(part for part in identity if part),
        "adresse": printed["adresse"],
        "contact": printed["contact"],
        "logo": "",
        "logo_fichier": str(logo) if logo is not None else "",
        "expediteur": _same(str(sender.get("nom", "")), firm.name),
    }
