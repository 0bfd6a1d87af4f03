"""Payment plans (plans d'apurement): proposal, the agreed plan, its follow-up, the worklist.

Schedules (docs/amicable.md):

- Instalments fall on a fixed day of the month, on the month's last day when it is shorter
  (31 → 28 or 29 February, 30 April).
- Amounts are in cents and add up exactly to the total; the last instalment takes the
  rounding.
- Without interest: equal instalments rounded down to the cent, or the chosen instalment, the
  last one taking the rest.
- With interest (legal or contractual rate, fixed for the plan): each instalment pays one
  month of interest on the capital still due, at the proportional monthly rate (annual rate ÷
  12), rounded half up to the cent, then capital. The instalment is constant (annuity formula
  rounded to the cent) or chosen; the last one pays the remaining capital and its interest.

Follow-up: the payments of the case dated on or after the plan's signature are imputed in
date order to the oldest instalment first. The next action goes from the reminder
(``relance_echeance_plan``, after the plan's grace days) to the mise en demeure naming the
acceleration clause (``mise_en_demeure_decheance``, C. civ. 1225, notice from the plan), to
the notice of acceleration (``notification_decheance``), then to the judicial route.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal

from actes._io import atomic_write
from actes._paths import data_file
from actes.amicable.limits import PLANS_FILE, PlanLimits, plan_limits
from actes.cases.case import Case, load_case
from actes.errors import (
    ActesError,
    DataIssue,
    IncompleteCase,
    InputError,
    PreconditionFailed,
    UsageProblem,
)
from actes.portfolio.csvsafe import SafeWriter

__all__ = [
    "PLANS_FILE",
    "ActionCode",
    "Instalment",
    "InstalmentStatus",
    "InterestMode",
    "NextAction",
    "Plan",
    "PlanLimits",
    "PlanStatus",
    "WorklistRow",
    "instalment_dates",
    "load_plan",
    "plan_context",
    "plan_limits",
    "plan_status",
    "propose_plan",
    "render_plan_letter",
    "schedule",
    "worklist",
    "worklist_csv",
]

CENT = Decimal("0.01")
LETTERS = ("relance_echeance_plan", "mise_en_demeure_decheance", "notification_decheance")

InterestMode = Literal["aucun", "legal", "contractuel"]
ActionCode = Literal[
    "aucune",
    "attendre",
    "relance_echeance_plan",
    "mise_en_demeure_decheance",
    "notification_decheance",
    "voie_judiciaire",
    "plan_solde",
]


def _fr(amount: Decimal) -> str:
    text = f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
    return text.replace(",", " ").replace(".", ",") + " €"


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Instalment:
    numero: int
    date: dt.date
    montant: Decimal
    capital: Decimal
    interets: Decimal = Decimal(0)
    restant_du: Decimal = Decimal(0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "numero": self.numero,
            "date": self.date,
            "montant": self.montant,
            "capital": self.capital,
            "interets": self.interets,
            "restant_du": self.restant_du,
        }


def _month_day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def instalment_dates(first: dt.date, count: int, day: int | None = None) -> list[dt.date]:
    """``count`` monthly dates: ``first``, then the same ``day`` (default: ``first.day``) of
    each following month, or the month's last day when the month is shorter."""
    target = day or first.day
    dates = []
    for index in range(count):
        months = first.month - 1 + index
        year, month = first.year + months // 12, months % 12 + 1
        dates.append(first if index == 0 else _month_day(year, month, target))
    return dates


def schedule(
    capital: Decimal,
    first: dt.date,
    *,
    count: int | None = None,
    instalment: Decimal | None = None,
    day: int | None = None,
    annual_rate: Decimal = Decimal(0),
) -> list[Instalment]:
    """Instalments that repay ``capital`` exactly (give ``count`` or ``instalment``).

    Without interest the amounts are equal (rounded down to the cent) or ``instalment``; with
    ``annual_rate`` (percent) each instalment first pays the month's interest on the capital
    due (rate ÷ 12, rounded half up to the cent). The last instalment takes the rounding.
    """
    capital = _money(capital)
    if capital <= 0:
        raise UsageProblem("Rien à échelonner : la somme due est nulle.")
    if (count is None) == (instalment is None):
        raise UsageProblem("Indiquez soit la mensualité, soit la durée du plan.")
    monthly_rate = Decimal(annual_rate) / 1200
    if instalment is not None:
        instalment = _money(instalment)
        if instalment <= 0:
            raise UsageProblem("La mensualité doit être strictement positive.")
        first_interest = (capital * monthly_rate).quantize(CENT, rounding=ROUND_HALF_UP)
        if instalment <= first_interest:
            raise PreconditionFailed(
                f"Une mensualité de {_fr(instalment)} ne couvre pas les intérêts du premier "
                f"mois ({_fr(first_interest)}) : la dette ne diminuerait jamais.",
                hint="augmentez la mensualité ou renoncez aux intérêts (--interets aucun)",
            )
        regular = instalment
    else:
        assert count is not None
        if count < 1:
            raise UsageProblem("La durée du plan doit être d'au moins un mois.")
        if monthly_rate == 0:
            regular = (capital / count).quantize(CENT, rounding=ROUND_DOWN)
            if regular == 0:
                raise UsageProblem(
                    f"{count} échéances pour {_fr(capital)} : moins d'un centime chacune."
                )
        else:
            factor = (1 + monthly_rate) ** count
            regular = (capital * monthly_rate * factor / (factor - 1)).quantize(
                CENT, rounding=ROUND_HALF_UP
            )
    rows: list[tuple[Decimal, Decimal, Decimal]] = []  # (amount, capital part, interest)
    balance = capital
    while balance > 0:
        interest = (balance * monthly_rate).quantize(CENT, rounding=ROUND_HALF_UP)
        last = balance + interest <= regular or (count is not None and len(rows) == count - 1)
        amount = balance + interest if last else regular
        rows.append((amount, amount - interest, interest))
        balance -= amount - interest
        if len(rows) > 1200:
            raise UsageProblem("Le plan dépasserait cent ans : augmentez la mensualité.")
    dates = instalment_dates(first, len(rows), day)
    result = []
    remaining = capital
    for index, (amount, part, interest) in enumerate(rows):
        remaining -= part
        result.append(Instalment(index + 1, dates[index], amount, part, interest, remaining))
    return result


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class FollowUp:
    type: str
    date: dt.date
    reference: str = ""
    received: dt.date | None = None  # date of the avis de réception (``date_reception``)


