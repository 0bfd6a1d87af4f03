"""Business rules a case must satisfy beyond its JSON Schema.

Each rule reports through an :class:`IssueCollector` with the JSON path of the faulty value,
a French message and what to do. Checksums come from python-stdnum, never hand-written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from babel.numbers import list_currencies
from stdnum import iban as std_iban
from stdnum.eu import vat as std_vat
from stdnum.fr import siren as std_siren
from stdnum.fr import siret as std_siret

from actes.errors import IssueCollector

__all__ = ["check_business_rules"]

# Pairs of events whose order is fixed by the procedure itself: (earlier, later).
_EVENT_ORDER = (
    ("mise_en_demeure_envoyee", "mise_en_demeure_recue"),
    ("requete_deposee", "ordonnance_rendue"),
    ("ordonnance_rendue", "ordonnance_signifiee"),
    ("jugement_ouverture", "publication_bodacc"),
    ("ipe_demande_deposee", "ipe_injonction_delivree"),
    ("ipe_injonction_delivree", "ipe_injonction_signifiee"),
    ("surendettement_depot", "surendettement_recevabilite"),
)


def check_business_rules(
    data: Mapping[str, Any], collector: IssueCollector, *, folder: Path | None, au: dt.date
) -> None:
    """Run every rule on schema-valid ``data``; problems go to ``collector``."""
    for key in ("creancier", "debiteur"):
        _check_party(data.get(key, {}), f"$.{key}", collector)
    mandataire = data.get("mandataire")
    if mandataire:
        _check_party(mandataire.get("partie", {}), "$.mandataire.partie", collector)
        if "compte_dedie" in mandataire:
            _check_iban(mandataire["compte_dedie"], "$.mandataire.compte_dedie", collector)
    _check_claims(data.get("creances", []), collector)
    _check_payments(data, collector, au)
    _check_events(data.get("evenements", []), collector, au)
    _check_pieces(data.get("pieces", []), collector, folder)


def _check_party(party: Mapping[str, Any], path: str, out: IssueCollector) -> None:
    siren = party.get("siren")
    if siren and not std_siren.is_valid(siren):
        out.add(
            f"{path}.siren",
            f"« {siren} » n'est pas un SIREN valide (clé de Luhn fausse)",
            "recopiez le SIREN depuis l'extrait Kbis ou l'avis de situation INSEE",
            "siren",
        )
    siret = party.get("siret")
    if siret:
        if not std_siret.is_valid(siret):
            out.add(
                f"{path}.siret",
                f"« {siret} » n'est pas un SIRET valide (clé de Luhn fausse)",
                "recopiez le SIRET depuis l'extrait Kbis ou l'avis de situation INSEE",
                "siret",
            )
        elif siren and std_siren.is_valid(siren) and not siret.startswith(siren):
            out.add(
                f"{path}.siret",
                f"le SIRET « {siret} » n'appartient pas au SIREN « {siren} »",
                "les 9 premiers chiffres du SIRET sont le SIREN",
                "siret",
            )
    vat = party.get("tva_intracommunautaire")
    if vat and not std_vat.is_valid(vat):
        out.add(
            f"{path}.tva_intracommunautaire",
            f"« {vat} » n'est pas un numéro de TVA intracommunautaire valide",
            "vérifiez-le (préfixe pays et clé de contrôle)",
            "tva",
        )
    if party.get("iban"):
        _check_iban(party["iban"], f"{path}.iban", out)
    address = party.get("adresse", {})
    postal = address.get("code_postal", "")
    if address.get("pays") == "FR" and not _is_french_postal_code(postal):
        out.add(
            f"{path}.adresse.code_postal",
            f"« {postal} » n'est pas un code postal français",
            "un code postal français compte 5 chiffres (exemple : 69003)",
            "code_postal",
        )
    birth = party.get("date_naissance")
    if birth and _as_date(birth) and _as_date(birth) >= dt.date.today():  # type: ignore[operator]
        out.add(
            f"{path}.date_naissance",
            "la date de naissance est dans le futur",
            "corrigez la date de naissance",
            "dates",
        )


def _check_iban(value: str, path: str, out: IssueCollector) -> None:
    if not std_iban.is_valid(value):
        out.add(
            path,
            f"« {value} » n'est pas un IBAN valide (contrôle modulo 97 faux)",
            "recopiez l'IBAN depuis le RIB (les espaces sont admis)",
            "iban",
        )


def _is_french_postal_code(code: str) -> bool:
    # Metropolitan codes start 01-95 (20 for Corsica); overseas 971-976, 984-988 (COM).
    if len(code) != 5 or not code.isdigit():
        return False
    prefix = int(code[:2])
    return 1 <= prefix <= 95 or (code[:2] in ("97", "98"))


def _check_claims(claims: list[Mapping[str, Any]], out: IssueCollector) -> None:
    currencies = _currencies()
    seen: dict[str, int] = {}
    for index, claim in enumerate(claims):
        path = f"$.creances[{index}]"
        ref = claim.get("reference", "")
        if ref in seen:
            out.add(
                f"{path}.reference",
                f"la référence « {ref} » est déjà celle de $.creances[{seen[ref]}]",
                "chaque créance doit avoir sa propre référence",
                "references",
            )
        seen.setdefault(ref, index)
        _check_amount(claim.get("montant"), f"{path}.montant", out)
        issued, due = _as_date(claim.get("date_emission")), _as_date(claim.get("date_echeance"))
        if issued and due and due < issued:
            out.add(
                f"{path}.date_echeance",
                f"l'échéance ({due.isoformat()}) précède l'émission ({issued.isoformat()})",
                "l'échéance ne peut pas être antérieure à la date d'émission",
                "dates",
            )
        currency = claim.get("devise", "EUR")
        if currency not in currencies:
            out.add(
                f"{path}.devise",
                f"« {currency} » n'est pas un code de devise ISO 4217",
                "utilisez un code ISO 4217 (EUR, USD, CHF...)",
                "devise",
            )


def _check_payments(data: Mapping[str, Any], out: IssueCollector, au: dt.date) -> None:
    refs = {c.get("reference") for c in data.get("creances", [])}
    for index, payment in enumerate(data.get("paiements", [])):
        path = f"$.paiements[{index}]"
        _check_amount(payment.get("montant"), f"{path}.montant", out)
        when = _as_date(payment.get("date"))
        if when and when > au:
            out.add(
                f"{path}.date",
                f"paiement daté du {when.isoformat()}, après la date de calcul ({au.isoformat()})",
                "un paiement ne peut être compté qu'une fois reçu : corrigez la date "
                "ou calculez à une date postérieure (--date)",
                "dates",
            )
        target = payment.get("creance")
        if target is not None and target not in refs:
            out.add(
                f"{path}.creance",
                f"aucune créance n'a la référence « {target} »",
                f"références connues : {', '.join(sorted(str(r) for r in refs))}",
                "references",
            )


def _check_events(events: list[Mapping[str, Any]], out: IssueCollector, au: dt.date) -> None:
    first: dict[str, tuple[int, dt.date]] = {}
    for index, event in enumerate(events):
        when = _as_date(event.get("date"))
        if when is None:
            continue
        if when > au:
            out.add(
                f"$.evenements[{index}].date",
                f"événement daté du {when.isoformat()}, après la date de calcul "
                f"({au.isoformat()})",
                "un événement à venir n'est pas encore un fait du dossier",
                "dates",
            )
        first.setdefault(str(event.get("type")), (index, when))
    for earlier, later in _EVENT_ORDER:
        if earlier in first and later in first and first[later][1] < first[earlier][1]:
            index = first[later][0]
            out.add(
                f"$.evenements[{index}].date",
                f"« {later} » ({first[later][1].isoformat()}) est antérieur à "
                f"« {earlier} » ({first[earlier][1].isoformat()})",
                "vérifiez l'ordre des dates de ces deux événements",
                "dates",
            )


def _check_pieces(
    pieces: list[Mapping[str, Any]], out: IssueCollector, folder: Path | None
) -> None:
    if folder is None:
        return
    root = folder.resolve()
    for index, piece in enumerate(pieces):
        path = f"$.pieces[{index}].fichier"
        name = str(piece.get("fichier", ""))
        target = (root / name).resolve()
        if not target.is_relative_to(root):
            out.add(
                path,
                f"« {name} » sort du dossier de l'affaire",
                "placez la pièce dans le dossier du fichier de dossier ou un sous-dossier",
                "pieces",
            )
        elif not target.is_file():
            out.add(
                path,
                f"fichier introuvable : « {name} »",
                f"placez le fichier dans {root} ou corrigez le chemin",
                "pieces",
            )


def _check_amount(value: Any, path: str, out: IssueCollector) -> None:
    amount = _as_decimal(value)
    if amount is None:
        return
    if amount <= 0:
        out.add(
            path,
            f"montant {value} : un montant doit être strictement positif",
            "indiquez un montant supérieur à zéro (un avoir se saisit en paiement)",
            "montants",
        )


def _as_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _as_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())
