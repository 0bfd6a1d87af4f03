"""The collector's portfolio report: aged balance, encours over time, DSO, recoveries, stages.

Two steps, so the same figures come from a folder of cases, its index or a CSV portfolio:

1. :func:`case_facts` reduces one case to the plain facts a report needs, **at a date**:
   what each claim still carries on that day (its share of the case's décompte: principal
   left, interest, indemnity), the payments, the amount due at each of the last month ends,
   the stage, the next step and the deadlines of the coming 30 days. The amount due at a
   past month end is the décompte of the case **as it stood that day** — the claims issued,
   the payments and events dated up to it — computed again from the case's own dates, never a
   stored figure. The facts are JSON (the index keeps them with each row).
2. :func:`build_report` adds the facts of many cases up. Every amount of the report is a sum of
   the cases' own décomptes (``actes decompte``): the aged balance distributes each claim's
   ``total_due`` to the bucket of its due date, so its total is the portfolio's total due.

Conventions (docs/reporting.md):

- a claim is **non échue** up to and including its due date, then 1 day late on the day after
  (C. com. L441-10: penalties run from the day after the due date);
- the **encours** at a date is the amount due that day (principal left, interest, indemnities);
- **DSO** (days sales outstanding, méthode simple): principal left on the date ÷ amount
  invoiced over the last *N* days × *N* (*N* = 90 by default), over the claims the cases hold;
- **taux de recouvrement**: amounts received ÷ (amounts received + amount due); per month,
  amounts received in the month ÷ encours at the end of the month before;
- amounts in another currency than the euro are never added to euros: such a case is listed
  apart with its reason.
"""

from __future__ import annotations

import calendar
import concurrent.futures
import datetime as dt
import os
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actes.errors import ActesError, DataIssue, InputError

if TYPE_CHECKING:
    from actes.cases.case import Case
    from actes.law.money import Decompte
    from actes.portfolio.index import IndexRow
    from actes.portfolio.score import ScoreInputs

__all__ = [
    "BUCKETS",
    "FACTS_VERSION",
    "TASK_LABELS",
    "Breakdown",
    "CaseFacts",
    "Excluded",
    "Report",
    "as_known_at",
    "bucket_of",
    "build_report",
    "case_facts",
    "case_tasks",
    "compute_facts",
    "facts_from_index",
    "facts_from_rows",
    "facts_of_data",
    "gather_facts",
    "month_ends",
    "month_label",
    "portfolio_items",
    "row_facts",
    "score_inputs_json",
    "score_inputs_of",
]

FACTS_VERSION = 1
"""Version of the facts' JSON; the index recomputes rows holding another version."""

HISTORY_MONTHS = 12
"""Month ends kept with each case's facts (the encours chart covers them)."""

NOT_YET = "rapport.aucune_creance_emise"
"""Rule of the problem « no claim had been issued at the report's date »."""

DEADLINE_WINDOW = 30
"""Days ahead whose deadlines the facts keep (the report shows 7 and 30)."""

BUCKETS: tuple[tuple[str, str], ...] = (
    ("non_echu", "non échu"),
    ("1_30", "1 à 30 jours"),
    ("31_60", "31 à 60 jours"),
    ("61_90", "61 à 90 jours"),
    ("91_180", "91 à 180 jours"),
    ("plus_180", "plus de 180 jours"),
)
"""Aged-balance buckets (days past the due date) and their French label."""

_KEYS = tuple(key for key, _ in BUCKETS)
_ZERO = Decimal("0.00")


def bucket_of(due: dt.date, au: dt.date) -> str:
    """The aged-balance bucket of a claim falling due on ``due``, seen on ``au``."""
    late = (au - due).days
    if late <= 0:
        return "non_echu"
    for limit, key in ((30, "1_30"), (60, "31_60"), (90, "61_90"), (180, "91_180")):
        if late <= limit:
            return key
    return "plus_180"


def month_ends(au: dt.date, months: int = HISTORY_MONTHS) -> list[dt.date]:
    """The last day of each of the ``months`` months before the month of ``au``, oldest first."""
    ends: list[dt.date] = []
    year, month = au.year, au.month
    for _ in range(months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        ends.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
    return ends[::-1]


def month_label(day: dt.date) -> str:
    """« novembre 2026 »."""
    from babel.dates import format_date

    return format_date(day, "MMMM y", locale="fr_FR")


@lru_cache(maxsize=4096)  # a few names (creditors, collectors) for thousands of cases
def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).lower().split())