@dataclass(frozen=True)
class Plan:
    """A payment plan: agreed (from the case) or proposed (from :func:`propose_plan`)."""

    reference: str
    signed_on: dt.date | None
    capital: Decimal
    interest_mode: InterestMode
    annual_rate: Decimal
    instalments: tuple[Instalment, ...]
    notice_days: int
    grace_days: int
    clause: bool
    follow_up: tuple[FollowUp, ...] = ()
    generated: bool = False
    warnings: tuple[str, ...] = ()
    clause_text: str = ""  # the plan's acceleration clause, verbatim (``clause_decheance_texte``)

    @property
    def clause_wording(self) -> str:
        """The clause as signed: the recorded text, else the one actes' plan document prints."""
        if not self.clause:
            return ""
        return self.clause_text or default_clause_text(self.notice_days)

    @property
    def total(self) -> Decimal:
        return sum((i.montant for i in self.instalments), Decimal(0))

    @property
    def total_interest(self) -> Decimal:
        return sum((i.interets for i in self.instalments), Decimal(0))

    @property
    def months(self) -> int:
        return len(self.instalments)

    def interest_text(self) -> str:
        if self.interest_mode == "aucun":
            return (
                "Le créancier renonce aux intérêts pendant l'exécution du plan : les échéances "
                "ne comprennent que le capital."
            )
        kind = (
            "au taux de l'intérêt légal"
            if self.interest_mode == "legal"
            else ("au taux contractuel")
        )
        rate = f"{self.annual_rate.normalize():f}".replace(".", ",")
        return (
            f"Le capital restant dû porte intérêts {kind} de {rate} % l'an, fixe pendant le "
            "plan : chaque échéance paie d'abord un mois d'intérêts sur le capital restant dû "
            "(taux annuel ÷ 12, arrondi au centime), puis le capital (C. civ. art. 1343-1)."
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "date_signature": self.signed_on,
            "capital": self.capital,
            "total": self.total,
            "total_interets": self.total_interest,
            "interets": self.interest_mode,
            "taux": self.annual_rate if self.interest_mode != "aucun" else None,
            "methode_interets": self.interest_text(),
            "nombre_echeances": self.months,
            "preavis_decheance_jours": self.notice_days,
            "jours_de_grace": self.grace_days,
            "clause_decheance": self.clause,
            "echeances": [i.as_dict() for i in self.instalments],
            "avertissements": list(self.warnings),
        }

    def as_case_block(self, signed_on: dt.date | None = None) -> dict[str, Any]:
        """The ``plan:`` block to write into a format-2 case once signed, on ``signed_on``
        (a proposal has no signature date: the caller gives the proposal's date, never the
        machine's)."""
        signed = signed_on or self.signed_on
        if signed is None:
            raise ValueError("as_case_block: date de signature manquante")
        block: dict[str, Any] = {
            "reference": self.reference,
            "date_signature": signed.isoformat(),
            "montant_total": str(self.total),
            "capital": str(self.capital),
            "interets": self.interest_mode,
        }
        if self.interest_mode != "aucun":
            block["taux"] = str(self.annual_rate)
        block["echeances"] = [
            {"date": i.date.isoformat(), "montant": str(i.montant)} for i in self.instalments
        ]
        block["preavis_decheance_jours"] = self.notice_days
        block["jours_de_grace"] = self.grace_days
        return block


def _notice_warning(days: int, limits: PlanLimits) -> tuple[str, ...]:
    if days <= limits.notice_rejected_up_to:
        return (
            f"Préavis de déchéance du terme de {days} jours : des préavis de 8 et 15 jours ont "
            "été jugés non raisonnables (" + " ; ".join(limits.notice_case_law[1:3]) + ").",
        )
    return ()


def default_clause_text(notice_days: int) -> str:
    """The acceleration clause printed by actes' plan document (Article 4), used when the
    case does not record the signed plan's own wording (``plan.clause_decheance_texte``)."""
    return (
        "À défaut de paiement d'une seule échéance à sa date, le créancier pourra, après une "
        "mise en demeure adressée par lettre recommandée avec demande d'avis de réception, "
        "visant expressément la présente clause (code civil, art. 1225) et restée sans effet "
        f"pendant un délai de {notice_days} jours ({_days_words(notice_days)} jours) à compter "
        "de sa réception, se prévaloir de la déchéance du terme\u00a0: la totalité du solde "
        "restant dû deviendra alors immédiatement exigible. Lorsque le dernier jour de ce "
        "délai est un samedi, un dimanche ou un jour férié ou chômé, il est prorogé jusqu'au "
        "premier jour ouvrable suivant."
    )


@dataclass(frozen=True)
class NoticeExpiry:
    """The notice given by the mise en demeure before acceleration, counted from its receipt.

    ``last_day`` is None while the avis de réception is not recorded: the expiry is unknown.
    """

    sent: dt.date
    received: dt.date | None
    days: int
    nominal: dt.date | None = None
    last_day: dt.date | None = None
    trace: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.last_day is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "envoi": self.sent,
            "reception": self.received,
            "jours": self.days,
            "date_nominale": self.nominal,
            "dernier_jour": self.last_day,
            "trace": list(self.trace),
        }


