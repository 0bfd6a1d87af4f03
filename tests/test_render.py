"""Rendering every template from the example cases; expected amounts computed here by hand.

Amounts are recomputed in each test from the case data with written arithmetic (L441-10
penalties, legal interest), never by calling the engine, and compared to the printed text.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from actes.documents.render import render_documents, render_template
from actes.errors import CaseError, PreconditionFailed, RenderError
from actes.law.rates import record_rate

from .conftest import docx_text, plain_spaces

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AU = dt.date(2026, 11, 24)
NNBSP, NBSP = "\u202f", "\u00a0"


def euros(value: Decimal) -> str:
    """« 6 388,93 € » written without Babel: groups of three, narrow no-break spaces."""
    whole, cents = f"{value.quantize(Decimal('0.01')):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{NNBSP.join(groups)},{cents}{NBSP}€"


def interest(base: str, rate: str, days: int) -> Decimal:
    """base × rate % × days / 365, rounded to the cent (the convention of service-public.fr)."""
    raw = Decimal(base) * Decimal(rate) / 100 * days / 365
    return raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def copy_example(name: str, tmp_path: Path, edit: Any = None) -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLES / name, target)
    path = target / "dossier.yaml"
    if edit is not None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture
def rates_2026_s2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A firm's workspace where the 2026 S2 rates were recorded as published (the reported
    figures): a filed document refuses an unconfirmed rate (docs/rates.md)."""
    workspace = tmp_path / "cabinet"
    workspace.mkdir()
    (workspace / "actes.toml").write_text("", encoding="utf-8")
    start = dt.date(2026, 7, 1)
    legal = {"creancier_particulier": Decimal("6.84"), "autres_cas": Decimal("2.75")}
    record_rate(workspace, "interet_legal", start, legal, reference="arrêté", source="essai")
    record_rate(workspace, "bce", start, {"taux": Decimal("2.40")}, reference="BCE", source="x")
    monkeypatch.setenv("ACTES_WORKSPACE", str(workspace))
    return workspace


def render(procedure: str, case: Path, outdir: Path, au: dt.date = AU) -> dict[str, str]:
    written = render_documents(procedure, case, outdir, au)
    return {path.name: docx_text(path) for path in written}


# --------------------------------------------------------------------------- B2B


def b2b_expected() -> dict[str, Decimal]:
    # FA-2026-0117: 4 320 € due 2 July 2026; 1 000 € paid 20 August 2026; its invoice
    # stipulates « 3 fois le taux d'intérêt légal »: 3 × 2.75 % (2026 S2 « autres cas », not
    # confirmed) = 8.25 %. FA-2026-0142: 2 700 € due 31 July 2026, no clause: L441-10 default
    # rate 2026 S2 = ECB 2.40 + 10 = 12.40 % (legal reference §2.3, not confirmed; the case
    # accepts unconfirmed rates).
    first = interest("4320.00", "8.25", 49)  # 3 July to 20 August included
    principal_after = Decimal("4320.00") - (Decimal("1000.00") - first)  # interest paid first
    second = interest(str(principal_after), "8.25", 96)  # 21 August to 24 November
    third = interest("2700.00", "12.40", 116)  # 1 August to 24 November
    penalties = first + second + third
    total = Decimal("7020.00") - Decimal("1000.00") + penalties + 2 * Decimal("40")
    return {"penalties": penalties, "total": total}


