"""``actes packet``: contents, stamps, bookmarks, manifest, reproducibility, verification and
refused exhibits. Packets are built once per module (LibreOffice takes seconds)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from actes.cli import main
from actes.documents.packet import MANIFEST, MERGED, build_packet, verify_packet
from actes.errors import InputError
from actes.law.rates import record_rate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AU = dt.date(2026, 11, 24)

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) absent : apt-get install libreoffice-writer-nogui",
)


@dataclass(frozen=True)
class Built:
    procedure: str
    case: Path
    au: dt.date
    zip: Path
    actes: tuple[str, ...]  # expected bookmark titles before the pièces


def _copy(name: str, target: Path) -> Path:
    shutil.copytree(EXAMPLES / name, target / name)
    return target / name / "dossier.yaml"


def _edit(case: Path, **changes: Any) -> None:
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    data.update(changes)
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _before_requete(case: Path) -> None:
    """The injonction example as it stood before the requête was filed."""
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    later = {"requete_deposee", "ordonnance_rendue", "ordonnance_signifiee"}
    data["evenements"] = [e for e in data["evenements"] if e["type"] not in later]
    # The title and its pièces come after the requête.
    data.pop("titre", None)
    data["pieces"] = [p for p in data["pieces"] if "role" not in p]
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _record_2026_s2(workspace: Path) -> Path:
    """A firm's workspace where the 2026 S2 rates were recorded as published (the reported
    figures): a filed document refuses an unconfirmed rate (docs/rates.md)."""
    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / "actes.toml").write_text("", encoding="utf-8")
    start = dt.date(2026, 7, 1)
    legal = {"creancier_particulier": Decimal("6.84"), "autres_cas": Decimal("2.75")}
    record_rate(workspace, "interet_legal", start, legal, reference="arrêté", source="essai")
    record_rate(workspace, "bce", start, {"taux": Decimal("2.40")}, reference="BCE", source="x")
    return workspace


@pytest.fixture(scope="module")
def rates_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _record_2026_s2(tmp_path_factory.mktemp("cabinet"))


@pytest.fixture(autouse=True)
def _confirmed_rates(rates_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTES_WORKSPACE", str(rates_workspace))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, rates_workspace: Path) -> dict[str, Built]:
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) absent")
    patch = pytest.MonkeyPatch()
    patch.setenv("ACTES_WORKSPACE", str(rates_workspace))
    work = tmp_path_factory.mktemp("packets")
    tj_case = _copy("injonction-2026", work)
    _before_requete(tj_case)
    specs = {
        "tj": Built(
            "injonction_de_payer_tj",
            tj_case,
            dt.date(2026, 9, 10),
            work / "tj.zip",
            ("Requête en injonction de payer", "Bordereau des pièces"),
        ),
        "ipe": Built(
            "injonction_de_payer_europeenne",
            EXAMPLES / "ipe-debiteur-allemand/dossier.yaml",
            AU,
            work / "ipe.zip",
            (
                "Demande d'injonction de payer européenne (formulaire A)",
                "Bordereau des pièces (section 10 du formulaire A)",
            ),
        ),
        "lj": Built(
            "declaration_de_creance",
            EXAMPLES / "liquidation-judiciaire/dossier.yaml",
            AU,
            work / "lj.zip",
            ("Déclaration de créance", "Bordereau des pièces jointes à la déclaration"),
        ),
    }
    try:
        for spec in specs.values():
            build_packet(spec.procedure, spec.case, spec.zip, spec.au)
    finally:
        patch.undo()
    return specs


def _manifest(archive: Path) -> dict[str, Any]:
    with zipfile.ZipFile(archive) as zf:
        data: dict[str, Any] = json.loads(zf.read(MANIFEST))
    return data


def _merged(archive: Path) -> PdfReader:
    with zipfile.ZipFile(archive) as zf:
        return PdfReader(io.BytesIO(zf.read(MERGED)))


def _case_pieces(case: Path) -> list[dict[str, Any]]:
    pieces: list[dict[str, Any]] = yaml.safe_load(case.read_text(encoding="utf-8"))["pieces"]
    return pieces


EXAMPLE_KEYS = ["tj", "ipe", "lj"]


@needs_soffice
@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_outline_has_one_bookmark_per_part(built: dict[str, Built], key: str) -> None:
    spec = built[key]
    reader = _merged(spec.zip)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    pieces = [
        f"Pièce n° {i} — {p['titre']}" for i, p in enumerate(_case_pieces(spec.case), start=1)
    ]
    assert titles == [*spec.actes, *pieces]
    # Each bookmark points at the first page of its part.
    manifest = _manifest(spec.zip)
    starts = []
    for entry in manifest["fichiers"]:
        span = entry["pages_dossier_complet"]
        if entry["chemin"] != MERGED and span["debut"] not in starts:
            starts.append(span["debut"])
    targets = []
    for item in reader.outline:
        assert not isinstance(item, list), "the outline is flat"
        page = reader.get_destination_page_number(item)
        assert page is not None
        targets.append(page + 1)
    assert targets == starts


@needs_soffice
@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_every_exhibit_page_is_stamped(built: dict[str, Built], key: str) -> None:
    spec = built[key]
    reader = _merged(spec.zip)
    pieces = [e for e in _manifest(spec.zip)["fichiers"] if e["role"] == "piece"]
    assert [e["numero"] for e in pieces] == list(range(1, len(_case_pieces(spec.case)) + 1))
    for entry in pieces:
        span = entry["pages_dossier_complet"]
        for page in range(span["debut"], span["fin"] + 1):
            text = reader.pages[page - 1].extract_text()
            assert f"Pièce n° {entry['numero']}" in text, (entry["chemin"], page)


@needs_soffice
@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_page_counts_and_ranges(built: dict[str, Built], key: str) -> None:
    spec = built[key]
    manifest = _manifest(spec.zip)
    merged_pages = len(_merged(spec.zip).pages)
    expected_start = 1
    seen: set[tuple[int, int]] = set()
    with zipfile.ZipFile(spec.zip) as zf:
        for entry in manifest["fichiers"]:
            if entry["chemin"].endswith(".pdf"):
                pages = len(PdfReader(io.BytesIO(zf.read(entry["chemin"]))).pages)
                assert pages == entry["pages"]
            span = entry["pages_dossier_complet"]
            if entry["chemin"] == MERGED:
                assert (span["debut"], span["fin"]) == (1, merged_pages)
                continue
            if entry["pages"] is not None:
                assert span["fin"] - span["debut"] + 1 == entry["pages"]
            if (span["debut"], span["fin"]) not in seen:
                seen.add((span["debut"], span["fin"]))
                assert span["debut"] == expected_start
                expected_start = span["fin"] + 1
    assert expected_start - 1 == merged_pages


@needs_soffice
@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_manifest_checksums_and_metadata(built: dict[str, Built], key: str) -> None:
    spec = built[key]
    manifest = _manifest(spec.zip)
    with zipfile.ZipFile(spec.zip) as zf:
        names = set(zf.namelist())
        for entry in manifest["fichiers"]:
            data = zf.read(entry["chemin"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(data) == entry["taille"]
        assert names == {e["chemin"] for e in manifest["fichiers"]} | {MANIFEST}
        # Pièces are copied byte for byte from the case folder.
        for entry in manifest["fichiers"]:
            if entry["role"] == "piece":
                assert (
                    zf.read(entry["chemin"]) == (spec.case.parent / entry["source"]).read_bytes()
                )
    roles = [e["role"] for e in manifest["fichiers"]]
    assert {"acte", "bordereau", "piece", "dossier_complet"} <= set(roles)
    assert manifest["procedure"]["id"] == spec.procedure
    assert isinstance(manifest["procedure"]["version"], int)
    assert manifest["selection"]["date"] and manifest["selection"]["motif"]
    assert manifest["dossier"]["sha256"] == hashlib.sha256(spec.case.read_bytes()).hexdigest()
    assert manifest["date_reference"] == spec.au.isoformat()
    assert manifest["outil"]["version"]
    assert manifest["delais"], "the procedure's deadlines are listed"
    assert all(d["fondement"] for d in manifest["delais"])


@needs_soffice
def test_selection_reason_of_declaration(built: dict[str, Built]) -> None:
    manifest = _manifest(built["lj"].zip)
    assert manifest["selection"]["date"] == "2026-10-14"
    assert "jugement_ouverture" in manifest["selection"]["motif"]
    ids = {d["id"] for d in manifest["delais"]}
    assert "declaration" in ids


@needs_soffice
def test_zip_entries_are_fixed(built: dict[str, Built]) -> None:
    with zipfile.ZipFile(built["lj"].zip) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {(2026, 11, 24, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        merged = PdfReader(io.BytesIO(zf.read(MERGED)))
        assert merged.metadata is not None
        assert str(merged.metadata["/CreationDate"]) == "D:20261124000000Z"
        for name in zf.namelist():
            if name.endswith(".docx"):
                inner = zipfile.ZipFile(io.BytesIO(zf.read(name)))
                assert {i.date_time for i in inner.infolist()} == {(2026, 11, 24, 0, 0, 0)}
                core = inner.read("docProps/core.xml").decode()
                assert ">2026-11-24T00:00:00Z</dcterms:created>" in core


@needs_soffice
def test_rebuild_through_the_cli_is_byte_identical(
    built: dict[str, Built], tmp_path: Path
) -> None:
    spec = built["lj"]
    again = tmp_path / "again.zip"
    result = CliRunner().invoke(
        main,
        [
            "packet",
            spec.procedure,
            str(spec.case.parent),
            "-o",
            str(again),
            "--date",
            "2026-11-24",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Archive écrite" in result.output
    assert again.read_bytes() == spec.zip.read_bytes()


@needs_soffice
@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_verify_passes_on_a_fresh_packet(built: dict[str, Built], key: str) -> None:
    result = verify_packet(built[key].zip)
    assert result.ok, result.problems
    cli = CliRunner().invoke(main, ["packet", "verify", str(built[key].zip)])
    assert cli.exit_code == 0, cli.output
    assert "Archive intacte" in cli.output


def _rewrite(source: Path, target: Path, change: dict[str, bytes | None]) -> None:
    """Copy a ZIP, replacing (bytes), removing (None) or adding entries."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in change:
                continue
            new.writestr(info, old.read(info))
        for name, data in change.items():
            if data is not None:
                new.writestr(name, data)