UNKNOWN_EXPIRY = "date d'expiration inconnue tant que l'avis de réception n'est pas enregistré"
NOTICE_BASIS = (
    "C. civ. art. 1225 ; clause du plan (délai à compter de la réception) ; report du dernier "
    "jour non ouvrable au premier jour ouvrable suivant (CPC art. 641, 642, appliqués au délai "
    "contractuel)"
)


def notice_expiry(case: Case, plan: Plan, sent: dt.date, received: dt.date | None) -> NoticeExpiry:
    """Last day of the plan's notice: ``plan.notice_days`` from the day after ``received``
    (CPC 641 counting), a Saturday, Sunday or holiday of the debtor's département moving it to
    the next working day (CPC 642 al. 2, the most favourable reading for the debtor)."""
    if received is None:
        return NoticeExpiry(sent, None, plan.notice_days)
    from actes.law.calendar import calendar_for
    from actes.law.deadlines import Duration, compute_deadline
    from actes.law.timeline import court_departement

    try:
        departement = court_departement(case)
    except ActesError:
        departement = None
    result = compute_deadline(
        received,
        Duration(plan.notice_days, "jours"),
        calendar_for(departement),
        basis=("C. civ. art. 1225",),
    )
    return NoticeExpiry(
        sent, received, plan.notice_days, result.date_nominale, result.date_limite, result.trace
    )


@dataclass(frozen=True)
class SignatureBalance:
    """The décompte of the debt on the day the plan was signed (payments made before it)."""

    signed_on: dt.date
    principal: Decimal  # principal still due
    interest: Decimal  # interest (and penalties, indemnities) accrued and unpaid
    total: Decimal
    payments: tuple[tuple[dt.date, Decimal, str], ...]  # made before the signature

    @property
    def paid(self) -> Decimal:
        return sum((amount for _, amount, _ in self.payments), Decimal(0))


def signature_balance(case: Case, plan: Plan) -> SignatureBalance:
    """What the debtor owed when the plan was signed: the décompte (``actes decompte``) on
    ``date_signature`` with the payments dated before it. The plan recognises that amount:
    interest accrued until the signature is capitalised into it (docs/amicable.md)."""
    from actes.law.accounts import decompte_for_case

    signed = plan.signed_on or dt.date.today()
    before = tuple(p for p in case.paiements if p.date < signed)
    decompte = decompte_for_case(replace(case, paiements=before), signed)
    principal = sum((c.outstanding_principal for c in decompte.claims), Decimal(0))
    total = _money(decompte.total_due)
    return SignatureBalance(
        signed_on=signed,
        principal=_money(principal),
        interest=total - _money(principal),
        total=total,
        payments=tuple((p.date, p.montant, p.reference or "") for p in before),
    )


def check_plan_balance(case: Case, plan: Plan) -> SignatureBalance:
    """Refuse a plan whose recognised amount is not the décompte at its signature: the plan,
    its letters and ``actes decompte`` would give two balances for the same debt."""
    balance = signature_balance(case, plan)
    recognised = plan.capital if plan.interest_mode != "aucun" else plan.total
    field_name = "plan.capital" if plan.interest_mode != "aucun" else "plan.montant_total"
    if recognised != balance.total:
        raise IncompleteCase(
            f"Plan {plan.reference} : la somme reconnue ({_fr(recognised)}, {field_name}) "
            f"diffère du décompte au jour de la signature ({_fr(balance.total)} : principal "
            f"restant dû {_fr(balance.principal)}, intérêts échus {_fr(balance.interest)}, "
            f"après {_fr(balance.paid)} de paiements antérieurs).",
            issues=[
                DataIssue(
                    f"$.{field_name}",
                    f"attendu {balance.total} (actes decompte --au {balance.signed_on})",
                    file=str(case.path or ""),
                )
            ],
            hint=f"portez {field_name} et les échéances à {balance.total} (les intérêts échus "
            "avant la signature sont compris dans la somme reconnue), ou enregistrez dans "
            "« paiements » les règlements antérieurs manquants ; voir docs/amicable.md",
        )
    return balance


def load_plan(case: Case, limits: PlanLimits | None = None) -> Plan:
    """The plan recorded in a format-2 case, with its instalments listed or generated."""
    raw = case.data.get("plan")
    if not raw:
        raise InputError(
            f"Le dossier {case.reference} ne contient pas de plan d'apurement.",
            hint="ajoutez le bloc « plan » (format 2) : « actes plan propose --yaml » le "
            "prépare ; voir docs/amicable.md",
        )
    signed = dt.date.fromisoformat(str(raw["date_signature"]))
    limits = limits or plan_limits(signed)
    mode: InterestMode = raw.get("interets", "aucun")
    rate = Decimal(str(raw["taux"])) if mode != "aucun" else Decimal(0)
    total = _money(raw["montant_total"])
    capital = _money(raw.get("capital", raw["montant_total"]))
    if "echeances" in raw:
        rows = sorted(raw["echeances"], key=lambda r: str(r["date"]))
        instalments = tuple(
            Instalment(
                n,
                dt.date.fromisoformat(str(r["date"])),
                _money(r["montant"]),
                _money(r["montant"]),
            )
            for n, r in enumerate(rows, start=1)
        )
        generated = False
    else:
        gen = raw["echeancier"]
        count = int(gen["nombre"])
        first = dt.date.fromisoformat(str(gen["premiere_echeance"]))
        instalments = tuple(
            schedule(capital, first, count=count, day=gen.get("jour"), annual_rate=rate)
        )
        generated = True
    plan = Plan(
        reference=str(raw["reference"]),
        signed_on=signed,
        capital=capital,
        interest_mode=mode,
        annual_rate=rate,
        instalments=instalments,
        notice_days=int(raw.get("preavis_decheance_jours", limits.notice_days)),
        grace_days=int(raw.get("jours_de_grace", limits.grace_days)),
        clause=bool(raw.get("clause_decheance", True)),
        follow_up=tuple(
            FollowUp(
                str(f["type"]),
                dt.date.fromisoformat(str(f["date"])),
                str(f.get("reference", "")),
                dt.date.fromisoformat(str(f["date_reception"]))
                if f.get("date_reception")
                else None,
            )
            for f in raw.get("suivi", [])
        ),
        generated=generated,
        clause_text=str(raw.get("clause_decheance_texte", "")).strip(),
    )
    if plan.total != total:
        raise InputError(
            f"Plan {plan.reference} : les échéances totalisent {_fr(plan.total)} et non "
            f"{_fr(total)} (plan.montant_total).",
            issues=[
                DataIssue(
                    "$.plan.montant_total",
                    "total différent de la somme des échéances",
                    file=str(case.path or ""),
                )
            ],
            hint="corrigez les montants des échéances ou le montant total",
        )
    return replace(plan, warnings=_notice_warning(plan.notice_days, limits))