def test_mise_en_demeure_professionnel(tmp_path: Path) -> None:
    files = render(
        "mise_en_demeure_professionnel", EXAMPLES / "b2b-factures-impayees/dossier.yaml", tmp_path
    )
    assert list(files) == ["REC-2026-0147-mise-en-demeure.docx"]
    text = files["REC-2026-0147-mise-en-demeure.docx"]
    expected = b2b_expected()
    assert expected["total"] == Decimal("6327.33")  # the arithmetic above, checked once by hand
    assert euros(expected["total"]) in text
    assert euros(expected["penalties"]) in text
    assert euros(Decimal("80")) in text  # two invoices × 40 € (D441-5)
    assert euros(Decimal("7020")) in text
    for needed in (
        "Lettre recommandée avec demande d'avis de réception",
        "Objet\u00a0: Mise en demeure de payer",
        "Nos références\u00a0: REC-2026-0147",
        "Lyon, le 24 novembre 2026",
        "L441-10",
        "D441-5",
        "40 euros par facture",
        "art. 1344",
        "1344-1",
        # No « soit au plus tard le 2 décembre 2026 si vous la recevez aujourd'hui »: the
        # deadline runs from receipt (tests/test_letters.py).
        "dans un délai de 8 jours à compter de la réception de la présente lettre",
        "injonction de payer",
        # Data typography: no-break spaces after « n° » and in the grouped SIREN.
        "SAS au capital de 50\u202f000\u00a0€, immatriculée au RCS de Lyon "
        "sous le n°\u00a0732\u00a0829\u00a0320",
        "FR14 2004 1010 0505 0001 3M02 606",
        "Atelier Bellecour",
        "69100 VILLEURBANNE",
        "FA-2026-0117",
        "FA-2026-0142",
        "REC-2026-0147 – Page",
        "six mille trois cent vingt-sept euros et trente-trois centimes",
        # The invoice's clause and the reserve on the rates not yet published.
        "3 fois le taux de l'intérêt légal",
        "8,25",
        "Taux de l'intérêt légal retenu pour le 2e semestre 2026\u00a0: 2,75\u00a0%, sous "
        "réserve de sa confirmation au Journal officiel",
    ):
        assert needed in text, needed
    for forbidden in ("huissier", "TODO", "XXX", "lorem"):
        assert forbidden.lower() not in text.lower()


def test_page_fields_and_procedure_comment(tmp_path: Path) -> None:
    (path,) = render_documents(
        "mise_en_demeure_professionnel",
        EXAMPLES / "b2b-factures-impayees/dossier.yaml",
        tmp_path,
        AU,
    )
    with zipfile.ZipFile(path) as archive:
        footers = "".join(archive.read(n).decode() for n in archive.namelist() if "footer" in n)
        core = archive.read("docProps/core.xml").decode()
    assert 'w:instr=" PAGE "' in footers
    assert 'w:instr=" NUMPAGES "' in footers
    assert "actes: modèle courriers/mise_en_demeure_professionnel.docx" in core
    assert "mise_en_demeure_professionnel" in core
    section = docx.Document(str(path)).sections[0]
    assert round(section.page_width.cm, 1) == 21.0
    assert round(section.page_height.cm, 1) == 29.7
    assert round(section.left_margin.cm, 1) == 2.0


def test_relance_second_reminder(tmp_path: Path) -> None:
    files = render("relance_amiable", EXAMPLES / "b2b-factures-impayees/dossier.yaml", tmp_path)
    # A first reminder was already sent (event relance_envoyee): only the second one applies.
    (text,) = files.values()
    assert "15 septembre 2026" in text
    assert euros(Decimal("7020") - Decimal("1000")) in text
    assert "ne constitue pas une mise en demeure" in text
    assert "FR14 2004 1010 0505 0001 3M02 606" in text


def test_relance_first_reminder(tmp_path: Path) -> None:
    case = copy_example("b2b-factures-impayees", tmp_path, lambda d: d.update(evenements=[]))
    files = render("relance_amiable", case, tmp_path / "out")
    assert list(files) == ["REC-2026-0147-relance-1.docx"]
    text = files["REC-2026-0147-relance-1.docx"]
    assert "Rappel de paiement" in text
    assert "simple oubli" in text


