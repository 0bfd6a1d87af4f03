"""The web page speaks the form's words (issue 21): no JSON path, YAML syntax, internal id,
command of the command line or path inside the package in what a legal assistant reads; and
the render checks of the case page are made once per page, with the same results."""

from __future__ import annotations

import ast
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask.testing import FlaskClient

import actes
from actes.cases.case import load_case
from actes.documents import render
from actes.documents.contexts.letters import AGENCY_NEEDS
from actes.law import assistant
from actes.law.procedures import load_registry
from actes.web import checks, create_app, forms, wording

from .conftest import AU, EXAMPLES, ROOT

PACKAGE = Path(actes.__file__).resolve().parent


class _Visible(HTMLParser):
    """The text a browser shows: no script, style or title, no command to copy
    (``pre.commande``), blocks on their own lines, images by their alternative text."""

    _BLOCKS = frozenset({"p", "div", "li", "tr", "td", "th", "br", "h1", "h2", "h3", "dd", "dt"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("script", "style", "title") or "commande" in (found.get("class") or ""):
            self.hidden.append(tag)
        if tag in self._BLOCKS or tag in ("summary", "option", "label", "legend"):
            self.parts.append("\n")
        if tag == "img" and found.get("alt"):
            self.parts.append(f" {found['alt']} ")

    def handle_endtag(self, tag: str) -> None:
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "".join(parser.parts)


_IDENTIFIER = re.compile(r"[\w./@:-]*[A-Za-z0-9]_[A-Za-z0-9][\w./@:-]*")
_FILE = re.compile(r"\.(?:pdf|docx|zip|yaml|yml|json|xml|png)$", re.IGNORECASE)


def developer_words(text: str) -> list[str]:
    """What a legal assistant should not read: JSON paths, YAML braces, identifiers with an
    underscore (not in an e-mail address, a URL or a file name), « actes next », paths
    inside the installed package."""
    found = [m for m in ("$.", "{", "}", "actes next", "site-packages") if m in text]
    found += [m for m in ("/parameters/", "/procedures/", "/schemas/", "/templates/") if m in text]
    if str(PACKAGE) in text:
        found.append(str(PACKAGE))
    for token in _IDENTIFIER.findall(text):
        if "@" in token or "://" in token or _FILE.search(token.rstrip(".,;:")):
            continue
        found.append(token)
    return found


def test_developer_words_finds_what_it_should() -> None:
    assert developer_words("« $.creances[1].montant »") == ["$."]
    assert developer_words("mandataire: {role: commissaire_de_justice}") == [
        "{",
        "}",
        "commissaire_de_justice",
    ]
    assert developer_words("(actes next)") == ["actes next"]
    assert developer_words("voir mise_en_demeure_professionnel.") == [
        "mise_en_demeure_professionnel."
    ]
    assert developer_words(f"sans modifier {PACKAGE}/x.yaml") == [str(PACKAGE)]
    assert developer_words("contact_recouvrement@exemple.fr, facture_2026_12.pdf") == []
    assert visible_text('<p>a</p><pre class="commande"><code>x_y</code></pre><p>b</p>') == (
        "\na\n\nb\n"
    )


# ---------------------------------------------------------------------------------------------
# Every page of every example, and of cases missing what the render checks ask for


def _without(data: dict[str, Any], dotted: str) -> dict[str, Any]:
    node: Any = data
    *parents, last = dotted.split(".")
    for key in parents:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(last, None)
    return data


# (example, key removed): each makes a render check or a precondition speak.
VARIANTS = [
    ("execution-saisies", "mandataire"),
    ("execution-saisies", "titre"),
    ("execution-saisies", "execution"),
    ("saisie-conservatoire-b2b", "execution.menace"),
    ("saisie-conservatoire-b2b", "execution.juge_execution"),
    ("saisie-conservatoire-b2b", "execution.autorisation"),
    ("surendettement", "caution"),
    ("surendettement-contestation", "caution"),
    ("ipe-debiteur-allemand", "juridiction.competence"),
    ("injonction-2026", "juridiction"),
    ("injonction-2026", "titre"),
    ("injonction-2026", "mandataire"),
    ("b2b-factures-impayees", "juridiction"),
    ("b2b-factures-impayees", "mandataire"),
    ("jcp-credit-consommation", "credit"),
    ("liquidation-judiciaire", "evenements"),
    ("petites-creances-b2c", "evenements"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[FlaskClient, Path]:
    folder = tmp_path_factory.mktemp("mots") / "affaires"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("imports", ".actes"))
    for name, key in VARIANTS:
        suffix = re.sub(r"[._]", "-", key)
        target = folder / f"{name}--sans-{suffix}"
        shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns(".actes"))
        data = yaml.safe_load((target / "dossier.yaml").read_text(encoding="utf-8"))
        data["reference"] = f"{data['reference']}-{suffix}"
        (target / "dossier.yaml").write_text(
            yaml.safe_dump(_without(data, key), allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
    # An invalid case: a SIREN with a wrong key, a due date before the issue date.
    broken = folder / "dossier-casse"
    shutil.copytree(EXAMPLES / "b2b-factures-impayees", broken)
    data = yaml.safe_load((broken / "dossier.yaml").read_text(encoding="utf-8"))
    data["reference"] = "CASSE-1"
    data["debiteur"]["siren"] = "380129867"
    data["creances"][1]["date_echeance"] = "2020-01-01"
    (broken / "dossier.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    app = create_app(folder, au=AU, secret_key="mots")
    return app.test_client(), folder


def _cases(folder: Path) -> list[str]:
    return sorted(p.parent.name for p in folder.glob("*/dossier.yaml"))


def _check(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    text = visible_text(response.get_data(as_text=True))
    lines = [line.strip() for line in text.splitlines() if developer_words(line)]
    assert not lines, f"{url} :\n" + "\n".join(lines)


def test_every_case_page_speaks_the_forms_words(site: tuple[FlaskClient, Path]) -> None:
    client, folder = site
    wanted = "&".join(f"viser={p.id}" for p in load_registry())
    for case in _cases(folder):
        _check(client, f"/dossier/{case}?{wanted}")
    _check(client, "/")


@pytest.mark.parametrize("procedure", [p.id for p in load_registry()])
def test_every_procedure_page_speaks_the_forms_words(
    site: tuple[FlaskClient, Path], procedure: str
) -> None:
    client, folder = site
    for case in _cases(folder):
        _check(client, f"/dossier/{case}/procedure/{procedure}")


def test_the_form_of_every_example_has_french_labels(site: tuple[FlaskClient, Path]) -> None:
    client, folder = site
    for case in _cases(folder)[:13]:
        html = client.get(f"/dossier/{case}/modifier").get_data(as_text=True)
        labels = re.findall(r"<(?:legend|label|summary)[^>]*>(.*?)</", html, re.S)
        words = " ".join(re.sub(r"<[^>]+>", " ", label) for label in labels)
        for wrong in ("Tier n°", "Autres dette n°", "Numero", "Precision", "Interets", "Arretes"):
            assert wrong not in words, (case, wrong)


# ---------------------------------------------------------------------------------------------
# Every hint the render checks can give, even those no example reaches


def _hint_literals() -> list[str]:
    """The constant ``hint=`` texts of the modules whose refusals the page shows."""
    files = [
        ROOT / "src/actes/documents/render.py",
        ROOT / "src/actes/law/title.py",
        ROOT / "src/actes/law/enforcement.py",
        ROOT / "src/actes/cases/rules.py",
        *sorted((ROOT / "src/actes/documents/contexts").glob("*.py")),
    ]
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "hint":
                for value in ast.walk(node.value):
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        found.append(value.value)
    return found


def _names() -> dict[str, str]:
    names = {p.id: p.title for p in load_registry()}
    for procedure in load_registry():
        for version in procedure.versions:
            for document in version.documents:
                names.setdefault(Path(document.template).name, document.title)
    return names


def test_every_need_of_the_templates_is_said_in_the_forms_words() -> None:
    names = _names()
    needs = [*render._NEEDS.items(), ("agence.docx", AGENCY_NEEDS)]
    assert len(needs) > 10
    for template, entries in needs:
        for path, hint in entries:
            message = f"Le dossier ne contient pas ce qu'exige le modèle {template} ({path})."
            shown = wording.said(message, forms.label_for, names)
            assert developer_words(shown) == [], shown
            assert "le document « " in shown
            said_hint = wording.said(hint, forms.label_for, names)
            assert developer_words(said_hint) == [], (hint, said_hint)


def test_every_constant_hint_is_said_in_the_forms_words() -> None:
    literals = _hint_literals()
    assert len(literals) > 15
    names = _names()
    for hint in literals:
        shown = wording.said(hint, forms.label_for, names)
        assert developer_words(shown) == [], (hint, shown)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "indiquez le commissaire de justice : « mandataire: {role: commissaire_de_justice, "
            "partie: ...} » ou « organe » (role commissaire_de_justice) d'un événement",
            "ajoutez le commissaire de justice (rôle, nom, adresse) au mandataire, ou comme "
            "organe de l'événement qui le désigne",
        ),
        ("la référence « FA-1 » est déjà celle de $.creances[1]", "de « Créance n° 2 »"),
        ("faits menaçant le recouvrement (« execution.menace »).", "(« Exécution › Menace »)"),
        ("(dernier jour le 2026-06-29)", "(dernier jour le 29/06/2026)"),
        ("ajoutez l'événement « jugement_ouverture »", "l'événement « jugement d'ouverture »"),
        ("totalisent 3 et non 4 (montant_total)", "(« Montant total »)"),
        ("conseil de « relance_amiable » : x", "conseil de « Relance amiable » : x"),
        ("ordre de priorité (parameters/assistant.yaml)", "ordre de priorité"),
        ("corrigez la date ou calculez à une date postérieure (--date)", "postérieure"),
        (f"publication (actes taux ajouter), sans modifier {PACKAGE}/t.yaml.", "ajouter)."),
        (
            "Le dossier ne contient pas ce qu'exige le modèle plan_apurement.docx (plan).",
            "ce qu'exige le document « ",
        ),
        ("aucun titre (bloc « titre »)", "(partie « Titre exécutoire »)"),
    ],
)
def test_messages_in_the_forms_words(message: str, expected: str) -> None:
    shown = wording.said(message, forms.label_for, _names())
    assert expected in shown
    assert developer_words(shown) == []


def test_labels_are_french() -> None:
    assert (
        wording.words("surendettement_mesures_notifiees") == "mesures de surendettement notifiées"
    )
    assert forms.label_for("numero") == "Numéro"
    assert wording.item_label("tiers", "Tiers") == "Tiers"
    assert wording.place("$.titre.executoire_le", forms.label_for) == (
        "Titre exécutoire › Exécutoire le"
    )


# ---------------------------------------------------------------------------------------------
# One round of render checks per page, same results


@pytest.mark.parametrize("name", sorted(p.parent.name for p in EXAMPLES.glob("*/dossier.yaml")))
def test_remembered_plans_give_the_same_needs(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = EXAMPLES / name / "dossier.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    case = load_case(path, au=AU)
    ids = [p.id for p in load_registry()]

    def needs(**extra: Any) -> list[checks.ProcedureNeeds]:
        return [
            checks.procedure_needs(
                procedure_id,
                data,
                file=path.name,
                folder=path.parent,
                au=AU,
                valid=True,
                **extra,
            )
            for procedure_id in ids
        ]

    alone = needs()
    made = []
    plan = render._plan_documents
    monkeypatch.setattr(render, "_plan_documents", lambda *a: made.append(a[0]) or plan(*a))
    with render.remembered_plans():
        assistant.next_steps(case, AU)
        first = len(made)
        shared = needs(case=case)
    assert shared == alone
    # The assistant's plans serve again: only the refusals it does not keep are made anew
    # (a rate still to record, the version's own schema).
    again = [p for p in made[first:] if p in made[:first]]
    assert again == []