def _two_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@needs_soffice
@pytest.mark.parametrize(
    ("tamper", "culprit", "words"),
    [
        ("piece", "pieces/02-facture-2026-355.pdf", "SHA-256"),
        ("merged", MERGED, "page"),
        ("missing", "pieces/01-facture-2026-301.pdf", "absent de l'archive"),
        ("extra", "pieces/99-intrus.pdf", "absent du manifeste"),
    ],
)
def test_verify_reports_tampering(
    built: dict[str, Built], tmp_path: Path, tamper: str, culprit: str, words: str
) -> None:
    original = built["lj"].zip
    with zipfile.ZipFile(original) as zf:
        piece = zf.read("pieces/02-facture-2026-355.pdf")
    changes: dict[str, dict[str, bytes | None]] = {
        "piece": {culprit: piece.replace(b"1 500 brochures", b"9 500 brochures")},
        "merged": {culprit: _two_page_pdf()},
        "missing": {culprit: None},
        "extra": {culprit: piece},
    }
    copy = tmp_path / "tampered.zip"
    _rewrite(original, copy, changes[tamper])
    result = verify_packet(copy)
    assert not result.ok
    assert any(p.fichier == culprit and words in p.message for p in result.problems), (
        result.problems
    )
    cli = CliRunner().invoke(main, ["packet", "verify", str(copy), "--json"])
    assert cli.exit_code == 1
    report = json.loads(cli.output)
    assert report["valide"] is False
    assert culprit in {p["fichier"] for p in report["problemes"]}


