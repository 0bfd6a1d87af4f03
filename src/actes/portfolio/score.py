"""An explained internal score per debtor: higher means « deal with this one first ».

The score is the plain sum of the points of seven factors, each capped at its maximum, the
maxima adding up to 100 (docs/score.md): payment delay (amount-weighted days past due of what is
still unpaid), claims paid late, broken promises, missed plan instalments, amount due, age of the
oldest unpaid claim, stage of recovery. Weights and thresholds are house policy, not law:
``parameters/score.yaml``, which a firm overlays in its workspace.

A debtor's several cases are combined by :func:`combine_inputs`: counts and amounts are summed,
days take the worst case (the largest), the stage is the most advanced one.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

from actes._io import load_document
from actes._paths import data_file
from actes.cases.case import Case
from actes.errors import DataIssue, DefinitionError
from actes.law.money import Decompte
from actes.portfolio.stage import STAGE_LABELS, STAGES, Stage, case_stage, most_advanced

__all__ = [
    "FACTORS",
    "SCORE_FILE",
    "Factor",
    "FactorCode",
    "FactorRule",
    "Level",
    "Score",
    "ScoreInputs",
    "ScoreParameters",
    "broken_promise_count",
    "combine_inputs",
    "debtor_key",
    "debtor_score",
    "inputs_for_case",
    "score",
    "score_parameters",
]

SCORE_FILE = "score.yaml"

FactorCode = Literal[
    "retard",
    "paiements_tardifs",
    "promesses_non_tenues",
    "echeances_manquees",
    "montant",
    "anciennete",
    "etape",
]
FACTORS: tuple[FactorCode, ...] = get_args(FactorCode)
Level = Literal["faible", "moyen", "élevé"]

# What each factor counts: days, euros, a unit (singular, plural), or the stage.
_UNITS: Mapping[FactorCode, tuple[str, str]] = {
    "retard": ("jour", "jours"),
    "paiements_tardifs": ("créance", "créances"),
    "promesses_non_tenues": ("promesse", "promesses"),
    "echeances_manquees": ("échéance", "échéances"),
    "montant": ("€", "€"),
    "anciennete": ("jour", "jours"),
    "etape": ("", ""),
}


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class ScoreInputs:
    """The plain facts a score is computed from (one case, or a debtor's cases combined)."""

    days_late_weighted: int
    max_days_late: int
    late_paid_claims: int
    broken_promises: int
    missed_instalments: int
    amount_due: Decimal
    oldest_age_days: int
    stage: Stage

    def as_dict(self) -> dict[str, object]:
        return {
            "jours_de_retard_pondere": self.days_late_weighted,
            "jours_de_retard_max": self.max_days_late,
            "creances_payees_en_retard": self.late_paid_claims,
            "promesses_non_tenues": self.broken_promises,
            "echeances_manquees": self.missed_instalments,
            "montant_du": self.amount_due,
            "anciennete_jours": self.oldest_age_days,
            "etape": self.stage,
        }


def broken_promise_count(case: Case, au: dt.date) -> int:
    """The promises to pay of ``case`` broken at ``au``, when the promises module is there
    (``actes.amicable.promises``), else 0."""
    try:
        promises = importlib.import_module("actes.amicable.promises")
    except ModuleNotFoundError as missing:
        if missing.name != "actes.amicable.promises":
            raise
        return 0
    return len(promises.broken_promises(case, au))


def inputs_for_case(
    case: Case,
    au: dt.date,
    *,
    decompte: Decompte | None = None,
    broken_promises: int = 0,
    missed_instalments: int | None = None,
) -> ScoreInputs:
    """The facts of ``case`` at ``au``. ``decompte`` is the case's décompte at ``au`` (computed
    when not given); ``missed_instalments`` defaults to the unpaid instalments of the case's
    plan (:func:`actes.amicable.plan.plan_status`), 0 without a plan."""
    if decompte is None:
        from actes.law.accounts import decompte_for_case

        decompte = decompte_for_case(case, au)
    claims = {claim.reference: claim for claim in case.creances}
    last_principal: dict[str, dt.date] = {}
    for imputation in decompte.imputations:
        if imputation.principal > 0 and imputation.date <= au:
            previous = last_principal.get(imputation.claim_reference, imputation.date)
            last_principal[imputation.claim_reference] = max(previous, imputation.date)
    late: list[tuple[Decimal, int]] = []
    oldest = 0
    paid_late = 0
    for row in decompte.claims:
        claim = claims.get(row.reference)
        if claim is None:
            continue
        if row.outstanding_principal > 0:
            oldest = max(oldest, (au - claim.date_emission).days)
            days = (au - claim.date_echeance).days
            if days > 0:
                late.append((row.outstanding_principal, days))
        elif (paid_on := last_principal.get(row.reference)) and paid_on > claim.date_echeance:
            paid_late += 1
    stage = case_stage(case, au, decompte.total_due)
    status = None
    if case.data.get("plan") and (missed_instalments is None or stage == "plan"):
        from actes.amicable.plan import plan_status

        status = plan_status(case, au)
    if status is not None and stage == "plan":
        # While the plan runs, only its instalments are due (C. civ. 1305-3): the delay is
        # that of the instalments fallen due and unpaid, not of the claims it rescheduled.
        late = [(row.remaining, row.days_late) for row in status.missed if row.days_late > 0]
    if missed_instalments is None:
        missed_instalments = len(status.missed) if status is not None else 0
    weight = sum((amount for amount, _ in late), Decimal(0))
    weighted = (
        int(
            (sum((amount * days for amount, days in late), Decimal(0)) / weight).quantize(
                Decimal(1), rounding=ROUND_HALF_UP
            )
        )
        if weight > 0
        else 0
    )
    return ScoreInputs(
        days_late_weighted=weighted,
        max_days_late=max((days for _, days in late), default=0),
        late_paid_claims=paid_late,
        broken_promises=broken_promises,
        missed_instalments=missed_instalments,
        amount_due=max(decompte.total_due, Decimal(0)),
        oldest_age_days=oldest,
        stage=stage,
    )


def combine_inputs(inputs: Iterable[ScoreInputs]) -> ScoreInputs:
    """One debtor's cases as one: counts and amounts summed, days (weighted delay, largest
    delay, age) the largest of the cases, the stage the most advanced. No case: a debtor who
    owes nothing (all zero, ``clos``)."""
    found = list(inputs)
    return ScoreInputs(
        days_late_weighted=max((i.days_late_weighted for i in found), default=0),
        max_days_late=max((i.max_days_late for i in found), default=0),
        late_paid_claims=sum(i.late_paid_claims for i in found),
        broken_promises=sum(i.broken_promises for i in found),
        missed_instalments=sum(i.missed_instalments for i in found),
        amount_due=sum((i.amount_due for i in found), Decimal(0)),
        oldest_age_days=max((i.oldest_age_days for i in found), default=0),
        stage=most_advanced(i.stage for i in found),
    )


def debtor_key(case: Case) -> str:
    """Which debtor a case is against: ``siren:<SIREN>`` when the debtor has one, else
    ``nom:<name>`` folded (no accents, lower case, single spaces, no civility)."""
    from actes.portfolio.index import fold

    siren = str(case.debiteur.get("siren") or "").replace(" ", "")
    if siren:
        return f"siren:{siren}"
    raw = case.debiteur.raw
    name = (
        str(raw.get("denomination", ""))
        if case.debiteur.is_company
        else f"{raw.get('prenoms', '')} {raw.get('nom', '')}"
    )
    return "nom:" + " ".join(re.sub(r"[^\w]+", " ", fold(name)).split())


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class _Step:
    threshold: Decimal
    points: int


@dataclass(frozen=True)
class FactorRule:
    """How one factor earns points: steps, points per unit, or points per stage."""

    code: FactorCode
    label: str
    explanation: str
    max_points: int
    steps: tuple[_Step, ...] = ()
    per_unit: int | None = None
    by_stage: Mapping[str, int] = field(default_factory=dict)

    def points(self, value: Decimal | int | str) -> int:
        """The points ``value`` (days, euros, a count, or a stage) earns, at most the max."""
        if isinstance(value, str):
            return min(self.by_stage[value], self.max_points)
        if self.per_unit is not None:
            return min(self.per_unit * int(value), self.max_points)
        reached = [step.points for step in self.steps if value >= step.threshold]
        return min(reached[-1] if reached else 0, self.max_points)


@dataclass(frozen=True)
class ScoreParameters:
    """The weights and thresholds of ``parameters/score.yaml`` (or the workspace's copy)."""

    rules: Mapping[FactorCode, FactorRule]
    medium: int
    high: int
    file: str


def score_parameters(directory: Path | None = None) -> ScoreParameters:
    """The parameters in force: ``directory/score.yaml``, else the active workspace's copy,
    else the shipped one. Read again when the file changes."""
    path = (directory / SCORE_FILE) if directory else data_file("parameters", SCORE_FILE)
    try:
        info = path.stat()
    except OSError:
        info = None
    return _load_parameters(
        str(path.absolute()), info.st_mtime_ns if info else 0, info.st_size if info else -1
    )


def _whole(value: Any) -> int | None:
    """A whole number of points or days (not a bool, not a fraction)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return None


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@lru_cache(maxsize=16)
def _load_parameters(file: str, _mtime_ns: int, _size: int) -> ScoreParameters:
    doc: Any = load_document(Path(file), definition=True)
    issues: list[DataIssue] = []

    def add(path: str, message: str, hint: str = "") -> None:
        issues.append(DataIssue(path, message, hint, file=file))

    if not isinstance(doc, Mapping):
        doc = {}
        add("$", "document vide ou qui n'est pas une table")
    factors = doc.get("facteurs")
    if not isinstance(factors, Mapping):
        factors = {}
        add("$.facteurs", "table des facteurs absente")
    rules: dict[FactorCode, FactorRule] = {}
    for code in factors:
        if code not in FACTORS:
            add(f"$.facteurs.{code}", "facteur inconnu", "facteurs : " + ", ".join(FACTORS))
    for code in FACTORS:
        raw = factors.get(code)
        where = f"$.facteurs.{code}"
        if not isinstance(raw, Mapping):
            if factors:
                add(where, "facteur absent", "chaque facteur a sa section, même à 0 point")
            continue
        rule = _rule(code, raw, where, add)
        if rule is not None:
            rules[code] = rule
    levels = doc.get("niveaux")
    levels = levels if isinstance(levels, Mapping) else {}
    medium, high = _whole(levels.get("moyen")), _whole(levels.get("eleve"))
    if medium is None or high is None or not 0 < medium < high <= 100:
        add(
            "$.niveaux",
            f"niveaux « moyen » ({levels.get('moyen')}) et « eleve » ({levels.get('eleve')}) "
            "invalides",
            "deux nombres entiers tels que 0 < moyen < eleve ≤ 100",
        )
    if len(rules) == len(FACTORS):
        total = sum(rule.max_points for rule in rules.values())
        if total != 100:
            add(
                "$.facteurs",
                f"la somme des maxima des facteurs fait {total}, et non 100",
                "ajustez les « max » : le score est la somme des points, sur 100",
            )
    if issues:
        plural = "s" if len(issues) > 1 else ""
        raise DefinitionError(
            f"Paramètres du score invalides : {file} ({len(issues)} problème{plural}).",
            issues=issues,
            hint="corrigez le fichier (voir docs/score.md) ou retirez la copie du cabinet",
        )
    assert medium is not None and high is not None
    return ScoreParameters(rules, medium, high, file)


def _rule(
    code: FactorCode, raw: Mapping[str, Any], where: str, add: Callable[..., None]
) -> FactorRule | None:
    label, explanation = raw.get("libelle"), raw.get("explication")
    top = _whole(raw.get("max"))
    ok = True
    for key, value in (("libelle", label), ("explication", explanation)):
        if not isinstance(value, str) or not value.strip():
            add(f"{where}.{key}", "texte absent ou vide")
            ok = False
    if top is None or top < 0:
        add(f"{where}.max", f"maximum « {raw.get('max')} » invalide", "un entier positif ou nul")
        return None
    kinds = [key for key in ("paliers", "par_unite", "par_etape") if key in raw]
    allowed = ("par_etape",) if code == "etape" else ("paliers", "par_unite")
    if len(kinds) != 1 or kinds[0] not in allowed:
        add(
            where,
            "façon de compter les points absente, multiple ou inadaptée",
            "une seule de : " + ", ".join(allowed),
        )
        return None
    kind = kinds[0]
    rule = FactorRule(code, str(label).strip(), str(explanation).strip(), top)
    if kind == "par_unite":
        unit = _whole(raw["par_unite"])
        if unit is None or not 0 <= unit <= top:
            add(
                f"{where}.par_unite", f"« {raw['par_unite']} » invalide", f"un entier de 0 à {top}"
            )
            return None
        return replace(rule, per_unit=unit) if ok else None
    if kind == "par_etape":
        table = raw["par_etape"]
        table = table if isinstance(table, Mapping) else {}
        by_stage: dict[str, int] = {}
        for stage in STAGES:
            points = _whole(table.get(stage))
            if points is None or not 0 <= points <= top:
                add(
                    f"{where}.par_etape.{stage}",
                    f"points « {table.get(stage)} » invalides ou absents",
                    f"un entier de 0 à {top} pour chaque étape",
                )
                ok = False
            else:
                by_stage[stage] = points
        return replace(rule, by_stage=by_stage) if ok else None
    rows = raw["paliers"]
    steps: list[_Step] = []
    for index, row in enumerate(rows if isinstance(rows, list) else [None]):
        row = row if isinstance(row, Mapping) else {}
        threshold, points = _number(row.get("a_partir_de")), _whole(row.get("points"))
        if threshold is None or points is None or not 0 <= points <= top:
            add(
                f"{where}.paliers[{index}]",
                "palier invalide",
                f"« a_partir_de » (un nombre) et « points » (un entier de 0 à {top})",
            )
            ok = False
        elif steps and (threshold <= steps[-1].threshold or points < steps[-1].points):
            add(
                f"{where}.paliers[{index}]",
                "paliers non croissants",
                "des seuils croissants, des points qui ne baissent pas",
            )
            ok = False
        else:
            steps.append(_Step(threshold, points))
    return replace(rule, steps=tuple(steps)) if ok else None


# --------------------------------------------------------------------------- score


@dataclass(frozen=True)
class Factor:
    """One line of a score: what was measured, the points it earned, and why."""

    code: FactorCode
    label: str
    value: str
    points: int
    max_points: int
    explanation: str

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "libelle": self.label,
            "valeur": self.value,
            "points": self.points,
            "max": self.max_points,
            "explication": self.explanation,
        }


@dataclass(frozen=True)
class Score:
    """A score: ``total`` (0-100, the sum of the factors' points), its level, the factors."""

    total: int
    level: Level
    factors: tuple[Factor, ...]
    inputs: ScoreInputs
    parameters_file: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "niveau": self.level,
            "facteurs": [factor.as_dict() for factor in self.factors],
            "entrees": self.inputs.as_dict(),
            "parametres": self.parameters_file,
        }


def _count(n: int, unit: tuple[str, str]) -> str:
    # French: 0 and 1 take the singular.
    return f"{n} {unit[0] if n <= 1 else unit[1]}"


def _how_many(n: int, unit: tuple[str, str]) -> str:
    # Every counted unit (créance, promesse, échéance) is feminine.
    return f"aucune {unit[0]}" if n == 0 else _count(n, unit)


def _qualified(n: int, one: str, many: str) -> str:
    return f" {one if n <= 1 else many}"


def _points(n: int) -> str:
    return _count(n, ("point", "points"))


def _threshold(code: FactorCode, value: Decimal) -> str:
    if code == "montant":
        from actes.documents.formatting import format_amount

        return format_amount(value)
    return _count(int(value), _UNITS[code])


def _value(code: FactorCode, inputs: ScoreInputs) -> str:
    from actes.documents.formatting import format_amount

    if code == "retard":
        if inputs.max_days_late <= 0:
            return "aucune somme échue impayée"
        return (
            f"{_count(inputs.days_late_weighted, _UNITS[code])} en moyenne "
            f"(au plus {_count(inputs.max_days_late, _UNITS[code])})"
        )
    # What was counted, said in full (« aucune créance payée en retard »).
    if code == "paiements_tardifs":
        return _how_many(inputs.late_paid_claims, _UNITS[code]) + _qualified(
            inputs.late_paid_claims, "payée en retard", "payées en retard"
        )
    if code == "promesses_non_tenues":
        return _how_many(inputs.broken_promises, _UNITS[code]) + _qualified(
            inputs.broken_promises, "non tenue", "non tenues"
        )
    if code == "echeances_manquees":
        return _how_many(inputs.missed_instalments, _UNITS[code]) + _qualified(
            inputs.missed_instalments, "manquée", "manquées"
        )
    if code == "montant":
        return format_amount(inputs.amount_due)
    if code == "anciennete":
        if inputs.oldest_age_days <= 0 and inputs.amount_due <= 0:
            return "aucune créance impayée"
        return _count(inputs.oldest_age_days, _UNITS[code])
    return STAGE_LABELS[inputs.stage]


def _measure(code: FactorCode, inputs: ScoreInputs) -> Decimal | int | str:
    measures: Mapping[FactorCode, Decimal | int | str] = {
        "retard": inputs.days_late_weighted,
        "paiements_tardifs": inputs.late_paid_claims,
        "promesses_non_tenues": inputs.broken_promises,
        "echeances_manquees": inputs.missed_instalments,
        "montant": inputs.amount_due,
        "anciennete": inputs.oldest_age_days,
        "etape": inputs.stage,
    }
    return measures[code]


def _rule_text(rule: FactorRule, measure: Decimal | int | str) -> str:
    if rule.by_stage:
        scale = ", ".join(f"{STAGE_LABELS[s]} {rule.by_stage[s]}" for s in STAGES)
        return f"points par étape : {scale}"
    if rule.per_unit is not None:
        return f"{_points(rule.per_unit)} par {_UNITS[rule.code][0]}, {rule.max_points} au plus"
    assert not isinstance(measure, str)
    reached = [step for step in rule.steps if measure >= step.threshold]
    if not reached:
        first = rule.steps[0].threshold if rule.steps else Decimal(0)
        return f"sous le premier palier ({_threshold(rule.code, first)})"
    step = reached[-1]
    return f"palier « à partir de {_threshold(rule.code, step.threshold)} »"


def score(inputs: ScoreInputs, params: ScoreParameters | None = None) -> Score:
    """The score of ``inputs`` under ``params`` (default: :func:`score_parameters`)."""
    params = params or score_parameters()
    factors: list[Factor] = []
    for code in FACTORS:
        rule = params.rules[code]
        measure = _measure(code, inputs)
        points = rule.points(measure)
        factors.append(
            Factor(
                code=code,
                label=rule.label,
                value=_value(code, inputs),
                points=points,
                max_points=rule.max_points,
                explanation=f"{rule.explanation} ; {_rule_text(rule, measure)}",
            )
        )
    total = max(0, min(100, sum(f.points for f in factors)))
    level: Level = (
        "élevé" if total >= params.high else "moyen" if total >= params.medium else "faible"
    )
    return Score(total, level, tuple(factors), inputs, params.file)


def debtor_score(inputs: Sequence[ScoreInputs], params: ScoreParameters | None = None) -> Score:
    """The score of one debtor from the inputs of each of its cases (:func:`combine_inputs`)."""
    return score(combine_inputs(inputs), params)
