"""The debtor's monthly budget and repayment capacity, each figure with its article.

Inputs are the ``situation`` of a format-2 case (household, monthly resources and charges by
kind, other debts) and the dated tables ``parameters/bareme_saisie.yaml`` (C. trav. R3252-2,
R3252-3) and ``parameters/rsa.yaml`` (CASF L262-2, R262-1). Every amount is a
:class:`~decimal.Decimal`; only final figures are rounded, to the cent, half up.

The figures (see docs/amicable.md):

- **Quotité saisissable** (QS): the R3252-2 slices applied to the annual pay (12 × the monthly
  resources subject to the barème), each threshold raised by the per-dependant amount times
  the number of dependants (R3252-3); monthly QS = annual / 12, computed exactly with fractions
  and rounded once. The debtor always keeps the RSA for one person (R3252-5), so QS never
  exceeds the pay minus that amount.
- **Capacité** (surendettement model): ``max(0, min(QS, resources − max(RSA_household,
  charges)))`` (C. conso. L731-1, L731-2, R731-1).
- **Part disponible pour ce créancier**: capacity minus the instalments already paid to other
  creditors.
- Conclusion: repayable within 24 months (C. civ. 1343-5), within 84 months (C. conso. L732-3,
  L733-3), or not: the surendettement route (C. conso. L711-1, L721-1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from actes._io import load_document
from actes._paths import data_file
from actes.amicable.limits import plan_limits
from actes.cases.case import Case
from actes.errors import DataIssue, DefinitionError, InputError, RateMissing

__all__ = [
    "BAREME_FILE",
    "RSA_FILE",
    "Bareme",
    "Budget",
    "BudgetLine",
    "Household",
    "RsaValue",
    "bareme_for",
    "budget_for_case",
    "capacity",
    "commission_departement",
    "household_multiplier",
    "months_needed",
    "rsa_household",
    "rsa_one_person",
    "seizable_monthly",
]

BAREME_FILE = "bareme_saisie.yaml"
RSA_FILE = "rsa.yaml"
CENT = Decimal("0.01")
_PAY_KINDS = frozenset({"salaire"})
_LABELS = {
    "salaire": "salaire",
    "pension_retraite": "pension de retraite",
    "allocation_chomage": "allocation chômage",
    "indemnites_journalieres": "indemnités journalières",
    "prestations_familiales": "prestations familiales",
    "aide_logement": "aide au logement",
    "prime_activite": "prime d'activité",
    "rsa": "RSA",
    "pension_alimentaire_recue": "pension alimentaire reçue",
    "revenus_fonciers": "revenus fonciers",
    "loyer": "loyer",
    "credit_residence_principale": "crédit de la résidence principale",
    "charges_logement": "charges du logement",
    "energie": "énergie",
    "eau": "eau",
    "alimentation": "alimentation",
    "assurances": "assurances",
    "telephone_internet": "téléphone et internet",
    "transport": "transport",
    "frais_garde": "frais de garde",
    "scolarite": "scolarité",
    "sante": "santé",
    "impots": "impôts",
    "pension_alimentaire_versee": "pension alimentaire versée",
    "autre": "autre",
}


def _cents(value: Decimal | Fraction) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _fr(amount: Decimal) -> str:
    """« 1 234,56 € » for explanations (plain spaces: terminal and JSON output)."""
    text = f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
    return text.replace(",", " ").replace(".", ",") + " €"


def _day(day: dt.date) -> str:
    """« 01/04/2026 » for explanations and messages (JJ/MM/AAAA)."""
    return day.strftime("%d/%m/%Y")


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Bareme:
    """One year of the R3252-2 barème (annual thresholds) and the R3252-3 increase."""

    valid_from: dt.date
    thresholds: tuple[Decimal, ...]
    fractions: tuple[Fraction, ...]
    per_dependant: Decimal
    decret: str
    source: str
    confirmed: bool
    note: str = ""
    file: str = ""

    @property
    def year(self) -> int:
        return self.valid_from.year


@dataclass(frozen=True)
class RsaValue:
    """An RSA montant forfaitaire used in a computation, with where it comes from."""

    amount: Decimal
    valid_from: dt.date
    decret: str
    source: str
    confirmed: bool
    warning: str = ""
    multiplier: Decimal = Decimal(1)
    published: Decimal | None = None


def _issue(file: str, path: str, message: str) -> DefinitionError:
    return DefinitionError(
        f"Fichier de paramètres invalide : {file}",
        issues=[DataIssue(path, message, file=file)],
        hint="comparez avec la forme décrite en tête du fichier",
    )


def _decimal(value: Any, file: str, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _issue(file, path, 'un nombre entre guillemets est attendu (exemple : "4480")')
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise _issue(file, path, f"« {value} » n'est pas un nombre") from None


def _fraction(text: Any, file: str, path: str) -> Fraction:
    try:
        return Fraction(str(text))
    except (ValueError, ZeroDivisionError):
        raise _issue(file, path, f"« {text} » n'est pas une fraction (exemple : 1/20)") from None


def _date(value: Any, file: str, path: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _issue(file, path, f"« {value} » n'est pas une date AAAA-MM-JJ") from None


@cache
def _baremes(directory: Path) -> tuple[Bareme, ...]:
    path = directory / BAREME_FILE
    file = str(path)
    doc = load_document(path, definition=True)
    if not isinstance(doc, Mapping) or not isinstance(doc.get("valeurs"), list):
        raise _issue(file, "$", "les clés « fractions » et « valeurs » sont attendues")
    fractions = tuple(
        _fraction(f, file, f"$.fractions[{i}]") for i, f in enumerate(doc.get("fractions", []))
    )
    rows: list[Bareme] = []
    for index, raw in enumerate(doc["valeurs"]):
        where = f"$.valeurs[{index}]"
        start = _date(raw.get("valid_from"), file, f"{where}.valid_from")
        if (start.month, start.day) != (1, 1):
            raise _issue(file, f"{where}.valid_from", "un barème commence le 1er janvier")
        seuils = tuple(
            _decimal(v, file, f"{where}.seuils[{i}]") for i, v in enumerate(raw.get("seuils", []))
        )
        if len(seuils) + 1 != len(fractions) or list(seuils) != sorted(seuils):
            raise _issue(
                file,
                f"{where}.seuils",
                f"{len(fractions) - 1} seuils croissants sont attendus (un de moins que de "
                "fractions)",
            )
        if not isinstance(raw.get("confirmed"), bool):
            raise _issue(file, f"{where}.confirmed", "true ou false est attendu")
        rows.append(
            Bareme(
                valid_from=start,
                thresholds=seuils,
                fractions=fractions,
                per_dependant=_decimal(
                    raw.get("par_personne_a_charge"), file, f"{where}.par_personne_a_charge"
                ),
                decret=str(raw.get("decret", "")),
                source=str(raw.get("source", "")),
                confirmed=raw["confirmed"],
                note=str(raw.get("note", "")),
                file=file,
            )
        )
    return tuple(rows)


def bareme_for(on: dt.date, directory: Path | None = None) -> Bareme:
    """The barème of ``on``'s year; a year absent from the table raises :class:`RateMissing`."""
    rows = _baremes((directory or data_file("parameters", BAREME_FILE).parent).resolve())
    for row in rows:
        if row.year == on.year:
            return row
    years = ", ".join(str(r.year) for r in rows)
    raise RateMissing(
        f"Barème des saisies des rémunérations (C. trav. R3252-2) : aucune valeur pour "
        f"{on.year} (années connues : {years}).",
        hint=f"ajoutez le barème {on.year} dans parameters/{BAREME_FILE}, avec son décret "
        "(le barème est révisé chaque 1er janvier, R3252-4)",
    )


