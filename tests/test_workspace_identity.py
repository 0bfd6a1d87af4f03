"""The firm's identity in ``actes.toml``: letterhead, signatory, agency role, checks."""

from __future__ import annotations

import shutil
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner, Result

from actes.cli import main

from .conftest import docx_text, plain_spaces

ROOT = Path(__file__).resolve().parents[1]
B2B = ROOT / "examples" / "b2b-factures-impayees"

ADDRESS = """
[cabinet.adresse]
ligne1 = "5 quai Saint-Antoine"
code_postal = "69002"
ville = "Lyon"
pays = "FR"
"""


def png(width: int = 60, height: int = 20) -> bytes:
    """A small valid PNG (a blue rectangle)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + bytes([20, 60, 160]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def workspace(root: Path, cabinet: str) -> Path:
    """A workspace made by ``actes init`` with ``cabinet`` appended to its actes.toml, the
    logo, and a copy of the B2B example in ``dossiers/b2b``."""
    done = run("init", str(root))
    assert done.exit_code == 0, done.output
    (root / "logo.png").write_bytes(png())
    with (root / "actes.toml").open("a", encoding="utf-8") as handle:
        handle.write(cabinet)
    shutil.copytree(B2B, root / "dossiers" / "b2b")
    return root / "dossiers" / "b2b"


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Commands run from a folder outside every workspace: the case's own is found."""
    monkeypatch.delenv("ACTES_WORKSPACE", raising=False)
    cwd = tmp_path / "ailleurs"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def render(case: Path, out: Path, procedure: str = "mise_en_demeure_professionnel") -> Path:
    done = run("render", procedure, str(case), "-o", str(out), "--date", "2026-12-01")
    assert done.exit_code == 0, done.output
    return next(out.glob("*.docx"))


FIRM = (
    """
[cabinet]
nom = "Cabinet Lefèvre Recouvrement"
role = "creancier"
telephone = "04 72 11 22 33"
email = "contact@lefevre.example"
logo = "logo.png"
"""
    + ADDRESS
)


def test_letterhead_name_address_and_logo_in_the_letter(tmp_path: Path) -> None:
    case = workspace(tmp_path / "cabinet", FIRM)
    letter = render(case, tmp_path / "out")
    text = plain_spaces(docx_text(letter))
    assert "Cabinet Lefèvre Recouvrement" in text
    assert "5 quai Saint-Antoine\n69002 LYON" in text
    assert "04 72 11 22 33 – contact@lefevre.example" in text
    # The creditor (another name than the firm) still says who claims the debt.
    assert "Dupont & Fils\nSAS au capital de 50 000 €" in text
    with zipfile.ZipFile(letter) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        body = archive.read("word/document.xml").decode("utf-8")
    assert len(media) == 1
    with zipfile.ZipFile(letter) as archive:
        assert archive.read(media[0]) == png()
    assert "<w:drawing>" in body and "a:blip" in body


def test_without_identity_every_document_is_as_before(tmp_path: Path) -> None:
    inside = workspace(tmp_path / "cabinet", "")
    outside = tmp_path / "seul"
    shutil.copytree(B2B, outside)
    for procedure in ("mise_en_demeure_professionnel", "injonction_de_payer_tc"):
        first = docx_text(render(inside, tmp_path / f"a-{procedure}", procedure))
        second = docx_text(render(outside, tmp_path / f"b-{procedure}", procedure))
        assert first == second
        assert "Lefèvre" not in first


def test_firm_sending_as_the_creditor_prints_its_block_once(tmp_path: Path) -> None:
    firm = FIRM.replace("Cabinet Lefèvre Recouvrement", "Dupont & Fils")
    case = workspace(tmp_path / "cabinet", firm)
    letter = render(case, tmp_path / "out")
    head = docx.Document(str(letter)).tables[0].rows[0].cells[0].text
    assert head.count("Dupont & Fils") == 1
    assert "5 quai Saint-Antoine" in head and "12 rue de la République" not in head