def _case_rate(case: Case, mode: InterestMode, au: dt.date) -> tuple[Decimal, list[str]]:
    if mode == "aucun":
        return Decimal(0), []
    if mode == "contractuel":
        rates = {c.taux_contractuel for c in case.creances if c.taux_contractuel is not None}
        if len(rates) != 1:
            raise PreconditionFailed(
                "Intérêts contractuels : "
                + (
                    "aucune créance n'a de taux contractuel."
                    if not rates
                    else "les créances ont des taux différents."
                ),
                hint="indiquez « taux_contractuel » sur les créances, ou choisissez "
                "--interets aucun ou legal",
            )
        return rates.pop(), []
    from actes.law.rates import RateTables

    allow = bool(case.parametres.get("taux_non_confirmes", False))
    creditor_is_consumer = (
        case.creancier.type == "personne_physique"
        and case.creancier.qualite
        in (
            "consommateur",
            "non_professionnel",
        )
    )
    value = RateTables.load().legal_rate(au, creditor_is_consumer, allow_unconfirmed=allow)
    warnings = (
        []
        if value.confirmed
        else [f"Taux de l'intérêt légal du {value.half_year} non confirmé ({value.reference})."]
    )
    return value.rate, warnings


def propose_plan(
    case: Case,
    au: dt.date,
    *,
    instalment: Decimal | None = None,
    months: int | None = None,
    first: dt.date | None = None,
    day: int | None = None,
    interest: InterestMode = "aucun",
) -> Plan:
    """An échéancier within the debtor's capacity and the legal maxima.

    The capacity is :attr:`actes.amicable.budget.Budget.available` when the case describes the
    debtor's situation; without a situation the plan is proposed with a warning. Neither
    ``instalment`` nor ``months``: the whole available capacity, rounded down to the euro.
    """
    from actes.amicable.budget import budget_for_case, outstanding

    if instalment is not None and months is not None:
        raise UsageProblem("Indiquez soit --mensualite, soit --duree, pas les deux.")
    limits = plan_limits(au)
    capital = outstanding(case)
    warnings: list[str] = []
    available: Decimal | None = None
    if case.data.get("situation"):
        budget = budget_for_case(case, au, debt=capital)
        available = budget.available
        warnings.extend(budget.warnings)
    else:
        warnings.append(
            "La situation du débiteur n'est pas décrite : la capacité de remboursement n'a "
            "pas été vérifiée (ajoutez « situation », format 2)."
        )
    if instalment is None and months is None:
        if available is None:
            raise PreconditionFailed(
                "Sans situation du débiteur, indiquez --mensualite ou --duree.",
                hint="ou décrivez la situation du débiteur dans le dossier (format 2)",
            )
        instalment = available.quantize(Decimal(1), rounding=ROUND_DOWN)
        if instalment <= 0:
            raise PreconditionFailed(
                f"Le débiteur n'a aucune capacité de remboursement ({_fr(available)} par mois "
                "disponible) : aucun plan ne peut tenir.",
                hint="voir « actes budget » (voie du surendettement)",
            )
    rate, rate_warnings = _case_rate(case, interest, au)
    warnings.extend(rate_warnings)
    start = first or _next_month_same_day(au, day)
    if start <= au:
        warnings.append(
            f"La première échéance ({start:%d/%m/%Y}) n'est pas postérieure à la date de "
            f"la proposition ({au:%d/%m/%Y}) : elle serait due avant ou dès la signature "
            "(choisissez une date à venir avec --premiere-echeance)."
        )
    rows = schedule(capital, start, count=months, instalment=instalment, day=day, annual_rate=rate)
    highest = max(r.montant for r in rows)
    if available is not None and highest > available:
        raise PreconditionFailed(
            f"Mensualité de {_fr(highest)} supérieure à la capacité de remboursement du "
            f"débiteur ({_fr(available)} par mois) : le plan ne tiendrait pas.",
            hint="choisissez une mensualité plus faible ou une durée plus longue (voir "
            "« actes budget » pour le détail de la capacité, C. conso. L731-1, R731-1)",
        )
    if len(rows) > limits.surendettement.months:
        raise PreconditionFailed(
            f"Plan de {len(rows)} mois : plus long que la durée maximale de "
            f"{limits.surendettement.months} mois d'un plan de surendettement "
            f"({limits.surendettement.reference}).",
            hint="la dette ne peut pas être apurée à l'amiable dans un délai admissible : "
            "voir « actes budget » (voie du surendettement, C. conso. L711-1, L721-1)",
        )
    if len(rows) > limits.grace.months:
        warnings.append(
            f"Plan de {len(rows)} mois : plus long que les {limits.grace.months} mois qu'un "
            f"juge peut accorder ({limits.grace.reference}) ; possible seulement par accord."
        )
    warnings.extend(_notice_warning(limits.notice_days, limits))
    return Plan(
        reference=f"{case.reference}-PLAN",
        signed_on=None,
        capital=capital,
        interest_mode=interest,
        annual_rate=rate,
        instalments=tuple(rows),
        notice_days=limits.notice_days,
        grace_days=limits.grace_days,
        clause=True,
        generated=True,
        warnings=tuple(warnings),
    )