def test_mise_en_demeure_agence(tmp_path: Path) -> None:
    agency = {
        "role": "societe_recouvrement",
        "reference_mandat": "M-2026-118",
        "date_mandat": "2026-10-02",
        # The agency's letter is signed by the agency itself (CPCE R124-4; tests/test_letters.py).
        "signataire": {"nom": "Paul Girard", "qualite": "Chargé de recouvrement"},
        "partie": {
            "type": "personne_morale",
            "qualite": "professionnel",
            "denomination": "Recouvra Conseil",
            "forme_juridique": "SARL",
            "capital": "10000.00",
            "siren": "552100554",
            "rcs": "Lyon",
            "adresse": {
                "ligne1": "2 quai Saint-Antoine",
                "code_postal": "69002",
                "ville": "Lyon",
                "pays": "FR",
            },
            "iban": "FR7630001007941234567890185",
        },
    }
    case = copy_example("b2b-factures-impayees", tmp_path, lambda d: d.update(mandataire=agency))
    files = render("mise_en_demeure_professionnel", case, tmp_path / "out")
    assert list(files) == ["REC-2026-0147-mise-en-demeure-recouvrement.docx"]
    text = files["REC-2026-0147-mise-en-demeure-recouvrement.docx"]
    version = yaml.safe_load(
        (ROOT / "procedures/mise_en_demeure_professionnel/2019-04-26.yaml").read_text("utf-8")
    )
    expected = b2b_expected()
    # R124-4 1°: the agency, its address, its amicable-recovery activity.
    assert "Recouvra Conseil" in text
    assert "2 quai Saint-Antoine, 69002 LYON" in text
    assert "activité de recouvrement amiable" in text
    # 2°: the creditor and its address.
    assert "Dupont & Fils" in text
    assert "12 rue de la République, 69002 LYON" in text
    # 3°: basis and amount split principal / interest / other accessories.
    assert "Bon de commande BC-8841" in text
    principal_left = Decimal("7020.00") - (Decimal("1000.00") - interest("4320.00", "8.25", 49))
    assert euros(principal_left) in text
    assert euros(expected["penalties"] - interest("4320.00", "8.25", 49)) in text
    assert "Indemnité forfaitaire pour frais de recouvrement" in text
    assert euros(expected["total"]) in text
    # 4°: demand and payment arrangements; 5°: L111-8 al. 2 and 3 verbatim from the YAML.
    assert "Nous vous mettons en demeure" in text
    assert "FR76 3000 1007 9412 3456 7890 185" in text
    assert version["mentions"]["l111_8"] in text
    # Last paragraph of R124-4: references and date recalled.
    assert "M-2026-118" in text
    assert "Lettre du\u00a0: 24 novembre 2026" in text


# --------------------------------------------------------------------------- B2C


def _after_acceleration(data: dict[str, Any]) -> None:
    """The consumer example once the déchéance du terme of its plan has been notified: the
    whole balance is due again (before that, no mise en demeure nor requête, see
    tests/test_plan_rules.py)."""
    data["plan"]["suivi"] = [{"type": "notification_decheance", "date": "2026-11-20"}]


def test_mise_en_demeure_consommateur(tmp_path: Path) -> None:
    files = render(
        "mise_en_demeure_consommateur",
        copy_example("b2c-travaux-consommateur", tmp_path, _after_acceleration),
        tmp_path / "out",
    )
    (text,) = files.values()
    # Legal interest from receipt of the earlier mise en demeure (3 September 2026), at the
    # 2026 S2 rate « autres cas » 2.75 % (legal reference §2.2, not confirmed), on 4 330 − 300,
    # until the interest-free payment plan signed on 5 October 2026 (32 days); the 180.00
    # paid on 9 October goes to that interest first, then to principal.
    first = interest("4030.00", "2.75", 32)
    total = Decimal("4330.00") - Decimal("480.00") + first
    assert euros(total) in text
    assert "Mme Claire MARTIN" in text
    assert "aucuns frais de recouvrement" in text.lower()
    assert "1231-6" in text and "1344-1" in text
    assert "dans un délai de 15 jours" in text
    assert "indemnité forfaitaire" not in text.lower()
    assert "L441-10" not in text


@pytest.mark.usefixtures("rates_2026_s2")
def test_requete_tj_natural_person_debtor(tmp_path: Path) -> None:
    case = copy_example(
        "b2c-travaux-consommateur",
        tmp_path,
        lambda d: (
            d.update(juridiction={"nom": "Tribunal judiciaire de Metz", "departement": "57"}),
            _after_acceleration(d),
        ),
    )
    files = render("injonction_de_payer_tj", case, tmp_path / "out")
    requete = files["RE-2026-031-requete-injonction-de-payer.docx"]
    bordereau = files["RE-2026-031-bordereau-pieces.docx"]
    first = interest("4030.00", "2.75", 32)  # 3 Sep -> 5 Oct, when the plan stops interest
    assert euros(Decimal("4330.00") - Decimal("480.00") + first) in requete
    for needed in (
        "REQUÊTE EN INJONCTION DE PAYER",
        "président du tribunal judiciaire de Metz",
        "Articles 1405 à 1408 du code de procédure civile",
        "Renov'Est, SARL au capital de 20\u202f000\u00a0€",
        "M. Paul Schmitt, gérant",
        "Mme Claire MARTIN, née le 17 mai 1981 à Nancy (54), de nationalité française, infirmière",
        "14 rue Serpenoise, 57000 METZ",
        "Devis D-2026-031 accepté le 12 mars 2026",
        "art. 1408",
        "Procès-verbal de réception des travaux",
        "Fait à Metz, le 24 novembre 2026",
        "Signature",
        "1er septembre 2026",
    ):
        assert needed in requete, needed
    assert "Cerfa" not in requete  # a free-form requête carries no form number
    assert "Procès-verbal de réception des travaux" in bordereau