def test_firm_signatory_when_the_case_names_none(tmp_path: Path) -> None:
    firm = FIRM + '\n[cabinet.signataire]\nnom = "Claire Martin"\nqualite = "Juriste"\n'
    case = workspace(tmp_path / "cabinet", firm)
    path = case / "dossier.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["creancier"]["representant"]
    data["parametres"].pop("signataire", None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    text = docx_text(render(case, tmp_path / "out"))
    assert "Claire Martin\nJuriste\nDupont & Fils" in text


AGENCY = (
    """
[cabinet]
nom = "Recouvrement Rhône SAS"
forme_juridique = "SAS"
role = "societe_recouvrement"
assurance_rc = "Assureur Exemple, police 123"

[cabinet.signataire]
nom = "Paul Girard"
qualite = "Chargé de recouvrement"

[cabinet.compte_dedie]
iban = "FR76 3000 6000 0112 3456 7890 189"
"""
    + ADDRESS
)


def test_agency_workspace_is_the_mandataire_of_a_case_naming_none(tmp_path: Path) -> None:
    case = workspace(tmp_path / "cabinet", AGENCY)
    letter = render(case, tmp_path / "out")
    text = plain_spaces(docx_text(letter))
    assert "recouvrement amiable" in text.lower()
    assert "Recouvrement Rhône SAS" in text
    assert "FR76 3000 6000 0112 3456 7890 189" in text
    assert "Paul Girard\nChargé de recouvrement" in text
    for command in ("validate", "next"):
        done = run(command, str(case), "--date" if command == "validate" else "--au", "2026-12-01")
        assert done.exit_code == 0, done.output
        assert "Mandataire : Recouvrement Rhône SAS, société de recouvrement" in done.output


def test_a_case_naming_another_agency_is_left_as_it_is(tmp_path: Path) -> None:
    case = workspace(tmp_path / "cabinet", AGENCY)
    path = case / "dossier.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["mandataire"] = {
        "role": "societe_recouvrement",
        "partie": {
            "type": "personne_morale",
            "qualite": "professionnel",
            "denomination": "Autre Agence SARL",
            "forme_juridique": "SARL",
            "adresse": {
                "ligne1": "1 rue Neuve",
                "code_postal": "75001",
                "ville": "Paris",
                "pays": "FR",
            },
        },
        "signataire": {"nom": "Anne Roux", "qualite": "Gérante"},
        "compte_dedie": "FR76 3000 6000 0112 3456 7890 189",
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    text = docx_text(render(case, tmp_path / "out"))
    assert "Autre Agence SARL" in text
    assert "Recouvrement Rhône" not in text
    done = run("validate", str(case), "--date", "2026-12-01")
    assert done.exit_code == 0 and "Mandataire :" not in done.output


@pytest.mark.parametrize(
    ("cabinet", "key", "words"),
    [
        (FIRM.replace('ville = "Lyon"\n', ""), "cabinet.adresse", "ville"),
        (FIRM.replace('role = "creancier"', 'role = "huissier"'), "cabinet.role", "creancier"),
        (FIRM.replace('"logo.png"', '"absent.png"'), "cabinet.logo", "introuvable"),
        (FIRM.replace('"logo.png"', '"actes.toml"'), "cabinet.logo", "PNG ou JPEG"),
        (FIRM.replace('"logo.png"', '"../logo.png"'), "cabinet.logo", "espace de travail"),
        (
            AGENCY.replace("0189", "0188").replace(" 189", " 188"),
            "cabinet.compte_dedie.iban",
            "IBAN",
        ),
        (AGENCY.replace("[cabinet.compte_dedie]", "[cabinet.autre]"), "cabinet", "autre"),
        (FIRM.replace('nom = "Cabinet', "nom = Cabinet"), "ligne", "TOML"),
    ],
)
def test_broken_actes_toml_names_key_and_file(
    tmp_path: Path, cabinet: str, key: str, words: str
) -> None:
    case = workspace(tmp_path / "cabinet", cabinet)
    out = tmp_path / "out"
    done = run("render", "mise_en_demeure_professionnel", str(case), "-o", str(out))
    assert done.exit_code == 1, done.output
    assert "Espace de travail invalide" in done.output
    assert str(tmp_path / "cabinet" / "actes.toml") in done.output
    if key != "ligne":
        assert key in done.output
    assert words in done.output
    assert "Traceback" not in done.output
    assert not out.exists() or not any(out.iterdir())
    assert run("validate", str(case)).exit_code == 1


def test_init_template_becomes_a_valid_identity_once_uncommented(tmp_path: Path) -> None:
    root = tmp_path / "cabinet"
    assert run("init", str(root)).exit_code == 0
    text = (root / "actes.toml").read_text(encoding="utf-8")
    assert "taux officiels" in text  # what init wrote before stays
    lines = []
    for line in text.splitlines():
        body = line.removeprefix("# ")
        keyed = body.startswith("[cabinet") or (" = " in body and not body.startswith("logo"))
        if line.startswith("# ") and keyed:
            line = body
        lines.append(line)
    (root / "actes.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copytree(B2B, root / "b2b")
    done = run("validate", str(root / "b2b"), "--date", "2026-12-01")
    assert done.exit_code == 0, done.output
    text = docx_text(render(root / "b2b", tmp_path / "out"))
    assert "Cabinet Exemple" in text