def _next_month_same_day(au: dt.date, day: int | None) -> dt.date:
    year, month = (au.year + 1, 1) if au.month == 12 else (au.year, au.month + 1)
    return _month_day(year, month, day or au.day)


# --------------------------------------------------------------------------- follow-up


@dataclass(frozen=True)
class InstalmentStatus:
    instalment: Instalment
    paid: Decimal
    status: Literal["payee", "payee_en_retard", "partielle", "impayee", "a_venir"]
    paid_on: dt.date | None
    days_late: int

    @property
    def remaining(self) -> Decimal:
        return self.instalment.montant - self.paid

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.instalment.as_dict(),
            "paye": self.paid,
            "reste": self.remaining,
            "statut": self.status,
            "solde_le": self.paid_on,
            "jours_de_retard": self.days_late,
        }


@dataclass(frozen=True)
class NextAction:
    code: ActionCode
    libelle: str
    date: dt.date | None = None
    fondement: str = ""
    lettre: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "libelle": self.libelle,
            "date": self.date,
            "fondement": self.fondement,
            "lettre": self.lettre,
        }


@dataclass(frozen=True)
class PlanStatus:
    reference: str
    plan: Plan
    au: dt.date
    rows: tuple[InstalmentStatus, ...]
    paid: Decimal
    arrears: Decimal
    balance: Decimal
    surplus: Decimal
    first_missed: InstalmentStatus | None
    reminder: dt.date | None
    formal_notice: dt.date | None
    acceleration: dt.date | None
    action: NextAction
    warnings: tuple[str, ...] = field(default=())
    notice: NoticeExpiry | None = None  # the running (or expired) pre-acceleration notice

    @property
    def missed(self) -> tuple[InstalmentStatus, ...]:
        return tuple(r for r in self.rows if r.status in ("partielle", "impayee"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "plan": self.plan.reference,
            "au": self.au,
            "total": self.plan.total,
            "paye": self.paid,
            "arriere": self.arrears,
            "solde": self.balance,
            "trop_percu": self.surplus,
            "premiere_echeance_impayee": self.first_missed.instalment.date
            if self.first_missed
            else None,
            "relance": self.reminder,
            "mise_en_demeure": self.formal_notice,
            "decheance_notifiee": self.acceleration,
            "preavis": self.notice.as_dict() if self.notice else None,
            "prochaine_action": self.action.as_dict(),
            "echeances": [r.as_dict() for r in self.rows],
            "avertissements": list(self.warnings),
        }


def _impute(
    plan: Plan, payments: Sequence[tuple[dt.date, Decimal]], au: dt.date
) -> tuple[list[InstalmentStatus], Decimal]:
    remaining = [i.montant for i in plan.instalments]
    paid_on: list[dt.date | None] = [None] * len(remaining)
    surplus = Decimal(0)
    index = 0
    for when, amount in sorted(payments):
        while amount > 0 and index < len(remaining):
            part = min(amount, remaining[index])
            remaining[index] -= part
            amount -= part
            if remaining[index] == 0:
                paid_on[index] = when
                index += 1
        surplus += amount
    rows = []
    for n, inst in enumerate(plan.instalments):
        paid = inst.montant - remaining[n]
        late_days = max(0, (au - inst.date).days)
        if remaining[n] == 0:
            done = paid_on[n]
            assert done is not None
            status: Any = "payee_en_retard" if done > inst.date else "payee"
            late_days = max(0, (done - inst.date).days)
        elif inst.date < au:
            status = "partielle" if paid > 0 else "impayee"
        else:
            status = "a_venir"
            late_days = 0
        rows.append(InstalmentStatus(inst, paid, status, paid_on[n], late_days))
    return rows, surplus


def plan_status(case: Case, au: dt.date, plan: Plan | None = None) -> PlanStatus:
    """Where the plan stands on ``au`` and what to do next (see the module docstring)."""
    plan = plan or load_plan(case)
    limits = plan_limits(au)
    signed = plan.signed_on or dt.date.min
    payments = [(p.date, p.montant) for p in case.paiements if signed <= p.date <= au]
    rows, surplus = _impute(plan, payments, au)
    paid = sum((r.paid for r in rows), Decimal(0))
    arrears = sum((r.remaining for r in rows if r.status in ("partielle", "impayee")), Decimal(0))
    balance = plan.total - paid
    first_missed = next((r for r in rows if r.status in ("partielle", "impayee")), None)

    def sent(kinds: Iterable[str], since: dt.date) -> dt.date | None:
        dates = [f.date for f in plan.follow_up if f.type in kinds and since <= f.date <= au]
        event_kinds = {
            "relance_echeance_plan": "relance_envoyee",
            "mise_en_demeure_decheance": "mise_en_demeure_envoyee",
        }
        dates += [
            e.date
            for e in case.evenements
            if e.type in {event_kinds.get(k, "") for k in kinds}
            and max(since, signed) <= e.date <= au
        ]
        return max(dates) if dates else None

    acceleration = sent(["notification_decheance"], signed)
    since = first_missed.instalment.date if first_missed else au + dt.timedelta(days=1)
    reminder = sent(["relance_echeance_plan"], since)
    notice = sent(["mise_en_demeure_decheance"], since)
    expiry = (
        notice_expiry(case, plan, notice, _receipt(case, plan, notice, au))
        if notice is not None
        else None
    )
    action = _next_action(
        plan, limits, au, rows, balance, arrears, first_missed, reminder, expiry, acceleration
    )
    return PlanStatus(
        reference=case.reference,
        plan=plan,
        au=au,
        rows=tuple(rows),
        paid=paid,
        arrears=arrears,
        balance=balance,
        surplus=surplus,
        first_missed=first_missed,
        reminder=reminder,
        formal_notice=notice,
        acceleration=acceleration,
        action=action,
        warnings=plan.warnings,
        notice=expiry,
    )


def _receipt(case: Case, plan: Plan, sent: dt.date, au: dt.date) -> dt.date | None:
    """When the mise en demeure sent on ``sent`` was received: ``date_reception`` of its
    ``plan.suivi`` row, else a case event ``mise_en_demeure_recue`` on or after ``sent``."""
    rows = [
        f.received
        for f in plan.follow_up
        if f.type == "mise_en_demeure_decheance" and f.date == sent and f.received is not None
    ]
    events = [e.date for e in case.evenements if e.type == "mise_en_demeure_recue"]
    found = [d for d in rows or events if sent <= d <= au]
    return min(found) if found else None


def _next_action(
    plan: Plan,
    limits: PlanLimits,
    au: dt.date,
    rows: Sequence[InstalmentStatus],
    balance: Decimal,
    arrears: Decimal,
    first_missed: InstalmentStatus | None,
    reminder: dt.date | None,
    notice: NoticeExpiry | None,
    acceleration: dt.date | None,
) -> NextAction:
    judicial = "voir « actes next » pour la procédure judiciaire adaptée"
    if balance <= 0:
        return NextAction("plan_solde", "Plan soldé : toutes les échéances sont payées.")
    if acceleration is not None:
        return NextAction(
            "voie_judiciaire",
            f"Déchéance du terme notifiée le {acceleration:%d/%m/%Y} : le solde de "
            f"{_fr(balance)} est exigible ; {judicial}.",
            acceleration,
            "C. civ. art. 1225",
        )
    if first_missed is None:
        upcoming = next((r for r in rows if r.status == "a_venir" and r.remaining > 0), None)
        if upcoming is None:
            return NextAction("aucune", "Aucune échéance en retard.")
        return NextAction(
            "aucune",
            f"Aucune échéance en retard ; prochaine échéance le "
            f"{upcoming.instalment.date:%d/%m/%Y} ({_fr(upcoming.remaining)}).",
            upcoming.instalment.date,
        )
    due = first_missed.instalment.date
    if notice is not None and plan.clause:
        if notice.last_day is None:
            return NextAction(
                "attendre",
                f"Mise en demeure du {notice.sent:%d/%m/%Y} : préavis de "
                f"{plan.notice_days} jours à compter de sa réception, {UNKNOWN_EXPIRY} "
                "(« date_reception » de la ligne « mise_en_demeure_decheance » de plan.suivi) ; "
                f"arriéré {_fr(arrears)}.",
                None,
                NOTICE_BASIS,
            )
        end = notice.last_day
        received = notice.received.strftime("%d/%m/%Y") if notice.received else ""
        if au <= end:
            return NextAction(
                "attendre",
                f"Mise en demeure du {notice.sent:%d/%m/%Y} reçue le {received} : préavis "
                f"de {plan.notice_days} jours jusqu'au {end:%d/%m/%Y} inclus ; arriéré "
                f"{_fr(arrears)}.",
                end + dt.timedelta(days=1),
                NOTICE_BASIS + " ; Cass. 1re civ., 22 juin 2017, n° 16-18.418",
            )
        return NextAction(
            "notification_decheance",
            f"Préavis expiré le {end:%d/%m/%Y} (mise en demeure reçue le {received}) sans "
            f"régularisation (arriéré {_fr(arrears)}) : notifier la déchéance du terme, solde "
            f"exigible {_fr(balance)}.",
            end + dt.timedelta(days=1),
            "C. civ. art. 1225 ; Cass. 1re civ., 10 nov. 2021, n° 19-24.386",
            "notification_decheance",
        )
    if reminder is not None:
        ready = reminder + dt.timedelta(days=limits.after_reminder_days)
        if au < ready:
            return NextAction(
                "attendre",
                f"Relance du {reminder:%d/%m/%Y} : délai de régularisation jusqu'au "
                f"{ready:%d/%m/%Y} ; arriéré {_fr(arrears)}.",
                ready,
            )
        if not plan.clause:
            return NextAction(
                "voie_judiciaire",
                "Le plan ne stipule pas de clause de déchéance du terme : seules les échéances "
                f"échues ({_fr(arrears)}) sont exigibles ; {judicial}.",
                ready,
                "C. civ. art. 1224, 1225, 1227",
            )
        return NextAction(
            "mise_en_demeure_decheance",
            f"Relance du {reminder:%d/%m/%Y} restée sans effet (arriéré {_fr(arrears)}) : "
            f"mise en demeure visant la clause de déchéance du terme, préavis de "
            f"{plan.notice_days} jours.",
            ready,
            "C. civ. art. 1225 ; Cass. 1re civ., 22 juin 2017, n° 16-18.418",
            "mise_en_demeure_decheance",
        )
    ready = due + dt.timedelta(days=plan.grace_days + 1)
    if au < ready:
        return NextAction(
            "attendre",
            f"Échéance du {due:%d/%m/%Y} impayée ({_fr(first_missed.remaining)}) : "
            f"tolérance de {plan.grace_days} jours, relance à partir du {ready:%d/%m/%Y}.",
            ready,
        )
    return NextAction(
        "relance_echeance_plan",
        f"Échéance du {due:%d/%m/%Y} impayée depuis {first_missed.days_late} jours "
        f"(arriéré {_fr(arrears)}) : relancer le débiteur.",
        ready,
        "C. civ. art. 1103 ; C. civ. art. 1305-3",
        "relance_echeance_plan",
    )


# --------------------------------------------------------------------------- worklist


@dataclass(frozen=True)
class WorklistRow:
    file: str
    reference: str = ""
    plan: str = ""
    debtor: str = ""
    arrears: Decimal = Decimal(0)
    balance: Decimal = Decimal(0)
    first_missed: dt.date | None = None
    action: NextAction | None = None
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "fichier": self.file,
            "reference": self.reference,
            "plan": self.plan,
            "debiteur": self.debtor,
            "arriere": self.arrears,
            "solde": self.balance,
            "premiere_echeance_impayee": self.first_missed,
            "prochaine_action": self.action.as_dict() if self.action else None,
            "erreur": self.error,
        }


