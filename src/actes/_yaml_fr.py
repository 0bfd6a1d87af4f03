"""libyaml's (and PyYAML's) syntax error descriptions in French.

A YAML syntax error reaches the user as « dossier.yaml:12:5 : <problème> — corrigez la
syntaxe YAML à cet endroit »: the problem is translated here. A description not known here
(a new libyaml) is kept, after « erreur de syntaxe YAML », rather than lost.
"""

from __future__ import annotations

import re

__all__ = ["translate_yaml_problem"]

_EXACT: dict[str, str] = {
    "mapping values are not allowed in this context": (
        "« : » inattendu : une valeur ne peut pas contenir « clé: valeur » sur la même ligne "
        "(mettez la valeur entre guillemets ou passez à la ligne)"
    ),
    "mapping values are not allowed here": (
        "« : » inattendu : une valeur ne peut pas contenir « clé: valeur » sur la même ligne "
        "(mettez la valeur entre guillemets ou passez à la ligne)"
    ),
    "block sequence entries are not allowed in this context": (
        "élément de liste « - » inattendu à cet endroit (passez à la ligne et indentez-le)"
    ),
    "found unexpected end of stream": (
        "fin du fichier inattendue (guillemet ou crochet non fermé ?)"
    ),
    "did not find expected ',' or ']'": "« , » ou « ] » attendu (crochet non fermé ?)",
    "did not find expected ',' or '}'": "« , » ou « } » attendu (accolade non fermée ?)",
    "did not find expected '-' indicator": (
        "élément de liste « - » attendu (indentation incohérente ?)"
    ),
    "did not find expected key": "clé attendue (indentation incohérente ?)",
    "did not find expected node content": "valeur attendue à cet endroit",
    "did not find expected <document start>": (
        "contenu inattendu après la fin du document (crochet, accolade ou guillemet en trop ?)"
    ),
    "could not find expected ':'": "« : » attendu après la clé",
    "found undefined alias": "alias « *nom » sans ancre « &nom » correspondante",
    "found character that cannot start any token": (
        "caractère qui ne peut pas commencer une valeur YAML (« @ », « ` », « % »… : mettez "
        "la valeur entre guillemets)"
    ),
    "found unknown escape character": (
        "séquence d'échappement « \\ » inconnue entre guillemets doubles (écrivez « \\\\ » "
        "ou utilisez des guillemets simples)"
    ),
    "found a tab character that violates indentation": (
        "tabulation dans l'indentation : YAML n'accepte que des espaces"
    ),
    "found a tab character that violate indentation": (
        "tabulation dans l'indentation : YAML n'accepte que des espaces"
    ),
    "found a tab character where an indentation space is expected": (
        "tabulation dans l'indentation : YAML n'accepte que des espaces"
    ),
    "but found another document": ("un seul document attendu, « --- » en introduit un second"),
    "second occurrence": "ancre « &nom » définie deux fois",
    "found unknown directive name": "directive « % » inconnue",
    "found unhashable key": "une liste ou un objet ne peut pas servir de clé",
    "found unexpected ':'": "« : » inattendu",
    "found unexpected document indicator": "« --- » ou « ... » inattendu dans une valeur",
    "found incompatible YAML document": "version de YAML non prise en charge",
    "did not find expected alphabetic or numeric character": (
        "nom d'ancre ou d'alias attendu (lettres et chiffres)"
    ),
    "did not find expected hexdecimal number": "nombre hexadécimal attendu après « \\x »",
    "found invalid Unicode character escape code": "code de caractère Unicode invalide",
    "found unknown escape character while parsing a quoted scalar": (
        "séquence d'échappement « \\ » inconnue entre guillemets doubles"
    ),
    "control characters are not allowed": "caractère de contrôle interdit",
    "invalid leading UTF-8 octet": "octet UTF-8 invalide",
    "invalid trailing UTF-8 octet": "octet UTF-8 invalide",
    "incomplete UTF-8 octet sequence": "séquence UTF-8 incomplète",
    "invalid Unicode character": "caractère Unicode invalide",
    "found undefined tag handle": "préfixe d'étiquette « ! » inconnu",
    "did not find expected whitespace or line break": "espace ou retour à la ligne attendu",
    "did not find the expected '>'": "« > » attendu",
    "did not find URI escaped octet": "octet échappé (« %xx ») attendu",
    "found an incorrect leading UTF-8 octet": "octet UTF-8 invalide",
    "found an incorrect trailing UTF-8 octet": "octet UTF-8 invalide",
    "found unexpected end of stream while scanning a quoted scalar": (
        "fin du fichier inattendue : guillemet non fermé"
    ),
    "found duplicate anchor": "ancre « &nom » définie deux fois",
    "expected a single document in the stream": "un seul document attendu",
}

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"could not determine a constructor for the tag '(?P<x>.*)'"),
        "étiquette « {x} » refusée (les étiquettes « ! » ne sont pas acceptées)",
    ),
    (re.compile(r"found undefined alias '?(?P<x>[^']*)'?"), "alias « *{x} » sans ancre « &{x} »"),
    (
        re.compile(r"expected (?P<x><[^>]+>), but found (?P<y><[^>]+>)"),
        "structure inattendue (indentation ou ponctuation à vérifier)",
    ),
    (
        re.compile(r"(?:found )?unacceptable character #x(?P<x>[0-9a-fA-F]+).*"),
        "caractère interdit U+{X}",
    ),
)


def translate_yaml_problem(problem: str) -> str:
    """The French description of one of libyaml's problem texts."""
    text = problem.strip()
    found = _EXACT.get(text)
    if found is not None:
        return found
    for pattern, french in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is not None:
            values = {key: value or "" for key, value in match.groupdict().items()}
            return french.format(**values, X=values.get("x", "").upper().zfill(4))
    return f"erreur de syntaxe YAML ({text})"