@dataclass(frozen=True)
class _RsaRow:
    valid_from: dt.date
    amount: Decimal | None
    decret: str
    source: str
    confirmed: bool
    note: str


@dataclass(frozen=True)
class _RsaTables:
    rows: tuple[_RsaRow, ...]
    second_person: Decimal
    further_person: Decimal
    child_beyond_second: Decimal
    published: tuple[tuple[dt.date, Mapping[tuple[int, int], Decimal], str], ...]
    file: str


@cache
def _rsa_tables(directory: Path) -> _RsaTables:
    path = directory / RSA_FILE
    file = str(path)
    doc = load_document(path, definition=True)
    try:
        items = doc["montant_forfaitaire"]["valeurs"]
        foyer = doc["foyer"]
    except (KeyError, TypeError):
        raise _issue(
            file, "$", "les clés « montant_forfaitaire.valeurs » et « foyer » sont attendues"
        ) from None
    rows = []
    for index, raw in enumerate(items):
        where = f"$.montant_forfaitaire.valeurs[{index}]"
        amount = raw.get("montant")
        confirmed = raw.get("confirmed")
        if not isinstance(confirmed, bool):
            raise _issue(file, f"{where}.confirmed", "true ou false est attendu")
        if amount is None and confirmed:
            raise _issue(file, f"{where}.montant", "un montant absent ne peut être confirmé")
        rows.append(
            _RsaRow(
                valid_from=_date(raw.get("valid_from"), file, f"{where}.valid_from"),
                amount=None if amount is None else _decimal(amount, file, f"{where}.montant"),
                decret=str(raw.get("decret", "")),
                source=str(raw.get("source", "")),
                confirmed=confirmed,
                note=str(raw.get("note", "")),
            )
        )
    if [r.valid_from for r in rows] != sorted(r.valid_from for r in rows):
        raise _issue(file, "$.montant_forfaitaire.valeurs", "les dates doivent aller croissant")
    published = []
    for index, block in enumerate(doc.get("montants_publies", [])):
        where = f"$.montants_publies[{index}]"
        table = {
            (int(f["adultes"]), int(f["enfants"])): _decimal(f["montant"], file, where)
            for f in block.get("foyers", [])
        }
        published.append(
            (_date(block.get("valid_from"), file, where), table, str(block.get("source", "")))
        )
    return _RsaTables(
        rows=tuple(rows),
        second_person=_decimal(foyer.get("deuxieme_personne"), file, "$.foyer"),
        further_person=_decimal(foyer.get("personne_supplementaire"), file, "$.foyer"),
        child_beyond_second=_decimal(foyer.get("enfant_au_dela_du_deuxieme"), file, "$.foyer"),
        published=tuple(published),
        file=file,
    )


