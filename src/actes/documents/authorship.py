"""Who writes each document: the workspace's firm, a representative, or the creditor itself.

The letterhead, the sender's block, the body's first person and the signature of a document
must name the same author (docs/workspace.md, « Qui écrit chaque document »):

- the collection agency's letters (``relance_agence_*``, ``mise_en_demeure_agence``) are the
  agency's own (CPCE R124-4), as before;
- the creditor's two mises en demeure are written by a lawyer or a commissaire de justice of
  the workspace when the firm has one of these roles: its letterhead, « Nous intervenons au
  nom et pour le compte de … », its signatory and its name under the signature;
- the requête en injonction de payer and its bordereau are presented by the representative
  of :func:`representative` (an avocat, or a mandataire holding a pouvoir spécial: CPC 416 and
  1407), who signs them, with his letterhead when he is the firm; otherwise by the creditor;
- every other document is the creditor's own: a lawyer's, agency's or commissaire's
  letterhead is not printed on it, and the creditor's signatory signs it. A firm whose role
  is ``creancier`` is the creditor's own department: its letterhead stays on every document.

Without a ``[cabinet]`` table nothing here changes a document, except the requête, which
names a mandataire only when he presents it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from actes.cases.case import Case
from actes.documents.contexts.common import ROLE, french_name, party_context
from actes.documents.formatting import format_date_long
from actes.workspace import FIRM_ROLES, Firm, firm_for, firm_is_sender, firm_party

__all__ = [
    "AGENCY_LETTERS",
    "FILED_BY_REPRESENTATIVE",
    "REPRESENTED_LETTERS",
    "for_template",
    "representative",
]

AGENCY_LETTERS = frozenset(
    {"mise_en_demeure_agence.docx", "relance_agence_1.docx", "relance_agence_2.docx"}
)
# Letters a lawyer or a commissaire de justice of the workspace writes for the creditor.
REPRESENTED_LETTERS = frozenset(
    {"mise_en_demeure_professionnel.docx", "mise_en_demeure_consommateur.docx"}
)
# Filed documents whose signatory is the one who presents the requête.
FILED_BY_REPRESENTATIVE = frozenset(
    {
        "requete_injonction_de_payer_tj.docx",
        "requete_injonction_de_payer_tc.docx",
        "bordereau_pieces.docx",
    }
)
_WRITING_ROLES = frozenset({"avocat", "commissaire_de_justice"})


# --------------------------------------------------------------------------- requête


def representative(case: Case, warnings: list[str]) -> dict[str, Any] | None:
    """Who presents the requête en injonction de payer for the creditor, or None (the creditor
    presents and signs it).

    CPC 1407 lets the creditor file « par tout mandataire »; whoever represents a party must
    show his mandate, the avocat excepted (CPC 416). So: the case's mandataire when he is an
    avocat, or when he holds a pouvoir spécial (``mandataire.pouvoir_special``, produced as a
    pièce); else the workspace's firm when it is an avocat sending the case's documents. A
    mandataire without that power is not named in the requête (``warnings`` says why).
    """
    mandataire = case.mandataire
    firm = firm_for(case.folder)
    if mandataire is not None:
        power = mandataire.raw.get("pouvoir_special")
        if mandataire.role == "avocat" or power:
            return _from_mandataire(case, firm, power, warnings)
        warnings.append(
            f"{mandataire.partie.name} ({ROLE[mandataire.role]}) n'est pas nommé dans la "
            "requête : un mandataire qui n'est pas avocat ne présente la requête au nom du "
            "créancier qu'avec un pouvoir spécial (code de procédure civile, art. 416 et "
            "1407) ; la requête est présentée et signée par le créancier. Pour qu'il la "
            "présente, indiquez « mandataire.pouvoir_special: {date: AAAA-MM-JJ} » et ajoutez "
            "le pouvoir aux pièces."
        )
        return None
    if firm is not None and firm.role == "avocat" and firm_is_sender(firm, case):
        return _from_firm(case, firm)
    return None


def _lawyer(name: str) -> str:
    """« Maître Claire Marchand » from « Me Claire Marchand », « Maître … » or « Claire … »."""
    first, _, rest = name.strip().partition(" ")
    if first.rstrip(".").lower() in ("me", "maître", "maitre") and rest:
        return f"Maître {rest.strip()}"
    return f"Maître {name.strip()}"


def _lawyer_word(qualite: str) -> str:
    return "avocate" if qualite.strip().lower().startswith("avocate") else "avocat"


def _presented(designation: str) -> str:
    return (
        f"{designation}, par l'intermédiaire de qui la présente requête est présentée "
        "(code de procédure civile, art. 1407)"
    )


def _from_firm(case: Case, firm: Firm) -> dict[str, Any]:
    signer = dict(firm.signer or {"nom": firm.name, "qualite": "avocat"})
    bar = f"{_lawyer_word(signer['qualite'])} au barreau de {firm.raw['barreau']}"
    if firm.raw.get("toque"):
        bar += f", toque {firm.raw['toque']}"
    address = ", ".join(firm_party(firm).adresse.lines())
    designation = f"Ayant pour avocat {_lawyer(signer['nom'])}, {bar}, {firm.name}, {address}"
    return {
        "role": "avocat",
        "nom": firm.name,
        "texte": _presented(designation) + ".",
        "pouvoir": None,
        "espace_de_travail": True,
        "signataire": _signing(signer, firm.name, f"Pour {case.creancier.name}"),
    }


def _from_mandataire(
    case: Case, firm: Firm | None, power: Mapping[str, Any] | None, warnings: list[str]
) -> dict[str, Any]:
    mandataire = case.mandataire
    assert mandataire is not None
    party = mandataire.partie
    given = mandataire.raw.get("signataire") or party.get("representant") or {}
    signer = {
        "nom": str(given.get("nom", party.name)),
        "qualite": str(given.get("qualite", "") or ROLE[mandataire.role]),
    }
    address = ", ".join(party.adresse.lines())
    mention = f"Pour {case.creancier.name}"
    pouvoir = None
    if mandataire.role == "avocat" and not power:
        named = f"{_lawyer(signer['nom'])}, {party.name}" if given else party.name
        designation = f"Ayant pour avocat {named}, {address}"
    else:
        assert power is not None
        day = format_date_long(str(power["date"]))
        piece = _power_piece(case)
        if piece is None:
            warnings.append(
                f"Le pouvoir spécial du {day} donné à {party.name} n'est pas aux pièces : "
                "ajoutez-le à « pieces » du dossier (titre contenant « pouvoir ») pour qu'il "
                "figure au bordereau ; sans lui, le greffe ne reçoit pas la requête présentée "
                "par un mandataire (code de procédure civile, art. 416)."
            )
        cited = f" (pièce n° {piece})" if piece is not None else ""
        designation = (
            f"Ayant pour mandataire {party.name} ({ROLE[mandataire.role]}), {address}, muni "
            f"d'un pouvoir spécial du {day}{cited}"
        )
        pouvoir = {"date": day, "piece": piece}
        mention += f", en vertu du pouvoir spécial du {day}"
    own = firm is not None and _is_firm(firm, party.raw)
    return {
        "role": mandataire.role,
        "nom": party.name,
        "texte": _presented(designation) + ".",
        "pouvoir": pouvoir,
        "espace_de_travail": own,
        "signataire": _signing(signer, party.name, mention),
    }


def _is_firm(firm: Firm, party: Mapping[str, Any]) -> bool:
    """Whether a party of the case is the workspace's firm (same SIREN, else same name)."""
    if party.get("siren") and firm.raw.get("siren"):
        return str(party["siren"]) == str(firm.raw["siren"])
    name = str(party.get("denomination", ""))
    return " ".join(name.casefold().split()) == " ".join(firm.name.casefold().split())