def _dated(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def as_known_at(data: Mapping[str, Any], day: dt.date) -> dict[str, Any] | None:
    """The case data as it stood on ``day``: the claims issued, the payments and the events
    dated up to it (the rest, title and plan included, had not happened yet). ``None`` when
    no claim had been issued by then."""
    from actes.cases.case import claim_due_date

    claims = [
        c for c in data.get("creances", []) if (_dated(c.get("date_emission")) or day) <= day
    ]
    if not claims:
        return None
    known = dict(data)
    known["creances"] = claims
    known["paiements"] = [
        p for p in data.get("paiements", []) if (_dated(p.get("date")) or day) <= day
    ]
    known["evenements"] = [
        e for e in data.get("evenements", []) if (_dated(e.get("date")) or day) <= day
    ]
    plan = data.get("plan")
    if isinstance(plan, Mapping) and (_dated(plan.get("date_signature")) or day) > day:
        known.pop("plan")
    titre = data.get("titre")
    if isinstance(titre, Mapping) and (_dated(titre.get("date")) or day) > day:
        known.pop("titre")
    # A claim's due date is read (terms included) before a month is dropped: a bad term was
    # reported by the validation of the whole case already.
    for claim in claims:
        claim_due_date(claim)
    return known


# ---------------------------------------------------------------------------------------------
# One case.


@dataclass(frozen=True)
class CaseFacts:
    """What a report needs to know of one case at ``au`` (JSON through :meth:`as_json`)."""

    au: dt.date
    reference: str
    file: str
    creditor: str
    debtor: str
    debtor_key: str
    collector: str
    currency: str
    stage: str
    stage_label: str
    step: str
    claims: tuple[Mapping[str, Any], ...]
    payments: tuple[tuple[dt.date, Decimal], ...]
    history: tuple[tuple[dt.date, Decimal], ...]
    deadlines: tuple[tuple[dt.date, str], ...]
    total_due: Decimal
    principal_left: Decimal
    received: Decimal
    tasks: tuple[Mapping[str, str], ...] = ()
    """What the collector has to do on the case at ``au`` (:func:`case_tasks`)."""
    schedule: tuple[tuple[dt.date, Decimal], ...] = ()
    """While a payment plan runs: its unpaid instalments (date, amount left), which replace the
    claims' due dates in the aged balance (the plan gave the debtor new terms)."""
    score_inputs: Mapping[str, Any] = field(default_factory=dict)
    """:class:`actes.portfolio.score.ScoreInputs` as JSON (:func:`score_inputs_json`)."""

    def as_json(self) -> dict[str, Any]:
        return {
            "version": FACTS_VERSION,
            "au": self.au.isoformat(),
            "reference": self.reference,
            "fichier": self.file,
            "creancier": self.creditor,
            "debiteur": self.debtor,
            "debiteur_cle": self.debtor_key,
            "gestionnaire": self.collector,
            "devise": self.currency,
            "etape": self.stage,
            "etape_libelle": self.stage_label,
            "prochaine_etape": self.step,
            "creances": [dict(c) for c in self.claims],
            "paiements": [[d.isoformat(), str(a)] for d, a in self.payments],
            "historique": [[d.isoformat(), str(a)] for d, a in self.history],
            "delais": [[d.isoformat(), label] for d, label in self.deadlines],
            "total_du": str(self.total_due),
            "principal_restant": str(self.principal_left),
            "encaisse": str(self.received),
            "taches": [dict(t) for t in self.tasks],
            "echeancier": [[d.isoformat(), str(a)] for d, a in self.schedule],
            "score_entrees": dict(self.score_inputs),
        }

    # Derived once per facts object (a dashboard keeps the parsed facts between requests):
    # adding 10,000 cases up then reads no date nor amount text again.

    @cached_property
    def aged(self) -> tuple[tuple[str, Decimal], ...]:
        """The principal left in each aged-balance bucket at :attr:`au` (non-zero ones): by
        the claims' due dates, or by the instalments of a running plan."""
        amounts: dict[str, Decimal] = {}
        if self.schedule:
            dated = list(self.schedule)
        else:
            dated = [
                (dt.date.fromisoformat(c["echeance"]), Decimal(c["principal_restant"]))
                for c in self.claims
            ]
        for day, left in dated:
            if left:
                key = bucket_of(day, self.au)
                amounts[key] = amounts.get(key, _ZERO) + left
        return tuple(amounts.items())

    @cached_property
    def accessories(self) -> Decimal:
        """What is due beyond :attr:`aged`: interest, penalties, indemnities."""
        return self.total_due - sum((amount for _, amount in self.aged), start=_ZERO)

    @cached_property
    def claim_figures(self) -> tuple[tuple[dt.date, dt.date, Decimal, Decimal], ...]:
        """Each claim's issue date, due date, amount and principal left, read."""
        day = dt.date.fromisoformat
        return tuple(
            (
                day(c["emission"]),
                day(c["echeance"]),
                Decimal(c["montant"]),
                Decimal(c["principal_restant"]),
            )
            for c in self.claims
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CaseFacts:
        day = dt.date.fromisoformat
        return cls(
            au=day(data["au"]),
            reference=data["reference"],
            file=data["fichier"],
            creditor=data["creancier"],
            debtor=data["debiteur"],
            debtor_key=data["debiteur_cle"],
            collector=data["gestionnaire"],
            currency=data["devise"],
            stage=data["etape"],
            stage_label=data["etape_libelle"],
            step=data["prochaine_etape"],
            claims=tuple(data["creances"]),
            payments=tuple((day(d), Decimal(a)) for d, a in data["paiements"]),
            history=tuple((day(d), Decimal(a)) for d, a in data["historique"]),
            deadlines=tuple((day(d), label) for d, label in data["delais"]),
            total_due=Decimal(data["total_du"]),
            principal_left=Decimal(data["principal_restant"]),
            received=Decimal(data["encaisse"]),
            tasks=tuple(data["taches"]),
            schedule=tuple((day(d), Decimal(a)) for d, a in data["echeancier"]),
            score_inputs=data["score_entrees"],
        )


def score_inputs_json(inputs: ScoreInputs) -> dict[str, Any]:
    """Score inputs as JSON values (the amount as a string)."""
    return {
        "days_late_weighted": inputs.days_late_weighted,
        "max_days_late": inputs.max_days_late,
        "late_paid_claims": inputs.late_paid_claims,
        "broken_promises": inputs.broken_promises,
        "missed_instalments": inputs.missed_instalments,
        "amount_due": str(inputs.amount_due),
        "oldest_age_days": inputs.oldest_age_days,
        "stage": inputs.stage,
    }


def score_inputs_of(data: Mapping[str, Any]) -> ScoreInputs:
    """The inverse of :func:`score_inputs_json`."""
    from actes.portfolio.score import ScoreInputs

    return ScoreInputs(**{**data, "amount_due": Decimal(data["amount_due"])})


TASK_LABELS = {
    "promesse_rompue": "promesse rompue",
    "echeance_plan": "échéance de plan impayée",
    "relance_preventive": "relance préventive à envoyer",
    "delai": "délai dans les 7 jours",
}
"""Kinds of tasks of the worklist (``actes travail``) and their French label."""


def case_tasks(
    case: Case,
    au: dt.date,
    *,
    step: str,
    deadlines: Sequence[tuple[dt.date, str]],
    file: str,
) -> list[dict[str, str]]:
    """The collector's tasks on ``case`` at ``au``: the latest promise when it is broken (from
    the day after its date; an older one a newer promise superseded is history), the
    preventive reminders to send, the first unpaid instalment of a plan, the deadlines of the
    coming 7 days — each with the action proposed."""
    from actes.amicable.preventive import preventive_reminders
    from actes.amicable.promises import open_broken_promise

    tasks: list[dict[str, str]] = []
    then = f" ; prochaine étape proposée : {step}" if step else ""
    promise = open_broken_promise(case, au)
    if promise is not None and promise.broken_since is not None:
        received = " ".join(part for part in ("promesse reçue", promise.channel_phrase) if part)
        tasks.append(
            {
                "type": "promesse_rompue",
                "date": promise.broken_since.isoformat(),
                "libelle": promise.label,
                "action": f"Relancer le débiteur ({received}) et constater la promesse non "
                f"tenue{then}.",
                "commande": f"actes next {file}",
            }
        )
    for reminder in preventive_reminders(case, au):
        if reminder.status == "a_envoyer":
            tasks.append(
                {
                    "type": "relance_preventive",
                    "date": reminder.send_on.isoformat(),
                    "libelle": reminder.label,
                    "action": "Préparer la relance préventive (courrier ou courriel), l'envoyer, "
                    "puis enregistrer l'envoi le jour même (« --enregistrer » au rendu, ou le "
                    "bouton « Enregistrer l'envoi » de la page du dossier).",
                    "commande": f"actes render relance_preventive {file} -o sorties "
                    f"--date {au.isoformat()}",
                }
            )
    if case.data.get("plan"):
        from actes.amicable.plan import plan_status
        from actes.documents.formatting import format_amount

        status = plan_status(case, au)
        if status.first_missed is not None:
            tasks.append(
                {
                    "type": "echeance_plan",
                    "date": status.first_missed.instalment.date.isoformat(),
                    "libelle": f"Plan {status.plan.reference}, arriéré "
                    f"{format_amount(status.arrears)}",
                    "action": status.action.libelle,
                    # The letter the plan's next action calls for, else its follow-up.
                    "commande": (
                        f"actes plan lettre {file} -o sorties --date {au.isoformat()}"
                        if status.action.lettre
                        else f"actes plan status {file}"
                    ),
                }
            )
    horizon = au + dt.timedelta(days=7)
    for day, label in deadlines:
        if au <= day <= horizon:
            tasks.append(
                {
                    "type": "delai",
                    "date": day.isoformat(),
                    "libelle": label,
                    "action": f"Délai au {day:%d/%m/%Y}.",
                    "commande": f"actes deadlines {file}",
                }
            )
    return tasks


def _claims_at(case: Case, decompte: Decompte) -> list[dict[str, Any]]:
    by_reference: dict[str, list[Any]] = defaultdict(list)
    for account in decompte.claims:
        by_reference[account.reference].append(account)
    claims = []
    for claim in case.creances:
        account = by_reference[claim.reference].pop(0)
        claims.append(
            {
                "reference": claim.reference,
                "emission": claim.date_emission.isoformat(),
                "echeance": claim.date_echeance.isoformat(),
                "montant": str(claim.montant),
                "du": str(account.total_due),
                "principal_restant": str(account.outstanding_principal),
            }
        )
    return claims


def case_facts(
    case: Case,
    au: dt.date,
    *,
    decompte: Decompte | None = None,
    step: str | None = None,
    deadlines: Sequence[tuple[dt.date, str]] | None = None,
    file: str = "",
) -> CaseFacts:
    """The facts of ``case`` at ``au``. The case must hold nothing dated after ``au`` (see
    :func:`as_known_at`); ``decompte``, ``step`` and ``deadlines`` may be given when the
    caller computed them already (the index does)."""
    from actes.law import accounts
    from actes.portfolio.stage import STAGE_LABELS, case_stage

    decompte = decompte or accounts.decompte_for_case(case, au)
    if step is None:
        from actes.law import assistant

        recommended = assistant.next_steps(case, au).recommended
        step = recommended.title if recommended is not None else ""
    if deadlines is None:
        from actes.law.timeline import case_deadlines

        deadlines = [
            (d.date_limite, d.label)
            for d in case_deadlines(case, au)
            if d.status in ("a_venir", "aujourd_hui")
        ]
    horizon = au + dt.timedelta(days=DEADLINE_WINDOW)
    history: list[tuple[dt.date, Decimal]] = []
    for end in month_ends(au):
        known = as_known_at(case.data, end)
        if known is None:
            history.append((end, _ZERO))
            continue
        from actes.cases.case import case_from_data

        then = case_from_data(known, path=case.path)
        history.append((end, accounts.decompte_for_case(then, end).total_due))
    stage = case_stage(case, au, decompte.total_due)
    from actes.amicable.promises import broken_promises
    from actes.portfolio.score import debtor_key, inputs_for_case

    schedule: list[tuple[dt.date, Decimal]] = []
    if stage == "plan":
        from actes.amicable.plan import plan_status

        # What the plan still expects; the assistant's step would be the plan procedure
        # itself, already signed: the case's next step is its follow-up.
        rows = plan_status(case, au).rows
        schedule = [(r.instalment.date, r.remaining) for r in rows if r.remaining > 0]
        if sum((a for _, a in schedule), start=_ZERO) > decompte.total_due:
            schedule = []  # a plan that does not match the décompte: the claims' terms
        step = "Suivi du plan d'apurement"
    file = file or (str(case.path) if case.path else case.reference)
    tasks = case_tasks(case, au, step=step, deadlines=deadlines, file=file)
    inputs = inputs_for_case(
        case, au, decompte=decompte, broken_promises=len(broken_promises(case, au))
    )
    currencies = sorted({claim.devise for claim in case.creances})
    return CaseFacts(
        au=au,
        reference=case.reference,
        file=file,
        creditor=case.creancier.name,
        debtor=case.debiteur.name,
        debtor_key=debtor_key(case),
        collector=str(case.data.get("gestionnaire") or ""),
        currency="/".join(currencies),
        stage=stage,
        stage_label=STAGE_LABELS[stage],
        step=step,
        claims=tuple(_claims_at(case, decompte)),
        payments=tuple((p.date, p.montant) for p in case.paiements),
        history=tuple(history),
        deadlines=tuple(sorted((d, label) for d, label in deadlines if d <= horizon)),
        total_due=decompte.total_due,
        principal_left=sum((a.outstanding_principal for a in decompte.claims), start=_ZERO),
        received=sum((p.montant for p in case.paiements), start=_ZERO),
        tasks=tuple(tasks),
        score_inputs=score_inputs_json(inputs),
        schedule=tuple(schedule),
    )


def facts_of_data(
    data: Mapping[str, Any],
    au: dt.date,
    *,
    name: str,
    folder: Path | None,
    today: dt.date | None = None,
) -> CaseFacts:
    """Validate ``data`` (as of today, or ``au`` when later: a report at a past date must not
    refuse a payment received since) and return its facts at ``au``.

    Raises :class:`InputError` when nothing had been issued by ``au`` and the validation's
    :class:`~actes.errors.CaseError` for a bad case."""
    from actes.cases.case import case_from_data, validate_data

    checked_on = max(au, today or dt.date.today())
    validate_data(data, file=name, folder=folder, au=checked_on)
    known = as_known_at(data, au)
    if known is None:
        first = min(
            (d for c in data["creances"] if (d := _dated(c.get("date_emission"))) is not None),
            default=None,
        )
        since = f" (première créance émise le {first:%d/%m/%Y})" if first else ""
        raise InputError(
            f"{name} : aucune créance n'existait au {au:%d/%m/%Y}{since}.",
            hint="choisissez une date postérieure (--au)",
            issues=[DataIssue("$.creances", "aucune créance émise à cette date", rule=NOT_YET)],
        )
    case = case_from_data(known, path=folder / Path(name).name if folder else None)
    return case_facts(case, au, file=name)


# ---------------------------------------------------------------------------------------------
# Many cases.


@dataclass(frozen=True)
class Excluded:
    """A case left out of the totals, and why (in French)."""

    file: str
    reference: str
    message: str
    first_claim: dt.date | None = None
    """When the case is left out because nothing had been issued yet: its first claim's date."""


@dataclass
class Breakdown:
    """One line of an aged balance: a debtor, a creditor, a collector or a case."""

    key: str
    label: str
    buckets: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(_KEYS, _ZERO))
    """Principal left to pay (or plan instalments left), by age."""
    accessories: Decimal = _ZERO
    """Interest, penalties and indemnities due (not aged: they follow their claim)."""
    cases: int = 0

    @property
    def principal(self) -> Decimal:
        return sum(self.buckets.values(), start=_ZERO)

    @property
    def total(self) -> Decimal:
        return self.principal + self.accessories

    @property
    def overdue(self) -> Decimal:
        return self.principal - self.buckets["non_echu"]

    def as_json(self) -> dict[str, Any]:
        return {
            "cle": self.key,
            "libelle": self.label,
            "dossiers": self.cases,
            **{key: str(amount) for key, amount in self.buckets.items()},
            "accessoires": str(self.accessories),
            "total": str(self.total),
        }


@dataclass
class Report:
    """The portfolio at ``au``: every view of ``actes rapport``."""

    au: dt.date
    source: str
    cases_seen: int
    facts: list[CaseFacts]
    excluded: list[Excluded]
    balance: Breakdown
    by_debtor: list[Breakdown]
    by_creditor: list[Breakdown]
    by_collector: list[Breakdown]
    by_case: list[Breakdown]
    encours: list[tuple[dt.date, Decimal]]
    recovered: list[tuple[dt.date, Decimal, Decimal | None]]
    received_total: Decimal
    recovery_rate: Decimal | None
    dso_days: int
    dso: Decimal | None
    dso_reason: str
    invoiced: Decimal
    average_days_late: Decimal | None
    stages: list[tuple[str, str, int, Decimal]]
    steps: list[tuple[str, int, Decimal]]
    deadlines: list[tuple[dt.date, str, str]]
    placed: Decimal = _ZERO
    """Amount of the claims of the counted cases (the base of the recovery rate)."""
    sales: Decimal | None = None
    """The creditor's sales over the DSO period, when given (``--ca``)."""
    dso_by_creditor: dict[str, Decimal | None] = field(default_factory=dict)
    """DSO of the claims actes holds, per creditor (folded name)."""
    not_yet: list[Excluded] = field(default_factory=list)
    """Cases whose first claim was issued after the report's date (outside the period)."""

    @property
    def total_due(self) -> Decimal:
        return self.balance.total

    def deadlines_within(self, days: int) -> list[tuple[dt.date, str, str]]:
        horizon = self.au + dt.timedelta(days=days)
        return [d for d in self.deadlines if d[0] <= horizon]


def _add(line: Breakdown, facts: CaseFacts) -> None:
    line.cases += 1
    for key, due in facts.aged:
        line.buckets[key] += due
    line.accessories += facts.accessories


def _lines(groups: Mapping[str, Breakdown]) -> list[Breakdown]:
    return sorted(groups.values(), key=lambda b: (-b.total, b.label))


def _dso(receivables: Decimal, sales: Decimal, days: int) -> Decimal | None:
    if sales <= 0:
        return None
    return (receivables / sales * days).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator <= 0:
        return None
    return (numerator / denominator * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def build_report(
    facts: Iterable[CaseFacts],
    au: dt.date,
    *,
    excluded: Sequence[Excluded] = (),
    source: str = "",
    dso_days: int = 90,
    sales: Decimal | None = None,
) -> Report:
    """Add up the facts of the cases computed at ``au``. ``sales``: the creditor's amount
    invoiced over the DSO period (all its invoices, paid ones included), when known.

    Raises :class:`InputError` when there is no case at all, or none that could be counted.
    """
    counted: list[CaseFacts] = []
    left_out = list(excluded)
    for item in facts:
        if item.au != au:
            raise ValueError(f"facts of {item.reference} computed at {item.au}, not {au}")
        if item.currency != "EUR":
            left_out.append(
                Excluded(
                    item.file,
                    item.reference,
                    f"créances en {item.currency} : montants non additionnés aux euros",
                )
            )
            continue
        counted.append(item)
    seen = len(counted) + len(left_out)
    if seen == 0:
        raise InputError(
            f"Aucun dossier dans {source or 'le portefeuille'} : rien à présenter.",
            hint="indiquez le dossier de l'espace de travail ou un portefeuille CSV non vide",
        )
    if not counted and all(e.first_claim is not None for e in left_out):
        earliest = min(e.first_claim for e in left_out if e.first_claim is not None)
        raise InputError(
            f"Aucune créance n'existait au {au:%d/%m/%Y} dans les {seen} dossier(s) de "
            f"{source or 'portefeuille'} : la plus ancienne a été émise le "
            f"{earliest:%d/%m/%Y}.",
            hint=f"choisissez une date à partir du {earliest:%d/%m/%Y} (--au)",
        )
    # Cases whose first claim came after the date are outside the period, not rejected.
    not_yet = [e for e in left_out if e.first_claim is not None]
    left_out = [e for e in left_out if e.first_claim is None]
    if not counted:
        first = left_out[0]
        raise InputError(
            f"Aucun des {seen} dossier(s) de {source or 'portefeuille'} n'a pu être compté "
            f"au {au:%d/%m/%Y} : {first.reference} — {first.message}"
            + (f" (et {seen - 1} autre(s))" if seen > 1 else ""),
            hint="corrigez les dossiers signalés (actes validate) ou choisissez une autre date",
        )
    counted.sort(key=lambda f: (f.reference, f.file))
    balance = Breakdown("total", "Total")
    groups: dict[str, dict[str, Breakdown]] = {"debtor": {}, "creditor": {}, "collector": {}}
    by_case: list[Breakdown] = []
    for item in counted:
        _add(balance, item)
        for kind, key, label in (
            ("debtor", item.debtor_key, item.debtor),
            ("creditor", _fold(item.creditor), item.creditor),
            ("collector", _fold(item.collector), item.collector or "(non attribué)"),
        ):
            group = groups[kind].get(key)
            if group is None:
                group = groups[kind][key] = Breakdown(key, label)
            _add(group, item)
        line = Breakdown(item.file, item.reference)
        _add(line, item)
        by_case.append(line)

    ends = [end for end, _ in counted[0].history]
    month_totals = [_ZERO] * len(ends)
    for item in counted:
        for i, (_, amount) in enumerate(item.history):
            month_totals[i] += amount
    encours = list(zip(ends, month_totals, strict=True))
    encours.append((au, balance.total))

    received = sum((item.received for item in counted), start=_ZERO)
    recovered: list[tuple[dt.date, Decimal, Decimal | None]] = []
    starts = [*ends[1:], au]
    previous = dict(zip(starts, [amount for _, amount in encours[:-1]], strict=True))
    # Each period runs from the first of its month to its end (the report's date for the last).
    period_end = {(end.year, end.month): end for end in starts}
    paid = dict.fromkeys(starts, _ZERO)
    for item in counted:
        for d, a in item.payments:
            end = period_end.get((d.year, d.month))
            if end is not None and d <= end:
                paid[end] += a
    for end in starts:
        recovered.append((end, paid[end], _ratio(paid[end], previous[end])))

    since = au - dt.timedelta(days=dso_days)
    invoiced = sum(
        (
            amount
            for item in counted
            for emitted, _, amount, _ in item.claim_figures
            if since < emitted <= au
        ),
        start=_ZERO,
    )
    principal = sum((item.principal_left for item in counted), start=_ZERO)
    # A DSO is one creditor's: receivables over its sales. Without the sales (--ca), the
    # claims actes holds stand for them, which leaves out the invoices paid on time.
    by_creditor: dict[str, list[Decimal]] = {}
    for item in counted:
        slot = by_creditor.setdefault(_fold(item.creditor), [_ZERO, _ZERO])
        slot[0] += item.principal_left
        slot[1] += sum(
            (amount for emitted, _, amount, _ in item.claim_figures if since < emitted <= au),
            start=_ZERO,
        )
    dso_by_creditor = {
        key: _dso(left, sold, dso_days) for key, (left, sold) in by_creditor.items()
    }
    dso: Decimal | None = None
    dso_reason = ""
    if sales is not None:
        dso = _dso(principal, sales, dso_days)
        if dso is None:
            dso_reason = "chiffre d'affaires de la période nul"
    elif len(by_creditor) > 1:
        dso_reason = (
            f"le portefeuille compte {len(by_creditor)} créanciers ; le DSO se calcule par "
            "créancier (balance âgée par créancier)"
        )
    elif invoiced > 0:
        dso = _dso(principal, invoiced, dso_days)
    else:
        dso_reason = f"aucune créance émise dans les {dso_days} jours précédant le {au:%d/%m/%Y}"
    placed = sum(
        (amount for item in counted for _, _, amount, _ in item.claim_figures), start=_ZERO
    )

    weighted = _ZERO
    overdue_principal = _ZERO
    for item in counted:
        for _, due, _, left in item.claim_figures:
            late = (au - due).days
            if late > 0 and left > 0:
                weighted += left * late
                overdue_principal += left
    average = (
        (weighted / overdue_principal).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if overdue_principal
        else None
    )

    from actes.portfolio.stage import STAGE_LABELS

    labels: dict[str, str] = {str(k): v for k, v in STAGE_LABELS.items()}
    stage_count: dict[str, list[Any]] = {key: [0, _ZERO] for key in labels}
    step_count: dict[str, list[Any]] = {}
    for item in counted:
        stage_count[item.stage][0] += 1
        stage_count[item.stage][1] += item.total_due
        slot = step_count.setdefault(item.step or "(aucune)", [0, _ZERO])
        slot[0] += 1
        slot[1] += item.total_due
    deadlines = sorted(
        (d, item.reference, label) for item in counted for d, label in item.deadlines
    )
    return Report(
        au=au,
        source=source,
        cases_seen=seen,
        facts=counted,
        excluded=left_out,
        balance=balance,
        by_debtor=_lines(groups["debtor"]),
        by_creditor=_lines(groups["creditor"]),
        by_collector=_lines(groups["collector"]),
        by_case=sorted(by_case, key=lambda b: (-b.total, b.label)),
        encours=encours,
        recovered=recovered,
        received_total=received,
        recovery_rate=_ratio(received, placed),
        placed=placed,
        sales=sales,
        dso_by_creditor=dso_by_creditor,
        not_yet=not_yet,
        dso_days=dso_days,
        dso=dso,
        dso_reason=dso_reason,
        invoiced=invoiced,
        average_days_late=average,
        stages=[(k, labels[k], n, a) for k, (n, a) in stage_count.items()],
        steps=sorted(((s, n, a) for s, (n, a) in step_count.items()), key=lambda t: (-t[1], t[0])),
        deadlines=deadlines,
    )


# ---------------------------------------------------------------------------------------------
# Facts of a folder or a CSV portfolio, computed here (a past date, or no index).

_POOL_FROM = 200  # cases before worker processes are worth their start


def _facts_or_excluded(
    name: str, reference: str, data: Mapping[str, Any], folder: str | None, au: str, today: str
) -> dict[str, Any]:
    """Worker entry point: ``{"facts": …}`` or ``{"exclu": …}`` — never raises for a case."""
    from actes._paths import workspace_scope
    from actes.portfolio.index import error_line

    day = dt.date.fromisoformat(au)
    where = Path(folder) if folder else None
    try:
        if where is not None:
            with workspace_scope(where):
                facts = facts_of_data(
                    data, day, name=name, folder=where, today=dt.date.fromisoformat(today)
                )
        else:
            facts = facts_of_data(
                data, day, name=name, folder=None, today=dt.date.fromisoformat(today)
            )
    except ActesError as error:
        first = None
        if any(issue.rule == NOT_YET for issue in error.issues):
            dates = [_dated(c.get("date_emission")) for c in data.get("creances", [])]
            first = min((d for d in dates if d is not None), default=None)
        return {
            "exclu": [name, reference, error_line(error), first.isoformat() if first else None]
        }
    return {"facts": facts.as_json()}


Item = tuple[str, str, Mapping[str, Any], str | None]
"""A case to compute: file name, reference, data, folder (for its pièces and workspace)."""


def compute_facts(
    items: Iterable[Item],
    au: dt.date,
    *,
    today: dt.date | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[CaseFacts], list[Excluded]]:
    """The facts of ``items`` at ``au``, in worker processes when there are many."""
    todo = list(items)
    day, now = au.isoformat(), (today or dt.date.today()).isoformat()
    results: list[dict[str, Any]] = []
    workers = workers or min(4, os.cpu_count() or 1)
    if len(todo) < _POOL_FROM or workers < 2:
        for item in todo:
            results.append(_facts_or_excluded(*item, day, now))
            if progress:
                progress(1)
    else:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            for result in pool.map(
                _facts_or_excluded,
                *zip(*todo, strict=True),
                [day] * len(todo),
                [now] * len(todo),
                chunksize=25,
            ):
                results.append(result)
                if progress:
                    progress(1)
    facts = [CaseFacts.from_json(r["facts"]) for r in results if "facts" in r]
    excluded = [
        Excluded(file, ref, message, dt.date.fromisoformat(first) if first else None)
        for file, ref, message, first in (r["exclu"] for r in results if "exclu" in r)
    ]
    return facts, excluded


def portfolio_items(
    path: Path, creditor: Mapping[str, Any] | None = None
) -> tuple[list[Item], list[Excluded]]:
    """The cases of a folder of case files or of a CSV export (docs/portfolio-csv.md), and
    those that could not even be read (with the row and column at fault)."""
    from actes.portfolio.sources import open_portfolio

    items: list[Item] = []
    unreadable: list[Excluded] = []
    for case in open_portfolio(path, creditor):
        if case.data is None:
            message = "; ".join(
                (f"ligne {r.row} : " if r.row else "")
                + (f"colonne {r.column} : " if r.column else "")
                + r.message
                for r in case.reasons
            )
            unreadable.append(Excluded(case.source, case.reference, message))
            continue
        name = case.source
        if path.is_dir():  # the same names as the index gives (relative to the folder)
            name = Path(case.source).resolve().relative_to(path.resolve()).as_posix()
        items.append((name, case.reference, case.data, str(case.folder) if case.folder else None))
    return items, unreadable


# ---------------------------------------------------------------------------------------------
# Facts kept by the folder's index (today's date).


def facts_from_rows(rows: Iterable[IndexRow]) -> tuple[list[CaseFacts], list[Excluded]]:
    """The facts the index rows hold, and the cases left out with their reason (an invalid
    case, facts that could not be computed or were stored by another version). The rows must
    have been computed at the report's date (:func:`actes.portfolio.index.current_rows`)."""
    facts: list[CaseFacts] = []
    excluded: list[Excluded] = []
    for row in rows:
        found = row_facts(row.relative, row.reference, row.valid, row.message, row.report)
        if isinstance(found, CaseFacts):
            facts.append(found)
        else:
            excluded.append(found)
    return facts, excluded


def row_facts(
    relative: str, reference: str, valid: bool, message: str, report: Mapping[str, Any] | None
) -> CaseFacts | Excluded:
    """The facts one index row holds (``report``: its parsed JSON), or why it is left out
    (an invalid case, facts that could not be computed or were stored by another version)."""
    if not valid:
        return Excluded(relative, reference, message)
    if report is None or "erreur" in report:
        why = (report or {}).get("erreur", "faits du rapport indisponibles")
        return Excluded(relative, reference, str(why))
    if report.get("version") != FACTS_VERSION:
        return Excluded(relative, reference, "index à reconstruire (version)")
    return CaseFacts.from_json(report)


def facts_from_index(folder: Path, au: dt.date) -> tuple[list[CaseFacts], list[Excluded]]:
    """Today's facts of the cases of ``folder`` from its index (computed again only for the
    files changed since)."""
    from actes.portfolio.index import CaseIndex, current_rows

    return facts_from_rows(current_rows(CaseIndex(folder), au))


def gather_facts(
    source: Path,
    au: dt.date,
    *,
    today: dt.date,
    creditor: Mapping[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
    on_count: Callable[[int], None] | None = None,
) -> tuple[list[CaseFacts], list[Excluded]]:
    """The facts of every case of ``source`` at ``au``: read from the folder's index for
    today's date (only the files changed since are computed), computed here otherwise (a past
    date, a CSV portfolio). ``on_count`` is told how many cases will be computed here."""
    if source.is_dir() and creditor is None and au == today:
        return facts_from_index(source, au)
    items, excluded = portfolio_items(source, creditor)
    if on_count is not None:
        on_count(len(items))
    facts, more = compute_facts(items, au, today=today, progress=progress)
    return facts, [*excluded, *more]