def test_requete_needs_a_court(tmp_path: Path) -> None:
    out = tmp_path / "out"
    case = copy_example("b2c-travaux-consommateur", tmp_path, _after_acceleration)
    with pytest.raises(RenderError, match="juridiction"):
        render_documents("injonction_de_payer_tj", case, out, AU)
    assert not out.exists()


@pytest.mark.usefixtures("rates_2026_s2")
def test_requete_tc(tmp_path: Path) -> None:
    case = copy_example(
        "b2b-factures-impayees",
        tmp_path,
        lambda d: d.update(
            juridiction={"nom": "Tribunal de commerce de Lyon", "departement": "69"}
        ),
    )
    files = render("injonction_de_payer_tc", case, tmp_path / "out")
    text = files["REC-2026-0147-requete-injonction-de-payer.docx"]
    assert euros(b2b_expected()["total"]) in text
    assert "Cerfa" not in text  # a free-form requête carries no form number
    # Lyon's commercial court is a tribunal des activités économiques in 2025-2028.
    assert "président du tribunal des activités économiques de Lyon" in text
    assert "Mme Hélène Dupont, présidente" in text
    assert (
        "Atelier Bellecour, SARL, immatriculée au RCS de Lyon sous le n° 512 345 679"
        in plain_spaces(text)
    )
    assert "1425" in text
    assert "Bon de commande BC-8841 signé" in text


# --------------------------------------------------------------------------- after the ordonnance


def test_lettre_commissaire_execution(tmp_path: Path) -> None:
    # Ordonnance of 2 September 2026 (décret 2026-96 regime), served on 15 September: two
    # months without notice of opposition end on 15 November 2026, so on 24 November the
    # creditor may ask for enforcement.
    def earlier(data: dict[str, Any]) -> None:
        for event in data["evenements"]:
            if event["type"] == "ordonnance_rendue":
                event["date"] = "2026-09-02"
            if event["type"] == "ordonnance_signifiee":
                event["date"] = "2026-09-15"
            if event["type"] == "requete_deposee":
                event["date"] = "2026-08-20"
        data["titre"]["date"] = "2026-09-02"

    case = copy_example("injonction-2026", tmp_path, earlier)
    files = render("injonction_de_payer_tj", case, tmp_path / "out")
    text = files["IP-2026-0203-lettre-commissaire-execution.docx"]
    assert "Le 2 septembre 2026, le président du tribunal judiciaire de Bordeaux" in text
    # Served on 15 September: the two months after service (décret 2026-96, marked unconfirmed
    # in parameters/titre.yaml) end on Sunday 15 November, carried to Monday 16 (CPC 642):
    # executory on the 17th.
    assert "l'ordonnance est exécutoire depuis le 17 novembre 2026" in plain_spaces(text)
    assert "SELARL Actejust" in text
    assert "Ordonnance IP n° 2026/1187" in plain_spaces(text)
    assert "15 septembre 2026" in text
    assert "non frappée d'opposition dans le délai" in text
    assert "décret n° 2026-96" in plain_spaces(text)
    # The rule of décret 2026-96 carries the reserve its version records (notes).
    assert "n'a pas été lue au Journal officiel" in text
    assert "commissaire de justice" in text
    assert "huissier" not in text.lower()


def test_lettre_commissaire_signification(tmp_path: Path) -> None:
    def unserved(data: dict[str, Any]) -> None:
        data["evenements"] = [e for e in data["evenements"] if e["type"] != "ordonnance_signifiee"]
        data["mandataire"] = {
            "role": "commissaire_de_justice",
            "partie": {
                "type": "personne_morale",
                "qualite": "professionnel",
                "denomination": "SELARL Actejust",
                "forme_juridique": "SELARL",
                "adresse": {
                    "ligne1": "30 allées de Tourny",
                    "code_postal": "33000",
                    "ville": "Bordeaux",
                    "pays": "FR",
                },
            },
        }

    case = copy_example("injonction-2026", tmp_path, unserved)
    files = render("injonction_de_payer_tj", case, tmp_path / "out")
    text = files["IP-2026-0203-lettre-commissaire-signification.docx"]
    # Ordonnance of 5 October 2026 + 3 months = 5 January 2027 (a Tuesday, not extended).
    assert "5 janvier 2027" in text
    assert "1411" in text
    assert "trois mois" in text
    assert "SELARL Actejust" in text


# --------------------------------------------------------------------------- IPE, insolvency