def rsa_one_person(
    on: dt.date, *, allow_unconfirmed: bool = False, directory: Path | None = None
) -> RsaValue:
    """RSA montant forfaitaire for one person in force on ``on`` (CASF L262-2).

    A revaluation whose amount is unknown (``montant: null``) raises :class:`RateMissing`,
    unless ``allow_unconfirmed``: the last known amount is then used with a visible warning.
    """
    tables = _rsa_tables((directory or data_file("parameters", RSA_FILE).parent).resolve())
    in_force = [r for r in tables.rows if r.valid_from <= on]
    if not in_force:
        raise RateMissing(
            f"Montant forfaitaire du RSA : aucune valeur en vigueur le {_day(on)} "
            f"(la table commence le {_day(tables.rows[0].valid_from)}).",
            hint=f"ajoutez la valeur applicable dans parameters/{RSA_FILE}, avec son décret",
        )
    row = in_force[-1]
    if row.amount is not None:
        warning = (
            ""
            if row.confirmed
            else (f"RSA du {_day(row.valid_from)} non confirmé ({row.source}) : à vérifier.")
        )
        return RsaValue(row.amount, row.valid_from, row.decret, row.source, row.confirmed, warning)
    known = [r for r in in_force if r.amount is not None]
    if not allow_unconfirmed or not known:
        raise RateMissing(
            f"Montant forfaitaire du RSA revalorisé le {_day(row.valid_from)} : montant "
            f"non trouvé dans un texte ({row.note or row.source}).",
            hint=f"complétez parameters/{RSA_FILE} avec le décret publié (confirmed: true), "
            f"calculez à une date antérieure (--au {(row.valid_from - dt.timedelta(days=1))}) "
            "ou autorisez les valeurs non confirmées (parametres.taux_non_confirmes: true)",
        )
    last = known[-1]
    assert last.amount is not None
    return RsaValue(
        amount=last.amount,
        valid_from=last.valid_from,
        decret=last.decret,
        source=last.source,
        confirmed=False,
        warning=(
            f"Le montant du RSA en vigueur depuis le {_day(row.valid_from)} n'est pas "
            f"connu : le montant du {_day(last.valid_from)} ({_fr(last.amount)}) est "
            "retenu à titre provisoire. Il est probablement un peu inférieur au montant réel, "
            "ce qui surestime la capacité de remboursement."
        ),
    )


