"""Business rules a case must satisfy beyond its JSON Schema.

Each rule reports through an :class:`IssueCollector` with the JSON path of the faulty value,
a French message and what to do. Checksums come from python-stdnum, never hand-written.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from babel.numbers import list_currencies
from stdnum import iban as std_iban
from stdnum.eu import vat as std_vat
from stdnum.fr import siren as std_siren
from stdnum.fr import siret as std_siret

from actes._io import MAX_DEPTH, structure_problem
from actes.cases.promise_rules import check_promises
from actes.cases.title_rules import check_title
from actes.errors import InputError, IssueCollector
from actes.law.terms import due_date, parse_terms

__all__ = [
    "AMOUNT_KEYS",
    "LONG_TEXT_KEYS",
    "LONG_TEXT_MAX_CHARS",
    "MAX_INTEGER_DIGITS",
    "MULTILINE_KEYS",
    "RATE_KEYS",
    "TEXT_MAX_CHARS",
    "check_business_rules",
    "check_values",
]

TEXT_MAX_CHARS = 2_000
"""Longest text of an ordinary field (a name, an address line, a label, ``objet``...)."""

LONG_TEXT_MAX_CHARS = 10_000
"""Longest text of the fields of :data:`LONG_TEXT_KEYS` (free notes)."""

LONG_TEXT_KEYS = frozenset({"note"})

MULTILINE_KEYS = frozenset({"note", "fondement"})
"""Fields whose text may hold line breaks and tabs; every other text is one line."""

AMOUNT_KEYS: Mapping[str, int] = {
    "montant": 2,
    "capital": 2,
    "montant_mensuel": 2,
    "montant_restant": 2,
    "mensualite": 2,
    "montant_total": 2,
}
"""Amount fields and their decimals (the schema's pattern checks strings, this numbers)."""

RATE_KEYS: Mapping[str, int] = {"taux_contractuel": 4, "taux": 4}

MAX_INTEGER_DIGITS = 15
"""Digits before the decimal point of any number or amount (a thousand billion euros)."""

# Pairs of events whose order is fixed by the procedure itself: (earlier, later).
_EVENT_ORDER = (
    ("mise_en_demeure_envoyee", "mise_en_demeure_recue"),
    ("requete_deposee", "ordonnance_rendue"),
    ("ordonnance_rendue", "ordonnance_signifiee"),
    ("jugement_ouverture", "publication_bodacc"),
    ("ipe_demande_deposee", "ipe_injonction_delivree"),
    ("ipe_injonction_delivree", "ipe_injonction_signifiee"),
    ("surendettement_depot", "surendettement_recevabilite"),
)


def _fr(day: dt.date) -> str:
    """A date as French readers write it (JJ/MM/AAAA), in messages."""
    return day.strftime("%d/%m/%Y")


def check_business_rules(
    data: Mapping[str, Any], collector: IssueCollector, *, folder: Path | None, au: dt.date
) -> None:
    """Run every rule on schema-valid ``data``; problems go to ``collector``."""
    for key in ("creancier", "debiteur"):
        party = data.get(key, {})
        _check_party(party, f"$.{key}", collector)
        if party.get("syndic"):  # the syndic representing a syndicat des copropriétaires
            _check_party(party["syndic"], f"$.{key}.syndic", collector)
    mandataire = data.get("mandataire")
    if mandataire:
        _check_party(mandataire.get("partie", {}), "$.mandataire.partie", collector)
        if "compte_dedie" in mandataire:
            _check_iban(mandataire["compte_dedie"], "$.mandataire.compte_dedie", collector)
    _check_claims(data.get("creances", []), collector)
    _check_payments(data, collector, au)
    _check_events(data.get("evenements", []), collector, au)
    check_promises(data.get("evenements", []), collector)
    _check_pieces(data.get("pieces", []), collector, folder)
    _check_piece_dates(data.get("pieces", []), collector, au)
    plan = data.get("plan")
    if isinstance(plan, Mapping):
        _check_plan(plan, collector, au)
    check_title(data, collector, au)


def _check_party(party: Mapping[str, Any], path: str, out: IssueCollector) -> None:
    siren = party.get("siren")
    if siren and not std_siren.is_valid(siren):
        out.add(
            f"{path}.siren",
            f"« {siren} » n'est pas un SIREN valide (clé de Luhn fausse)",
            "recopiez le SIREN depuis l'extrait Kbis ou l'avis de situation INSEE",
            "siren",
        )
    siret = party.get("siret")
    if siret:
        if not std_siret.is_valid(siret):
            out.add(
                f"{path}.siret",
                f"« {siret} » n'est pas un SIRET valide (clé de Luhn fausse)",
                "recopiez le SIRET depuis l'extrait Kbis ou l'avis de situation INSEE",
                "siret",
            )
        elif siren and std_siren.is_valid(siren) and not siret.startswith(siren):
            out.add(
                f"{path}.siret",
                f"le SIRET « {siret} » n'appartient pas au SIREN « {siren} »",
                "les 9 premiers chiffres du SIRET sont le SIREN",
                "siret",
            )
    vat = party.get("tva_intracommunautaire")
    if vat and not std_vat.is_valid(vat):
        out.add(
            f"{path}.tva_intracommunautaire",
            f"« {vat} » n'est pas un numéro de TVA intracommunautaire valide",
            "vérifiez-le (préfixe pays et clé de contrôle)",
            "tva",
        )
    if party.get("iban"):
        _check_iban(party["iban"], f"{path}.iban", out)
    address = party.get("adresse", {})
    postal = address.get("code_postal", "")
    if address.get("pays") == "FR" and not _is_french_postal_code(postal):
        out.add(
            f"{path}.adresse.code_postal",
            f"« {postal} » n'est pas un code postal français",
            "un code postal français compte 5 chiffres (exemple : 69003)",
            "code_postal",
        )
    birth = party.get("date_naissance")
    if birth and _as_date(birth) and _as_date(birth) >= dt.date.today():  # type: ignore[operator]
        out.add(
            f"{path}.date_naissance",
            "la date de naissance est dans le futur",
            "corrigez la date de naissance",
            "dates",
        )


def _check_iban(value: str, path: str, out: IssueCollector) -> None:
    if not std_iban.is_valid(value):
        out.add(
            path,
            f"« {value} » n'est pas un IBAN valide (contrôle modulo 97 faux)",
            "recopiez l'IBAN depuis le RIB (les espaces sont admis)",
            "iban",
        )


def _is_french_postal_code(code: str) -> bool:
    # Metropolitan codes start 01-95 (20 for Corsica); overseas 971-976, 984-988 (COM).
    if len(code) != 5 or not code.isdigit():
        return False
    prefix = int(code[:2])
    return 1 <= prefix <= 95 or (code[:2] in ("97", "98"))


def _check_claims(claims: list[Mapping[str, Any]], out: IssueCollector) -> None:
    currencies = _currencies()
    seen: dict[str, int] = {}
    for index, claim in enumerate(claims):
        path = f"$.creances[{index}]"
        ref = claim.get("reference", "")
        if ref in seen:
            out.add(
                f"{path}.reference",
                f"la référence « {ref} » est déjà celle de $.creances[{seen[ref]}]",
                "chaque créance doit avoir sa propre référence",
                "references",
            )
        seen.setdefault(ref, index)
        _check_amount(claim.get("montant"), f"{path}.montant", out)
        issued, due = _as_date(claim.get("date_emission")), _as_date(claim.get("date_echeance"))
        if due is None and issued is not None:
            due = _due_from_terms(claim, issued, path, out)
        if issued and due and due < issued:
            out.add(
                f"{path}.date_echeance",
                f"l'échéance ({_fr(due)}) précède l'émission ({_fr(issued)})",
                "l'échéance ne peut pas être antérieure à la date d'émission",
                "dates",
            )
        currency = claim.get("devise", "EUR")
        if currency not in currencies:
            out.add(
                f"{path}.devise",
                f"« {currency} » n'est pas un code de devise ISO 4217",
                "utilisez un code ISO 4217 (EUR, USD, CHF...)",
                "devise",
            )


def _due_from_terms(
    claim: Mapping[str, Any], issued: dt.date, path: str, out: IssueCollector
) -> dt.date | None:
    """The due date of a claim given by its payment terms instead of ``date_echeance``."""
    terms = claim.get("conditions_paiement")
    if terms is None:
        out.add(
            f"{path}.date_echeance",
            "champ obligatoire manquant : ni date d'échéance ni conditions de paiement",
            "indiquez date_echeance (AAAA-MM-JJ) ou conditions_paiement (« 30 jours », "
            "« 45 jours fin de mois »...)",
            "dates",
        )
        return None
    try:
        return due_date(issued, parse_terms(str(terms))).due
    except InputError as error:
        out.add(f"{path}.conditions_paiement", error.message, error.hint, "conditions_paiement")
    except (OverflowError, ValueError):
        out.add(
            f"{path}.conditions_paiement",
            "l'échéance calculée dépasse l'an 9999",
            "vérifiez la date d'émission",
            "dates",
        )
    return None


def _check_payments(data: Mapping[str, Any], out: IssueCollector, au: dt.date) -> None:
    refs = {c.get("reference") for c in data.get("creances", [])}
    for index, payment in enumerate(data.get("paiements", [])):
        path = f"$.paiements[{index}]"
        _check_amount(payment.get("montant"), f"{path}.montant", out, hint=_PAYMENT_HINT)
        when = _as_date(payment.get("date"))
        if when and when > au:
            out.add(
                f"{path}.date",
                f"paiement daté du {_fr(when)}, après la date de calcul ({_fr(au)})",
                "un paiement ne peut être compté qu'une fois reçu : corrigez la date "
                "ou calculez à une date postérieure (--date)",
                "dates",
            )
        target = payment.get("creance")
        if target is not None and target not in refs:
            out.add(
                f"{path}.creance",
                f"aucune créance n'a la référence « {target} »",
                f"références connues : {', '.join(sorted(str(r) for r in refs))}",
                "references",
            )


def _check_events(events: list[Mapping[str, Any]], out: IssueCollector, au: dt.date) -> None:
    first: dict[str, tuple[int, dt.date]] = {}
    for index, event in enumerate(events):
        when = _as_date(event.get("date"))
        if when is None:
            continue
        if when > au:
            out.add(
                f"$.evenements[{index}].date",
                f"événement daté du {_fr(when)}, après la date de calcul ({_fr(au)})",
                "un événement à venir n'est pas encore un fait du dossier",
                "dates",
            )
        first.setdefault(str(event.get("type")), (index, when))
    for earlier, later in _EVENT_ORDER:
        if earlier in first and later in first and first[later][1] < first[earlier][1]:
            index = first[later][0]
            out.add(
                f"$.evenements[{index}].date",
                f"« {later} » ({_fr(first[later][1])}) est antérieur à "
                f"« {earlier} » ({_fr(first[earlier][1])})",
                "vérifiez l'ordre des dates de ces deux événements",
                "dates",
            )


def _check_piece_dates(pieces: list[Mapping[str, Any]], out: IssueCollector, au: dt.date) -> None:
    for index, piece in enumerate(pieces):
        when = _as_date(piece.get("date"))
        if when and when > au:
            out.add(
                f"$.pieces[{index}].date",
                f"pièce n° {index + 1} « {piece.get('titre', '')} » datée du "
                f"{_fr(when)}, après la date de calcul ({_fr(au)})",
                "une pièce produite existe déjà : corrigez sa date, ou calculez à une date "
                "postérieure (--date)",
                "dates",
            )


def _check_plan(plan: Mapping[str, Any], out: IssueCollector, au: dt.date) -> None:
    """The plan's own consistency: signed by the date of calculation, and a listed
    échéancier whose instalments add up to ``montant_total`` (``actes plan status`` refuses
    the plan otherwise; a generated échéancier is checked when the plan is loaded)."""
    signed = _as_date(plan.get("date_signature"))
    if signed and signed > au:
        out.add(
            "$.plan.date_signature",
            f"plan signé le {_fr(signed)}, après la date de calcul ({_fr(au)})",
            "un plan ne s'enregistre qu'une fois signé : corrigez la date de signature, ou "
            "calculez à une date postérieure (--date) ; les paiements antérieurs à la "
            "signature ne sont pas imputés sur ses échéances",
            "plan",
        )
    rows = plan.get("echeances")
    total = _as_decimal(plan.get("montant_total"))
    if not isinstance(rows, list) or not rows or total is None:
        return
    amounts = [_as_decimal(r.get("montant")) if isinstance(r, Mapping) else None for r in rows]
    if any(a is None for a in amounts):
        return
    listed = sum((a for a in amounts if a is not None), Decimal(0))
    if listed != total:
        out.add(
            "$.plan.montant_total",
            f"les {len(rows)} échéances du plan totalisent {listed:f} et non {total:f} "
            "(montant_total)",
            "corrigez les montants des échéances ou le montant total du plan",
            "plan",
        )


def _check_pieces(
    pieces: list[Mapping[str, Any]], out: IssueCollector, folder: Path | None
) -> None:
    if folder is None:
        return
    root = folder.resolve()
    for index, piece in enumerate(pieces):
        path = f"$.pieces[{index}].fichier"
        name = str(piece.get("fichier", ""))
        try:
            target = (root / name).resolve()
            present = target.is_file()
        except (OSError, ValueError):
            out.add(
                path,
                f"chemin de pièce illisible : « {_clean_key(name)[:200]} »",
                "indiquez le nom du fichier PDF, relatif au dossier",
                "pieces",
            )
            continue
        if not target.is_relative_to(root):
            out.add(
                path,
                f"« {name} » sort du dossier de l'affaire",
                "placez la pièce dans le dossier du fichier de dossier ou un sous-dossier",
                "pieces",
            )
        elif not present:
            out.add(
                path,
                f"fichier introuvable : « {name} »",
                f"placez le fichier dans {root} ou corrigez le chemin",
                "pieces",
            )


_PAYMENT_HINT = (
    "un paiement est une somme reçue, supérieure à zéro : un paiement rejeté ou remboursé "
    "se retire de la liste des paiements"
)


def _check_amount(
    value: Any,
    path: str,
    out: IssueCollector,
    *,
    hint: str = "indiquez un montant supérieur à zéro (un avoir se saisit en paiement)",
) -> None:
    amount = _as_decimal(value)
    if amount is None:
        return
    if amount <= 0:
        out.add(
            path, f"montant {value} : un montant doit être strictement positif", hint, "montants"
        )


def _as_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _as_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


# --------------------------------------------------------------------------- text and numbers


def _noncharacters() -> str:
    planes = "".join(
        chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17)
    )
    return planes + "".join(chr(code) for code in range(0xFDD0, 0xFDF0))


