"""Form A of the European order for payment: ground of jurisdiction (section 3), parties
(section 2) and no internal note printed (Reg. 1896/2006 art. 6, 7; Annex I of Reg. 2017/1260).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from actes.cases.case import load_case
from actes.cli import main
from actes.documents.contexts.ipe import jurisdiction_ground
from actes.documents.render import render_documents
from actes.errors import PreconditionFailed
from actes.law.assistant import next_steps

from .conftest import copy_example, load_yaml, write_case

# Form A is filed with a court: its amounts may rest only on published (confirmed) rates,
# so the filing date is taken before the second half-year of 2026.
AU = dt.date(2026, 6, 30)
PROCEDURE = "injonction_de_payer_europeenne"
FORM = "injonction-de-payer-europeenne-formulaire-A.docx"


def _cell_rows(path: Path) -> list[tuple[str, ...]]:
    """Every table row of the document as the texts of its cells."""
    document = docx.Document(str(path))
    return [
        tuple(cell.text for cell in row.cells) for table in document.tables for row in table.rows
    ]


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = ["\t".join(row) for row in _cell_rows(path)]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _form(written: list[Path]) -> Path:
    (form,) = [p for p in written if p.name.endswith(FORM)]
    return form


def _party_block(rows: list[tuple[str, ...]], code: str) -> dict[str, str]:
    """The (field → value) rows of one party of section 2, from its « Code xx » row on."""
    start = rows.index(next(r for r in rows if r[0] == f"Code {code}"))
    block: dict[str, str] = {"": rows[start][1]}
    for row in rows[start + 1 :]:
        if len(row) != 2 or re.fullmatch(r"Code \d\d", row[0]):
            break  # next party, or the next table
        block[row[0]] = row[1]
    return block


def _consumer_case(tmp_path: Path, **competence: str) -> Path:
    """A German seller suing a French consumer before a French court (Metz): cross-border
    through the claimant's domicile (art. 3(1)); the consumer's courts only (art. 6(2))."""
    path = copy_example("ipe-debiteur-allemand", tmp_path)
    data = load_yaml(path)
    data["creancier"] = {
        "type": "personne_morale",
        "qualite": "professionnel",
        "denomination": "Weinhandel Rhein",
        "forme_juridique": "GmbH",
        "identifiant_etranger": "HRB 98765 (Amtsgericht Köln)",
        "tva_intracommunautaire": "DE136695976",
        "adresse": {
            "ligne1": "Hohenzollernring 20",
            "code_postal": "50672",
            "ville": "Köln",
            "pays": "DE",
        },
        "email": "forderungen@weinhandel-rhein.example",
        "telephone": "+49 221 123456",
    }
    data["debiteur"] = {
        "type": "personne_physique",
        "qualite": "consommateur",
        "civilite": "Mme",
        "nom": "Martin",
        "prenoms": "Claire",
        "adresse": {
            "ligne1": "14 rue Serpenoise",
            "code_postal": "57000",
            "ville": "Metz",
            "pays": "FR",
        },
    }
    data["juridiction"] = {"nom": "Tribunal judiciaire de Metz", "departement": "57"}
    if competence:
        data["juridiction"]["competence"] = competence
    data["parametres"]["lieu"] = "Köln"
    data["parametres"]["signataire"] = {"nom": "Anna Weber", "qualite": "Prokuristin"}
    return write_case(path, data)


def _without_ground(tmp_path: Path) -> Path:
    path = copy_example("ipe-debiteur-allemand", tmp_path)
    data = load_yaml(path)
    del data["juridiction"]["competence"]
    return write_case(path, data)


# --------------------------------------------------------------------------- section 3


def test_example_ticks_the_choice_of_court_with_its_precision(tmp_path: Path) -> None:
    form = _form(
        render_documents(
            PROCEDURE, copy_example("ipe-debiteur-allemand", tmp_path), tmp_path / "out", AU
        )
    )
    text = _text(form)
    section = text[text.index("3. Fondement de la compétence") : text.index("4. Caractère")]
    assert "☒ 12 – Choix de juridiction convenu par les parties" in section
    assert section.count("☒") == 1
    assert "☐ 01 – Domicile du défendeur" in section
    assert "article 12 du contrat de distribution du 5 janvier 2026" in section
    assert "Tours sont seuls compétents" in section


def test_no_internal_note_in_the_form(tmp_path: Path) -> None:
    form = _form(
        render_documents(
            PROCEDURE, copy_example("ipe-debiteur-allemand", tmp_path), tmp_path / "out", AU
        )
    )
    text = _text(form).lower()
    assert "vérifier" not in text
    assert "à vérifier" not in text
    assert "non confirmé" not in text
    assert "liste de codes" not in text


def test_consumer_defendant_gets_code_08(tmp_path: Path) -> None:
    path = _consumer_case(tmp_path)
    ground = jurisdiction_ground(load_case(path, au=AU))
    assert ground is not None and (ground.code, ground.proposed) == ("08", True)
    form = _form(render_documents(PROCEDURE, path, tmp_path / "out", AU))
    text = _text(form)
    section = text[text.index("3. Fondement de la compétence") : text.index("4. Caractère")]
    assert "☒ 08 – Domicile du consommateur" in section
    assert section.count("☒") == 1
    assert "Domicile du défendeur consommateur\u00a0: 57000 Metz (France)" in section
    assert "du demandeur\u00a0: DE – Allemagne" in text


def test_consumer_defendant_refuses_another_ground(tmp_path: Path) -> None:
    path = _consumer_case(tmp_path, code="12", precision="Clause attributive des CGV")
    out = tmp_path / "out"
    with pytest.raises(PreconditionFailed) as caught:
        render_documents(PROCEDURE, path, out, AU)
    rules = {issue.rule for issue in caught.value.issues}
    assert rules == {"competence_consommateur"}
    assert "art. 6 § 2" in caught.value.format()
    assert not out.exists()


def test_consumer_domiciled_abroad_is_refused(tmp_path: Path) -> None:
    path = copy_example("ipe-debiteur-allemand", tmp_path)
    data = load_yaml(path)
    data["debiteur"] = {
        "type": "personne_physique",
        "qualite": "consommateur",
        "civilite": "M.",
        "nom": "Becker",
        "prenoms": "Jonas",
        "adresse": {
            "ligne1": "Ringstraße 3",
            "code_postal": "50672",
            "ville": "Köln",
            "pays": "DE",
        },
    }
    del data["juridiction"]["competence"]
    write_case(path, data)
    with pytest.raises(PreconditionFailed) as caught:
        render_documents(PROCEDURE, path, tmp_path / "out", AU)
    # Only the art. 6(2) reason: recording a ground would not help.
    assert {issue.rule for issue in caught.value.issues} == {"competence_consommateur"}
    assert "juridiction de cet État" in caught.value.format()


def test_foreign_professional_without_ground_is_refused(tmp_path: Path) -> None:
    path = _without_ground(tmp_path)
    out = tmp_path / "out"
    with pytest.raises(PreconditionFailed) as caught:
        render_documents(PROCEDURE, path, out, AU)
    message = caught.value.format()
    assert {issue.rule for issue in caught.value.issues} == {"fondement_competence"}
    assert "juridiction.competence" in message
    assert "12 choix de juridiction" in message
    assert "02 lieu d'exécution" in message
    assert not out.exists()


def test_cli_render_without_ground_exit_1_and_nothing_written(tmp_path: Path) -> None:
    path = _without_ground(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["render", PROCEDURE, str(path), "-o", str(out), "--date", AU.isoformat()]
    )
    assert result.exit_code == 1, result.output
    assert "juridiction.competence" in result.output
    assert "section 3" in result.output
    assert not out.exists()


def test_next_shows_the_missing_ground(tmp_path: Path) -> None:
    blocked = next_steps(load_case(_without_ground(tmp_path), au=AU), AU).blocked
    reasons = {b.precondition_id: b.message for b in blocked if b.procedure_id == PROCEDURE}
    assert "juridiction.competence" in reasons["fondement_competence"]


def test_next_reminds_to_check_unconfirmed_codes(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "next",
            str(copy_example("ipe-debiteur-allemand", tmp_path)),
            "--au",
            "2026-12-01",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    advice = json.dumps(json.loads(result.output), ensure_ascii=False)
    assert "formulaire officiel" in advice and "2017/1260" in advice


def test_code_01_with_a_defendant_abroad_is_refused(tmp_path: Path) -> None:
    path = copy_example("ipe-debiteur-allemand", tmp_path)
    data = load_yaml(path)
    data["juridiction"]["competence"] = {"code": "01"}
    write_case(path, data)
    with pytest.raises(PreconditionFailed) as caught:
        render_documents(PROCEDURE, path, tmp_path / "out", AU)
    assert {issue.rule for issue in caught.value.issues} == {"competence_domicile_defendeur"}


def test_code_14_needs_a_precision(tmp_path: Path) -> None:
    path = copy_example("ipe-debiteur-allemand", tmp_path)
    data = load_yaml(path)
    data["juridiction"]["competence"] = {"code": "14"}
    write_case(path, data)
    result = CliRunner().invoke(main, ["validate", str(path), "--date", AU.isoformat()])
    assert result.exit_code == 1
    assert "$.juridiction.competence" in result.output


# --------------------------------------------------------------------------- section 2


def test_parties_fields_in_their_own_cells(tmp_path: Path) -> None:
    form = _form(
        render_documents(
            PROCEDURE, copy_example("ipe-debiteur-allemand", tmp_path), tmp_path / "out", AU
        )
    )
    rows = _cell_rows(form)
    claimant = _party_block(rows, "01")
    assert claimant[""] == "Demandeur"
    assert claimant["Code postal"] == "37000"
    assert claimant["Localité"] == "Tours"
    assert claimant["Pays"] == "FR – France"
    assert claimant["Courriel"] == "export@vins-val-de-loire.example"
    defendant = _party_block(rows, "02")
    assert defendant["Nom de la société ou de l'organisation"] == "Weinhandel Rhein"
    assert defendant["Adresse"] == "Hohenzollernring 20"
    assert defendant["Code postal"] == "50672"
    assert defendant["Localité"] == "Köln"
    assert defendant["Pays"] == "DE – Allemagne"
    assert "HRB 98765" in defendant["Code d'identification"]
    # The defendant's managing director: code 06 (legally authorised representative).
    director = _party_block(rows, "06")
    assert director[""] == "Représentant légal du défendeur"
    assert director["Nom"] == "Herr Jonas Becker"
    assert director["Autres précisions"] == "Geschäftsführer de Weinhandel Rhein"
    assert director["Localité"] == "Köln"
    claimant_director = _party_block(rows, "05")
    assert claimant_director["Nom"] == "M. Antoine Chevalier"


def test_lawyer_is_code_03_and_contact_of_defendant(tmp_path: Path) -> None:
    path = copy_example("ipe-debiteur-allemand", tmp_path)
    data: Any = load_yaml(path)
    data["debiteur"]["email"] = "buchhaltung@weinhandel-rhein.example"
    data["debiteur"]["telephone"] = "+49 221 654321"
    data["mandataire"] = {
        "role": "avocat",
        "partie": {
            "type": "personne_physique",
            "qualite": "professionnel",
            "civilite": "Mme",
            "nom": "Lefèvre",
            "prenoms": "Sophie",
            "adresse": {
                "ligne1": "10 rue Nationale",
                "code_postal": "37000",
                "ville": "Tours",
                "pays": "FR",
            },
            "email": "s.lefevre@avocat.example",
        },
    }
    write_case(path, data)
    rows = _cell_rows(_form(render_documents(PROCEDURE, path, tmp_path / "out", AU)))
    defendant = _party_block(rows, "02")
    assert defendant["Courriel"] == "buchhaltung@weinhandel-rhein.example"
    assert defendant["Téléphone"] == "+49 221 654321"
    lawyer = _party_block(rows, "03")
    assert lawyer[""] == "Représentant du demandeur"
    assert (lawyer["Nom"], lawyer["Prénom(s)"]) == ("LEFÈVRE", "Sophie")
    assert lawyer["Courriel"] == "s.lefevre@avocat.example"
    assert "avocat" in lawyer["Autres précisions"]


def test_every_section_present_in_order(tmp_path: Path) -> None:
    form = _form(
        render_documents(
            PROCEDURE, copy_example("ipe-debiteur-allemand", tmp_path), tmp_path / "out", AU
        )
    )
    paragraphs = [p.text for p in docx.Document(str(form)).paragraphs]
    headings = [
        "1. Juridiction",
        "2. Parties et leurs représentants",
        "3. Fondement de la compétence",
        "4. Caractère transfrontalier de l'affaire",
        "5. Coordonnées bancaires (facultatif)",
        "6. Principal",
        "7. Intérêts",
        "8. Pénalité contractuelle",
        "9. Frais",
        "10. Éléments de preuve",
        "11. Déclarations complémentaires et autres informations",
        "Annexe 2 – Suite à donner en cas d'opposition",
    ]
    positions = [paragraphs.index(h) for h in headings]
    assert positions == sorted(positions)


def test_professional_defendant_in_france_gets_code_01(tmp_path: Path) -> None:
    path = _consumer_case(tmp_path)
    data = load_yaml(path)
    data["debiteur"] = {
        "type": "personne_morale",
        "qualite": "professionnel",
        "denomination": "Cave de la Porte Serpenoise",
        "forme_juridique": "SARL",
        "adresse": {
            "ligne1": "2 rue Serpenoise",
            "code_postal": "57000",
            "ville": "Metz",
            "pays": "FR",
        },
    }
    write_case(path, data)
    text = _text(_form(render_documents(PROCEDURE, path, tmp_path / "out", AU)))
    section = text[text.index("3. Fondement de la compétence") : text.index("4. Caractère")]
    assert "☒ 01 – Domicile du défendeur ou du codéfendeur" in section
    assert section.count("☒") == 1
    assert "Domicile du défendeur\u00a0: 57000 Metz (France)" in section
