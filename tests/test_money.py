"""Décompte engine: hand-computed examples (arithmetic written out) and properties."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actes.errors import InputError, PreconditionFailed, RateMissing
from actes.law.money import (
    ClaimInput,
    Decompte,
    DecompteOptions,
    PaymentInput,
    compute_decompte,
    majoration_start,
)

D = Decimal
date = dt.date


NEW_YEAR_2026 = date(2026, 1, 1)


def claim(
    reference: str = "F1",
    due: dt.date = NEW_YEAR_2026,
    amount: str = "1000.00",
    rate: str | None = None,
    *,
    is_invoice: bool = True,
) -> ClaimInput:
    return ClaimInput(
        reference=reference,
        label=f"Facture {reference}",
        due_date=due,
        amount=D(amount),
        contractual_rate=None if rate is None else D(rate),
        is_invoice=is_invoice,
    )


def pay(day: dt.date, amount: str, reference: str = "V1", to: str | None = None) -> PaymentInput:
    return PaymentInput(date=day, amount=D(amount), reference=reference, claim_reference=to)


def lines(result: Decompte, index: int = 0) -> list[tuple[dt.date, dt.date, int, str, str]]:
    return [
        (p.start, p.end, p.days, str(p.rate), str(p.amount)) for p in result.claims[index].periods
    ]


def assert_balanced(result: Decompte) -> None:
    for account in result.claims:
        assert account.interest_total == sum((p.amount for p in account.periods), D(0))
        assert account.total_due == (
            account.principal
            - account.paid_principal
            - account.paid_interest
            - account.paid_indemnity
            + account.interest_total
            + account.indemnity
        )
    assert result.total_due == sum((a.total_due for a in result.claims), D(0))
    assert result.total_due == (
        result.principal - result.payments + result.interest + result.indemnities
    )


# --- legal interest ------------------------------------------------------------------------


def test_legal_interest_one_period() -> None:
    # Mise en demeure 1 Feb 2026 (excluded) to 4 March 2026 (included): 31 days.
    # 1 000,00 × 2,62 % × 31 / 365 = 81 220 / 36 500 = 2,2252… → 2,23
    options = DecompteOptions(
        "interet_legal", au=date(2026, 3, 4), mise_en_demeure=date(2026, 2, 1)
    )
    result = compute_decompte([claim()], [], options)
    assert lines(result) == [(date(2026, 2, 1), date(2026, 3, 4), 31, "2.62", "2.23")]
    assert result.claims[0].periods[0].basis == 365
    assert result.total_due == D("1002.23")
    assert result.indemnities == 0
    assert_balanced(result)
    assert any("L111-8" in sentence for sentence in result.conventions)


def test_period_straddling_1_july_uses_two_rates() -> None:
    # Creditor natural person: 7,21 % in 2025 S1, 6,65 % in 2025 S2.
    # 20 → 30 June: 10 days, 1 000 × 7,21 × 10 / 36 500 = 1,9753… → 1,98
    # 30 June → 10 July: 10 days, 1 000 × 6,65 × 10 / 36 500 = 1,8219… → 1,82
    options = DecompteOptions(
        "interet_legal",
        au=date(2025, 7, 10),
        mise_en_demeure=date(2025, 6, 20),
        creditor_is_consumer=True,
    )
    result = compute_decompte([claim(due=date(2025, 6, 1))], [], options)
    assert lines(result) == [
        (date(2025, 6, 20), date(2025, 6, 30), 10, "7.21", "1.98"),
        (date(2025, 6, 30), date(2025, 7, 10), 10, "6.65", "1.82"),
    ]
    assert result.interest == D("3.80")
    assert_balanced(result)


def test_rate_boundary_31_december_2025() -> None:
    # « Autres cas »: 2,76 % on 31 Dec 2025, 2,62 % from 1 Jan 2026.
    # 30 → 31 Dec: 1 day, 10 000 × 2,76 × 1 / 36 500 = 0,7561… → 0,76
    # 31 Dec → 1 Jan: 1 day, 10 000 × 2,62 × 1 / 36 500 = 0,7178… → 0,72
    options = DecompteOptions(
        "interet_legal", au=date(2026, 1, 1), mise_en_demeure=date(2025, 12, 30)
    )
    result = compute_decompte([claim(due=date(2025, 12, 1), amount="10000.00")], [], options)
    assert lines(result) == [
        (date(2025, 12, 30), date(2025, 12, 31), 1, "2.76", "0.76"),
        (date(2025, 12, 31), date(2026, 1, 1), 1, "2.62", "0.72"),
    ]


def test_notice_before_due_date_counts_from_due_date() -> None:
    options = DecompteOptions(
        "interet_legal", au=date(2026, 3, 4), mise_en_demeure=date(2026, 1, 1)
    )
    result = compute_decompte([claim(due=date(2026, 2, 1))], [], options)
    assert lines(result)[0][:3] == (date(2026, 2, 1), date(2026, 3, 4), 31)
    assert any("précède l'échéance" in warning for warning in result.warnings)


def test_legal_interest_needs_a_notice() -> None:
    with pytest.raises(InputError) as caught:
        compute_decompte([claim()], [], DecompteOptions("interet_legal", au=date(2026, 3, 4)))
    assert caught.value.issues[0].json_path == "options.mise_en_demeure"


# --- L441-10 penalties ---------------------------------------------------------------------


def test_default_penalties_ecb_plus_10_in_2026_s1() -> None:
    # ECB 2,15 % on 1 Jan 2026 + 10 points = 12,15 %; from 31 Jan (excluded) to 2 March: 30 days.
    # 1 000 × 12,15 × 30 / 36 500 = 364 500 / 36 500 = 9,9863… → 9,99; plus the 40,00 € indemnity.
    options = DecompteOptions("penalites_l441_10", au=date(2026, 3, 2))
    result = compute_decompte([claim(due=date(2026, 1, 31))], [], options)
    assert lines(result) == [(date(2026, 1, 31), date(2026, 3, 2), 30, "12.15", "9.99")]
    assert result.claims[0].indemnity == D("40.00")
    assert result.total_due == D("1049.99")
    assert_balanced(result)


def test_contract_rate_below_floor_is_raised_to_3_times_legal_rate() -> None:
    # 5 % < 3 × 2,62 % = 7,86 % in 2026 S1. 28 Feb → 30 March: 30 days.
    # 2 000 × 7,86 × 30 / 36 500 = 471 600 / 36 500 = 12,9205… → 12,92
    options = DecompteOptions("penalites_l441_10", au=date(2026, 3, 30))
    result = compute_decompte(
        [claim(due=date(2026, 2, 28), amount="2000.00", rate="5")], [], options
    )
    assert lines(result) == [(date(2026, 2, 28), date(2026, 3, 30), 30, "7.86", "12.92")]
    assert "plancher" in result.claims[0].periods[0].rate_origin
    assert any("inférieur au plancher" in warning for warning in result.warnings)


def test_contract_rate_above_floor_applies() -> None:
    # 2 000 × 10 × 30 / 36 500 = 600 000 / 36 500 = 16,4383… → 16,44
    options = DecompteOptions("penalites_l441_10", au=date(2026, 3, 30))
    result = compute_decompte(
        [claim(due=date(2026, 2, 28), amount="2000.00", rate="10")], [], options
    )
    assert lines(result) == [(date(2026, 2, 28), date(2026, 3, 30), 30, "10", "16.44")]
    assert result.warnings == ()


def test_indemnity_per_invoice_only() -> None:
    options = DecompteOptions("penalites_l441_10", au=date(2026, 3, 2))
    claims = [claim("F1", date(2026, 1, 31)), claim("A1", date(2026, 1, 31), is_invoice=False)]
    result = compute_decompte(claims, [], options)
    assert [a.indemnity for a in result.claims] == [D("40.00"), D("0.00")]
    no_indemnity = DecompteOptions(
        "penalites_l441_10", au=date(2026, 3, 2), include_indemnity=False
    )
    assert compute_decompte(claims, [], no_indemnity).indemnities == 0


def test_invoice_paid_on_due_date_owes_no_indemnity() -> None:
    options = DecompteOptions("penalites_l441_10", au=date(2026, 3, 2))
    result = compute_decompte(
        [claim(due=date(2026, 1, 31))], [pay(date(2026, 1, 31), "1000.00")], options
    )
    assert result.total_due == 0
    assert result.claims[0].periods == ()
    assert result.indemnities == 0


def test_b2b_versus_b2c() -> None:
    claims = [claim("F1", date(2026, 1, 31))]
    b2b = compute_decompte(claims, [], DecompteOptions("penalites_l441_10", au=date(2026, 3, 2)))
    assert b2b.indemnities == D("40.00")
    # A consumer debtor: the caller picks legal interest; no recovery costs (CPCE L111-8).
    b2c = compute_decompte(
        claims,
        [],
        DecompteOptions("interet_legal", au=date(2026, 3, 2), mise_en_demeure=date(2026, 2, 1)),
    )
    assert b2c.indemnities == 0
    assert all(a.indemnity == 0 for a in b2c.claims)


def test_consumer_creditor_cannot_claim_penalties() -> None:
    options = DecompteOptions("penalites_l441_10", au=date(2026, 3, 2), creditor_is_consumer=True)
    with pytest.raises(PreconditionFailed, match="L441-10"):
        compute_decompte([claim()], [], options)


# --- payments ------------------------------------------------------------------------------


def test_payment_covering_interest_only() -> None:
    # To 4 March: 31 days → 2,23 (see above), paid exactly, principal untouched.
    # 4 March → 3 April: 30 days, 1 000 × 2,62 × 30 / 36 500 = 2,1534… → 2,15
    options = DecompteOptions(
        "interet_legal", au=date(2026, 4, 3), mise_en_demeure=date(2026, 2, 1)
    )
    result = compute_decompte([claim()], [pay(date(2026, 3, 4), "2.23")], options)
    (imputation,) = result.imputations
    assert (imputation.interest, imputation.principal) == (D("2.23"), D("0.00"))
    account = result.claims[0]
    assert lines(result) == [
        (date(2026, 2, 1), date(2026, 3, 4), 31, "2.62", "2.23"),
        (date(2026, 3, 4), date(2026, 4, 3), 30, "2.62", "2.15"),
    ]
    assert (account.paid_interest, account.outstanding_principal) == (D("2.23"), D("1000.00"))
    assert account.interest_outstanding == D("2.15")
    assert result.total_due == D("1002.15")
    assert_balanced(result)


def test_payment_over_several_claims_by_1342_10() -> None:
    # At 1 March 2026, 12,15 %:
    # F1 (due 15 Jan): 45 days, 1 000 × 12,15 × 45 / 36 500 = 14,979… → 14,98;
    #   14,98 + 1 000 + 40 = 1 054,98
    # F2 (due 15 Feb): 14 days, 500 × 12,15 × 14 / 36 500 = 2,3301… → 2,33; + 500 + 40 = 542,33
    # 1 600,00 − 1 054,98 − 542,33 = 2,69 left for F3, not yet due (1 May): paid in advance.
    claims = [
        claim("F3", date(2026, 5, 1), "300.00"),
        claim("F2", date(2026, 2, 15), "500.00"),
        claim("F1", date(2026, 1, 15), "1000.00"),
    ]
    options = DecompteOptions("penalites_l441_10", au=date(2026, 3, 31))
    result = compute_decompte(claims, [pay(date(2026, 3, 1), "1600.00")], options)
    got = [(i.claim_reference, i.interest, i.principal, i.indemnity) for i in result.imputations]
    assert got == [
        ("F1", D("14.98"), D("1000.00"), D("40.00")),
        ("F2", D("2.33"), D("500.00"), D("40.00")),
        ("F3", D("0.00"), D("2.69"), D("0.00")),
    ]
    assert "non encore échue" in result.imputations[2].rule
    assert [a.total_due for a in result.claims] == [D("297.31"), D("0.00"), D("0.00")]
    assert result.total_due == D("297.31")
    assert any("n'est pas échue" in warning for warning in result.warnings)
    assert_balanced(result)


def test_payment_naming_a_claim_goes_to_it_first() -> None:
    claims = [claim("F1", date(2026, 1, 15)), claim("F2", date(2026, 2, 15), "500.00")]
    options = DecompteOptions("penalites_l441_10", au=date(2026, 3, 1))
    result = compute_decompte(claims, [pay(date(2026, 3, 1), "100.00", to="F2")], options)
    (imputation,) = result.imputations
    assert imputation.claim_reference == "F2"
    assert "désignée" in imputation.rule
    # F2 interest 2,33 (see above) first, then 97,67 of principal.
    assert (imputation.interest, imputation.principal) == (D("2.33"), D("97.67"))


def test_untouched_claim_keeps_its_line_whole() -> None:
    claims = [claim("F1", date(2026, 1, 15)), claim("F2", date(2026, 1, 15))]
    options = DecompteOptions("penalites_l441_10", au=date(2026, 3, 31))
    result = compute_decompte(claims, [pay(date(2026, 2, 1), "10.00", to="F1")], options)
    assert len(result.claims[0].periods) == 2
    assert len(result.claims[1].periods) == 1


def test_overpayment_is_reported_as_surplus() -> None:
    options = DecompteOptions("aucun", au=date(2026, 3, 1))
    result = compute_decompte([claim()], [pay(date(2026, 2, 1), "1200.00")], options)
    assert (result.total_due, result.payments, result.surplus) == (D(0), D("1000.00"), D("200.00"))
    assert any("excédent" in warning for warning in result.warnings)
    assert_balanced(result)


# --- majoration, capitalisation, day basis, stop ---------------------------------------------


def test_majoration_start_two_months_then_next_day() -> None:
    assert majoration_start(date(2026, 1, 10)) == date(2026, 3, 11)
    # 31 December + 2 months has no 31 February: the delay ends on 28 February.
    assert majoration_start(date(2025, 12, 31)) == date(2026, 3, 1)


def test_l313_3_majoration_adds_5_points() -> None:
    # Creditor natural person, 6,67 % in 2026 S1; decision enforceable 10 Jan → +5 from 11 March.
    # 1 Jan → 10 Mar: 68 days, 1 000 × 6,67 × 68 / 36 500 = 12,4263… → 12,43
    # 10 Mar → 31 Mar: 21 days, 1 000 × 11,67 × 21 / 36 500 = 6,7142… → 6,71
    options = DecompteOptions(
        "interet_legal",
        au=date(2026, 3, 31),
        creditor_is_consumer=True,
        mise_en_demeure=date(2026, 1, 1),
        majoration_l313_3_from=majoration_start(date(2026, 1, 10)),
    )
    result = compute_decompte([claim(due=date(2025, 12, 1))], [], options)
    assert lines(result) == [
        (date(2026, 1, 1), date(2026, 3, 10), 68, "6.67", "12.43"),
        (date(2026, 3, 10), date(2026, 3, 31), 21, "11.67", "6.71"),
    ]
    assert "L313-3" in result.claims[0].periods[1].rate_origin
    assert_balanced(result)


def test_majoration_only_with_legal_interest() -> None:
    options = DecompteOptions(
        "penalites_l441_10", au=date(2026, 3, 31), majoration_l313_3_from=date(2026, 3, 1)
    )
    with pytest.raises(InputError, match="problème"):
        compute_decompte([claim()], [], options)


def test_capitalisation_on_and_off() -> None:
    # Contract 10 % from 1 Jan 2025. First year, 365 days cut at half-years and the anniversary:
    # 180 d: 1 000 × 10 × 180 / 36 500 = 49,315… → 49,32
    # 184 d: 1 000 × 10 × 184 / 36 500 = 50,410… → 50,41
    #   1 d: 1 000 × 10 × 1 / 36 500 = 0,2739… → 0,27        year total 100,00, capitalised
    # then 60 d on 1 100: 1 100 × 10 × 60 / 36 500 = 18,082… → 18,08
    # Without capitalisation: 61 d on 1 000: 610 000 / 36 500 = 16,712… → 16,71
    claims = [claim(due=date(2025, 1, 1), rate="10")]
    on = DecompteOptions("contractuel", au=date(2026, 3, 2), capitalisation=True)
    off = DecompteOptions("contractuel", au=date(2026, 3, 2))
    with_cap = compute_decompte(claims, [], on)
    assert lines(with_cap) == [
        (date(2025, 1, 1), date(2025, 6, 30), 180, "10", "49.32"),
        (date(2025, 6, 30), date(2025, 12, 31), 184, "10", "50.41"),
        (date(2025, 12, 31), date(2026, 1, 1), 1, "10", "0.27"),
        (date(2026, 1, 1), date(2026, 3, 2), 60, "10", "18.08"),
    ]
    assert with_cap.claims[0].periods[-1].principal == D("1100.00")
    assert with_cap.claims[0].capitalised_interest == D("100.00")
    assert with_cap.total_due == D("1118.08")
    assert_balanced(with_cap)
    without = compute_decompte(claims, [], off)
    assert lines(without)[-1] == (date(2025, 12, 31), date(2026, 3, 2), 61, "10", "16.71")
    assert without.total_due == D("1116.44")


def test_exact_day_basis_in_leap_year() -> None:
    # 2024: 31 Jan → 1 Mar, 30 days. 365: 300 000 / 36 500 = 8,219… → 8,22;
    # exact: 300 000 / 36 600 = 8,196… → 8,20
    claims = [claim(due=date(2024, 1, 31), rate="10")]
    default = compute_decompte(claims, [], DecompteOptions("contractuel", au=date(2024, 3, 1)))
    exact = compute_decompte(
        claims, [], DecompteOptions("contractuel", au=date(2024, 3, 1), day_basis="exact")
    )
    assert (default.interest, default.claims[0].periods[0].basis) == (D("8.22"), 365)
    assert (exact.interest, exact.claims[0].periods[0].basis) == (D("8.20"), 366)


def test_interest_stops_at_opening_judgment() -> None:
    reason = "jugement d'ouverture du 2 mars 2026 (Code de commerce, art. L622-28)"
    options = DecompteOptions(
        "penalites_l441_10",
        au=date(2026, 6, 1),
        interest_stops=date(2026, 3, 2),
        interest_stops_reason=reason,
    )
    result = compute_decompte([claim(due=date(2026, 1, 31))], [], options)
    assert lines(result) == [(date(2026, 1, 31), date(2026, 3, 2), 30, "12.15", "9.99")]
    # The actual reason, never the list of possible ones (L622-28 or L722-14).
    [stop] = [s for s in result.conventions if s.startswith("Intérêts arrêtés")]
    assert stop == f"Intérêts arrêtés au 02/03/2026 : {reason}."


# --- missing and unconfirmed rates ---------------------------------------------------------


def test_date_outside_tables_raises_rate_missing() -> None:
    options = DecompteOptions(
        "interet_legal", au=date(2000, 2, 1), mise_en_demeure=date(1999, 6, 1)
    )
    with pytest.raises(RateMissing, match="1er semestre 1999"):
        compute_decompte([claim(due=date(1999, 5, 1))], [], options)


def test_unconfirmed_2026_s2_raises_by_default() -> None:
    options = DecompteOptions(
        "interet_legal", au=date(2026, 7, 31), mise_en_demeure=date(2026, 6, 30)
    )
    with pytest.raises(RateMissing, match="2e semestre 2026"):
        compute_decompte([claim()], [], options)
    with pytest.raises(RateMissing, match="BCE"):
        compute_decompte([claim()], [], DecompteOptions("penalites_l441_10", au=date(2026, 7, 31)))


def test_unconfirmed_2026_s2_allowed_with_warning() -> None:
    # 30 June → 31 July: 31 days at the reported 2,75 %:
    # 1 000 × 2,75 × 31 / 36 500 = 2,3356… → 2,34
    options = DecompteOptions(
        "interet_legal",
        au=date(2026, 7, 31),
        mise_en_demeure=date(2026, 6, 30),
        allow_unconfirmed=True,
    )
    result = compute_decompte([claim()], [], options)
    assert lines(result) == [(date(2026, 6, 30), date(2026, 7, 31), 31, "2.75", "2.34")]
    assert not result.claims[0].periods[0].confirmed
    (warning,) = result.warnings
    assert "2e semestre 2026" in warning and "interet_legal.yaml" in warning


# --- input checks and output ---------------------------------------------------------------


def test_bad_inputs_are_listed_together() -> None:
    claims = [claim("F1", amount="0.00"), claim("F1", amount="10.001")]
    payments = [pay(date(2027, 1, 1), "5.00", to="X")]
    with pytest.raises(InputError) as caught:
        compute_decompte(claims, payments, DecompteOptions("contractuel", au=date(2026, 3, 1)))
    paths = {issue.json_path for issue in caught.value.issues}
    assert {
        "creances[0].amount",
        "creances[1].amount",
        "creances[1].reference",
        "creances[0].contractual_rate",
        "paiements[0].date",
        "paiements[0].claim_reference",
    } <= paths


def test_as_dict_has_french_keys_and_two_decimals() -> None:
    options = DecompteOptions("penalites_l441_10", au=date(2026, 3, 2))
    result = compute_decompte(
        [claim(due=date(2026, 1, 31))], [pay(date(2026, 2, 1), "100")], options
    )
    # The JSON round trip checks that the dict is serialisable as it stands.
    data: Any = json.loads(json.dumps(result.as_dict()))
    totals = data["totaux"]
    assert set(totals) == {
        "principal",
        "paiements",
        "interets",
        "indemnites",
        "total_du",
        "excedent",
    }
    assert totals["paiements"] == "100.00"
    (account,) = data["creances"]
    assert account["periodes"][0]["taux"] == "12.15"
    assert account["periodes"][0]["debut_exclu"] == "2026-01-31"
    assert data["imputations"][0]["creance"] == "F1"


# --- properties ----------------------------------------------------------------------------

_days = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 6, 30))
_cents = st.integers(min_value=1, max_value=5_000_000).map(lambda n: D(n).scaleb(-2))
_claims = st.lists(st.tuples(_days, _cents, st.booleans()), min_size=1, max_size=4).map(
    lambda items: [
        ClaimInput(f"F{i}", f"Facture {i}", due, amount, is_invoice=invoice)
        for i, (due, amount, invoice) in enumerate(items)
    ]
)
_payments = st.lists(st.tuples(_days, _cents), max_size=4)
_regimes = st.sampled_from(["penalites_l441_10", "interet_legal", "contractuel", "aucun"])


def _options(regime: str, au: dt.date, **extra: object) -> DecompteOptions:
    return DecompteOptions(
        regime,  # type: ignore[arg-type]
        au=au,
        mise_en_demeure=date(2015, 1, 1),
        **extra,  # type: ignore[arg-type]
    )


def _with_rates(claims: list[ClaimInput], regime: str) -> list[ClaimInput]:
    if regime != "contractuel":
        return claims
    return [
        ClaimInput(c.reference, c.label, c.due_date, c.amount, contractual_rate=D("7.5"))
        for c in claims
    ]


@settings(max_examples=150, deadline=None)
@given(claims=_claims, raw_payments=_payments, regime=_regimes, capitalisation=st.booleans())
def test_total_is_sum_of_lines(
    claims: list[ClaimInput],
    raw_payments: list[tuple[dt.date, Decimal]],
    regime: str,
    capitalisation: bool,
) -> None:
    payments = [pay(day, str(amount), f"V{i}") for i, (day, amount) in enumerate(raw_payments)]
    options = _options(regime, date(2026, 6, 30), capitalisation=capitalisation)
    assert_balanced(compute_decompte(_with_rates(claims, regime), payments, options))


@settings(max_examples=150, deadline=None)
@given(claims=_claims, regime=_regimes, first=_days, second=_days)
def test_more_days_never_less_interest(
    claims: list[ClaimInput], regime: str, first: dt.date, second: dt.date
) -> None:
    early, late = sorted((first, second))
    claims = _with_rates(claims, regime)
    sooner = compute_decompte(claims, [], _options(regime, early))
    later = compute_decompte(claims, [], _options(regime, late))
    assert later.interest >= sooner.interest
    assert later.total_due >= sooner.total_due


@settings(max_examples=150, deadline=None)
@given(claims=_claims, raw_payments=_payments, extra=st.tuples(_days, _cents), regime=_regimes)
def test_a_payment_never_increases_the_total(
    claims: list[ClaimInput],
    raw_payments: list[tuple[dt.date, Decimal]],
    extra: tuple[dt.date, Decimal],
    regime: str,
) -> None:
    claims = _with_rates(claims, regime)
    payments = [pay(day, str(amount), f"V{i}") for i, (day, amount) in enumerate(raw_payments)]
    more = [*payments, pay(extra[0], str(extra[1]), "EXTRA")]
    options = _options(regime, date(2026, 6, 30))
    without = compute_decompte(claims, payments, options)
    with_extra = compute_decompte(claims, more, options)
    assert with_extra.total_due <= without.total_due