# C0 controls but tab and line feed, DEL, C1 controls (U+0085 NEL among them), lone
# surrogates, the Unicode line and paragraph separators and the noncharacters.
_BAD = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029" + _noncharacters()
_FORBIDDEN = re.compile(f"[{_BAD}]")
_FORBIDDEN_ONE_LINE = re.compile(f"[\t\n{_BAD}]")
_DIGITS = re.compile(r"-?([0-9]+)(?:\.[0-9]+)?")


def _char_problem(char: str) -> tuple[str, str]:
    code = ord(char)
    name = f"U+{code:04X}"
    if char == "\n":
        return (
            "saut de ligne dans un champ d'une seule ligne",
            "écrivez la valeur sur une ligne (en YAML, « | » et « > » ajoutent un saut de "
            "ligne final : écrivez « >- » ou une valeur simple)",
        )
    if char == "\t":
        return ("tabulation dans un champ d'une seule ligne", "remplacez-la par une espace")
    if 0xD800 <= code <= 0xDFFF:
        return (
            f"caractère invalide {name} (moitié de paire UTF-16 isolée)",
            "le texte a été mal converti : ressaisissez cette valeur",
        )
    if code in (0x2028, 0x2029):
        return (
            f"séparateur de {'ligne' if code == 0x2028 else 'paragraphe'} Unicode {name}",
            "remplacez-le par une espace (ou un saut de ligne dans une note)",
        )
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return (
            f"caractère de contrôle {name}",
            "supprimez-le : invisible, il disparaîtrait du document ou en changerait la "
            "mise en page",
        )
    return (f"non-caractère Unicode {name}", "supprimez-le")