def _signing(signer: Mapping[str, str], entity: str, mention: str) -> dict[str, Any]:
    return {
        "nom": str(signer["nom"]),
        "qualite": str(signer["qualite"]),
        "delegation": None,
        "mention": mention,
        "entite": entity,
    }


def _power_piece(case: Case) -> int | None:
    for piece in case.pieces:
        if "pouvoir" in piece.titre.casefold():
            return int(piece.numero)
    return None


# --------------------------------------------------------------------------- per template


def for_template(context: Mapping[str, Any], template: str | Path, case: Case) -> dict[str, Any]:
    """The rendering context of ``template`` (a file name or path): the author's letterhead,
    sender, signatory and, for a letter a representative writes, ``representation``."""
    values = dict(context)
    firm = firm_for(case.folder)
    name = Path(template).name
    if firm is None or name in AGENCY_LETTERS:
        return values
    if name in REPRESENTED_LETTERS and firm.role in _WRITING_ROLES and firm_is_sender(firm, case):
        return _firm_writes(values, firm, case)
    requete = values.get("requete")
    presenter = requete.get("representant") if isinstance(requete, Mapping) else None
    if name in FILED_BY_REPRESENTATIVE and presenter:
        if not presenter.get("espace_de_travail"):
            values["entete"] = None
        return values
    if firm.role == "creancier":
        return values  # the creditor's own department: its documents are the creditor's
    values["entete"] = None
    values["expediteur"] = values["creancier"]
    values["signataire"] = _creditor_signatory(case)
    return values


