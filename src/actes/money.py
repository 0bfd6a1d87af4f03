"""Décompte of the sums due: principal, payments, interest or penalties, recovery indemnity.

A pure library on plain typed inputs (:class:`ClaimInput`, :class:`PaymentInput`,
:class:`DecompteOptions`); rates and amounts come from :mod:`actes.rates`. Every amount is a
:class:`~decimal.Decimal`, every date a :class:`datetime.date`.

Conventions (repeated in French in :attr:`Decompte.conventions`):

- An interest line runs from ``start`` (excluded) to ``end`` (included) and
  ``days = (end - start).days``; each day bears the rate in force on that day.
- Lines are split at each half-year boundary (30 June / 31 December), at each payment imputed
  on the claim (the payment day still bears interest on the former balance), on the eve of the
  L313-3 majoration and, with capitalisation, at each anniversary of the start of interest.
- ``amount = base × rate / 100 × days / basis``, rounded ROUND_HALF_UP to the cent once per
  line; every total is a sum of rounded lines. ``basis`` is 365 (default, as service-public.fr
  F20688 does even in leap years) or, with ``day_basis="exact"``, 366 for days of a leap year
  (lines never cross 31 December, so one line has one basis).
- A payment goes first to accrued interest, then to capitalised interest, then to principal
  (C. civ. 1343-1), then to the claim's recovery indemnity. Among claims: the one the payment
  names, else matured claims before the others, oldest due date first (C. civ. 1342-10; the
  debtor's "most interest" criterion cannot be judged here); what is left goes to the next
  claim, and what exceeds every claim is reported as ``surplus``.
- Invariant: ``total_due = principal − payments + interest + indemnities``, exact to the cent,
  where ``payments`` counts the imputed amounts (``surplus`` is apart).

Regimes: ``penalites_l441_10`` (between professionals: from the day after the due date,
contractual rate floored at 3 × the legal rate « autres cas », default ECB + 10 points, plus
the fixed indemnity per late invoice); ``interet_legal`` (C. civ. 1231-6, 1344-1: from the
mise en demeure, at the legal rate of the creditor's category, optionally increased under CMF
L313-3); ``contractuel`` (each claim's own rate from its due date); ``aucun``. A creditor who is
a natural person not acting for professional needs cannot claim L441-10 penalties, which exist
only between professionals: that combination is refused with :class:`PreconditionFailed`.
The caller chooses ``penalites_l441_10`` only for a professional debtor, so a consumer debtor
never owes the indemnity (CPCE L111-8).
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import TYPE_CHECKING, Literal, Protocol, get_args

from actes.errors import DataIssue, DefinitionError, InputError, PreconditionFailed
from actes.rates import RateTables, format_percent, half_year_bounds

if TYPE_CHECKING:
    from actes.case import Case

__all__ = [
    "ClaimDecompte",
    "ClaimInput",
    "DayBasis",
    "Decompte",
    "DecompteOptions",
    "Imputation",
    "InterestPeriod",
    "InterestRegime",
    "PaymentInput",
    "compute_decompte",
    "decompte_for_case",
    "majoration_start",
]

InterestRegime = Literal["penalites_l441_10", "interet_legal", "contractuel", "aucun"]
DayBasis = Literal["365", "exact"]

_REGIMES: tuple[str, ...] = get_args(InterestRegime)
_DAY_BASES: tuple[str, ...] = get_args(DayBasis)
_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")
_ONE_DAY = dt.timedelta(days=1)
# Wide enough that the only rounding of a line is the final one to the cent.
_EXACT = Context(prec=50)


@dataclass(frozen=True)
class ClaimInput:
    """One claim: an invoice or another sum, due on ``due_date``."""

    reference: str
    label: str
    due_date: dt.date
    amount: Decimal
    currency: str = "EUR"
    contractual_rate: Decimal | None = None
    is_invoice: bool = True


@dataclass(frozen=True)
class PaymentInput:
    """A payment received; ``claim_reference`` is the claim the debtor named, if any."""

    date: dt.date
    amount: Decimal
    reference: str
    claim_reference: str | None = None


@dataclass(frozen=True)
class DecompteOptions:
    """How to compute: regime, date of the décompte and the conventions to apply.

    ``mise_en_demeure`` is the date from which legal interest runs (the mise en demeure, or
    the judgment under C. civ. 1231-7). ``majoration_l313_3_from`` is the first day bearing
    the +5 points (see :func:`majoration_start`). ``interest_stops`` is the last day bearing
    interest (opening judgment, C. com. L622-28; surendettement recevabilité, C. consom.
    L722-14).
    """

    regime: InterestRegime
    au: dt.date
    creditor_is_consumer: bool = False
    mise_en_demeure: dt.date | None = None
    majoration_l313_3_from: dt.date | None = None
    capitalisation: bool = False
    day_basis: DayBasis = "365"
    include_indemnity: bool = True
    allow_unconfirmed: bool = False
    interest_stops: dt.date | None = None


@dataclass(frozen=True)
class InterestPeriod:
    """One interest line: ``start`` excluded, ``end`` included."""

    start: dt.date
    end: dt.date
    days: int
    principal: Decimal
    rate: Decimal
    basis: int
    amount: Decimal
    rate_origin: str
    confirmed: bool = True

    def as_dict(self) -> dict[str, object]:
        return {
            "debut_exclu": self.start.isoformat(),
            "fin_incluse": self.end.isoformat(),
            "jours": self.days,
            "assiette": _money(self.principal),
            "taux": _rate(self.rate),
            "base": self.basis,
            "montant": _money(self.amount),
            "origine_taux": self.rate_origin,
            "taux_confirme": self.confirmed,
        }


@dataclass(frozen=True)
class Imputation:
    """How much of one payment went to one claim, and to what."""

    payment_reference: str
    date: dt.date
    claim_reference: str
    interest: Decimal
    principal: Decimal
    indemnity: Decimal
    rule: str

    @property
    def total(self) -> Decimal:
        return self.interest + self.principal + self.indemnity

    def as_dict(self) -> dict[str, object]:
        return {
            "paiement": self.payment_reference,
            "date": self.date.isoformat(),
            "creance": self.claim_reference,
            "interets": _money(self.interest),
            "principal": _money(self.principal),
            "indemnite": _money(self.indemnity),
            "total": _money(self.total),
            "regle": self.rule,
        }


@dataclass(frozen=True)
class ClaimDecompte:
    """The account of one claim at the décompte date."""

    reference: str
    label: str
    principal: Decimal
    paid_principal: Decimal
    paid_interest: Decimal
    outstanding_principal: Decimal
    periods: tuple[InterestPeriod, ...]
    interest_total: Decimal
    interest_outstanding: Decimal
    indemnity: Decimal
    total_due: Decimal
    paid_indemnity: Decimal = _ZERO
    capitalised_interest: Decimal = _ZERO

    def as_dict(self) -> dict[str, object]:
        return {
            "reference": self.reference,
            "libelle": self.label,
            "principal": _money(self.principal),
            "principal_paye": _money(self.paid_principal),
            "principal_restant": _money(self.outstanding_principal),
            "periodes": [period.as_dict() for period in self.periods],
            "interets": _money(self.interest_total),
            "interets_payes": _money(self.paid_interest),
            "interets_restants": _money(self.interest_outstanding),
            "interets_capitalises": _money(self.capitalised_interest),
            "indemnite": _money(self.indemnity),
            "indemnite_payee": _money(self.paid_indemnity),
            "total_du": _money(self.total_due),
        }


@dataclass(frozen=True)
class Decompte:
    """The whole décompte: one account per claim, the imputations, totals and conventions."""

    au: dt.date
    regime: InterestRegime
    claims: tuple[ClaimDecompte, ...]
    imputations: tuple[Imputation, ...]
    warnings: tuple[str, ...]
    conventions: tuple[str, ...]
    principal: Decimal
    payments: Decimal
    interest: Decimal
    indemnities: Decimal
    total_due: Decimal
    surplus: Decimal = _ZERO

    def as_dict(self) -> dict[str, object]:
        return {
            "au": self.au.isoformat(),
            "regime": self.regime,
            "creances": [claim.as_dict() for claim in self.claims],
            "imputations": [imputation.as_dict() for imputation in self.imputations],
            "totaux": {
                "principal": _money(self.principal),
                "paiements": _money(self.payments),
                "interets": _money(self.interest),
                "indemnites": _money(self.indemnities),
                "total_du": _money(self.total_due),
                "excedent": _money(self.surplus),
            },
            "avertissements": list(self.warnings),
            "conventions": list(self.conventions),
        }


def majoration_start(enforceable_on: dt.date, tables: RateTables | None = None) -> dt.date:
    """First day bearing the L313-3 majoration for a decision enforceable on ``enforceable_on``.

    The delay (2 months, ``recouvrement.yaml``) ends on the day of the last month with the same
    number as ``enforceable_on``, or the month's last day (CPC 641); the majoration applies
    once it has passed, from the next day.
    """
    tables = tables or RateTables.load()
    delay = tables.l313_3_delay(enforceable_on)
    if delay.value != delay.value.to_integral_value():
        raise DefinitionError(
            f"Le délai de la majoration L313-3 doit être un nombre entier de mois, "
            f"pas « {delay.value} ».",
            hint=f"corrigez majoration_l313_3_delai_mois dans {tables.recovery_file}",
        )
    return _add_months(enforceable_on, int(delay.value)) + _ONE_DAY


def compute_decompte(
    claims: Sequence[ClaimInput],
    payments: Sequence[PaymentInput],
    options: DecompteOptions,
    tables: RateTables | None = None,
) -> Decompte:
    """Compute what is due on ``options.au``; see the module docstring for the conventions."""
    _check(claims, payments, options)
    tables = tables or RateTables.load()
    engine = _Engine(tables, options)
    states = [_ClaimState(claim, index, engine) for index, claim in enumerate(claims)]
    by_reference = {state.claim.reference: state for state in states}
    ordered = sorted(enumerate(payments), key=lambda item: (item[1].date, item[0]))
    for _, payment in ordered:
        named = by_reference[payment.claim_reference] if payment.claim_reference else None
        states = engine.impute(payment, states, named)
        by_reference = {state.claim.reference: state for state in states}
    for state in states:
        state.advance(options.au)
        state.settle_indemnity(options.au)
        if options.au < state.claim.due_date:
            engine.warn(
                f"La créance {state.claim.reference} n'est pas échue au "
                f"{_fr_date(options.au)} (échéance le {_fr_date(state.claim.due_date)})."
            )
    accounts = tuple(state.account() for state in states)
    return Decompte(
        au=options.au,
        regime=options.regime,
        claims=accounts,
        imputations=tuple(engine.imputations),
        warnings=tuple(dict.fromkeys(engine.warnings)),
        conventions=engine.conventions(),
        principal=sum((a.principal for a in accounts), _ZERO),
        payments=sum((i.total for i in engine.imputations), _ZERO),
        interest=sum((a.interest_total for a in accounts), _ZERO),
        indemnities=sum((a.indemnity for a in accounts), _ZERO),
        total_due=sum((a.total_due for a in accounts), _ZERO),
        surplus=engine.surplus,
    )


class _Engine:
    """Rates, imputation and the running notes shared by every claim of one décompte."""

    def __init__(self, tables: RateTables, options: DecompteOptions) -> None:
        self.tables = tables
        self.options = options
        self.imputations: list[Imputation] = []
        self.warnings: list[str] = []
        self.surplus = _ZERO
        self.stop = min(options.au, options.interest_stops or options.au)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def interest_start(self, claim: ClaimInput) -> dt.date | None:
        """Day from which interest runs for ``claim`` (excluded), None if it bears none."""
        regime = self.options.regime
        if regime in ("penalites_l441_10", "contractuel"):
            return claim.due_date
        if regime == "interet_legal":
            notice = self.options.mise_en_demeure
            assert notice is not None  # checked in _check
            if notice < claim.due_date:
                self.warn(
                    f"La mise en demeure du {_fr_date(notice)} précède l'échéance de la créance "
                    f"{claim.reference} ({_fr_date(claim.due_date)}) : les intérêts sont comptés "
                    "à partir de l'échéance."
                )
            return max(notice, claim.due_date)
        return None

    def rate(self, claim: ClaimInput, day: dt.date) -> tuple[Decimal, str, bool]:
        """Annual rate (percent) for ``claim`` on ``day``, its French origin, and confirmed."""
        options, tables = self.options, self.tables
        allow = options.allow_unconfirmed
        if options.regime == "contractuel":
            assert claim.contractual_rate is not None  # checked in _check
            return claim.contractual_rate, "taux contractuel", True
        if options.regime == "interet_legal":
            legal = tables.legal_rate(day, options.creditor_is_consumer, allow)
            self._note_unconfirmed(legal.confirmed, legal.half_year, "intérêt légal", legal.file)
            category = "creancier_particulier" if options.creditor_is_consumer else "autres_cas"
            origin = f"intérêt légal, {legal.half_year} ({tables.categories[category]})"
            majoration = options.majoration_l313_3_from
            if majoration is not None and day >= majoration:
                points = tables.l313_3_majoration(day)
                origin += f", majoré de {points.value.normalize():f} points ({points.reference})"
                return legal.rate + points.value, origin, legal.confirmed
            return legal.rate, origin, legal.confirmed
        # penalites_l441_10: "aucun" never asks for a rate.
        if claim.contractual_rate is None:
            default = tables.late_payment_default_rate(day, allow)
            self._note_unconfirmed(default.confirmed, default.half_year, "taux BCE", default.file)
            return default.rate, f"{default.reference}, {default.half_year}", default.confirmed
        legal = tables.legal_rate(day, creditor_is_consumer=False, allow_unconfirmed=allow)
        self._note_unconfirmed(legal.confirmed, legal.half_year, "intérêt légal", legal.file)
        factor = tables.penalty_floor_factor(day)
        floor = factor.value * legal.rate
        if claim.contractual_rate >= floor:
            return claim.contractual_rate, "taux contractuel", legal.confirmed
        self.warn(
            f"Créance {claim.reference} : le taux contractuel de "
            f"{format_percent(claim.contractual_rate)} est inférieur au plancher de "
            f"{factor.value.normalize():f} fois le taux de l'intérêt légal ({factor.reference}) ; "
            "le plancher est appliqué pour les semestres concernés."
        )
        origin = (
            f"plancher {factor.value.normalize():f} × {format_percent(legal.rate)} "
            f"(intérêt légal « {tables.categories['autres_cas']} », {legal.half_year})"
        )
        return floor, origin, legal.confirmed

    def _note_unconfirmed(self, confirmed: bool, half_year: str, what: str, file: str) -> None:
        if not confirmed:
            self.warn(
                f"Taux non confirmé utilisé pour le {half_year} ({what}) : ce décompte est "
                f"provisoire ; mettez à jour {file} dès la publication du taux officiel."
            )

    def indemnity_amount(self, claim: ClaimInput) -> Decimal:
        """Indemnity owed if ``claim`` is paid late under the current options, else zero."""
        options = self.options
        if options.regime != "penalites_l441_10" or not options.include_indemnity:
            return _ZERO
        if not claim.is_invoice:
            return _ZERO
        return self.tables.recovery_indemnity(claim.due_date + _ONE_DAY).value

    def impute(
        self, payment: PaymentInput, states: list[_ClaimState], named: _ClaimState | None
    ) -> list[_ClaimState]:
        """Spread ``payment`` over the claims; return the states, advanced where touched."""
        when = payment.date
        order = sorted(
            states,
            key=lambda s: (
                s is not named,
                s.claim.due_date > when,
                s.claim.due_date,
                s.index,
            ),
        )
        updated = {state.index: state for state in states}
        left = payment.amount
        for state in order:
            if left <= 0:
                break
            # Work on a copy so that a claim the payment does not reach keeps its lines whole.
            trial = state.clone()
            trial.advance(when)
            trial.settle_indemnity(when)
            if trial.balance() <= 0:
                continue
            interest, principal, indemnity = trial.pay(left)
            left -= interest + principal + indemnity
            if state is named:
                rule = "créance désignée par le débiteur (C. civ. 1342-10)"
            elif state.claim.due_date <= when:
                rule = "dette échue, la plus ancienne d'abord (C. civ. 1342-10)"
            else:
                rule = "dette non encore échue, faute de dette échue (C. civ. 1342-10)"
            self.imputations.append(
                Imputation(
                    payment_reference=payment.reference,
                    date=when,
                    claim_reference=state.claim.reference,
                    interest=interest,
                    principal=principal,
                    indemnity=indemnity,
                    rule=rule,
                )
            )
            updated[state.index] = trial
        if left > 0:
            self.surplus += left
            self.warn(
                f"Le paiement {payment.reference} du {_fr_date(when)} dépasse de "
                f"{_fr_money(left)} les sommes dues à cette date : excédent non imputé, "
                "à restituer au débiteur."
            )
        return [updated[state.index] for state in states]

    def conventions(self) -> tuple[str, ...]:
        options, tables = self.options, self.tables
        sentences = []
        if options.regime == "penalites_l441_10":
            floor = tables.penalty_floor_factor(options.au)
            sentences.append(
                "Pénalités de retard entre professionnels (Code de commerce, art. L441-10 II), "
                "dues dès le lendemain de l'échéance sans qu'un rappel soit nécessaire : taux "
                "contractuel s'il est stipulé, jamais inférieur à "
                f"{floor.value.normalize():f} fois le taux de l'intérêt légal « "
                f"{tables.categories['autres_cas']} » du semestre ; à défaut, taux de la BCE en "
                "vigueur le 1er janvier ou le 1er juillet, majoré de "
                f"{tables.ecb_majoration_points(options.au).value.normalize():f} points."
            )
            if options.include_indemnity:
                indemnity = tables.recovery_indemnity(options.au)
                sentences.append(
                    f"Indemnité forfaitaire pour frais de recouvrement de "
                    f"{_fr_money(indemnity.value)} par facture payée après son échéance "
                    f"({indemnity.reference})."
                )
        elif options.regime == "interet_legal":
            category = "creancier_particulier" if options.creditor_is_consumer else "autres_cas"
            sentences.append(
                "Intérêts moratoires au taux de l'intérêt légal à compter de la mise en demeure "
                f"(Code civil, art. 1231-6 et 1344-1), taux du semestre pour la catégorie « "
                f"{tables.categories[category]} » ({tables.legal.reference})."
            )
            if options.majoration_l313_3_from is not None:
                points = tables.l313_3_majoration(options.majoration_l313_3_from)
                sentences.append(
                    f"Taux majoré de {points.value.normalize():f} points à compter du "
                    f"{_fr_date(options.majoration_l313_3_from)} ({points.reference})."
                )
        elif options.regime == "contractuel":
            sentences.append("Intérêts au taux contractuel de chaque créance, dès son échéance.")
        else:
            sentences.append("Aucun intérêt n'est calculé.")
        if options.regime != "penalites_l441_10":
            sentences.append(
                "Aucuns frais de recouvrement réclamés : sans titre exécutoire, ils restent à la "
                "charge du créancier (CPCE, art. L111-8)."
            )
        if options.regime != "aucun":
            sentences.append(
                "Chaque période part du lendemain de sa date de début et inclut sa date de fin ; "
                "jours = différence entre les deux dates ; le jour d'un paiement porte encore "
                "intérêt sur le solde antérieur."
            )
            sentences.append(
                f"Base de calcul : {tables.day_basis_labels[options.day_basis]} "
                f"({tables.day_basis_source})."
            )
            sentences.append(
                "Montant d'une période = assiette × taux / 100 × jours / base, arrondi au centime "
                "le plus proche (le demi-centime au centime supérieur), une seule fois par "
                "période ; les totaux sont la somme des périodes arrondies."
            )
            sentences.append(
                "Les périodes sont coupées à chaque changement de semestre (1er janvier, "
                "1er juillet), à chaque paiement imputé sur la créance"
                + (
                    ", à la date de la majoration du taux"
                    if options.majoration_l313_3_from is not None
                    else ""
                )
                + (", à chaque anniversaire de capitalisation" if options.capitalisation else "")
                + "."
            )
        if options.capitalisation:
            sentences.append(
                "Capitalisation des intérêts (Code civil, art. 1343-2) : à chaque anniversaire du "
                "point de départ des intérêts, les intérêts impayés dus pour une année entière "
                "s'ajoutent à l'assiette."
            )
        if options.interest_stops is not None:
            sentences.append(
                f"Intérêts arrêtés au {_fr_date(options.interest_stops)} (jugement d'ouverture, "
                "Code de commerce, art. L622-28, ou recevabilité du dossier de surendettement, "
                "Code de la consommation, art. L722-14)."
            )
        sentences.append(
            "Imputation des paiements : d'abord sur les intérêts échus, puis sur le capital "
            "(Code civil, art. 1343-1), enfin sur l'indemnité forfaitaire ; entre plusieurs "
            "créances, sur celle que désigne le débiteur, sinon sur les dettes échues avant les "
            "autres, la plus ancienne d'abord (Code civil, art. 1342-10)."
        )
        return tuple(sentences)


@dataclass
class _ClaimState:
    """Running account of one claim while the payments are imputed in date order."""

    claim: ClaimInput
    index: int
    engine: _Engine
    start: dt.date | None = None
    cursor: dt.date = dt.date.min
    principal: Decimal = _ZERO
    capitalised: Decimal = _ZERO
    accrued: Decimal = _ZERO
    periods: list[InterestPeriod] = field(default_factory=list)
    interest_total: Decimal = _ZERO
    capitalised_total: Decimal = _ZERO
    paid_interest: Decimal = _ZERO
    paid_principal: Decimal = _ZERO
    indemnity: Decimal = _ZERO
    paid_indemnity: Decimal = _ZERO
    indemnity_settled: bool = False
    anniversaries: int = 0

    def __post_init__(self) -> None:
        self.principal = self.claim.amount
        self.start = self.engine.interest_start(self.claim)
        self.cursor = self.start or dt.date.min

    def clone(self) -> _ClaimState:
        twin = copy.copy(self)
        twin.periods = list(self.periods)
        return twin

    def balance(self) -> Decimal:
        return (
            self.accrued + self.capitalised + self.principal + self.indemnity - self.paid_indemnity
        )

    def advance(self, to: dt.date) -> None:
        """Accrue interest up to ``to`` (included), line by line."""
        end = min(to, self.engine.stop)
        if self.start is None or end <= self.cursor:
            return
        options = self.engine.options
        for line_end in self._line_ends(end):
            base = self.principal + self.capitalised
            if base > 0:
                first_day = self.cursor + _ONE_DAY
                rate, origin, confirmed = self.engine.rate(self.claim, first_day)
                exact = options.day_basis == "exact"
                basis = 366 if exact and calendar.isleap(line_end.year) else 365
                days = (line_end - self.cursor).days
                raw = _EXACT.divide(base * rate * days, Decimal(100 * basis))
                amount = raw.quantize(_CENT, rounding=ROUND_HALF_UP)
                self.periods.append(
                    InterestPeriod(
                        start=self.cursor,
                        end=line_end,
                        days=days,
                        principal=base,
                        rate=rate,
                        basis=basis,
                        amount=amount,
                        rate_origin=origin,
                        confirmed=confirmed,
                    )
                )
                self.accrued += amount
                self.interest_total += amount
            self.cursor = line_end
            if options.capitalisation and line_end == self._anniversary():
                self.capitalised += self.accrued
                self.capitalised_total += self.accrued
                self.accrued = _ZERO
                self.anniversaries += 1

    def _anniversary(self) -> dt.date:
        assert self.start is not None
        return _add_months(self.start, 12 * (self.anniversaries + 1))

    def _line_ends(self, end: dt.date) -> list[dt.date]:
        """Ends of the lines from the cursor to ``end``: half-years, majoration, anniversaries."""
        assert self.start is not None
        cuts = {end}
        half_end = half_year_bounds(self.cursor + _ONE_DAY)[1]
        while half_end < end:
            cuts.add(half_end)
            half_end = half_year_bounds(half_end + _ONE_DAY)[1]
        majoration = self.engine.options.majoration_l313_3_from
        if majoration is not None and self.cursor < majoration - _ONE_DAY < end:
            cuts.add(majoration - _ONE_DAY)
        if self.engine.options.capitalisation:
            count = self.anniversaries + 1
            anniversary = _add_months(self.start, 12 * count)
            while anniversary < end:
                cuts.add(anniversary)
                count += 1
                anniversary = _add_months(self.start, 12 * count)
        return sorted(cuts)

    def settle_indemnity(self, on: dt.date) -> None:
        """Once past the due date, fix whether the indemnity is owed (principal still unpaid)."""
        if self.indemnity_settled or on <= self.claim.due_date:
            return
        self.indemnity_settled = True
        if self.principal > 0:
            self.indemnity = self.engine.indemnity_amount(self.claim)

    def pay(self, amount: Decimal) -> tuple[Decimal, Decimal, Decimal]:
        """Impute ``amount``: interest, then capitalised interest, principal, indemnity."""
        to_interest = min(amount, self.accrued)
        self.accrued -= to_interest
        left = amount - to_interest
        to_capitalised = min(left, self.capitalised)
        self.capitalised -= to_capitalised
        left -= to_capitalised
        to_principal = min(left, self.principal)
        self.principal -= to_principal
        left -= to_principal
        to_indemnity = min(left, self.indemnity - self.paid_indemnity)
        self.paid_indemnity += to_indemnity
        self.paid_interest += to_interest + to_capitalised
        self.paid_principal += to_principal
        return to_interest + to_capitalised, to_principal, to_indemnity

    def account(self) -> ClaimDecompte:
        claim = self.claim
        interest_outstanding = self.interest_total - self.paid_interest
        return ClaimDecompte(
            reference=claim.reference,
            label=claim.label,
            principal=claim.amount,
            paid_principal=self.paid_principal,
            paid_interest=self.paid_interest,
            outstanding_principal=self.principal,
            periods=tuple(self.periods),
            interest_total=self.interest_total,
            interest_outstanding=interest_outstanding,
            indemnity=self.indemnity,
            total_due=self.principal + interest_outstanding + self.indemnity - self.paid_indemnity,
            paid_indemnity=self.paid_indemnity,
            capitalised_interest=self.capitalised_total,
        )


def _check(
    claims: Sequence[ClaimInput], payments: Sequence[PaymentInput], options: DecompteOptions
) -> None:
    """Refuse inputs the engine cannot account for, listing every problem at once."""
    issues: list[DataIssue] = []

    def add(path: str, message: str, hint: str = "") -> None:
        issues.append(DataIssue(path, message, hint))

    if options.regime not in _REGIMES:
        add("options.regime", f"régime « {options.regime} » inconnu", ", ".join(_REGIMES))
    if options.day_basis not in _DAY_BASES:
        add("options.day_basis", f"base « {options.day_basis} » inconnue", "« 365 » ou « exact »")
    if options.regime == "penalites_l441_10" and options.creditor_is_consumer:
        raise PreconditionFailed(
            "Les pénalités de retard de l'article L441-10 du Code de commerce ne jouent qu'entre "
            "professionnels : un créancier personne physique n'agissant pas pour des besoins "
            "professionnels ne peut pas les réclamer.",
            hint="choisissez le régime « interet_legal » (intérêts à compter de la mise en "
            "demeure) ou « contractuel »",
        )
    if options.regime == "interet_legal" and options.mise_en_demeure is None:
        add(
            "options.mise_en_demeure",
            "l'intérêt au taux légal court à compter de la mise en demeure (C. civ. 1231-6)",
            "indiquez la date de la mise en demeure",
        )
    if options.majoration_l313_3_from is not None and options.regime != "interet_legal":
        add(
            "options.majoration_l313_3_from",
            "la majoration de l'article L313-3 ne porte que sur le taux de l'intérêt légal",
            "retirez la date de majoration ou choisissez le régime « interet_legal »",
        )
    if not claims:
        add("creances", "aucune créance", "indiquez au moins une créance")
    seen: set[str] = set()
    for index, claim in enumerate(claims):
        path = f"creances[{index}]"
        if claim.reference in seen:
            add(f"{path}.reference", f"référence « {claim.reference} » en double")
        seen.add(claim.reference)
        if claim.currency != "EUR":
            add(
                f"{path}.currency",
                f"devise « {claim.currency} » : les taux et l'indemnité sont en euros",
                "convertissez la créance en euros",
            )
        _check_amount(claim.amount, f"{path}.amount", add)
        rate = claim.contractual_rate
        if rate is not None and (not rate.is_finite() or rate < 0):
            add(f"{path}.contractual_rate", f"taux « {rate} » invalide")
        if options.regime == "contractuel" and rate is None:
            add(
                f"{path}.contractual_rate",
                f"la créance {claim.reference} n'a pas de taux contractuel",
                "indiquez le taux prévu au contrat ou choisissez un autre régime",
            )
    for index, payment in enumerate(payments):
        path = f"paiements[{index}]"
        _check_amount(payment.amount, f"{path}.amount", add)
        if payment.date > options.au:
            add(
                f"{path}.date",
                f"paiement du {_fr_date(payment.date)} postérieur à la date du décompte "
                f"({_fr_date(options.au)})",
                "retirez ce paiement ou reportez la date du décompte",
            )
        if payment.claim_reference is not None and payment.claim_reference not in seen:
            add(
                f"{path}.claim_reference",
                f"le paiement désigne la créance « {payment.claim_reference} », inconnue",
            )
    if issues:
        plural = "s" if len(issues) > 1 else ""
        raise InputError(
            f"Décompte impossible : {len(issues)} problème{plural} dans les données.",
            issues=issues,
        )


def _check_amount(amount: Decimal, path: str, add: _Add) -> None:
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        add(path, f"montant « {amount} » invalide", "un montant Decimal positif est attendu")
    elif amount != amount.quantize(_CENT):
        add(path, f"montant « {amount} » au-delà du centime", "arrondissez au centime")


class _Add(Protocol):
    """Type of the issue-adding callback of :func:`_check`."""

    def __call__(self, path: str, message: str, hint: str = "") -> None: ...


def _add_months(day: dt.date, months: int) -> dt.date:
    """Same day number ``months`` later, or the month's last day when it has none (CPC 641)."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def _money(amount: Decimal) -> str:
    return f"{amount.quantize(_CENT, rounding=ROUND_HALF_UP)}"


def _rate(rate: Decimal) -> str:
    return format_percent(rate).removesuffix(" %").replace(",", ".")


def _fr_money(amount: Decimal) -> str:
    return f"{_money(amount).replace('.', ',')} €"


def _fr_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def decompte_for_case(case: Case, au: dt.date) -> Decompte:
    """The décompte of a validated case (see :mod:`actes.accounts` for the regime rules)."""
    # Imported late: actes.accounts imports this module.
    from actes.accounts import decompte_for_case as for_case

    return for_case(case, au)