@dataclass(frozen=True)
class Household:
    """Who lives on the debtor's resources (from ``situation.foyer``)."""

    couple: bool
    children: int
    others: int = 0
    partner_dependant: bool = False

    @property
    def persons(self) -> int:
        return (2 if self.couple else 1) + self.children + self.others

    @property
    def dependants(self) -> int:
        """Persons counted by C. trav. R3252-3 (partner only when below the RSA)."""
        return int(self.couple and self.partner_dependant) + self.children + self.others

    def describe(self) -> str:
        adults = "couple" if self.couple else "personne seule"
        parts = [adults]
        if self.children:
            parts.append(f"{self.children} enfant(s) à charge")
        if self.others:
            parts.append(f"{self.others} autre(s) personne(s) à charge")
        return ", ".join(parts)


def household_multiplier(household: Household, tables: _RsaTables | None = None) -> Decimal:
    """CASF R262-1: 1 for one person, +50 % for the second person, +30 % for each further
    person, +40 % instead for each child or person under 25 beyond the second."""
    t = tables or _rsa_tables(data_file("parameters", RSA_FILE).parent.resolve())
    persons = household.persons
    beyond_second_child = max(0, household.children - 2)
    further = max(0, persons - 2)
    multiplier = Decimal(1)
    if persons >= 2:
        multiplier += t.second_person
    multiplier += t.child_beyond_second * beyond_second_child
    multiplier += t.further_person * (further - beyond_second_child)
    return multiplier


def rsa_household(
    on: dt.date,
    household: Household,
    *,
    allow_unconfirmed: bool = False,
    directory: Path | None = None,
) -> RsaValue:
    """RSA montant forfaitaire for the household (one-person amount × R262-1 multiplier,
    rounded to the cent), with the published amount for that household when known."""
    tables = _rsa_tables((directory or data_file("parameters", RSA_FILE).parent).resolve())
    base = rsa_one_person(on, allow_unconfirmed=allow_unconfirmed, directory=directory)
    multiplier = household_multiplier(household, tables)
    published = None
    if household.others == 0:
        for start, table, _source in tables.published:
            if start == base.valid_from:
                published = table.get((2 if household.couple else 1, household.children))
    return RsaValue(
        amount=_cents(base.amount * multiplier),
        valid_from=base.valid_from,
        decret=base.decret,
        source=base.source,
        confirmed=base.confirmed,
        warning=base.warning,
        multiplier=multiplier,
        published=published,
    )


# --------------------------------------------------------------------------- computations


def seizable_monthly(monthly_pay: Decimal, bareme: Bareme, dependants: int) -> Decimal:
    """Monthly seizable fraction of pay under R3252-2 and R3252-3, rounded once to the cent.

    Annual pay = 12 × monthly pay; each annual threshold is raised by ``dependants`` × the
    per-dependant amount; the fraction of each slice is applied exactly (``Fraction``); the
    annual total is divided by 12 and only that final figure is rounded.
    """
    annual = Fraction(monthly_pay) * 12
    raise_by = Fraction(bareme.per_dependant) * dependants
    bounds = [Fraction(t) + raise_by for t in bareme.thresholds]
    seized = Fraction(0)
    lower = Fraction(0)
    for index, fraction in enumerate(bareme.fractions):
        upper = bounds[index] if index < len(bounds) else None
        top = annual if upper is None else min(annual, upper)
        if top > lower:
            seized += (top - lower) * fraction
        if upper is None or annual <= upper:
            break
        lower = upper
    return _cents(seized / 12)


def capacity(qs: Decimal, resources: Decimal, reserved: Decimal) -> Decimal:
    """C. conso. L731-1, R731-1: ``max(0, min(QS, resources − reserved))``."""
    return max(Decimal(0), min(qs, resources - reserved))


def months_needed(debt: Decimal, monthly: Decimal) -> int | None:
    """Months to repay ``debt`` at ``monthly`` (``None`` when nothing can be paid)."""
    if debt <= 0:
        return 0
    if monthly <= 0:
        return None
    return int((debt / monthly).to_integral_value(rounding=ROUND_CEILING))


def commission_departement(postal_code: str) -> str:
    """Département of a French postal code (the commission de surendettement is that of the
    debtor's home, C. conso. L721-1 and R721-1)."""
    if postal_code.startswith("97") or postal_code.startswith("98"):
        return postal_code[:3]
    if postal_code.startswith("20"):
        return "2A" if postal_code[:3] in ("200", "201") else "2B"
    return postal_code[:2]