def _creditor_signatory(case: Case) -> dict[str, str]:
    given = case.parametres.get("signataire")
    if given:
        return {"nom": str(given["nom"]), "qualite": str(given.get("qualite", ""))}
    representant = case.creancier.get("representant") or {}
    return {
        "nom": str(representant.get("nom", case.creancier.name)),
        "qualite": str(representant.get("qualite", "")),
    }


def _firm_writes(values: dict[str, Any], firm: Firm, case: Case) -> dict[str, Any]:
    party = firm_party(firm)
    printed = party_context(party)
    bar = firm.bar_mention
    if bar:
        printed["identification"] = " – ".join(p for p in (printed["identification"], bar) if p)
    entete = values.get("entete")
    if isinstance(entete, Mapping):
        values["entete"] = {**entete, "expediteur": True}
    values["expediteur"] = printed
    values["signataire"] = dict(
        firm.signer or {"nom": firm.name, "qualite": FIRM_ROLES[firm.role]}
    )
    values["lieu"] = party.adresse.ville
    values["representation"] = {
        "role": firm.role,
        "texte": _on_behalf(case, firm.role),
    }
    mentions = values.get("mentions")
    if isinstance(mentions, Mapping):
        values["mentions"] = _speaking_for(case, firm, mentions)
    return values


# What the creditor's own letter says in the first person and its representative says of
# the creditor: payment goes to the creditor; the court is seized by whoever presents the
# requête (an avocat, or the firm holding a pouvoir spécial: CPC 416, 1407).
_PAYMENT = "de nous régler"
_ACTIONS = (("saisirons", "saisira"), ("demanderons", "demandera"), ("engagerons", "engagera"))


def _speaking_for(case: Case, firm: Firm, mentions: Mapping[str, Any]) -> dict[str, Any]:
    """The version's mentions as the creditor's lawyer or commissaire writes them: « de
    régler à notre cliente », and « notre mandante saisira … » unless the firm itself will
    present the requête."""
    creditor = case.creancier
    feminine = creditor.is_company or creditor.get("civilite") == "Mme"
    noun = ("cliente" if feminine else "client") if firm.role == "avocat" else None
    noun = noun or ("mandante" if feminine else "mandant")
    client = f"notre {noun}"
    presenter = representative(case, [])
    acts = firm.role == "avocat" or bool(presenter and presenter.get("espace_de_travail"))
    changed: dict[str, Any] = {}
    for key, text in mentions.items():
        if isinstance(text, str):
            text = text.replace(_PAYMENT, f"de régler à {client}")
            if not acts:
                for ours, theirs in _ACTIONS:
                    text = text.replace(f"nous {ours}", f"{client} {theirs}")
        changed[key] = text
    return changed


def _on_behalf(case: Case, role: str) -> str:
    """« Nous intervenons au nom et pour le compte de notre cliente, Dupont & Fils, SAS …,
    dont le siège social est situé … »."""
    creditor = case.creancier
    printed = party_context(creditor)
    if creditor.is_company:
        who = f"{creditor.name}"
        if printed["identification"]:
            who += f", {printed['identification']}"
        who += f", dont le siège social est situé {printed['adresse_ligne']}"
    else:
        who = f"{french_name(creditor.name)}, demeurant {printed['adresse_ligne']}"
    if role == "avocat":
        feminine = creditor.is_company or creditor.get("civilite") == "Mme"
        return (
            f"Nous intervenons au nom et pour le compte de notre "
            f"{'cliente' if feminine else 'client'}, {who}."
        )
    return (
        f"Nous intervenons au nom et pour le compte de {who}, qui nous a confié le recouvrement "
        "amiable de sa créance."
    )