def case_files(folder: Path) -> list[Path]:
    """Every ``*/dossier.yaml`` and ``*.yaml`` directly in ``folder``, sorted."""
    found = {*folder.glob("*/dossier.yaml"), *folder.glob("*.yaml")}
    return sorted(found)


def worklist(folder: Path, au: dt.date) -> tuple[list[WorklistRow], list[WorklistRow]]:
    """Plans with an instalment missed on ``au`` (most arrears first), and the files that
    could not be read or validated. Files without a plan are skipped."""
    missed: list[WorklistRow] = []
    errors: list[WorklistRow] = []
    for path in case_files(folder):
        try:
            case = load_case(path, au=au)
            if not case.data.get("plan"):
                continue
            status = plan_status(case, au)
        except ActesError as error:
            errors.append(WorklistRow(str(path), error=error.format()))
            continue
        if status.first_missed is None:
            continue
        missed.append(
            WorklistRow(
                file=str(path),
                reference=case.reference,
                plan=status.plan.reference,
                debtor=case.debiteur.name,
                arrears=status.arrears,
                balance=status.balance,
                first_missed=status.first_missed.instalment.date,
                action=status.action,
            )
        )
    missed.sort(key=lambda r: (-r.arrears, r.reference))
    return missed, errors


def worklist_csv(rows: Sequence[WorklistRow], errors: Sequence[WorklistRow]) -> str:
    buffer = io.StringIO()
    writer = SafeWriter(buffer, delimiter=";", lineterminator="\n")  # no formula in a cell
    writer.writerow(
        [
            "fichier",
            "reference",
            "plan",
            "debiteur",
            "arriere",
            "solde",
            "premiere_echeance_impayee",
            "action",
            "date_action",
            "detail",
        ]
    )
    for row in rows:
        assert row.action is not None
        writer.writerow(
            [
                row.file,
                row.reference,
                row.plan,
                row.debtor,
                str(row.arrears),
                str(row.balance),
                row.first_missed.isoformat() if row.first_missed else "",
                row.action.code,
                row.action.date.isoformat() if row.action.date else "",
                row.action.libelle,
            ]
        )
    for row in errors:
        writer.writerow([row.file, "", "", "", "", "", "", "erreur", "", row.error])
    return buffer.getvalue()


