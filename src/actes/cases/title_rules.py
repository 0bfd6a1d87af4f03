"""Business rules of the case's executory title (``titre`` block, ``schemas/titre.schema.json``).

Called by :func:`actes.cases.rules.check_business_rules`; every problem names its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from actes.errors import IssueCollector

__all__ = ["IP_REFORM", "check_title"]

IP_REFORM = dt.date(2022, 3, 1)
"""Ordonnances d'injonction de payer rendered from this day bear the formule exécutoire
(CPC 1410, décret n° 2021-1322); before it, the creditor asked for it (former art. 1423)."""

_AMOUNT_PATHS = ("principal", "indemnite_forfaitaire", "article_700", "depens")
_RULE = "titre"


def check_title(data: Mapping[str, Any], out: IssueCollector, au: dt.date) -> None:
    """Dates in order and not in the future, amounts positive or nil, interest consistent.

    The title's dates are checked against today, not against the date of calculation ``au``:
    a title is a fact of the past, and a case holding one may still be computed at an
    earlier date (the requête it came from, a deadline before it).
    """
    del au  # the date of calculation does not bound the title (see above)
    today = dt.date.today()
    _check_execution(data, out)
    title = data.get("titre")
    if not isinstance(title, Mapping):
        return
    base = "$.titre"
    date = _date(title.get("date"))
    if date is None:
        return
    if date > today:
        out.add(
            f"{base}.date",
            f"titre daté du {date.isoformat()}, après aujourd'hui ({today.isoformat()})",
            "un titre à venir n'est pas encore un fait du dossier : corrigez la date",
            _RULE,
        )
    _check_amounts(title.get("montants") or {}, f"{base}.montants", out)
    served = _date((title.get("signification") or {}).get("date"))
    formule = _date((title.get("formule_executoire") or {}).get("date"))
    executory = _date(title.get("executoire_le"))
    for value, path, what in (
        (served, f"{base}.signification.date", "la signification"),
        (formule, f"{base}.formule_executoire.date", "la formule exécutoire"),
        (executory, f"{base}.executoire_le", "la date où le titre est devenu exécutoire"),
    ):
        if value is None:
            continue
        if value < date:
            out.add(
                path,
                f"{what} ({value.isoformat()}) précède le titre ({date.isoformat()})",
                "un titre ne peut être signifié ou devenir exécutoire qu'après sa date",
                _RULE,
            )
        elif value > today:
            out.add(
                path,
                f"{what} datée du {value.isoformat()}, après aujourd'hui ({today.isoformat()})",
                "enregistrez-la une fois faite",
                _RULE,
            )
    _check_formule(title, date, served, formule, out)
    _check_interest(data, title, date, out)


def _check_execution(data: Mapping[str, Any], out: IssueCollector) -> None:
    """The L511-2 cause needs the instrument it rests on; the ordonnance authorising a saisie
    conservatoire is dated as its event (R511-6 runs from it)."""
    execution = data.get("execution")
    if not isinstance(execution, Mapping):
        return
    if execution.get("cause_sans_autorisation") and not execution.get("instrument"):
        out.add(
            "$.execution.instrument",
            "la saisie conservatoire sans autorisation du juge repose sur un effet ou un chèque "
            "impayé (ou les loyers d'un bail écrit) qui n'est pas identifié (CPCE art. L511-2)",
            "ajoutez « execution.instrument: {numero: ..., date: ..., montant: ..., tire: ...} »"
            " et la pièce au rôle « instrument_impaye »",
            "execution",
        )
    authorisation = execution.get("autorisation")
    if not isinstance(authorisation, Mapping):
        return
    day = _date(authorisation.get("date"))
    events = [
        _date(e.get("date"))
        for e in data.get("evenements") or ()
        if isinstance(e, Mapping) and e.get("type") == "autorisation_saisie_conservatoire"
    ]
    if day is not None and day not in events:
        out.add(
            "$.execution.autorisation.date",
            f"ordonnance du {day.isoformat()} sans événement "
            "« autorisation_saisie_conservatoire » à cette date : le délai de trois mois "
            "pour exécuter la mesure en part (CPCE art. R511-6)",
            "enregistrez l'événement à la date de l'ordonnance, ou corrigez la date",
            "execution",
        )
    amount = _decimal(authorisation.get("montant"))
    if amount is not None and amount <= 0:
        out.add(
            "$.execution.autorisation.montant",
            "somme autorisée nulle",
            "indiquez la somme que l'ordonnance fixe (CPCE art. R511-4)",
            "execution",
        )


def _check_formule(
    title: Mapping[str, Any],
    date: dt.date,
    served: dt.date | None,
    formule: dt.date | None,
    out: IssueCollector,
) -> None:
    """The formule exécutoire as the regime of the title's kind and date has it."""
    if title.get("nature") != "ordonnance_injonction_de_payer" or formule is None:
        return
    path = "$.titre.formule_executoire.date"
    if date >= IP_REFORM and formule != date:
        out.add(
            path,
            f"ordonnance rendue le {date.isoformat()} : depuis le 1er mars 2022 elle est "
            f"délivrée revêtue de la formule exécutoire (CPC art. 1410), qui ne peut donc pas "
            f"dater du {formule.isoformat()}",
            "indiquez la date de l'ordonnance comme date de la formule exécutoire, ou retirez "
            "« formule_executoire »",
            _RULE,
        )
    elif date < IP_REFORM and served is not None and formule <= served:
        out.add(
            path,
            f"ordonnance rendue le {date.isoformat()} (régime antérieur au 1er mars 2022) : la "
            f"formule exécutoire ({formule.isoformat()}) ne s'appose qu'après l'expiration du "
            f"délai d'opposition qui suit la signification ({served.isoformat()}) (ancien "
            "art. 1423 CPC)",
            "vérifiez les dates de la signification et de la formule exécutoire",
            _RULE,
        )


