"""HTML forms generated from the case JSON Schema, and the way back from posted fields to data.

The schema stays the only statement of the rules: this module reads it to decide which widget
each property gets (objects become fieldsets, arrays repeatable groups, enums selects,
``format: date`` date inputs, booleans checkboxes) and never checks a value itself. Posted
values are turned back into a case mapping as typed, then :func:`actes.cases.case.issues_of`
judges them; each :class:`~actes.errors.DataIssue` is shown at the field whose name matches
its JSON path (``$.creances[0].montant`` ↔ ``creances-0-montant``).

An empty field is left out of the data, so that a required one is reported as missing at its
own path; an optional object or an array row whose fields are all empty is left out too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from actes._io import parse_document
from actes.cases.schema import json_path, load_schema
from actes.errors import DataIssue, InputError
from actes.web import frenchinput, wording

__all__ = [
    "ArraySpec",
    "BoundArray",
    "BoundField",
    "BoundForm",
    "BoundObject",
    "FieldSpec",
    "FormAction",
    "ObjectSpec",
    "ParsedForm",
    "bind",
    "build_spec",
    "field_name",
    "has_errors",
    "name_for_json_path",
    "parse_action",
    "parse_form",
]

Widget = Literal["text", "decimal", "date", "email", "number", "select", "checkbox", "yaml"]
Part = str | int

# Rows shown at most per repeatable group: bounds the work a crafted request can cause.
MAX_ROWS = 500
# Empty rows offered after the filled ones of each repeatable group.
DEFAULT_EMPTY_ROWS = 1

# Display names of schema keys (presentation only: the rules stay in the schema).
_LABELS = {
    "a_personne": "Signifié à personne",
    "adresse": "Adresse",
    "assurance_rc": "Assurance RC",
    "base_jours": "Base de calcul des intérêts",
    "capital": "Capital",
    "capitalisation": "Capitalisation des intérêts",
    "civilite": "Civilité",
    "code_postal": "Code postal",
    "compte_dedie": "Compte dédié (IBAN)",
    "creance": "Créance désignée",
    "creances": "Créances",
    "creancier": "Créancier",
    "date": "Date",
    "date_echeance": "Date d'échéance",
    "date_emission": "Date d'émission",
    "date_mandat": "Date du mandat",
    "date_naissance": "Date de naissance",
    "date_promise": "Date promise",
    "debiteur": "Débiteur",
    "delai_paiement_jours": "Délai de paiement (jours)",
    "denomination": "Dénomination",
    "departement": "Département",
    "devise": "Devise",
    "email": "Courriel",
    "evenements": "Événements",
    "fichier": "Fichier",
    "fondement": "Fondement",
    "format_version": "Version du format",
    "forme_juridique": "Forme juridique",
    "gestionnaire": "Gestionnaire du dossier",
    "identifiant_etranger": "Identifiant étranger",
    "juridiction": "Juridiction",
    "libelle": "Libellé",
    "lieu": "Lieu",
    "lieu_naissance": "Lieu de naissance",
    "ligne1": "Adresse (ligne 1)",
    "ligne2": "Complément d'adresse",
    "mandataire": "Mandataire",
    "montant": "Montant",
    "nationalite": "Nationalité",
    "nom_commercial": "Nom commercial",
    "objet": "Objet",
    "organe": "Organe de la procédure",
    "paiements": "Paiements",
    "parametres": "Paramètres",
    "par": "Recueillie par",
    "partie": "Partie",
    "pays": "Pays",
    "pieces": "Pièces",
    "plan": "Plan d'apurement",
    "prenoms": "Prénoms",
    "qualite": "Qualité",
    "rcs": "RCS",
    "reference": "Référence",
    "reference_mandat": "Référence du mandat",
    "representant": "Représentant",
    "role": "Rôle",
    "siren": "SIREN",
    "siret": "SIRET",
    "signataire": "Signataire",
    "situation": "Situation du débiteur",
    "taux_contractuel": "Taux contractuel (%)",
    "taux_non_confirmes": "Accepter les taux non confirmés",
    "telephone": "Téléphone",
    "titre": "Titre",
    "tva_intracommunautaire": "TVA intracommunautaire",
    "iban": "IBAN",
    "bic": "BIC",
}


def label_for(key: str) -> str:
    if key in _LABELS:
        return _LABELS[key]
    text = wording.words(key)
    return text[:1].upper() + text[1:]


def choice_label(value: Any) -> str:
    return wording.words(str(value))


# What fits the case: fields of one kind of party only, fields folded under « Autres champs »
# unless they hold something, groups offered without an empty row, values never typed.
PERSON_ONLY = frozenset(
    {"civilite", "nom", "prenoms", "date_naissance", "lieu_naissance", "profession", "nationalite"}
)
COMPANY_ONLY = frozenset({"denomination", "forme_juridique", "capital", "representant", "syndic"})
SECONDARY = frozenset(
    {
        "nom_commercial",
        "capital",
        "rcs",
        "tva_intracommunautaire",
        "identifiant_etranger",
        "email",
        "telephone",
        "iban",
        "bic",
        "syndic",
        "date_naissance",
        "lieu_naissance",
        "profession",
        "nationalite",
        "devise",
        "categorie",
        "avoirs",
        "mode",
        "source",
        "role",
        "a_personne",
        "procedure",
        "organe",
        "juridiction",
        "montant",
        "note",
        "date_promise",
        "canal",
        "par",
    }
)
# Keys kept secondary only inside these groups (a claim's « montant » is not secondary).
_SECONDARY_ONLY_IN = {"role": "pieces", "montant": "evenements", "juridiction": "evenements"}
NO_EMPTY_ROW = frozenset({"pieces"})  # pièces are added by upload, from the case page
HIDDEN_KEYS = frozenset({"format_version", "fichier"})
ESSENTIAL = ("format_version", "reference", "creancier", "debiteur", "creances", "paiements")
"""The root groups of the guided part of the form, in order; the rest is folded below."""


# ---------------------------------------------------------------------------------------------
# Specs: what the schema asks for, independent of any data.


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    help: str
    required: bool
    widget: Widget
    choices: tuple[Any, ...] = ()
    placeholder: str = ""
    # A YAML area whose schema also admits a string (a rate: "5.90" or {base: ...}): a
    # value that is not a mapping or a list is kept as the text typed.
    scalar_text: bool = False


@dataclass(frozen=True)
class ObjectSpec:
    key: str
    label: str
    help: str
    required: bool
    children: tuple[Spec, ...]
    # (if schema, booleans required when it holds, booleans required when it does not)
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class ArraySpec:
    key: str
    label: str
    help: str
    required: bool
    item: Spec


Spec = FieldSpec | ObjectSpec | ArraySpec
Condition = tuple[dict[str, Any], tuple[str, ...], tuple[str, ...]]


def _resolve(
    node: Mapping[str, Any], root: Mapping[str, Any]
) -> tuple[dict[str, Any], Mapping[str, Any]]:
    """Follow ``$ref`` (``#/$defs/x`` in the same document, or a file of ``schemas/``),
    keeping the referring node's own keywords; also return the document the node is in."""
    resolved = dict(node)
    while "$ref" in resolved:
        ref = str(resolved.pop("$ref"))
        document, _, pointer = ref.partition("#")
        if document:
            root = load_schema(document)
        target: Any = root
        for part in pointer.removeprefix("/").split("/") if pointer else ():
            target = target[part]
        resolved = {**_strip_meta(target), **resolved}
    return resolved, root


def _strip_meta(node: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k not in ("$schema", "$id", "$defs")}


def build_spec(schema: Mapping[str, Any]) -> ObjectSpec:
    """The form of a whole case, read from the case JSON Schema."""
    root = _spec("", schema, schema, required=True)
    assert isinstance(root, ObjectSpec)
    return root


def _spec(key: str, node: Mapping[str, Any], root: Mapping[str, Any], *, required: bool) -> Spec:
    node, root = _resolve(node, root)
    label = str(node.get("title") or label_for(key))
    help_text = str(node.get("description", ""))
    types = node.get("type")
    type_set = set(types) if isinstance(types, list) else {types}
    if "properties" in node:
        needed = set(node.get("required", []))
        children = tuple(
            _spec(name, sub, root, required=name in needed)
            for name, sub in node["properties"].items()
            if not name.startswith("$")
        )
        booleans = {c.key for c in children if isinstance(c, FieldSpec) and c.widget == "checkbox"}
        return ObjectSpec(key, label, help_text, required, children, _conditions(node, booleans))
    if "object" in type_set:
        # An object the schema leaves open (format 2 ``situation``, ``plan``): YAML text.
        return FieldSpec(key, label, help_text, required, "yaml", scalar_text="string" in type_set)
    if "array" in type_set:
        item = _spec("", node.get("items", {}), root, required=True)
        return ArraySpec(key, label, help_text, required, item)
    default = node.get("default")
    placeholder = "" if default is None else str(default)
    if "enum" in node:
        return FieldSpec(key, label, help_text, required, "select", tuple(node["enum"]))
    if "boolean" in type_set:
        return FieldSpec(key, label, help_text, required, "checkbox")
    if type_set == {"integer"}:
        return FieldSpec(key, label, help_text, required, "number", placeholder=placeholder)
    fmt = node.get("format")
    if fmt == "date":
        return FieldSpec(key, label, help_text, required, "date")
    if fmt == "email":
        return FieldSpec(key, label, help_text, required, "email")
    widget: Widget = "decimal" if "number" in type_set else "text"
    return FieldSpec(key, label, help_text, required, widget, placeholder=placeholder)


def _conditions(node: Mapping[str, Any], booleans: set[str]) -> tuple[Condition, ...]:
    """The ``if``/``then``/``else`` of an object (and of its ``allOf``) that require one of
    its booleans: an unticked box must then be written as false, not left out."""
    found: list[Condition] = []
    for sub in (node, *(s for s in node.get("allOf", []) if isinstance(s, Mapping))):
        test = sub.get("if")
        if not isinstance(test, Mapping):
            continue
        names = []
        for branch in ("then", "else"):
            part = sub.get(branch)
            listed = part.get("required", []) if isinstance(part, Mapping) else []
            names.append(tuple(str(n) for n in listed if n in booleans))
        if names[0] or names[1]:
            found.append((dict(test), names[0], names[1]))
    return tuple(found)


def _required_booleans(spec: ObjectSpec, value: Mapping[str, Any]) -> tuple[str, ...]:
    from jsonschema import Draft202012Validator

    names: list[str] = []
    for test, then_names, else_names in spec.conditions:
        names.extend(then_names if Draft202012Validator(test).is_valid(value) else else_names)
    return tuple(names)


# ---------------------------------------------------------------------------------------------
# Names: one HTML name per JSON path.


def field_name(parts: Iterable[Part]) -> str:
    """``("creances", 0, "montant")`` → ``creances-0-montant`` (also the element's id)."""
    return "-".join(str(p) for p in parts)


_PATH_PART = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")


def parts_of_json_path(path: str) -> tuple[Part, ...]:
    """``$.creances[0].montant`` → ``("creances", 0, "montant")``."""
    if not path.startswith("$"):
        return ()
    parts: list[Part] = []
    for match in _PATH_PART.finditer(path, 1):
        key, index = match.groups()
        parts.append(int(index) if index is not None else key)
    return tuple(parts)


def name_for_json_path(path: str) -> str:
    return field_name(parts_of_json_path(path))


# ---------------------------------------------------------------------------------------------
# From posted fields to data.


@dataclass(frozen=True)
class FormAction:
    """What the submit button asked for: save, add an empty row, or remove a row."""

    kind: Literal["enregistrer", "ajouter", "supprimer"]
    target: str = ""


def parse_action(value: str | None) -> FormAction:
    if value and value.startswith("ajouter:"):
        return FormAction("ajouter", value.removeprefix("ajouter:"))
    if value and value.startswith("supprimer:"):
        return FormAction("supprimer", value.removeprefix("supprimer:"))
    return FormAction("enregistrer")


class _Missing:
    pass


_MISSING = _Missing()


@dataclass
class ParsedForm:
    data: dict[str, Any]
    issues: list[DataIssue] = field(default_factory=list)
    empty_rows: dict[str, int] = field(default_factory=dict)
    # Field name → (text typed, value kept) for every value read the French way.
    notes: dict[str, tuple[str, str]] = field(default_factory=dict)


def parse_form(
    spec: ObjectSpec, form: Mapping[str, str], *, removed: str = "", file: str = ""
) -> ParsedForm:
    """Turn posted fields back into case data (the row named ``removed`` is dropped).

    Values stay as typed when they cannot be converted, so that the schema reports them at
    their path. Only a syntax error in a YAML area is reported here, since the schema would
    only see a string.
    """
    parsed = ParsedForm(data={})
    value, _ = _parse(spec, form, (), parsed, removed, file)
    parsed.data = value if isinstance(value, dict) else {}
    return parsed


def _parse(
    spec: Spec,
    form: Mapping[str, str],
    parts: tuple[Part, ...],
    parsed: ParsedForm,
    removed: str,
    file: str,
) -> tuple[Any, bool]:
    """Return (value or _MISSING, whether the user filled anything in it)."""
    name = field_name(parts)
    if isinstance(spec, ObjectSpec):
        out: dict[str, Any] = {}
        filled = False
        for child in spec.children:
            value, child_filled = _parse(child, form, (*parts, child.key), parsed, removed, file)
            filled = filled or child_filled
            if value is not _MISSING:
                out[child.key] = value
        for key in _required_booleans(spec, out):
            out.setdefault(key, False)
        if not filled and not spec.required:
            # An optional group shown filled keeps its unticked required boxes
            # (``caution: {existe: false}`` says something that an absent group does not).
            if out and form.get(f"{name}-_groupe") == "1":
                return out, False
            return _MISSING, False
        return out, filled
    if isinstance(spec, ArraySpec):
        rows = _int(form.get(f"{name}-_lignes"), 0, MAX_ROWS)
        parsed.empty_rows[name] = _int(form.get(f"{name}-_vides"), DEFAULT_EMPTY_ROWS, 20)
        items: list[Any] = []
        for index in range(rows):
            row_name = field_name((*parts, index))
            if row_name == removed:
                continue
            # Rows are renumbered as empty ones are dropped, so that issue paths match the
            # form shown again.
            value, row_filled = _parse(spec.item, form, (*parts, index), parsed, removed, file)
            if row_filled and value is not _MISSING:
                items.append(value)
        if not items:
            return (_MISSING, False) if not spec.required else ([], False)
        return items, True
    raw = form.get(name)
    if spec.widget == "checkbox":
        # An unticked box is false; it is written out only when the schema requires it.
        if raw is not None:
            return True, True
        return (False, False) if spec.required else (_MISSING, False)
    text = (raw or "").strip()
    if not text:
        return _MISSING, False
    text = _french(spec, text, parts, parsed, file)
    earlier = form.get(f"{name}-_saisi")
    if earlier and name not in parsed.notes and _normalised(spec, earlier) == text:
        # Read the French way at an earlier round of the same form: still said.
        parsed.notes[name] = (earlier, text)
    if spec.widget == "select":
        for choice in spec.choices:
            if str(choice) == text:
                return choice, True
        return text, True
    if spec.widget == "number" and re.fullmatch(r"-?\d{1,9}", text):
        return int(text), True
    if spec.widget == "yaml":
        try:
            # The case reader's YAML: bounded aliases and depth, exact numbers (a field typed
            # in the form is as hostile as a file, docs/case-format.md « Text and numbers »).
            loaded = parse_document(raw or "", "formulaire.yaml")
            if spec.scalar_text and not isinstance(loaded, (dict, list)):
                return text, True
            return loaded, True
        except InputError as exc:
            if spec.scalar_text and "\n" not in text:
                return text, True
            parsed.issues.append(
                DataIssue(
                    json_path(parts),
                    f"YAML illisible : {exc.message}",
                    "corrigez la syntaxe (une clé par ligne, « clé: valeur »)",
                    file=file,
                    rule="formulaire.yaml",
                )
            )
            return text, True
    return text, True


# Fields read the French way (« 1 250,50 », « 380 129 866 », « France »): by key.
_AMOUNT_KEYS = frozenset({"montant", "capital", "taux_contractuel", "montant_total"})
_DIGIT_KEYS = frozenset({"siren", "siret"})


def _french(
    spec: FieldSpec, text: str, parts: tuple[Part, ...], parsed: ParsedForm, file: str
) -> str:
    """``text`` normalised (:mod:`actes.web.frenchinput`); a change is noted so that the
    form shows it, a two-digit year is reported."""
    if spec.widget == "date":
        if frenchinput.two_digit_year(text):
            parsed.issues.append(
                DataIssue(
                    json_path(parts),
                    f"« {text} » : année sur deux chiffres",
                    f"écrivez l'année en entier ({frenchinput.DATE_HINT}, exemple : 15/05/2026)",
                    file=file,
                    rule="formulaire.date",
                )
            )
            return text
        # Shown again as JJ/MM/AAAA: the text typed is not changed in the person's eyes.
        return frenchinput.read_date(text) or text
    normalised = _normalised(spec, text)
    if normalised is None:
        return text
    parsed.notes[field_name(parts)] = (text, normalised)
    return normalised


def _normalised(spec: FieldSpec, text: str) -> str | None:
    if spec.widget == "decimal" or spec.key in _AMOUNT_KEYS:
        return frenchinput.read_amount(text)
    if spec.key in _DIGIT_KEYS:
        return frenchinput.read_digits(text)
    if spec.key == "pays":
        return frenchinput.country_code(text)
    return None


def _int(value: str | None, default: int, limit: int) -> int:
    if value is None or not value.isdigit():
        return default
    return min(int(value), limit)


# ---------------------------------------------------------------------------------------------
# From data (and issues) to what the templates draw.


@dataclass
class BoundField:
    spec: FieldSpec
    name: str
    value: str
    checked: bool
    errors: list[DataIssue] = field(default_factory=list)
    kind: str = "field"
    note: tuple[str, str] | None = None  # (typed, kept) when read the French way

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def shown(self) -> str:
        """The value as the field shows it (a date as JJ/MM/AAAA)."""
        return frenchinput.show_date(self.value) if self.spec.widget == "date" else self.value

    @property
    def day(self) -> str:
        """A valid date spelt out (« 15 mai 2026 »), so that a typed date can be checked."""
        if self.spec.widget != "date" or not self.value:
            return ""
        from actes.documents.formatting import format_date_long

        try:
            return format_date_long(self.value)
        except (ValueError, TypeError):
            return ""

    @property
    def options(self) -> list[tuple[str, str]]:
        return [(str(c), choice_label(c)) for c in self.spec.choices]


@dataclass
class BoundObject:
    spec: ObjectSpec
    name: str
    children: list[Bound]
    errors: list[DataIssue] = field(default_factory=list)
    kind: str = "object"
    present: bool = False  # the data holds this group (even with only false booleans)

    @property
    def open(self) -> bool:
        """Optional groups start folded unless they hold a value or an error."""
        return self.spec.required or _has_content(self) or _has_errors(self)

    @property
    def kept(self) -> bool:
        """Whether the form sends the group back even when nothing in it is filled."""
        return self.open or self.present

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def party_type(self) -> str:
        """``personne_morale`` or ``personne_physique`` for a party group, else ``""``."""
        keys = {c.key for c in self.spec.children}
        if not {"type", "qualite", "adresse"} <= keys:
            return ""
        kind = next((c for c in self.children if _key(c) == "type"), None)
        return kind.value if isinstance(kind, BoundField) else ""

    @property
    def is_party(self) -> bool:
        return {"type", "qualite", "adresse"} <= {c.key for c in self.spec.children}

    def condition(self, child: Bound) -> str:
        """The party type a child belongs to (``""``: every party)."""
        if not self.is_party:
            return ""
        key = _key(child)
        if key in PERSON_ONLY:
            return "personne_physique"
        if key in COMPANY_ONLY:
            return "personne_morale"
        return ""

    def hides(self, child: Bound) -> bool:
        """Whether a child of another party type than the one chosen is left out of view
        (never when it holds a value or an error)."""
        wanted = self.condition(child)
        chosen = self.party_type
        return bool(wanted and chosen and wanted != chosen) and not (
            _has_content(child) or _has_errors(child)
        )

    def _secondary(self, child: Bound, group: str) -> bool:
        key = _key(child)
        if key not in SECONDARY:
            return False
        only = _SECONDARY_ONLY_IN.get(key)
        return only is None or only == group

    def primary(self, group: str = "") -> list[Bound]:
        return [c for c in self.children if not self._secondary(c, group)]

    def secondary(self, group: str = "") -> list[Bound]:
        return [c for c in self.children if self._secondary(c, group)]

    def secondary_open(self, group: str = "") -> bool:
        return any(
            (_has_content(c) or _has_errors(c)) and not self.hides(c)
            for c in self.secondary(group)
        )


@dataclass
class BoundRow:
    index: int
    name: str
    content: Bound


@dataclass
class BoundArray:
    spec: ArraySpec
    name: str
    rows: list[BoundRow]
    empty_rows: int
    errors: list[DataIssue] = field(default_factory=list)
    kind: str = "array"

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def item_label(self) -> str:
        return wording.item_label(self.spec.key, self.spec.label)


def _key(node: Bound) -> str:
    return node.spec.key


Bound = BoundField | BoundObject | BoundArray


def _has_content(node: Bound) -> bool:
    if isinstance(node, BoundField):
        return bool(node.value) or node.checked
    if isinstance(node, BoundObject):
        return any(_has_content(child) for child in node.children)
    return any(_has_content(row.content) for row in node.rows)


def has_errors(node: Bound) -> bool:
    """Whether ``node`` or anything inside it shows an error."""
    return _has_errors(node)


def _has_errors(node: Bound) -> bool:
    if node.errors:
        return True
    if isinstance(node, BoundObject):
        return any(_has_errors(child) for child in node.children)
    if isinstance(node, BoundArray):
        return any(_has_errors(row.content) for row in node.rows)
    return False


@dataclass
class BoundForm:
    root: BoundObject
    issues: list[DataIssue]
    anchors: list[str]
    """For each issue (same order as ``issues``), the id of the element showing it."""

    def listed(self) -> list[tuple[DataIssue, str]]:
        return list(zip(self.issues, self.anchors, strict=True))


def bind(
    spec: ObjectSpec,
    data: Mapping[str, Any],
    issues: Sequence[DataIssue] = (),
    *,
    empty_rows: Mapping[str, int] | None = None,
    notes: Mapping[str, tuple[str, str]] | None = None,
) -> BoundForm:
    """Attach values and issues to the spec; each issue goes to the nearest drawn element."""
    rows = dict(empty_rows or {})
    nodes: dict[str, Bound] = {}
    root = _bind(spec, data, (), rows, nodes)
    assert isinstance(root, BoundObject)
    for name, note in (notes or {}).items():
        bound = nodes.get(name)
        if isinstance(bound, BoundField):
            bound.note = note
    anchors: list[str] = []
    for issue in issues:
        parts = parts_of_json_path(issue.json_path)
        while parts and field_name(parts) not in nodes:
            parts = parts[:-1]
        name = field_name(parts)
        node = nodes.get(name, root)
        node.errors.append(issue)
        anchors.append(name or "formulaire")
    return BoundForm(root=root, issues=list(issues), anchors=anchors)


def _bind(
    spec: Spec,
    value: Any,
    parts: tuple[Part, ...],
    empty_rows: Mapping[str, int],
    nodes: dict[str, Bound],
) -> Bound:
    name = field_name(parts)
    node: Bound
    if isinstance(spec, ObjectSpec):
        mapping = value if isinstance(value, Mapping) else {}
        children = [
            _bind(child, mapping.get(child.key), (*parts, child.key), empty_rows, nodes)
            for child in spec.children
        ]
        node = BoundObject(spec, name, children, present=isinstance(value, Mapping))
    elif isinstance(spec, ArraySpec):
        items = list(value) if isinstance(value, list) else []
        extra = empty_rows.get(name, 0 if spec.key in NO_EMPTY_ROW else DEFAULT_EMPTY_ROWS)
        rows = [
            BoundRow(
                i, field_name((*parts, i)), _bind(spec.item, item, (*parts, i), empty_rows, nodes)
            )
            for i, item in enumerate([*items[:MAX_ROWS], *([None] * extra)])
        ]
        node = BoundArray(spec, name, rows, extra)
    else:
        node = BoundField(spec, name, _as_text(spec, value), value is True)
    nodes[name] = node
    return node


def _as_text(spec: FieldSpec, value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if spec.widget == "yaml":
        if isinstance(value, str):
            return value
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)
    return str(value)
