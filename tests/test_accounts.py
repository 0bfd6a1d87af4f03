"""The décompte of the example cases, recomputed by hand (arithmetic in the comments)."""

from __future__ import annotations

import json
from decimal import Decimal

from click.testing import CliRunner

from actes.cases.case import load_case
from actes.cli import main
from actes.law.accounts import decompte_for_case, interest_regime

from .conftest import AU, example_path


def test_b2b_penalties_payment_and_indemnities() -> None:
    case = load_case(example_path("b2b-factures-impayees"), au=AU)
    assert interest_regime(case)[0] == "penalites_l441_10"
    result = decompte_for_case(case, AU)
    # FA-2026-0117 stipulates « 3 fois le taux d'intérêt légal »: 2026 S2 legal rate « autres
    # cas » 2.75 % (not confirmed, allowed by the case) × 3 = 8.25 % (= the L441-10 floor).
    # FA-2026-0117, 4 320.00 due 2 Jul: 2 Jul -> 20 Aug = 49 days:
    #   4320 × 0.0825 × 49 / 365 = 47.846… -> 47.85
    # Payment 1 000.00 on 20 Aug named FA-0117: 47.85 to interest, 952.15 to principal.
    #   3367.85 × 0.0825 × 96 / 365 (20 Aug -> 24 Nov) = 73.078… -> 73.08
    # FA-2026-0142 has no clause: default rate ECB 2.40 % (not confirmed) + 10 = 12.40 %.
    #   2 700.00 due 31 Jul: 116 days: 2700 × 0.124 × 116 / 365 = 106.405… -> 106.40
    # Interest 47.85 + 73.08 + 106.40 = 227.33; indemnities 2 × 40.00 = 80.00.
    # Total 7 020.00 − 1 000.00 + 227.33 + 80.00 = 6 327.33.
    assert result.interest == Decimal("227.33")
    assert result.indemnities == Decimal("80.00")
    assert result.total_due == Decimal("6327.33")
    assert any("2e semestre 2026" in w for w in result.warnings)


def test_consumer_legal_interest_from_receipt_of_the_notice() -> None:
    case = load_case(example_path("b2c-travaux-consommateur"), au=AU)
    assert interest_regime(case)[0] == "interet_legal"
    result = decompte_for_case(case, AU)
    # Creditor professional -> legal rate "autres cas"; 2026 S2 reported 2.75 % (unconfirmed).
    # Notice received 3 Sep 2026; principal 4 330.00 − 300.00 paid 10 Jul = 4 030.00.
    # The interest-free plan signed 5 Oct 2026 stops interest: 3 Sep -> 5 Oct = 32 days:
    # 4030 × 0.0275 × 32 / 365 = 9.716… -> 9.72. The 180.00 of 9 Oct pays 9.72 then 170.28.
    # Total 4 330.00 − 480.00 + 9.72 = 3 859.72. No indemnity.
    assert result.interest == Decimal("9.72")
    assert result.indemnities == Decimal("0.00")
    assert result.total_due == Decimal("3859.72")


def test_interest_stops_at_the_opening_judgment() -> None:
    case = load_case(example_path("liquidation-judiciaire"), au=AU)
    result = decompte_for_case(case, AU)
    for claim in result.claims:
        assert all(p.end.isoformat() <= "2026-10-14" for p in claim.periods)


def test_cli_decompte_json() -> None:
    done = CliRunner().invoke(
        main,
        ["decompte", str(example_path("b2b-factures-impayees")), "--au", "2026-11-24", "--json"],
    )
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["totaux"]["total_du"] == "6327.33"
    assert data["fondement_regime"] == "C. com. art. L441-10 II"
    text = (
        CliRunner()
        .invoke(
            main, ["decompte", str(example_path("b2b-factures-impayees")), "--au", "2026-11-24"]
        )
        .output
    )
    text = text.replace("\u202f", " ").replace("\xa0", " ")
    assert "6 327,33 €" in text
    assert "12,40 %" in text