@pytest.mark.usefixtures("rates_2026_s2")
def test_ipe_form_a(tmp_path: Path) -> None:
    files = render(
        "injonction_de_payer_europeenne", EXAMPLES / "ipe-debiteur-allemand/dossier.yaml", tmp_path
    )
    text = files["EXP-2026-DE-077-injonction-de-payer-europeenne-formulaire-A.docx"]
    # 7 200 € due 10 May 2026, contractual 10 % (above 3 × legal rate): 11 May to 30 June
    # (51 days), then 1 July to 24 November (147 days), one line per half-year, 40 € indemnity.
    penalties = interest("7200.00", "10", 51) + interest("7200.00", "10", 147)
    assert euros(Decimal("7200") + penalties + Decimal("40")) in text
    for needed in (
        "FORMULAIRE A",
        "2017/1260",
        "1. Juridiction",
        "Tribunal de commerce de Tours",
        "2. Parties",
        "Weinhandel Rhein",
        "HRB 98765",
        "3. Fondement de la compétence",
        "4. Caractère transfrontalier",
        "du défendeur\u00a0: DE",
        "5. Coordonnées bancaires",
        "6. Principal",
        "☒ 01 – Contrat de vente",
        "☒ 30 – Absence de paiement",
        "7. Intérêts",
        "10,00\u00a0%",
        "10. Éléments de preuve",
        "☒ 01 – Preuve documentaire",
        "11. Déclarations complémentaires",
        "article 7, paragraphe 3",
        "Annexe 2",
        "Lettre de voiture CMR n° 2026-4471",
    ):
        assert needed in text, needed


@pytest.mark.usefixtures("rates_2026_s2")
def test_declaration_de_creance(tmp_path: Path) -> None:
    files = render(
        "declaration_de_creance", EXAMPLES / "liquidation-judiciaire/dossier.yaml", tmp_path
    )
    text = files["LJ-2026-0088-declaration-de-creance.docx"]
    # At the opening judgment (14 October 2026): invoice 2026-301 (8 400 €, due 15 September)
    # bears 29 days of L441-10 penalties at 12.40 %, then interest stops (L622-28).
    penalties = interest("8400.00", "12.40", 29)
    assert euros(penalties) in text
    assert euros(Decimal("8400.00") + Decimal("3960.00")) in text
    for needed in (
        "SELARL Mandatum, Me Anne Vidal",
        "Liquidateur judiciaire",
        "14 octobre 2026",
        "liquidation judiciaire",
        "BODACC A n° 2026-0209",
        "2026-355",
        "31 octobre 2026",  # sum to fall due with its due date
        "Créance chirographaire",
        "L622-28",
        "sincère et véritable",
        "Annonce BODACC du jugement d'ouverture",
        "R622-24",
    ):
        assert needed in plain_spaces(text), needed


# --------------------------------------------------------------------------- surendettement, plan


def test_surendettement_justification(tmp_path: Path) -> None:
    files = render(
        "surendettement_declaration", EXAMPLES / "surendettement/dossier.yaml", tmp_path
    )
    (text,) = files.values()
    assert "Commission de surendettement des particuliers du Nord" in text
    # The number is printed once after its label (not « Dossier n° : Dossier n° ... »).
    assert "Dossier n°\u00a0: 059-2026-07741" in text
    assert "R723-3" in text
    assert "principal, intérêts et accessoires" in text
    # One claim per instalment (4 × 231,43) and the capital after instalment n° 29 (review:
    # the former 7 412,36 of capital counted the unpaid instalments twice).
    assert euros(Decimal("6639.61") + 4 * Decimal("231.43")) in text
    assert "☐ oui" in text and "☐ non" in text


def _recevabilite_on(day: str, note: str | None = None) -> Any:
    """The recevabilité notified on ``day``: the R722-1 recourse (15 days) runs at AU
    (surendettement_contestation r2 refuses a recourse out of time)."""

    def edit(data: dict[str, Any]) -> None:
        for event in data["evenements"]:
            if event["type"] == "surendettement_recevabilite":
                event["date"] = day
                if note:
                    event["note"] = note

    return edit


def test_surendettement_contestation(tmp_path: Path) -> None:
    grounds = _recevabilite_on(
        "2026-11-16", "Le débiteur a dissimulé un bien immobilier (mauvaise foi)."
    )
    case = copy_example("surendettement", tmp_path, grounds)
    # Recevabilité of 16 November 2026 + 15 days = 1 December: in time at AU (24 November).
    files = render("surendettement_contestation", case, tmp_path / "out")
    (text,) = files.values()
    assert "R722-1" in text
    assert "quinze jours" in text
    assert "16 novembre 2026" in text
    assert "dissimulé un bien immobilier" in text
    assert "Crédit Solidaire" in text