@dataclass(frozen=True)
class BudgetLine:
    """One line of the explanation: what, how much, on which article, with which value."""

    code: str
    libelle: str
    montant: Decimal
    fondement: str = ""
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "libelle": self.libelle,
            "montant": self.montant,
            "fondement": self.fondement,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Budget:
    """The monthly budget of a debtor at a date, and what it allows."""

    reference: str
    au: dt.date
    household: Household
    resources: Decimal
    charges: Decimal
    pay: Decimal
    qs: Decimal
    floor_one_person: Decimal
    rsa_household: Decimal
    reserved: Decimal
    capacity: Decimal
    other_instalments: Decimal
    available: Decimal
    debt: Decimal
    other_debts: Decimal
    months: int | None
    months_all_debts: int | None
    max_grace_months: int
    max_plan_months: int
    conclusion: str
    route: str
    lines: tuple[BudgetLine, ...]
    warnings: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "au": self.au,
            "foyer": self.household.describe(),
            "personnes_a_charge_bareme": self.household.dependants,
            "ressources": self.resources,
            "charges": self.charges,
            "remuneration_saisissable_base": self.pay,
            "quotite_saisissable": self.qs,
            "reste_toujours_laisse": self.floor_one_person,
            "rsa_foyer": self.rsa_household,
            "part_reservee": self.reserved,
            "capacite": self.capacity,
            "mensualites_autres_dettes": self.other_instalments,
            "capacite_disponible": self.available,
            "dette": self.debt,
            "autres_dettes": self.other_debts,
            "mois_necessaires": self.months,
            "mois_necessaires_toutes_dettes": self.months_all_debts,
            "duree_max_delais_de_grace": self.max_grace_months,
            "duree_max_plan_surendettement": self.max_plan_months,
            "conclusion": self.conclusion,
            "voie": self.route,
            "lignes": [line.as_dict() for line in self.lines],
            "avertissements": list(self.warnings),
        }


def _situation(case: Case) -> Mapping[str, Any]:
    situation = case.data.get("situation")
    if not situation:
        raise InputError(
            f"Le dossier {case.reference} ne décrit pas la situation du débiteur.",
            hint="passez le dossier au format 2 et ajoutez « situation » (foyer, ressources, "
            "charges, autres dettes) : voir docs/amicable.md",
        )
    return dict(situation)


def household_of(case: Case) -> Household:
    foyer = _situation(case)["foyer"]
    return Household(
        couple=bool(foyer["en_couple"]),
        children=int(foyer.get("enfants_a_charge", 0)),
        others=int(foyer.get("autres_personnes_a_charge", 0)),
        partner_dependant=bool(foyer.get("conjoint_a_charge", False)),
    )


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def _sum(items: Sequence[Mapping[str, Any]], key: str) -> Decimal:
    return sum((_money(i.get(key, "0")) for i in items), Decimal(0))


def outstanding(case: Case) -> Decimal:
    """What the case still claims: principal minus payments (interest not included)."""
    return max(Decimal(0), case.principal - case.paid)


