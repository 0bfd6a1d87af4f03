"""The ``ipe`` block: Form A of the European order for payment (Reg. 1896/2006)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from actes._io import load_document
from actes._paths import parameters_dir
from actes.case import Case, Party
from actes.contexts.common import identification
from actes.formatting import format_date_long, format_rate

_IPE_NATURE = {
    "facture": "01",
    "prestation": "12",
    "echeance_pret": "15",
    "loyer": "03",
    "charges": "03",
    "autre": "25",
}


def _ipe_party(code: str, party: Party) -> dict[str, Any]:
    return {
        "code": code,
        "nom": party.name,
        "identification": identification(party),
        "adresse": ", ".join(party.adresse.lines()),
    }


@functools.cache
def _ipe_lists(path: Path) -> Any:
    # Read once per process: batches build thousands of contexts.
    return load_document(path, definition=True)


@functools.cache
def _ipe_codes(path: Path) -> tuple[dict[str, tuple[dict[str, str], ...]], dict[str, bool]]:
    # Shared by every context of the process: templates only read them (tuples).
    lists = _ipe_lists(path)["listes"]
    codes = {
        name: tuple(
            {"code": code, "libelle": label} for code, label in dict(entry["codes"]).items()
        )
        for name, entry in lists.items()
    }
    return codes, {name: entry["confirmed"] for name, entry in lists.items()}


def ipe_context(case: Case, juridiction: Mapping[str, Any] | None) -> dict[str, Any]:
    path = parameters_dir() / "ipe_formulaire_a.yaml"
    data = _ipe_lists(path)
    codes, confirmed = _ipe_codes(path)
    court_country = "FR"
    debtor_country = case.debiteur.country
    # Section 3: only the defendant's domicile is derivable from the data; any other ground
    # (choice of court, place of performance) is ticked by the user on the printed form.
    competence = "01" if debtor_country == court_country else ""
    natures = sorted({_IPE_NATURE.get(c.nature, "25") for c in case.creances})
    contractual = [c for c in case.creances if c.taux_contractuel is not None]
    parties = [
        _ipe_party("01", case.creancier),
        _ipe_party("02", case.debiteur),
    ]
    if case.mandataire is not None and case.mandataire.role == "avocat":
        parties.append(_ipe_party("03", case.mandataire.partie))
    representant = case.creancier.get("representant")
    if case.creancier.is_company and representant:
        parties.append(
            {
                "code": "05",
                "nom": f"{representant['nom']} ({representant['qualite']})",
                "identification": "",
                "adresse": ", ".join(case.creancier.adresse.lines()),
            }
        )
    return {
        "parties": parties,
        "codes": codes,
        "confirme": confirmed,
        "reference": data["reference"],
        "pays_demandeur": case.creancier.country,
        "pays_defendeur": debtor_country,
        "pays_juridiction": court_country,
        "competence": competence,
        "nature": natures[0] if len(natures) == 1 else "25",
        "circonstances": "31" if case.paiements else "30",
        "interets_code": "02" if contractual else "01",
        "interets_taux": format_rate(contractual[0].taux_contractuel)  # type: ignore[arg-type]
        if contractual
        else "",
        "interets_periode": "A",
        "interets_depuis": format_date_long(
            min(c.date_echeance for c in case.creances) + dt.timedelta(days=1)
        ),
        "preuve": "01",
        "suite_opposition": "01",
        "juridiction": juridiction,
    }


# --------------------------------------------------------------------------- context