def _clean_key(key: str) -> str:
    return _FORBIDDEN_ONE_LINE.sub(lambda m: f"\\u{ord(m.group()):04x}", key)


def _path(parts: tuple[str | int, ...]) -> str:
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{_clean_key(part)}"
    return text


def check_values(data: Any, out: IssueCollector) -> None:
    """Every text and number of ``data``, whatever the field (docs/case-format.md, "Text and
    numbers"): forbidden characters, length, finite numbers of at most
    :data:`MAX_INTEGER_DIGITS` digits, decimals of numeric amounts and rates; and the
    structure itself (depth, shared parts: :func:`actes._io.structure_problem`), so that no
    later check walks a hostile structure. A structure problem stops the walk.
    """
    stack: list[tuple[Any, tuple[str | int, ...], str, int]] = [(data, (), "", 1)]
    seen: set[int] = set()
    while stack:
        value, parts, field, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value, parts, field, out)
            continue
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH or id(value) in seen:
                problem = structure_problem(data)
                if problem is not None:
                    out.add(
                        "",
                        problem[0],
                        "un dossier n'imbrique que quelques niveaux d'objets et de listes",
                        "structure",
                    )
                    return
                continue  # a shared part within bounds, already checked where first met
            seen.add(id(value))
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    found = _FORBIDDEN_ONE_LINE.search(key)
                    if found is not None:
                        message, _ = _char_problem(found.group())
                        out.add(
                            _path(parts),
                            f"nom de champ « {_clean_key(key)} » : {message}",
                            "corrigez le nom du champ",
                            "texte",
                        )
                    stack.append((item, (*parts, key), key, depth + 1))
                else:
                    stack.append((item, (*parts, str(key)), str(key), depth + 1))
        elif isinstance(value, list):
            stack.extend(
                (item, (*parts, index), field, depth + 1) for index, item in enumerate(value)
            )
        elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            _check_number(value, parts, field, out)