def budget_for_case(
    case: Case,
    au: dt.date,
    *,
    debt: Decimal | None = None,
    allow_unconfirmed: bool | None = None,
    directory: Path | None = None,
) -> Budget:
    """The budget of the case's debtor at ``au`` (see the module docstring for the method).

    ``debt`` defaults to :func:`outstanding`; ``allow_unconfirmed`` to the case's
    ``parametres.taux_non_confirmes``.
    """
    situation = _situation(case)
    household = household_of(case)
    allow = (
        bool(case.parametres.get("taux_non_confirmes", False))
        if allow_unconfirmed is None
        else allow_unconfirmed
    )
    warnings: list[str] = []
    lines: list[BudgetLine] = []
    ressources = list(situation.get("ressources", []))
    charges = list(situation.get("charges", []))
    for item in ressources:
        lines.append(
            BudgetLine(
                "ressource",
                f"Ressource : {item.get('libelle') or _LABELS[item['nature']]}",
                _money(item["montant_mensuel"]),
            )
        )
    total_resources = _sum(ressources, "montant_mensuel")
    for item in charges:
        lines.append(
            BudgetLine(
                "charge",
                f"Charge : {item.get('libelle') or _LABELS[item['nature']]}",
                _money(item["montant_mensuel"]),
            )
        )
    total_charges = _sum(charges, "montant_mensuel")
    lines.append(BudgetLine("ressources", "Total des ressources mensuelles", total_resources))
    lines.append(BudgetLine("charges", "Total des charges mensuelles", total_charges))
    lines.append(
        BudgetLine(
            "solde",
            "Ressources moins charges",
            total_resources - total_charges,
            "",
            f"{_fr(total_resources)} − {_fr(total_charges)}",
        )
    )
    pay = sum(
        (
            _money(i["montant_mensuel"])
            for i in ressources
            if i.get("saisissable_bareme", i["nature"] in _PAY_KINDS)
        ),
        Decimal(0),
    )
    bareme = bareme_for(au, directory)
    if not bareme.confirmed:
        warnings.append(
            f"Barème des saisies {bareme.year} non confirmé ({bareme.decret}) : "
            f"{bareme.note or bareme.source}"
        )
    dependants = household.dependants
    qs_bareme = seizable_monthly(pay, bareme, dependants)
    one = rsa_one_person(au, allow_unconfirmed=allow, directory=directory)
    if one.warning:
        warnings.append(one.warning)
    qs = min(qs_bareme, max(Decimal(0), pay - one.amount))
    thresholds = ", ".join(
        _fr(t + bareme.per_dependant * dependants).removesuffix(" €") for t in bareme.thresholds
    )
    lines.append(
        BudgetLine(
            "quotite_saisissable_bareme",
            "Fraction saisissable de la rémunération (barème)",
            qs_bareme,
            "C. trav. art. R3252-2, R3252-3",
            f"rémunération annuelle 12 × {_fr(pay)} = {_fr(pay * 12)} ; barème {bareme.year}, "
            f"{bareme.decret} ; seuils annuels majorés de {dependants} × "
            f"{_fr(bareme.per_dependant)} : {thresholds} € ; total annuel ÷ 12, arrondi au "
            "centime",
        )
    )
    lines.append(
        BudgetLine(
            "reste_toujours_laisse",
            "Somme toujours laissée au débiteur (RSA personne seule)",
            one.amount,
            "C. trav. art. R3252-5 ; CASF art. L262-2",
            f"RSA en vigueur depuis le {_day(one.valid_from)} ({one.decret})",
        )
    )
    lines.append(
        BudgetLine(
            "quotite_saisissable",
            "Quotité saisissable retenue",
            qs,
            "C. trav. art. R3252-2, R3252-5",
            f"min({_fr(qs_bareme)} ; {_fr(pay)} − {_fr(one.amount)})",
        )
    )
    rsa_hh = rsa_household(au, household, allow_unconfirmed=allow, directory=directory)
    published = (
        f" ; montant publié pour ce foyer : {_fr(rsa_hh.published)}"
        if rsa_hh.published is not None and rsa_hh.published != rsa_hh.amount
        else ""
    )
    lines.append(
        BudgetLine(
            "rsa_foyer",
            f"RSA du foyer ({household.describe()})",
            rsa_hh.amount,
            "CASF art. L262-2, R262-1 ; C. conso. art. L731-2",
            f"{_fr(one.amount)} × {rsa_hh.multiplier.normalize():f}".replace(".", ",") + published,
        )
    )
    reserved = max(rsa_hh.amount, total_charges)
    lines.append(
        BudgetLine(
            "part_reservee",
            "Part des ressources réservée aux dépenses courantes",
            reserved,
            "C. conso. art. L731-2 (jamais moins que le RSA du foyer), R731-2",
            f"max({_fr(rsa_hh.amount)} ; {_fr(total_charges)})",
        )
    )
    cap = capacity(qs, total_resources, reserved)
    lines.append(
        BudgetLine(
            "capacite",
            "Capacité mensuelle de remboursement",
            cap,
            "C. conso. art. L731-1, R731-1",
            f"max(0 ; min({_fr(qs)} ; {_fr(total_resources)} − {_fr(reserved)}))",
        )
    )
    autres = list(situation.get("autres_dettes", []))
    other_instalments = _sum(autres, "mensualite")
    other_debts = _sum(autres, "montant_restant")
    available = max(Decimal(0), cap - other_instalments)
    if autres:
        lines.append(
            BudgetLine(
                "capacite_disponible",
                "Part disponible pour ce créancier",
                available,
                "",
                f"{_fr(cap)} − mensualités des autres dettes {_fr(other_instalments)}",
            )
        )
    owed = outstanding(case) if debt is None else debt
    lines.append(
        BudgetLine(
            "dette",
            "Somme due à ce créancier",
            owed,
            "",
            f"principal {_fr(case.principal)} − paiements {_fr(case.paid)} (hors intérêts)"
            if debt is None
            else "montant indiqué",
        )
    )
    limits = plan_limits(au, directory)
    grace, plan_max = limits.grace.months, limits.surendettement.months
    months = months_needed(owed, available)
    months_all = months_needed(owed + other_debts, cap)
    conclusion, route = _conclusion(
        case, owed, available, months, months_all, grace, plan_max, limits, other_debts
    )
    if total_resources < rsa_hh.amount:
        warnings.append(
            f"Les ressources ({_fr(total_resources)}) sont inférieures au RSA du foyer "
            f"({_fr(rsa_hh.amount)}) : aucun remboursement ne peut être demandé "
            "(C. conso. L731-2)."
        )
    return Budget(
        reference=case.reference,
        au=au,
        household=household,
        resources=total_resources,
        charges=total_charges,
        pay=pay,
        qs=qs,
        floor_one_person=one.amount,
        rsa_household=rsa_hh.amount,
        reserved=reserved,
        capacity=cap,
        other_instalments=other_instalments,
        available=available,
        debt=owed,
        other_debts=other_debts,
        months=months,
        months_all_debts=months_all,
        max_grace_months=grace,
        max_plan_months=plan_max,
        conclusion=conclusion,
        route=route,
        lines=tuple(lines),
        warnings=tuple(warnings),
    )