# --------------------------------------------------------------------------- documents


def _days_words(days: int) -> str:
    from num2words import num2words

    return str(num2words(days, lang="fr"))


def plan_context(case: Case, au: dt.date, plan: Plan | None = None) -> dict[str, Any]:
    """Render context of the plan (amounts and dates formatted in French).

    Keys: ``reference``, ``date_signature``, ``echeances`` (``numero``, ``date``,
    ``date_courte``, ``montant``, ``capital``, ``interets``, ``restant_du``),
    ``nombre_echeances``, ``premiere_echeance``, ``derniere_echeance``, ``mensualite``,
    ``derniere_mensualite``, ``jour_du_mois``, ``capital``, ``capital_lettres``, ``total``,
    ``total_lettres``, ``total_interets``, ``interets_mode``, ``interets``, ``taux``,
    ``preavis_jours``, ``preavis_lettres``, ``jours_de_grace``, ``clause_decheance``,
    ``clause_decheance_texte`` (the plan's clause verbatim: ``plan.clause_decheance_texte``,
    else the text of actes' plan document), ``imputation``, ``fondements``,
    ``avertissements``.
    """
    from actes.documents.formatting import (
        amount_in_words,
        format_amount,
        format_date_long,
        format_date_short,
        format_rate,
    )

    plan = plan or load_plan(case)
    rows = plan.instalments
    notice_words = _days_words(plan.notice_days)
    return {
        "reference": plan.reference,
        "date_signature": format_date_long(plan.signed_on) if plan.signed_on else "",
        "echeances": [
            {
                "numero": r.numero,
                "date": format_date_long(r.date),
                "date_courte": format_date_short(r.date),
                "montant": format_amount(r.montant),
                "capital": format_amount(r.capital),
                "interets": format_amount(r.interets),
                "restant_du": format_amount(r.restant_du),
            }
            for r in rows
        ],
        "nombre_echeances": len(rows),
        "premiere_echeance": format_date_long(rows[0].date),
        "derniere_echeance": format_date_long(rows[-1].date),
        "mensualite": format_amount(rows[0].montant),
        "derniere_mensualite": format_amount(rows[-1].montant),
        "jour_du_mois": rows[1].date.day if len(rows) > 1 else rows[0].date.day,
        "capital": format_amount(plan.capital),
        "capital_lettres": amount_in_words(plan.capital),
        "total": format_amount(plan.total),
        "total_lettres": amount_in_words(plan.total),
        "total_interets": format_amount(plan.total_interest),
        "interets_mode": plan.interest_mode,
        "interets": plan.interest_text(),
        "taux": format_rate(plan.annual_rate) if plan.interest_mode != "aucun" else "",
        "preavis_jours": plan.notice_days,
        "preavis_lettres": notice_words,
        "jours_de_grace": plan.grace_days,
        "clause_decheance": plan.clause,
        "clause_decheance_texte": plan.clause_wording,
        "imputation": "Chaque versement s'impute sur l'échéance impayée la plus ancienne "
        + (
            "(intérêts de l'échéance, puis capital ; code civil, art. 1343-1)."
            if plan.interest_mode != "aucun"
            else "."
        ),
        "fondements": ["C. civ. art. 1103, 1225, 1343-1, 1343-5, 2240"],
        "avertissements": list(plan.warnings),
    }