def _check_text(value: str, parts: tuple[str | int, ...], field: str, out: IssueCollector) -> None:
    multiline = field in MULTILINE_KEYS
    if value and not value.strip():
        out.add(
            _path(parts),
            f"le champ « {_clean_key(field) or _path(parts)} » ne contient que des espaces",
            "saisissez la valeur, ou supprimez le champ s'il est facultatif",
            "texte",
        )
    found = (_FORBIDDEN if multiline else _FORBIDDEN_ONE_LINE).search(value)
    if found is not None:
        message, hint = _char_problem(found.group())
        out.add(_path(parts), f"{message} (caractère n° {found.start() + 1})", hint, "texte")
    limit = LONG_TEXT_MAX_CHARS if field in LONG_TEXT_KEYS else TEXT_MAX_CHARS
    if len(value) > limit:
        out.add(
            _path(parts),
            f"texte trop long : {len(value)} caractères (au plus {limit})",
            "raccourcissez-le ; les documents longs se joignent en pièces",
            "texte",
        )
    decimals = AMOUNT_KEYS.get(field, RATE_KEYS.get(field))
    match = _DIGITS.fullmatch(value) if decimals is not None else None
    if match is not None and len(match.group(1).lstrip("0")) > MAX_INTEGER_DIGITS:
        out.add(_path(parts), *_too_big(len(match.group(1).lstrip("0"))), "montants")


def _too_big(digits: int) -> tuple[str, str]:
    return (
        f"nombre de {digits} chiffres avant la virgule (au plus {MAX_INTEGER_DIGITS})",
        "vérifiez la valeur : aucun montant d'un dossier n'atteint mille milliards",
    )


def _check_number(
    value: float | Decimal, parts: tuple[str | int, ...], field: str, out: IssueCollector
) -> None:
    path = _path(parts)
    finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if not finite:
        out.add(
            path,
            f"valeur non numérique « {value} » : un nombre fini est attendu",
            "indiquez le montant ou le nombre lui-même",
            "montants",
        )
        return
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if abs(exact) >= Decimal(10) ** MAX_INTEGER_DIGITS:
        digits = len(str(int(abs(exact))))
        out.add(path, *_too_big(digits), "montants")
        return
    decimals = AMOUNT_KEYS.get(field, RATE_KEYS.get(field))
    exponent = exact.as_tuple().exponent
    if decimals is not None and isinstance(exponent, int) and exponent < -decimals:
        from actes.cases.schema import pattern_hint

        out.add(
            path,
            f"« {value} » ne correspond pas au format attendu",
            pattern_hint(field),
            "montants",
        )