def _check_interest(
    data: Mapping[str, Any], title: Mapping[str, Any], date: dt.date, out: IssueCollector
) -> None:
    amounts = title.get("montants") or {}
    spec = amounts.get("interets_posterieurs")
    path = "$.titre.montants.interets_posterieurs"
    echus = amounts.get("interets_echus") or {}
    arrested = _date(echus.get("arretes_au"))
    if arrested is not None and arrested > date:
        out.add(
            "$.titre.montants.interets_echus.arretes_au",
            f"intérêts arrêtés au {arrested.isoformat()}, après la date du titre "
            f"({date.isoformat()})",
            "le titre arrête les intérêts au plus tard à sa date : recopiez la date qu'il écrit",
            _RULE,
        )
    if not isinstance(spec, Mapping):
        return
    nature = spec.get("nature")
    start = _date(spec.get("a_compter_du"))
    if nature == "taux_fixe" and spec.get("taux") is None:
        out.add(
            f"{path}.taux",
            "intérêts à taux fixe sans taux",
            'recopiez le taux annuel que fixe le titre (taux: "5.00")',
            _RULE,
        )
    if nature != "taux_fixe" and spec.get("taux") is not None:
        out.add(
            f"{path}.taux",
            f"un taux n'est indiqué que pour des intérêts à taux fixe (nature : {nature})",
            "retirez « taux » ou choisissez « nature: taux_fixe »",
            _RULE,
        )
    if nature != "interet_legal" and spec.get("majoration_l313_3") is not None:
        out.add(
            f"{path}.majoration_l313_3",
            "la majoration de cinq points ne porte que sur le taux de l'intérêt légal "
            "(CMF art. L313-3)",
            "retirez « majoration_l313_3 » ou choisissez « nature: interet_legal »",
            _RULE,
        )
    creditor = data.get("creancier") or {}
    debtor = data.get("debiteur") or {}
    if nature == "penalites_l441_10" and (
        creditor.get("qualite") != "professionnel" or debtor.get("qualite") != "professionnel"
    ):
        out.add(
            f"{path}.nature",
            "les pénalités de l'article L441-10 du Code de commerce ne jouent qu'entre "
            "professionnels",
            "recopiez les intérêts que le titre accorde (le plus souvent « interet_legal »)",
            _RULE,
        )
    if start is not None and arrested is not None and start < arrested:
        out.add(
            f"{path}.a_compter_du",
            f"les intérêts postérieurs partent du {start.isoformat()}, avant la date où le "
            f"titre arrête les intérêts échus ({arrested.isoformat()}) : ils seraient comptés "
            "deux fois",
            "recopiez le point de départ que fixe le titre (au plus tôt la date d'arrêté)",
            _RULE,
        )


def _check_amounts(amounts: Mapping[str, Any], base: str, out: IssueCollector) -> None:
    found: list[tuple[str, Any]] = [(f"{base}.{key}", amounts.get(key)) for key in _AMOUNT_PATHS]
    echus = amounts.get("interets_echus")
    if isinstance(echus, Mapping):
        found.append((f"{base}.interets_echus.montant", echus.get("montant")))
    for index, other in enumerate(amounts.get("autres") or []):
        if isinstance(other, Mapping):
            found.append((f"{base}.autres[{index}].montant", other.get("montant")))
    total = Decimal(0)
    for path, value in found:
        if value is None:
            continue
        amount = _decimal(value)
        if amount is None or amount < 0:
            out.add(
                path,
                f"montant {value} : un montant du titre est positif ou nul",
                "recopiez le montant que le titre accorde",
                _RULE,
            )
        elif amount != amount.quantize(Decimal("0.01")):
            out.add(path, f"montant {value} au-delà du centime", "arrondissez au centime", _RULE)
        else:
            total += amount
    if total == 0:
        out.add(
            f"{base}.principal",
            "le titre n'accorde aucune somme (principal, intérêts et frais nuls)",
            "recopiez les montants que le titre accorde",
            _RULE,
        )


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