def _status_context(status: PlanStatus, au: dt.date) -> dict[str, Any]:
    from actes.documents.formatting import amount_in_words, format_amount, format_date_long

    notice = status.notice
    limit = au + dt.timedelta(days=plan_limits(au).after_reminder_days)
    # Instalments that fall due after the letter and on or before the date it sets for the
    # arrears: the letter names them, or the debtor who pays only the arrears is late again.
    coming = [r for r in status.rows if r.status == "a_venir" and au < r.instalment.date <= limit]
    coming_total = sum((r.remaining for r in coming), Decimal(0))
    return {
        "echeances_a_venir_avant_limite": [
            {
                "numero": r.instalment.numero,
                "date": format_date_long(r.instalment.date),
                "montant": format_amount(r.remaining),
            }
            for r in coming
        ],
        "total_avant_limite": format_amount(status.arrears + coming_total),
        "echeances_impayees": [
            {
                "numero": r.instalment.numero,
                "date": format_date_long(r.instalment.date),
                "montant": format_amount(r.instalment.montant),
                "paye": format_amount(r.paid),
                "reste": format_amount(r.remaining),
                "jours_de_retard": r.days_late,
            }
            for r in status.missed
        ],
        "arriere": format_amount(status.arrears),
        "arriere_lettres": amount_in_words(status.arrears),
        "solde": format_amount(status.balance),
        "solde_lettres": amount_in_words(status.balance),
        "paye": format_amount(status.paid),
        "premiere_impayee": format_date_long(status.first_missed.instalment.date)
        if status.first_missed
        else "",
        "relance_date": format_date_long(status.reminder) if status.reminder else "",
        "mise_en_demeure_date": format_date_long(status.formal_notice)
        if status.formal_notice
        else "",
        "mise_en_demeure_reception": format_date_long(notice.received)
        if notice and notice.received
        else "",
        "fin_preavis": format_date_long(notice.last_day)
        if notice and notice.last_day
        else (UNKNOWN_EXPIRY if notice else ""),
        "fin_preavis_connue": bool(notice and notice.last_day),
        "date_limite_relance": format_date_long(limit),
    }


def render_plan_letter(
    case: Case, au: dt.date, outdir: Path, *, letter: str | None = None
) -> tuple[Path, PlanStatus]:
    """Render the letter the plan's status calls for (or ``letter``) into ``outdir``.

    Uses the procedure ``plan_apurement`` and :func:`actes.documents.render.build_context` for the
    parties, then adds ``plan`` (:func:`plan_context`) and ``suivi`` (arrears, balance,
    deadlines); the file is written atomically and recorded in the case's journal.
    """
    from actes.documents.authorship import for_template
    from actes.documents.render import build_context, render_template
    from actes.law.procedures import load_registry

    status = plan_status(case, au)
    check_plan_balance(case, status.plan)
    chosen = letter or status.action.lettre
    if chosen is None:
        raise PreconditionFailed(
            f"Aucun courrier à envoyer pour le plan {status.plan.reference} le "
            f"{au:%d/%m/%Y} : {status.action.libelle}",
        )
    if chosen not in LETTERS:
        raise UsageProblem(f"Courrier inconnu : {chosen}", hint=", ".join(LETTERS))
    version = load_registry().get(PLAN_PROCEDURE).for_case(case, au)
    listed = dict(case.data)
    listed["plan"] = {
        **dict(case.data["plan"]),
        "echeances": [
            {"date": i.date.isoformat(), "montant": str(i.montant)}
            for i in status.plan.instalments
        ],
    }
    listed["plan"].pop("echeancier", None)
    base = build_context(
        version,
        replace(case, data=listed),
        au,
        decompte={"total_du": str(status.balance)},
        deadlines=[],
    )
    context = {
        **for_template(base, f"{chosen}.docx", case),
        "plan": plan_context(case, au, status.plan),
        "suivi": _status_context(status, au),
        "document": {"titre": _TITLES[chosen]},
    }
    data = render_template(data_file("templates", f"courriers/{chosen}.docx"), context)
    safe = "".join(c if c.isalnum() or c in "._-" else "-" for c in case.reference)
    target = outdir / f"{safe}-{chosen.replace('_', '-')}-{au.isoformat()}.docx"
    atomic_write(target, data)
    if case.path is not None:
        from actes.cases.journal import record_documents

        record_documents(
            case.path, version, case.reference, au, [target], {target.name: chosen}, pdf=False
        )
    return target, status


_TITLES = {
    "relance_echeance_plan": "Rappel d'échéance impayée",
    "mise_en_demeure_decheance": "Mise en demeure avant déchéance du terme",
    "notification_decheance": "Notification de la déchéance du terme",
}
LETTER_TITLES: Mapping[str, str] = _TITLES
# The procedure whose definition holds the plan (its document and its follow-up letters).
PLAN_PROCEDURE = "plan_apurement"


def letter_command(case: Case, au: dt.date) -> str:
    """The command that renders the plan letter due at ``au``."""
    import shlex

    path = shlex.quote(str(case.path)) if case.path else "dossier.yaml"
    return f"actes plan lettre {path} -o out/ --date {au.isoformat()}"
