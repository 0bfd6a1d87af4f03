"""Décompte of the sums due: principal, payments, interest or penalties, recovery indemnity.

A pure library on plain typed inputs (:class:`ClaimInput`, :class:`PaymentInput`,
:class:`DecompteOptions`); rates and amounts come from :mod:`actes.law.rates`. Every amount is a
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
- Every period says which rate it bears and why (``rate_origin``) and carries a printable
  label (« 3 fois le taux de l'intérêt légal, soit 7,86 % au 1er semestre 2026 »); each rate
  used that is not confirmed (allowed by ``allow_unconfirmed``) adds a reserve naming the
  half-year and the rate (:attr:`Decompte.reserves`), to be printed with the figures.

Regimes: ``penalites_l441_10`` (between professionals: from the day after the due date,
contractual rate floored at 3 × the legal rate « autres cas », default ECB + 10 points, plus
the fixed indemnity per late invoice); ``interet_legal`` (C. civ. 1231-6, 1344-1: from the
mise en demeure, at the legal rate of the creditor's category, optionally increased under CMF
L313-3); ``contractuel`` (each claim's own rate from its due date); ``aucun``. A contractual
rate is a fixed percentage or an :class:`~actes.law.rates.IndexedRate` (« 3 fois le taux de
l'intérêt légal », « taux de la BCE majoré de 10 points »), re-evaluated each half-year on the
rate of that half-year (legal rate of the creditor's category, ECB rate of 1 January or
1 July); between professionals the L441-10 floor still applies to it. A creditor who is
a natural person not acting for professional needs cannot claim L441-10 penalties, which exist
only between professionals: that combination is refused with :class:`PreconditionFailed`.
The caller chooses ``penalites_l441_10`` only for a professional debtor, so a consumer debtor
never owes the indemnity (CPCE L111-8).
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Literal, Protocol, get_args

from actes.errors import DataIssue, DefinitionError, InputError, PreconditionFailed
from actes.law.rates import (
    IndexedRate,
    RateTables,
    RateValue,
    format_percent,
    half_year_bounds,
    half_year_code,
    record_command,
)

__all__ = [
    "ClaimDecompte",
    "ClaimInput",
    "DayBasis",
    "Decompte",
    "DecompteOptions",
    "Imputation",
    "IndexedRate",
    "InterestPeriod",
    "InterestRegime",
    "PaymentInput",
    "PeriodUnit",
    "compute_decompte",
    "majoration_start",
]

InterestRegime = Literal["penalites_l441_10", "interet_legal", "contractuel", "aucun"]
DayBasis = Literal["365", "exact"]
PeriodUnit = Literal["jours", "mois"]

_REGIMES: tuple[str, ...] = get_args(InterestRegime)
_DAY_BASES: tuple[str, ...] = get_args(DayBasis)
_PERIOD_UNITS: tuple[str, ...] = get_args(PeriodUnit)
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
    contractual_rate: Decimal | IndexedRate | None = None
    is_invoice: bool = True
    # False for a clause pénale: the agreed penalty bears no interest before the judge fixes
    # it (C. civ. 1231-5 al. 5: due only after an unheeded mise en demeure, and the judge may
    # reduce it; C. civ. 1231-7: interest on an indemnity runs from the judgment).
    bears_interest: bool = True


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
    L722-14; interest-free payment plan); ``interest_stops_reason`` says which, with its
    basis, as printed (« plan d'apurement sans intérêts signé le 5 octobre 2026 (Code civil,
    art. 1103) »). ``payment_forbidden_from`` is the opening judgment of a collective
    procedure: an invoice falling due on or after it was not paid late, since paying it was
    forbidden (C. com. L622-7), so it bears no L441-10 recovery indemnity.

    Conventions (defaults = the usual practice): ``both_ends`` counts the day interest starts
    as well as the end day (some official worked examples do), so the first line starts one
    day earlier; ``period_unit="mois"`` applies the annual rate / 12 per month of delay, from
    date to date after the start of interest (a contract or a judgment may say so), a begun
    month counting for its share of days (days / days of that month).
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
    interest_stops_reason: str = ""
    payment_forbidden_from: dt.date | None = None
    both_ends: bool = False
    period_unit: PeriodUnit = "jours"


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
    rate_label: str = ""
    rate_basis: str = ""
    # Per-month convention: the share of a month this line covers (``basis`` is then 12).
    months: Decimal | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            **({"mois": f"{self.months.quantize(Decimal('0.0001'))}"} if self.months else {}),
            "debut_exclu": self.start.isoformat(),
            "fin_incluse": self.end.isoformat(),
            "jours": self.days,
            "assiette": _money(self.principal),
            "taux": _rate(self.rate),
            "base": self.basis,
            "montant": _money(self.amount),
            "origine_taux": self.rate_origin,
            "libelle_taux": self.rate_label,
            "fondement_taux": self.rate_basis,
            "semestre": half_year_code(self.start + _ONE_DAY),
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
    contractual_rate: str = ""
    bears_interest: bool = True

    @property
    def rate_labels(self) -> tuple[str, ...]:
        """The printable rate of each half-year (and each change within one), in order."""
        return tuple(dict.fromkeys(p.rate_label for p in self.periods if p.rate_label))

    def as_dict(self) -> dict[str, object]:
        return {
            "reference": self.reference,
            "libelle": self.label,
            "taux_contractuel": self.contractual_rate,
            "taux_libelles": list(self.rate_labels),
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
            "porte_interets": self.bears_interest,
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
    reserves: tuple[str, ...] = ()
    unconfirmed: tuple[Mapping[str, str], ...] = ()
    interest_stops: dt.date | None = None
    interest_stops_reason: str = ""

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
            "reserves": list(self.reserves),
            "taux_non_confirmes": [dict(item) for item in self.unconfirmed],
            "conventions": list(self.conventions),
            "interets_arretes": {
                "date": self.interest_stops.isoformat(),
                "motif": self.interest_stops_reason,
            }
            if self.interest_stops is not None
            else None,
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
        reserves=tuple(engine.reserves.values()),
        unconfirmed=tuple(engine.unconfirmed.values()),
        # Interest stopped within the décompte's span only.
        interest_stops=engine.stop if engine.stop < options.au else None,
        interest_stops_reason=options.interest_stops_reason if engine.stop < options.au else "",
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
        # Unconfirmed rates used, by (table, half-year): the printed reserve and its data.
        self.reserves: dict[tuple[str, str], str] = {}
        self.unconfirmed: dict[tuple[str, str], Mapping[str, str]] = {}

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def interest_start(self, claim: ClaimInput) -> dt.date | None:
        """Day from which interest runs for ``claim`` (excluded), None if it bears none."""
        regime = self.options.regime
        if not claim.bears_interest:
            return None
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

    def rate(self, claim: ClaimInput, day: dt.date) -> _Rate:
        """Annual rate (percent) for ``claim`` on ``day``, why, and whether it is confirmed."""
        options, tables = self.options, self.tables
        allow = options.allow_unconfirmed
        when = f"au {_half_year_text(day)}"
        if options.regime == "contractuel":
            assert claim.contractual_rate is not None  # checked in _check
            if isinstance(claim.contractual_rate, IndexedRate):
                return self._indexed(claim.contractual_rate, day, options.creditor_is_consumer)
            rate = claim.contractual_rate
            return _Rate(
                rate,
                "taux contractuel",
                confirmed=True,
                label=_fixed_label(rate),
                basis=f"taux convenu ; {_CONTRACT_BASIS}",
            )
        if options.regime == "interet_legal":
            legal = tables.legal_rate(day, options.creditor_is_consumer, allow)
            self._note_unconfirmed(legal, "interet_legal", options.creditor_is_consumer)
            category = "creancier_particulier" if options.creditor_is_consumer else "autres_cas"
            origin = f"intérêt légal, {legal.half_year} ({tables.categories[category]})"
            majoration = options.majoration_l313_3_from
            if majoration is not None and day >= majoration:
                points = tables.l313_3_majoration(day)
                origin += f", majoré de {points.value.normalize():f} points ({points.reference})"
                rate = legal.rate + points.value
                label = (
                    f"taux de l'intérêt légal majoré de {points.value.normalize():f} points "
                    f"(CMF, art. L313-3), soit {_pct(rate)} {when}"
                )
                basis = (
                    f"taux de l'intérêt légal du {legal.half_year} ({_pct(legal.rate)}) majoré "
                    f"de {points.value.normalize():f} points ; {_LEGAL_BASIS}, code monétaire "
                    "et financier, art. L313-3"
                )
                return _Rate(rate, origin, legal.confirmed, label, basis)
            label = f"taux de l'intérêt légal, soit {_pct(legal.rate)} {when}"
            basis = f"taux de l'intérêt légal du {legal.half_year} ; {_LEGAL_BASIS}"
            return _Rate(legal.rate, origin, legal.confirmed, label, basis)
        # penalites_l441_10: "aucun" never asks for a rate.
        if claim.contractual_rate is None:
            default = tables.late_payment_default_rate(day, allow)
            ecb = tables.ecb_rate_for_half_year(day, allow)
            self._note_unconfirmed(ecb, "bce")
            points = tables.ecb_majoration_points(day)
            label = (
                f"taux de la BCE majoré de {points.value.normalize():f} points (taux légal "
                f"des pénalités à défaut de clause, C. com. art. L441-10), soit "
                f"{_pct(default.rate)} {when}"
            )
            start = "1er janvier" if ecb.valid_from.month == 1 else "1er juillet"
            basis = (
                f"taux de la BCE au {start} {ecb.valid_from.year} ({_pct(ecb.rate)}) majoré de "
                f"{points.value.normalize():f} points, à défaut de taux convenu ; code de "
                "commerce, art. L441-10 II"
            )
            return _Rate(
                default.rate,
                f"{default.reference}, {default.half_year}",
                default.confirmed,
                label,
                basis,
            )
        if isinstance(claim.contractual_rate, IndexedRate):
            agreed = self._indexed(claim.contractual_rate, day, creditor_is_consumer=False)
        else:
            fixed = claim.contractual_rate
            agreed = _Rate(
                fixed,
                "taux contractuel",
                confirmed=True,
                label=_fixed_label(fixed),
                basis=f"taux convenu ; {_CONTRACT_BASIS}",
            )
        legal = tables.legal_rate(day, creditor_is_consumer=False, allow_unconfirmed=allow)
        factor = tables.penalty_floor_factor(day)
        floor = factor.value * legal.rate
        if agreed.rate >= floor:
            # The floor does not bind: the legal rate determined no amount, so a provisional
            # legal rate adds neither a reserve nor a draft state.
            return _Rate(
                agreed.rate,
                agreed.origin,
                agreed.confirmed,
                agreed.label,
                agreed.basis.replace(_CONTRACT_BASIS, "code de commerce, art. L441-10 II"),
            )
        self._note_unconfirmed(legal, "interet_legal")
        confirmed = legal.confirmed and agreed.confirmed
        agreed_text = (
            claim.contractual_rate.label()
            if isinstance(claim.contractual_rate, IndexedRate)
            else "le taux contractuel"
        )
        self.warn(
            f"Créance {claim.reference} : {agreed_text} ({_pct(agreed.rate)} au "
            f"{legal.half_year}) est inférieur au plancher de {factor.value.normalize():f} fois "
            f"le taux de l'intérêt légal ({factor.reference}) ; le plancher est appliqué pour "
            "les semestres concernés."
        )
        origin = (
            f"plancher {factor.value.normalize():f} × {format_percent(legal.rate)} "
            f"(intérêt légal « {tables.categories['autres_cas']} », {legal.half_year}), "
            f"le taux convenu ({agreed.origin}) étant inférieur"
        )
        label = (
            f"{factor.value.normalize():f} fois le taux de l'intérêt légal (plancher de "
            f"l'article L441-10 du Code de commerce, le taux convenu de {_pct(agreed.rate)} "
            f"étant inférieur), soit {_pct(floor)} {when}"
        )
        basis = (
            f"plancher de {factor.value.normalize():f} fois le taux de l'intérêt légal du "
            f"{legal.half_year} ({_pct(legal.rate)}), le taux convenu de {_pct(agreed.rate)} "
            "étant inférieur ; code de commerce, art. L441-10 II"
        )
        return _Rate(floor, origin, confirmed, label, basis)

    def _indexed(self, index: IndexedRate, day: dt.date, creditor_is_consumer: bool) -> _Rate:
        """A contractual rate defined from the legal or ECB rate of ``day``'s half-year."""
        tables, allow = self.tables, self.options.allow_unconfirmed
        if index.base == "bce":
            base = tables.ecb_rate_for_half_year(day, allow)
            self._note_unconfirmed(base, "bce")
            of = f"taux BCE du {base.half_year} {format_percent(base.rate)}"
        else:
            base = tables.legal_rate(day, creditor_is_consumer, allow)
            self._note_unconfirmed(base, "interet_legal", creditor_is_consumer)
            category = "creancier_particulier" if creditor_is_consumer else "autres_cas"
            of = (
                f"intérêt légal « {tables.categories[category]} » du {base.half_year} "
                f"{format_percent(base.rate)}"
            )
        rate = index.compute(base.rate)
        origin = f"taux contractuel : {index.label()} ({of})"
        label = f"{index.label()}, soit {_pct(rate)} au {base.half_year}"
        if index.base == "bce":
            start = "1er janvier" if base.valid_from.month == 1 else "1er juillet"
            value = f"{_pct(base.rate)} au {start} {base.valid_from.year}"
        else:
            value = f"{_pct(base.rate)} au {base.half_year}"
        basis = f"taux convenu, {index.label()} ({value}) ; {_CONTRACT_BASIS}"
        return _Rate(rate, origin, base.confirmed, label, basis)

    def _note_unconfirmed(
        self, value: RateValue, table: str, creditor_is_consumer: bool = False
    ) -> None:
        """Record an unconfirmed rate used: a warning, a printed reserve and its data."""
        if value.confirmed:
            return
        key = (table, half_year_code(value.valid_from))
        if table == "bce":
            start = "1er janvier" if value.valid_from.month == 1 else "1er juillet"
            what = "taux BCE"
            designation = f"taux de la BCE au {start} {value.valid_from.year}"
            reserve = (
                f"Taux de la BCE retenu au {start} {value.valid_from.year}\u00a0: "
                f"{_pct(value.rate)}, sous réserve de sa confirmation."
            )
            command = record_command("bce", value.valid_from)
        else:
            category = "creancier_particulier" if creditor_is_consumer else "autres_cas"
            key = (f"{table}/{category}", key[1])
            what = "intérêt légal"
            designation = f"taux de l'intérêt légal du {value.half_year}"
            reserve = (
                f"Taux de l'intérêt légal retenu pour le {value.half_year}\u00a0: "
                f"{_pct(value.rate)}, sous réserve de sa confirmation au Journal officiel."
            )
            command = record_command("interet_legal", value.valid_from)
        self.warn(
            f"Taux non confirmé utilisé pour le {value.half_year} ({what}) : ce décompte est "
            f"provisoire ; enregistrez le taux officiel dès sa publication (actes taux "
            f"ajouter), sans modifier {value.file}."
        )
        self.reserves.setdefault(key, reserve)
        self.unconfirmed.setdefault(
            key,
            {
                "table": table,
                "semestre": key[1],
                "taux": _rate(value.rate),
                "libelle": value.half_year,
                # « taux de l'intérêt légal du 2e semestre 2026 : 2,75 % » (draft banner).
                "designation": f"{designation}\u00a0: {_pct(value.rate)}",
                "commande": command,
            },
        )

    def indemnity_amount(self, claim: ClaimInput) -> Decimal:
        """Indemnity owed if ``claim`` is paid late under the current options, else zero."""
        options = self.options
        if options.regime != "penalites_l441_10" or not options.include_indemnity:
            return _ZERO
        if not claim.is_invoice:
            return _ZERO
        forbidden = options.payment_forbidden_from
        if forbidden is not None and claim.due_date >= forbidden:
            # Paying it was forbidden at maturity (C. com. L622-7): no late payment.
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
            if options.both_ends:
                sentences.append(
                    "Les deux bornes sont comptées : le jour où les intérêts commencent à "
                    "courir porte lui aussi intérêt (la première période part de la veille)."
                )
            if options.period_unit == "mois":
                sentences.append(
                    "Convention par mois : montant = assiette × taux annuel / 12 par mois de "
                    "retard, compté de date à date depuis le point de départ des intérêts ; un "
                    "mois commencé compte pour la part de ses jours écoulés (jours / nombre de "
                    "jours de ce mois)."
                )
            else:
                sentences.append(
                    f"Base de calcul : {tables.day_basis_labels[options.day_basis]} "
                    f"({tables.day_basis_source})."
                )
            sentences.append(
                "Montant d'une période = assiette × taux / 100 × "
                + ("part du mois / 12" if options.period_unit == "mois" else "jours / base")
                + ", arrondi au centime le plus proche (le demi-centime au centime supérieur), "
                "une seule fois par période ; les totaux sont la somme des périodes arrondies."
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
            # The actual reason, never a list of possible ones.
            reason = f" : {options.interest_stops_reason}" if options.interest_stops_reason else ""
            sentences.append(f"Intérêts arrêtés au {_fr_date(options.interest_stops)}{reason}.")
        sentences.append(
            "Imputation des paiements : d'abord sur les intérêts échus, puis sur le capital "
            "(Code civil, art. 1343-1)"
            + (
                ", enfin sur l'indemnité forfaitaire"
                if options.regime == "penalites_l441_10" and options.include_indemnity
                else ""
            )
            + " ; entre plusieurs "
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
    origin: dt.date = dt.date.min

    def __post_init__(self) -> None:
        self.principal = self.claim.amount
        self.start = self.engine.interest_start(self.claim)
        self.cursor = self.start or dt.date.min
        if self.start is not None and self.engine.options.both_ends:
            # Both ends counted: the start day bears interest too.
            self.cursor = self.start - _ONE_DAY
        # Origin of the months of delay under the per-month convention.
        self.origin = self.cursor

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
                used = self.engine.rate(self.claim, first_day)
                rate = used.rate
                exact = options.day_basis == "exact"
                basis = 366 if exact and calendar.isleap(line_end.year) else 365
                days = (line_end - self.cursor).days
                months: Decimal | None = None
                if options.period_unit == "mois":
                    basis = 12
                    months = self._month_share(line_end)
                    raw = _EXACT.divide(base * rate * months, Decimal(100 * basis))
                else:
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
                        rate_origin=used.origin,
                        confirmed=used.confirmed,
                        rate_label=used.label,
                        rate_basis=used.basis,
                        months=months,
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

    def _month_bounds(self, day: dt.date) -> tuple[dt.date, dt.date]:
        """The month of delay holding the day after ``day``: (start excluded, end included)."""
        count = 0
        while _add_months(self.origin, count + 1) <= day:
            count += 1
        return _add_months(self.origin, count), _add_months(self.origin, count + 1)

    def _month_share(self, line_end: dt.date) -> Decimal:
        """Share of its month of delay covered by the line from the cursor to ``line_end``."""
        first, last = self._month_bounds(self.cursor)
        return _EXACT.divide(Decimal((line_end - self.cursor).days), Decimal((last - first).days))

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
        if self.engine.options.period_unit == "mois":
            month_end = self._month_bounds(self.cursor)[1]
            while month_end < end:
                cuts.add(month_end)
                month_end = self._month_bounds(month_end)[1]
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
            contractual_rate=_contract_text(claim.contractual_rate),
            bears_interest=claim.bears_interest,
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
    if options.period_unit not in _PERIOD_UNITS:
        add(
            "options.period_unit",
            f"convention « {options.period_unit} » inconnue",
            "« jours » ou « mois »",
        )
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
        if isinstance(rate, Decimal) and (not rate.is_finite() or rate < 0):
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


@dataclass(frozen=True)
class _Rate:
    """A rate applied on one day: percent, French origin, confirmed, printable label."""

    rate: Decimal
    origin: str
    confirmed: bool
    label: str
    # What the rate is and the text it rests on, as printed beside it in a filed document:
    # « taux de la BCE au 1er juillet 2026 (2,40 %) majoré de 10 points, à défaut de taux
    # convenu ; code de commerce, art. L441-10 II ».
    basis: str = ""


def _half_year_text(day: dt.date) -> str:
    start = half_year_bounds(day)[0]
    return f"{'1er' if start.month == 1 else '2e'} semestre {start.year}"


def _pct(rate: Decimal) -> str:
    """« 7,86 % » with a no-break space, as printed in documents."""
    return format_percent(rate).replace(" %", "\u00a0%")


_CONTRACT_BASIS = "code civil, art. 1103 et 1343-1 al. 2"
_LEGAL_BASIS = "code civil, art. 1231-6 ; code monétaire et financier, art. L313-2"


def _fixed_label(rate: Decimal) -> str:
    return f"taux contractuel de {_pct(rate)}"


def _contract_text(rate: Decimal | IndexedRate | None) -> str:
    if rate is None:
        return ""
    if isinstance(rate, IndexedRate):
        return rate.label()
    return _pct(rate)


def _money(amount: Decimal) -> str:
    return f"{amount.quantize(_CENT, rounding=ROUND_HALF_UP)}"


def _rate(rate: Decimal) -> str:
    return format_percent(rate).removesuffix(" %").replace(",", ".")


def _fr_money(amount: Decimal) -> str:
    return f"{_money(amount).replace('.', ',')} €"


def _fr_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")
