"""Commands are imported when they run: the table's help is theirs, ``--help`` loads none."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from actes.cli import main
from actes.cli._lazy import LazyGroup, first_paragraph
from actes.cli.commands import COMMANDS

HEAVY = ("docxtpl", "jsonschema", "flask", "pypdf")


def _loaded(name: str) -> click.Command:
    module, _, attribute = COMMANDS[name].target.partition(":")
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command)
    return command


def _modules_after(*args: str) -> set[str]:
    """The modules (and their packages) imported by ``actes ARGS`` in a fresh interpreter."""
    code = (
        "import json, sys\n"
        "from actes.cli import main\n"
        "try:\n"
        f"    main({list(args)!r}, standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    names = set(json.loads(result.stderr.strip().splitlines()[-1]))
    return names | {name.split(".")[0] for name in names}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_table_help_is_the_commands_own(name: str) -> None:
    command = _loaded(name)
    assert command.name == name
    assert COMMANDS[name].help == first_paragraph(command.help)


def test_help_lists_every_command_as_an_eager_group_would() -> None:
    result = CliRunner().invoke(main, ["--help"], prog_name="actes")
    assert result.exit_code == 0, result.output
    listed = result.output.split("Commandes:", 1)[1]
    for name in COMMANDS:
        assert f"\n  {name} " in listed
    # The same group with every command imported up front prints the same help.
    eager = click.Group(
        "actes",
        help=main.help,
        params=main.params,
        context_settings=main.context_settings,
        commands={name: _loaded(name) for name in COMMANDS},
    )
    assert CliRunner().invoke(eager, ["--help"], prog_name="actes").output == result.output


def test_help_imports_no_command_module_nor_heavy_library() -> None:
    modules = _modules_after("--help")
    assert not modules & set(HEAVY)
    loaded_commands = {target.partition(":")[0] for target, _ in COMMANDS.values()}
    assert not modules & loaded_commands


def test_delai_imports_neither_docxtpl_nor_flask() -> None:
    modules = _modules_after("delai", "2026-04-16", "15j")
    assert "actes.cli.delai" in modules
    assert not modules & {"docxtpl", "flask", "pypdf", "jsonschema"}


def test_a_command_is_imported_once_and_keeps_the_groups_error_handling() -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["delai", "2026-04-16", "15j", "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["date_limite"] == "2026-05-04"
    assert main.get_command(click.Context(main), "delai") is _loaded("delai")
    bad = runner.invoke(main, ["delai", "x", "15j", "--json"])
    assert bad.exit_code == 2
    assert json.loads(bad.output)["erreur"] == "UsageProblem"
    unknown = runner.invoke(main, ["inconnue"])
    assert unknown.exit_code == 2
    assert "Commande inconnue" in unknown.output


def test_a_target_that_is_not_a_command_is_refused() -> None:
    group = LazyGroup("g", lazy_commands={"x": COMMANDS["delai"]._replace(target="json:dumps")})
    with pytest.raises(TypeError, match="json:dumps"):
        group.get_command(click.Context(group), "x")