def _conclusion(
    case: Case,
    owed: Decimal,
    available: Decimal,
    months: int | None,
    months_all: int | None,
    grace: int,
    plan_max: int,
    limits: Any,
    other_debts: Decimal,
) -> tuple[str, str]:
    if owed <= 0:
        return "Rien n'est dû à ce créancier.", "aucune"
    if months is not None and months <= grace and (months_all or 0) <= plan_max:
        monthly = (owed / months).quantize(CENT, rounding=ROUND_DOWN)
        return (
            f"La dette ({_fr(owed)}) peut être remboursée en {months} mois (environ "
            f"{_fr(monthly)} par mois), dans la limite de {grace} mois des délais de grâce "
            f"({limits.grace.reference}).",
            "plan_amiable",
        )
    if months is not None and months <= plan_max and (months_all or 0) <= plan_max:
        return (
            f"La dette ({_fr(owed)}) ne peut pas être remboursée en {grace} mois à "
            f"{_fr(available)} par mois ({limits.grace.reference}) ; il faudrait {months} "
            f"mois, dans la durée maximale de {plan_max} mois d'un plan de surendettement "
            f"({limits.surendettement.reference}). Un plan amiable aussi long ne pourrait "
            "pas être obtenu d'un juge.",
            "plan_long",
        )
    departement = commission_departement(case.debiteur.adresse.code_postal)
    why = (
        "aucune somme ne peut être remboursée chaque mois"
        if months is None
        else f"il faudrait {months} mois pour cette seule dette"
        if months > plan_max
        else f"toutes dettes comprises ({_fr(owed + other_debts)}), il faudrait "
        f"{months_all if months_all is not None else 'une durée illimitée de'} mois"
    )
    if not case.debiteur.is_consumer:
        # A natural person acting as a professional is outside the surendettement procedure
        # (C. conso. L711-3): the collective procedures of Book VI of the Code de commerce.
        return (
            f"La dette ne peut être remboursée ni en {grace} mois ({limits.grace.reference}) "
            f"ni en {plan_max} mois : {why}. Le débiteur exerçant une activité professionnelle, "
            "la procédure de surendettement ne lui est pas ouverte (C. conso. art. L711-3) : "
            "ses difficultés relèvent des procédures du livre VI du code de commerce "
            "(conciliation, sauvegarde, redressement ou liquidation judiciaire).",
            "procedure_collective",
        )
    return (
        f"La dette ne peut être remboursée ni en {grace} mois ({limits.grace.reference}) ni "
        f"en {plan_max} mois ({limits.surendettement.reference}) : {why}. La voie adaptée "
        "est le dépôt par le débiteur d'un dossier de surendettement auprès de la commission "
        f"de surendettement des particuliers de son département ({departement}), dont le "
        "secrétariat est assuré par la Banque de France (C. conso. art. L711-1, L721-1).",
        "surendettement",
    )