@needs_soffice
def test_bordereau_rendered_when_the_version_has_none_and_docx_piece_converted(
    tmp_path: Path,
) -> None:
    case = _copy("b2b-factures-impayees", tmp_path)
    note = docx.Document()
    note.add_paragraph("Attestation de livraison signée par le client")
    note.save(str(case.parent / "pieces" / "attestation.docx"))
    pieces = _case_pieces(case)
    pieces.append(
        {
            "titre": "Attestation de livraison",
            "date": "2026-06-05",
            "fichier": "pieces/attestation.docx",
        }
    )
    _edit(case, pieces=pieces)
    relance = case.parent / "pieces/relance-2026-09-15.pdf"
    rotated = PdfWriter(clone_from=PdfReader(str(relance)))
    rotated.pages[0].rotate(90)
    with relance.open("wb") as handle:
        rotated.write(handle)
    out = tmp_path / "b2b.zip"
    packet = build_packet("mise_en_demeure_professionnel", case, out, AU)
    manifest = _manifest(out)
    assert [f["role"] for f in manifest["fichiers"]].count("bordereau") == 2  # DOCX and PDF
    assert any(f["chemin"].endswith("-bordereau-pieces.pdf") for f in manifest["fichiers"])
    last = manifest["fichiers"][-2]
    assert last["chemin"] == "pieces/05-attestation.pdf"
    reader = _merged(out)
    span = last["pages_dossier_complet"]
    text = reader.pages[span["debut"] - 1].extract_text()
    assert "Attestation de livraison signée" in text
    assert "Pièce n° 5" in text
    assert "Pièce n° 4" in reader.pages[span["debut"] - 2].extract_text()  # rotated exhibit
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[1] == "Bordereau des pièces"
    assert verify_packet(out).ok
    assert packet.pages == len(reader.pages)


