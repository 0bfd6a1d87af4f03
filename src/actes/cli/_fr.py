"""click's own texts in French (usage errors, help headings).

click marks its texts for translation with :func:`gettext.gettext` (imported in each of its
modules as ``_``) but ships no catalogue, and the user's locale would only choose among
catalogues. :func:`install` replaces ``_`` and ``ngettext`` in click's modules by lookups in
:data:`MESSAGES`: a message missing there (a new click version) stays in English rather than
breaking. The French templates may leave out a placeholder (``{name}``) or drop ``!r``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["MESSAGES", "PLURALS", "install", "translate"]

MESSAGES: dict[str, str] = {
    # usage errors
    "Error: {message}": "Erreur : {message}",
    "Usage:": "Utilisation :",
    "Try '{command} {option}' for help.": "Aide : « {command} {option} ».",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing command.": "Commande manquante.",
    "No such command {name!r}.": "Commande inconnue : « {name} ».",
    "No such option {name!r}.": "Option inconnue : « {name} ».",
    "No such option: {name}": "Option inconnue : {name}",
    "Option {name!r} does not take a value.": "L'option « {name} » ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument « {name} » prend {nargs} valeurs.",
    "Invalid start character for option ({option})": (
        "Caractère initial invalide pour une option ({option})"
    ),
    "Aborted!": "Interrompu.",
    "unknown error": "erreur inconnue",
    "Could not open file {filename!r}: {message}": (
        "Ouverture impossible du fichier « {filename} » : {message}"
    ),
    # parameter types
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "{name} {filename!r} does not exist.": "« {filename} » n'existe pas.",
    "{name} {filename!r} is a file.": "« {filename} » est un fichier, un dossier était attendu.",
    "{name} {filename!r} is a directory.": (
        "« {filename} » est un dossier, un fichier était attendu."
    ),
    "{name} {filename!r} is not readable.": "« {filename} » n'est pas lisible.",
    "{name} {filename!r} is not writable.": "« {filename} » n'est pas accessible en écriture.",
    "{name} {filename!r} is not executable.": "« {filename} » n'est pas exécutable.",
    "{value!r} is not a valid {number_type}.": ("« {value} » n'est pas un {number_type} valide."),
    "integer": "nombre entier",
    "float": "nombre",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} is not a valid UUID.": "« {value} » n'est pas un UUID valide.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "« {value} » n'est pas un booléen valide. Valeurs reconnues : {states}"
    ),
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    # help pages
    "Options": "Options",
    "Commands": "Commandes",
    "Show this message and exit.": "Affiche cette aide et quitte.",
    "Show the version and exit.": "Affiche la version et quitte.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "default: {default}": "défaut : {default}",
    "required": "obligatoire",
    "env var: {var}": "variable d'environnement : {var}",
    "(dynamic)": "(dynamique)",
    "deprecated": "obsolète",
}

PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Argument en trop : {args}",
        "Arguments en trop : {args}",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "L'option « {name} » attend une valeur.",
        "L'option « {name} » attend {nargs} valeurs.",
    ),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Vouliez-vous dire {possibility} ?",
        "(Vouliez-vous dire l'une de ces options : {possibilities} ?)",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "« {value} » n'est pas {choice}.",
        "« {value} » n'est pas l'une des valeurs {choices}.",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Attend {nargs} valeurs, 1 donnée.",
        "Attend {nargs} valeurs, {len} données.",
    ),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): (
        "« {value} » ne suit pas le format {format}.",
        "« {value} » ne suit aucun des formats {formats}.",
    ),
}

_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)


def translate(message: str) -> str:
    """The French text of one of click's messages (the message itself when unknown)."""
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    found = PLURALS.get((singular, plural))
    if found is None:
        return singular if count == 1 else plural
    return found[0] if count == 1 else found[1]


def install() -> None:
    """Make click speak French (idempotent)."""
    for name in _MODULES:
        try:
            module: ModuleType = importlib.import_module(name)
        except ImportError:  # pragma: no cover - a click without this module
            continue
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural  # type: ignore[attr-defined]