def test_surendettement_contestation_needs_grounds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    case = copy_example("surendettement", tmp_path, _recevabilite_on("2026-11-16"))
    with pytest.raises(RenderError, match="motifs"):
        render_documents("surendettement_contestation", case, out, AU)
    assert not out.exists()


def _with_plan(**extra: Any) -> Any:
    def edit(data: dict[str, Any]) -> None:
        data["format_version"] = 2
        data["plan"] = {
            "reference": "PLAN-1",
            "date_signature": "2026-11-24",
            # The décompte on the signature date (docs/amicable.md, « one balance »):
            # 3 860,93 of principal + 13,38 of legal interest since the mise en demeure.
            "montant_total": "3874.31",
            "echeances": [
                {"date": "2026-12-05", "montant": "1500.00"},
                {"date": "2027-01-05", "montant": "1500.00"},
                {"date": "2027-02-05", "montant": "874.31"},
            ],
            "preavis_decheance_jours": 30,
            **extra,
        }

    return edit


def test_plan_apurement(tmp_path: Path) -> None:
    case = copy_example("b2c-travaux-consommateur", tmp_path, _with_plan())
    files = render("plan_apurement", case, tmp_path / "out")
    (text,) = files.values()
    total = Decimal("1500.00") + Decimal("1500.00") + Decimal("874.31")
    assert euros(total) in text
    assert "trois mille huit cent soixante-quatorze euros et trente et un centimes" in text
    assert "5 décembre 2026" in text and "5 février 2027" in text
    assert euros(Decimal("874.31")) in text
    assert "Fait à Metz, le 24 novembre 2026" in text  # the signature date
    assert "2240" in text
    assert "art. 1225" in text
    assert "30 jours" in text
    assert "L111-8" in text  # consumer debtor: no recovery fees
    # The debtor writes the amount by hand (C. civ. 1376); no printed « Lu et approuvé ».
    assert "Lu et approuvé" not in text
    assert "en toutes lettres et en chiffres (code civil, art. 1376)" in text
    assert "PLAN-1" in text
    assert "ne portent pas d'intérêts" in text


def test_plan_apurement_total_must_match(tmp_path: Path) -> None:
    case = copy_example("b2c-travaux-consommateur", tmp_path, _with_plan(montant_total="4000.00"))
    # Validation refuses it (as `actes validate` does), naming the field, before rendering.
    out = tmp_path / "out"
    with pytest.raises(CaseError) as caught:
        render_documents("plan_apurement", case, out, AU)
    assert [i.json_path for i in caught.value.issues] == ["$.plan.montant_total"]
    assert "totalisent" in caught.value.issues[0].message
    assert not out.exists()


# --------------------------------------------------------------------------- safety


def test_hostile_case_data_stays_text(tmp_path: Path) -> None:
    hostile = "Dupont & Fils <SARL> {{ 7*7 }}"
    case = copy_example(
        "b2b-factures-impayees",
        tmp_path,
        lambda d: d["debiteur"].update(denomination=hostile),
    )
    (path,) = render_documents("mise_en_demeure_professionnel", case, tmp_path / "out", AU)
    text = docx_text(path)  # python-docx parses it: the XML is still valid
    assert hostile in text
    assert "49" not in text
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "Dupont &amp; Fils &lt;SARL&gt; {{ 7*7 }}" in xml


def test_precondition_failure_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(PreconditionFailed) as caught:
        render_documents(
            "mise_en_demeure_professionnel",
            EXAMPLES / "b2c-travaux-consommateur/dossier.yaml",
            out,
            AU,
        )
    assert "L441-10" in caught.value.format()
    assert "mise_en_demeure_consommateur" in caught.value.format()
    assert not out.exists()


def test_unknown_variable_names_the_template(tmp_path: Path) -> None:
    bad = tmp_path / "mauvais.docx"
    document = docx.Document()
    document.add_paragraph("Bonjour {{ variable_inconnue }}")
    document.save(str(bad))
    with pytest.raises(RenderError, match=r"mauvais\.docx"):
        render_template(bad, {"dossier": {"reference": "X"}})


def test_every_template_is_reproducible() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(ROOT / "tools/build_templates.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