# --------------------------------------------------------------------------- bad exhibits


def _encrypt(path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    writer.encrypt("secret", algorithm="AES-256")
    with path.open("wb") as handle:
        writer.write(handle)


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _not_a_pdf(case: Path) -> None:
    (case.parent / "pieces" / "note.txt").write_text("pas un PDF", encoding="utf-8")
    pieces = _case_pieces(case)
    pieces[1]["fichier"] = "pieces/note.txt"
    _edit(case, pieces=pieces)


def _fake_pdf(case: Path) -> None:
    (case.parent / "pieces/facture-2026-355.pdf").write_bytes(b"GIF89a pas un PDF du tout")


def _garbled(case: Path) -> None:
    (case.parent / "pieces/facture-2026-355.pdf").write_bytes(
        b"%PDF-1.4\n" + b"x" * 300 + b"\n%%EOF\n"
    )


def _outside(case: Path) -> None:
    shutil.copy(case.parent / "pieces/facture-2026-355.pdf", case.parent.parent / "ailleurs.pdf")
    pieces = _case_pieces(case)
    pieces[1]["fichier"] = "../ailleurs.pdf"
    _edit(case, pieces=pieces)


def _symlink_outside(case: Path) -> None:
    outside = case.parent.parent / "ailleurs.pdf"
    shutil.copy(case.parent / "pieces/facture-2026-355.pdf", outside)
    link = case.parent / "pieces/facture-2026-355.pdf"
    link.unlink()
    link.symlink_to(outside)


def _missing(case: Path) -> None:
    (case.parent / "pieces/facture-2026-355.pdf").unlink()


def _encrypted(case: Path) -> None:
    _encrypt(case.parent / "pieces/facture-2026-355.pdf")


def _corrupt(case: Path) -> None:
    _truncate(case.parent / "pieces/facture-2026-355.pdf")


BAD: dict[str, tuple[Callable[[Path], None], str]] = {
    "missing": (_missing, "introuvable"),
    "outside": (_outside, "sort du dossier"),
    "symlink": (_symlink_outside, "sort du dossier"),
    "not_a_pdf": (_not_a_pdf, "refusé"),
    "fake_pdf": (_fake_pdf, "n'est pas un PDF"),
    "encrypted": (_encrypted, "chiffré"),
    "corrupt": (_corrupt, "tronqué"),
    "garbled": (_garbled, "PDF illisible"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_exhibit_is_refused_and_nothing_written(tmp_path: Path, kind: str) -> None:
    case = _copy("liquidation-judiciaire", tmp_path)
    spoil, words = BAD[kind]
    spoil(case)
    out = tmp_path / "out" / "packet.zip"
    with pytest.raises(InputError) as caught:
        build_packet("declaration_de_creance", case, out, AU)
    text = caught.value.format()
    assert words in text
    assert "pieces[1]" in text
    if kind not in ("missing", "outside", "symlink", "not_a_pdf"):  # refused by load_case
        assert "pièce n° 2 « Facture 2026-355 »" in text
        assert caught.value.hint
    assert not out.exists()
    assert not out.parent.exists() or not any(out.parent.iterdir())


def test_bad_exhibit_keeps_an_existing_packet(tmp_path: Path) -> None:
    case = _copy("liquidation-judiciaire", tmp_path)
    _encrypt(case.parent / "pieces/facture-2026-301.pdf")
    _truncate(case.parent / "pieces/bodacc-annonce.pdf")
    out = tmp_path / "packet.zip"
    out.write_bytes(b"previous packet")
    result = CliRunner().invoke(
        main,
        ["packet", "declaration_de_creance", str(case), "-o", str(out), "--date", "2026-11-24"],
    )
    assert result.exit_code == 1
    assert "2 pièces inutilisables" in result.output
    assert "pièce n° 1" in result.output and "pièce n° 3" in result.output
    assert out.read_bytes() == b"previous packet"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["liquidation-judiciaire", "packet.zip"]


def test_verify_refuses_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.zip"
    bogus.write_bytes(b"not a zip")
    result = CliRunner().invoke(main, ["packet", "verify", str(bogus)])
    assert result.exit_code == 1
    assert "archive ZIP lisible" in result.output


def test_group_help_lists_both_subcommands() -> None:
    result = CliRunner().invoke(main, ["packet", "--help"])
    assert result.exit_code == 0
    assert "build" in result.output and "verify" in result.output
