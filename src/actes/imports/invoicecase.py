"""From e-invoices to a case: claims, parties, payment terms, credit notes, pièces.

:func:`plan_invoice_import` reads every file, groups the invoices by buyer (one case per
buyer), builds the case data and lists what a person must decide: ``bloquant`` items stop the
import (nothing is written), ``a_confirmer`` items are written and shown. :func:`apply_plan`
then writes through :mod:`actes.cases.casestore` (locked, journaled, validated): a new case
with :func:`create_case` then its pièces with :func:`update_case`, or the claims added to an
existing case in one :func:`update_case`. A failure leaves nothing behind.

Mapping (EN 16931 business terms, docs/imports.md): BT-1 → ``creances[].reference``, BT-2 →
``date_emission``, BT-9 → ``date_echeance`` (else the terms of BT-20 in
``conditions_paiement``), BT-115 → ``montant`` (BT-112 and BT-113 in ``libelle``), BG-4 →
``creancier``, BG-7 → ``debiteur``, BT-30 / BT-47 → ``siren``, BT-84 → ``creancier.iban``,
the penalty rate of BT-20 → ``taux_contractuel``; a credit note (BT-3 = 381...) is deducted
from the invoice it cites (BT-25) and kept in ``avoirs``; a Factur-X PDF becomes a pièce.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from stdnum import iban as std_iban
from stdnum.eu import vat as std_vat
from stdnum.fr import siren as std_siren

from actes._io import atomic_write, parse_document
from actes.cases.case import PIECES_FOLDER, issues_of
from actes.cases.casestore import create_case, lock_path, read_case_version, update_case
from actes.errors import CaseError, ConflictError, DataIssue, InputError, UsageProblem
from actes.imports.einvoice import Invoice, read_invoice
from actes.law.terms import PaymentTerms, due_date, find_terms

__all__ = ["Decision", "ImportPlan", "PlannedCase", "apply_plan", "plan_invoice_import"]

Severity = Literal["bloquant", "a_confirmer"]

_LEGAL_FORMS = (
    "SARL",
    "SASU",
    "SAS",
    "SA",
    "EURL",
    "SNC",
    "SCI",
    "SCS",
    "SCA",
    "SELARL",
    "SELAS",
    "SELAFA",
    "SCOP",
    "SCP",
    "SEM",
    "GIE",
    "EI",
    "EIRL",
)
_FORM_RE = re.compile(r"(?:^|[\s,(])(" + "|".join(_LEGAL_FORMS) + r")(?:$|[\s,).])")


@dataclass(frozen=True)
class Decision:
    """Something a person must decide or confirm, with the file it comes from."""

    severity: Severity
    message: str
    file: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"gravite": self.severity, "fichier": self.file, "message": self.message}


@dataclass
class PlannedCase:
    """One case to create or extend, and what the import read for it."""

    path: Path
    data: dict[str, Any]
    new: bool
    invoices: list[Invoice] = field(default_factory=list)
    added_claims: list[str] = field(default_factory=list)
    credit_notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    pieces: list[tuple[str, bytes]] = field(default_factory=list)  # (relative path, PDF)
    decisions: list[Decision] = field(default_factory=list)
    read: list[str] = field(default_factory=list)  # what was understood, for the preview
    base_text: str = ""

    @property
    def blocked(self) -> bool:
        return any(d.severity == "bloquant" for d in self.decisions)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dossier": str(self.path),
            "nouveau": self.new,
            "reference": self.data.get("reference"),
            "debiteur": _party_name(self.data.get("debiteur") or {}),
            "creances_ajoutees": self.added_claims,
            "avoirs_imputes": self.credit_notes,
            "deja_presentes": self.skipped,
            "pieces": [name for name, _ in self.pieces],
            "lu": self.read,
            "a_decider": [d.as_dict() for d in self.decisions],
            "donnees": self.data,
        }


@dataclass
class ImportPlan:
    """Every case an import would write, or nothing when a decision blocks."""

    cases: list[PlannedCase]
    read: list[Invoice]

    @property
    def blocked(self) -> bool:
        return any(case.blocked for case in self.cases)

    def as_dict(self) -> dict[str, Any]:
        return {
            "fichiers": [
                {
                    "fichier": str(inv.file),
                    "format": inv.syntax,
                    "profil": inv.level,
                    "type": inv.kind,
                    "numero": inv.number,
                    "date": inv.issued.isoformat(),
                    "total_ttc": str(inv.total),
                    "deja_paye": str(inv.paid),
                    "a_payer": str(inv.amount_due),
                    "echeance": inv.due.isoformat() if inv.due else None,
                    "conditions": inv.terms,
                    "vendeur": inv.seller.get("name", ""),
                    "acheteur": inv.buyer.get("name", ""),
                    "factures_citees": list(inv.preceding),
                }
                for inv in self.read
            ],
            "dossiers": [case.as_dict() for case in self.cases],
            "bloque": self.blocked,
        }


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join(
        "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split()
    )


def _party_name(party: Mapping[str, Any]) -> str:
    return str(party.get("denomination") or party.get("nom") or "")


def _fr_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _fr_amount(amount: Decimal) -> str:
    whole, _, cents = f"{amount:.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", "\u202f")
    return f"{groups},{cents}\u00a0€"


# --------------------------------------------------------------------------- parties


def _split_form(name: str, legal_info: str) -> tuple[str, str]:
    """(denomination, forme juridique) from a party's name and its BT-33 legal information."""
    match = _FORM_RE.search(name)
    if match:
        denomination = (name[: match.start(1)] + name[match.end(1) :]).strip(" ,-")
        return re.sub(r"\s+", " ", denomination) or name, match.group(1)
    found = _FORM_RE.search(legal_info)
    return name, found.group(1) if found else ""


def _party(
    raw: Mapping[str, Any], role: str, inv: Invoice, decisions: list[Decision], form: str | None
) -> dict[str, Any]:
    where = str(inv.file)
    label = "vendeur (BG-4)" if role == "creancier" else "acheteur (BG-7)"
    name = str(raw.get("name") or "").strip()
    denomination, legal_form = _split_form(name, str(raw.get("legal_info") or ""))
    if not legal_form and form:
        legal_form = form
    party: dict[str, Any] = {
        "type": "personne_morale",
        "qualite": "professionnel",
        "denomination": denomination,
    }
    if legal_form:
        party["forme_juridique"] = legal_form
    else:
        option = " (option --forme-juridique)" if role == "debiteur" else ""
        decisions.append(
            Decision(
                "bloquant",
                f"Forme juridique du {label} « {name} » introuvable dans la facture : "
                f"indiquez-la{option} ou complétez un dossier existant (--dossier).",
                where,
            )
        )
    siren = re.sub(r"\s", "", str(raw.get("legal_identifier") or ""))
    scheme = str(raw.get("legal_identifier_schemeid") or "")
    bt = "BT-30" if role == "creancier" else "BT-47"
    if siren and scheme in ("", "0002") and re.fullmatch(r"\d{9}", siren[:9]):
        siren = siren[:9]
        if std_siren.is_valid(siren):
            party["siren"] = siren
        else:
            decisions.append(
                Decision(
                    "a_confirmer",
                    f"SIREN du {label} « {siren} » ({bt}) invalide (clé de contrôle) : il n'est "
                    "pas repris ; vérifiez-le (annuaire des entreprises) et ajoutez-le au "
                    "dossier.",
                    where,
                )
            )
    elif role == "debiteur":
        decisions.append(
            Decision(
                "a_confirmer",
                f"La facture ne donne pas le SIREN de l'acheteur ({bt}) : à compléter.",
                where,
            )
        )
    vat = str(raw.get("vat_identifier") or "").replace(" ", "")
    if vat and std_vat.is_valid(vat):
        party["tva_intracommunautaire"] = vat
    address = {
        "ligne1": str(raw.get("addr_l1") or "").strip(),
        "code_postal": str(raw.get("postcode") or "").strip(),
        "ville": str(raw.get("city") or "").strip(),
        "pays": str(raw.get("country_code") or "FR").strip().upper(),
    }
    if raw.get("addr_l2"):
        address["ligne2"] = str(raw["addr_l2"]).strip()
    missing = [k for k in ("ligne1", "code_postal", "ville") if not address[k]]
    if missing:
        decisions.append(
            Decision(
                "bloquant",
                f"Adresse du {label} incomplète dans la facture (manque : {', '.join(missing)}).",
                where,
            )
        )
    party["adresse"] = {k: v for k, v in address.items() if v}
    return party


def _same_party(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    if a.get("siren") and b.get("siren"):
        return bool(a["siren"] == b["siren"])
    return _fold(_party_name(a)) == _fold(_party_name(b))


# --------------------------------------------------------------------------- claims

_THREE_TIMES = re.compile(r"\b(?:3|trois) fois (?:le )?taux (?:d'interet |de l'interet )?legal")
_ECB = re.compile(
    r"taux (?:directeur |d'interet )?(?:de (?:la |l'operation de refinancement de la )?)?bce"
    r"[^.]{0,40}?(?:majore de|\+|plus) ?(\d{1,2}(?:[.,]\d{1,2})?) ?(?:points|pts)"
)
_RATE = re.compile(r"(?:penalite|interet)s?[^.%]{0,80}?\b(\d{1,2}(?:[.,]\d{1,4})?) ?%")
_FORTY = re.compile(
    r"indemnite forfaitaire[^.]{0,80}40|40 ?(?:€|euros?|eur)[^.]{0,80}recouvrement"
)


def _penalty_rate(text: str) -> tuple[Any, str]:
    """The contractual penalty rate stated in the payment terms, and how it was read."""
    folded = _fold(text).replace("’", "'")
    if _THREE_TIMES.search(folded):
        return {"base": "interet_legal", "multiple": "3"}, "trois fois le taux d'intérêt légal"
    match = _ECB.search(folded)
    if match:
        points = match.group(1).replace(",", ".")
        return {"base": "bce", "points": points}, f"taux BCE majoré de {points} points"
    match = _RATE.search(folded)
    if match:
        rate = match.group(1).replace(",", ".")
        return rate, f"{rate.replace('.', ',')} % l'an"
    return None, ""


def _terms_of(inv: Invoice, decisions: list[Decision]) -> PaymentTerms | None:
    try:
        return find_terms(inv.terms) if inv.terms else None
    except InputError as error:
        decisions.append(Decision("a_confirmer", error.message, str(inv.file)))
        return None


def _claim(inv: Invoice, decisions: list[Decision], read: list[str]) -> dict[str, Any] | None:
    where = str(inv.file)
    if inv.currency != "EUR":
        decisions.append(
            Decision(
                "bloquant",
                f"Facture {inv.number} en {inv.currency} (BT-5) : seules les factures en euros "
                "sont importées (le décompte des pénalités est en euros).",
                where,
            )
        )
        return None
    if inv.total - inv.paid + inv.rounding != inv.amount_due:
        decisions.append(
            Decision(
                "bloquant",
                f"Facture {inv.number} : total {inv.total} − déjà payé {inv.paid} + arrondi "
                f"{inv.rounding} ≠ montant à payer {inv.amount_due} (BT-112, 113, 114, 115).",
                where,
            )
        )
        return None
    if inv.amount_due <= 0:
        decisions.append(
            Decision(
                "a_confirmer",
                f"Facture {inv.number} : rien à payer (BT-115 = {inv.amount_due}) : non reprise.",
                where,
            )
        )
        return None
    libelle = f"Facture n° {inv.number} du {_fr_date(inv.issued)}, {_fr_amount(inv.total)} TTC"
    if inv.paid:
        libelle += f", dont {_fr_amount(inv.paid)} déjà payés"
    fondement = f"Facture n° {inv.number} du {_fr_date(inv.issued)}"
    if inv.order_reference:
        fondement += f", bon de commande {inv.order_reference}"
    claim: dict[str, Any] = {
        "reference": inv.number,
        "nature": "facture",
        "libelle": libelle,
        "date_emission": inv.issued.isoformat(),
    }
    terms = _terms_of(inv, decisions)
    if inv.due is not None:
        claim["date_echeance"] = inv.due.isoformat()
    if terms is not None:
        claim["conditions_paiement"] = terms.describe()
        computed = due_date(inv.issued, terms)
        read.append(
            f"Facture {inv.number} : conditions « {terms.describe()} » → échéance "
            f"{_fr_date(computed.due)} ({' '.join(computed.trace)})"
        )
        for warning in computed.warnings:
            decisions.append(Decision("a_confirmer", f"Facture {inv.number} : {warning}", where))
        if inv.due is not None and computed.due != inv.due:
            decisions.append(
                Decision(
                    "a_confirmer",
                    f"Facture {inv.number} : l'échéance de la facture (BT-9, "
                    f"{_fr_date(inv.due)}) diffère de celle de ses conditions « "
                    f"{terms.describe()} » ({_fr_date(computed.due)}) : celle de la facture "
                    "est retenue.",
                    where,
                )
            )
    elif inv.due is None:
        decisions.append(
            Decision(
                "bloquant",
                f"Facture {inv.number} : ni échéance (BT-9) ni conditions de paiement lisibles "
                f"(BT-20 : « {inv.terms or 'absent'} ») : l'échéance est à fixer.",
                where,
            )
        )
    claim["montant"] = str(inv.amount_due)
    rate, how = _penalty_rate(inv.terms_text())
    if rate is not None:
        claim["taux_contractuel"] = rate
        read.append(f"Facture {inv.number} : pénalités de retard au taux de {how}")
    else:
        decisions.append(
            Decision(
                "a_confirmer",
                f"Facture {inv.number} : taux des pénalités de retard non trouvé dans les "
                "conditions : le taux légal par défaut (BCE + 10 points, L441-10 II) "
                "s'applique ; à confirmer.",
                where,
            )
        )
    if _FORTY.search(_fold(inv.terms_text())):
        read.append(f"Facture {inv.number} : indemnité forfaitaire de 40 € mentionnée")
    else:
        decisions.append(
            Decision(
                "a_confirmer",
                f"Facture {inv.number} : la mention de l'indemnité forfaitaire de 40 € (D441-5) "
                "n'est pas trouvée ; elle reste due de plein droit entre professionnels.",
                where,
            )
        )
    claim["fondement"] = fondement
    return claim


# --------------------------------------------------------------------------- planning


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _reference_for(debtor: Mapping[str, Any]) -> str:
    name = _fold(_party_name(debtor))
    slug = _SAFE.sub("-", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode())
    slug = slug.strip("-.").upper()[:50] or "DEBITEUR"
    return slug


def _read_all(files: Sequence[Path]) -> list[Invoice]:
    invoices: list[Invoice] = []
    problems: list[DataIssue] = []
    for path in files:
        try:
            invoices.append(read_invoice(path))
        except InputError as error:
            problems.append(DataIssue("", error.message, error.hint, file=str(path)))
    if problems:
        plural = "s" if len(problems) > 1 else ""
        raise InputError(
            f"{len(problems)} fichier{plural} illisible{plural} : rien n'a été importé.",
            issues=problems,
        )
    seen: dict[tuple[str, str], Path] = {}
    for inv in invoices:
        key = (inv.kind, inv.number)
        if key in seen:
            raise InputError(
                f"{inv.file} : la {inv.kind} n° {inv.number} est aussi dans {seen[key]} : "
                "rien n'a été importé.",
                hint="retirez le doublon de la liste des fichiers",
            )
        seen[key] = inv.file
    return invoices


def _piece_name(inv: Invoice, used: set[str]) -> str:
    stem = _SAFE.sub("-", f"{inv.kind}-{inv.number}").strip("-.") or inv.kind
    name = f"{PIECES_FOLDER}/{stem}.pdf"
    counter = 2
    while name in used:
        name = f"{PIECES_FOLDER}/{stem}-{counter}.pdf"
        counter += 1
    used.add(name)
    return name


def _net_credit_note(case: PlannedCase, note: Invoice, claims: list[dict[str, Any]]) -> None:
    where = str(note.file)
    targets = [c for c in claims if c.get("reference") in note.preceding]
    if len(targets) != 1:
        cited = ", ".join(note.preceding) or "aucune (BT-25 absent)"
        case.decisions.append(
            Decision(
                "bloquant",
                f"Avoir {note.number} : la facture qu'il cite ({cited}) n'est ni parmi les "
                "fichiers importés ni dans le dossier : à qui l'imputer ?",
                where,
            )
        )
        return
    claim = targets[0]
    if any(a.get("reference") == note.number for a in claim.get("avoirs", [])):
        case.skipped.append(f"avoir {note.number}")
        return
    if note.currency != "EUR":
        case.decisions.append(
            Decision("bloquant", f"Avoir {note.number} en {note.currency} (BT-5).", where)
        )
        return
    remaining = Decimal(str(claim["montant"])) - note.total
    if remaining <= 0:
        case.decisions.append(
            Decision(
                "bloquant",
                f"Avoir {note.number} ({note.total}) : il égale ou dépasse ce qui reste dû sur "
                f"la facture {claim['reference']} ({claim['montant']}) : rien n'est à "
                "recouvrer sur elle.",
                where,
            )
        )
        return
    claim["montant"] = str(remaining.quantize(Decimal("0.01")))
    claim.setdefault("avoirs", []).append(
        {"reference": note.number, "date": note.issued.isoformat(), "montant": str(note.total)}
    )
    claim["libelle"] = (
        f"{claim.get('libelle', '')}, moins l'avoir n° {note.number} du "
        f"{_fr_date(note.issued)} ({_fr_amount(note.total)})"
    ).lstrip(", ")
    case.credit_notes.append(note.number)


def plan_invoice_import(
    files: Sequence[Path],
    *,
    dossier: Path | None = None,
    nouveau: Path | None = None,
    reference: str | None = None,
    forme_juridique: str | None = None,
    au: dt.date | None = None,
) -> ImportPlan:
    """Read ``files`` and plan the cases to write (nothing is written here)."""
    if (dossier is None) == (nouveau is None):
        raise UsageProblem(
            "Indiquez où importer : --dossier DOSSIER (un dossier existant) ou --nouveau DIR "
            "(un dossier par acheteur créé dans DIR).",
        )
    invoices = _read_all(files)
    groups: dict[str, list[Invoice]] = {}
    for inv in invoices:
        buyer = inv.buyer
        key = str(buyer.get("legal_identifier") or "") or _fold(str(buyer.get("name") or ""))
        groups.setdefault(key, []).append(inv)
    if dossier is not None and len(groups) > 1:
        names = sorted({str(g[0].buyer.get("name", "")) for g in groups.values()})
        raise UsageProblem(
            f"Les factures ont {len(groups)} acheteurs différents ({', '.join(names)}) : un "
            "dossier n'a qu'un débiteur.",
            hint="importez-les avec --nouveau DIR (un dossier par acheteur) ou séparément",
        )
    if reference is not None and len(groups) > 1:
        raise UsageProblem("--reference ne vaut que pour les factures d'un seul acheteur.")
    cases = [
        _plan_case(group, dossier, nouveau, reference, forme_juridique, au or dt.date.today())
        for group in groups.values()
    ]
    return ImportPlan(cases, invoices)


def _existing(dossier: Path) -> tuple[Path, dict[str, Any], str]:
    from actes.cli._common import case_file

    path = case_file(dossier)
    text, _ = read_case_version(path)
    if not text:
        raise InputError(f"Dossier introuvable : {dossier}", hint="vérifiez le chemin")
    data = parse_document(text, str(path))
    if not isinstance(data, dict):
        raise InputError(f"{path} : le fichier ne contient pas un dossier.")
    return path, data, text


def _plan_case(
    group: list[Invoice],
    dossier: Path | None,
    nouveau: Path | None,
    reference: str | None,
    form: str | None,
    au: dt.date,
) -> PlannedCase:
    decisions: list[Decision] = []
    invoices = sorted((i for i in group if not i.credit_note), key=lambda i: (i.issued, i.number))
    notes = sorted((i for i in group if i.credit_note), key=lambda i: (i.issued, i.number))
    first = (invoices or notes)[0]
    seller = _party(first.seller, "creancier", first, decisions, None)
    buyer = _party(first.buyer, "debiteur", first, decisions, form)
    if first.iban:
        if std_iban.is_valid(first.iban):
            seller["iban"] = std_iban.compact(first.iban)
        else:
            decisions.append(
                Decision(
                    "a_confirmer",
                    f"IBAN du vendeur « {first.iban} » (BT-84) invalide : non repris.",
                    str(first.file),
                )
            )
    group_decisions: list[Decision] = []
    for inv in group[1:]:
        other = _party(inv.seller, "creancier", inv, [], None)
        if not _same_party(seller, other):
            group_decisions.append(
                Decision(
                    "bloquant",
                    f"Facture {inv.number} : vendeur « {inv.seller.get('name', '')} » différent "
                    f"de « {first.seller.get('name', '')} » : un dossier n'a qu'un créancier.",
                    str(inv.file),
                )
            )
    if dossier is not None:
        path, data, text = _existing(dossier)
        case = PlannedCase(path, data, new=False, base_text=text)
        if not _same_party(data.get("debiteur") or {}, buyer):
            case.decisions.append(
                Decision(
                    "bloquant",
                    f"L'acheteur des factures « {first.buyer.get('name', '')} » n'est pas le "
                    f"débiteur du dossier « {_party_name(data.get('debiteur') or {})} ».",
                    str(first.file),
                )
            )
        if not _same_party(data.get("creancier") or {}, seller):
            case.decisions.append(
                Decision(
                    "bloquant",
                    f"Le vendeur des factures « {first.seller.get('name', '')} » n'est pas le "
                    f"créancier du dossier « {_party_name(data.get('creancier') or {})} ».",
                    str(first.file),
                )
            )
        # Only the claims' and pièces' decisions matter: the parties are the case's own.
        # The case keeps its own parties: only the differences above matter.
        case.decisions += group_decisions
    else:
        assert nouveau is not None
        ref = reference or _reference_for(buyer)
        data = {
            "format_version": 1,
            "reference": ref,
            "objet": f"Factures impayées — {buyer.get('denomination', '')}",
            "creancier": seller,
            "debiteur": buyer,
            "creances": [],
        }
        case = PlannedCase(nouveau / ref / "dossier.yaml", data, new=True)
        case.decisions += decisions + group_decisions
        if case.path.parent.exists():
            case.decisions.append(
                Decision(
                    "bloquant",
                    f"Le dossier {case.path.parent} existe déjà : importez-y les factures avec "
                    "--dossier, ou choisissez une autre référence (--reference).",
                )
            )
    case.invoices = group
    claims: list[dict[str, Any]] = [dict(c) for c in case.data.get("creances", [])]
    existing = {str(c.get("reference")): c for c in claims}
    used = {str(p.get("fichier")) for p in case.data.get("pieces", []) if isinstance(p, dict)}
    pieces: list[dict[str, Any]] = []
    for inv in invoices:
        claim = _claim(inv, case.decisions, case.read)
        if claim is None:
            continue
        if inv.number in existing:
            if not case.new and _gross(existing[inv.number]) == Decimal(claim["montant"]):
                case.skipped.append(f"facture {inv.number}")
            else:
                case.decisions.append(
                    Decision(
                        "bloquant",
                        f"Facture {inv.number} : le dossier a déjà une créance de cette "
                        f"référence, pour {existing[inv.number].get('montant')} : à vérifier.",
                        str(inv.file),
                    )
                )
            continue
        claims.append(claim)
        existing[inv.number] = claim
        case.added_claims.append(inv.number)
        if inv.pdf is not None:
            name = _piece_name(inv, used)
            case.pieces.append((name, inv.pdf))
            pieces.append(
                {
                    "titre": f"Facture n° {inv.number}",
                    "date": inv.issued.isoformat(),
                    "fichier": name,
                }
            )
    for note in notes:
        _net_credit_note(case, note, claims)
        if note.pdf is not None and note.number in case.credit_notes:
            name = _piece_name(note, used)
            case.pieces.append((name, note.pdf))
            pieces.append(
                {
                    "titre": f"Avoir n° {note.number}",
                    "date": note.issued.isoformat(),
                    "fichier": name,
                }
            )
    case.data = {**case.data, "creances": claims}
    if pieces:
        case.data["pieces"] = [*case.data.get("pieces", []), *pieces]
    if not case.blocked:
        if not claims:
            case.decisions.append(Decision("bloquant", "Aucune créance à importer."))
        else:
            _check(case, au)
    return case


def _gross(claim: Mapping[str, Any]) -> Decimal:
    """A claim's amount before the credit notes already deducted from it."""
    notes = claim.get("avoirs") or []
    return Decimal(str(claim.get("montant"))) + sum(
        (Decimal(str(n.get("montant"))) for n in notes if isinstance(n, Mapping)), Decimal(0)
    )


def _check(case: PlannedCase, au: dt.date) -> None:
    """The case as it will be written must be valid (its pièces not yet on disk)."""
    problems = issues_of(case.data, file=case.path.name, folder=None, au=au)
    for problem in problems:
        case.decisions.append(
            Decision("bloquant", f"Dossier invalide après import : {problem.format()}")
        )


# --------------------------------------------------------------------------- writing


def apply_plan(plan: ImportPlan, *, au: dt.date | None = None) -> None:
    """Write every planned case; raise before writing anything when a decision blocks."""
    if plan.blocked:
        raise InputError(
            "Import bloqué : des points sont à décider (liste ci-dessus) ; rien n'a été écrit.",
            hint="relancez avec --dry-run pour les revoir, corrigez puis réimportez",
        )
    day = au or dt.date.today()
    for case in plan.cases:
        if case.new:
            _create(case, day)
        else:
            _extend(case, day)


def _dump(data: Mapping[str, Any], path: Path, previous: str | None) -> str:
    from actes.web.casefile import dump_case

    return dump_case(data, path, previous)


def _write_pieces(case: PlannedCase, written: list[Path]) -> None:
    for name, content in case.pieces:
        target = case.path.parent / name
        if target.exists() or target.is_symlink():
            raise InputError(
                f"La pièce {target} existe déjà : rien n'a été écrit.",
                hint="renommez ou retirez le fichier existant",
            )
        atomic_write(target, content)
        written.append(target)


def _validated(case: PlannedCase, data: Mapping[str, Any], au: dt.date) -> None:
    problems = issues_of(data, file=case.path.name, folder=case.path.parent, au=au)
    if problems:
        raise CaseError(case.path.name, problems)


def _extend(case: PlannedCase, au: dt.date) -> None:
    written: list[Path] = []

    def change(text: str) -> str:
        if text != case.base_text:
            raise ConflictError(case.path.name)
        _write_pieces(case, written)
        _validated(case, case.data, au)
        return _dump(case.data, case.path, text)

    try:
        update_case(case.path, change)
    except BaseException:
        _remove(written)
        raise


def _create(case: PlannedCase, au: dt.date) -> None:
    without = {k: v for k, v in case.data.items() if k != "pieces"}
    text = _dump(without, case.path, None)
    try:
        created = create_case(case.path, text)
    except FileExistsError:
        raise InputError(
            f"Le dossier {case.path.parent} existe déjà : rien n'a été écrit.",
            hint="importez les factures avec --dossier, ou choisissez une autre --reference",
        ) from None
    if not case.pieces:
        return
    written: list[Path] = []

    def change(current: str) -> str:
        _write_pieces(case, written)
        _validated(case, case.data, au)
        return _dump(case.data, case.path, current)

    try:
        update_case(case.path, change)
    except BaseException:
        _remove(written)
        _undo_creation(case.path, created)
        raise


def _undo_creation(path: Path, digest: str) -> None:
    """Remove a case this import created a moment ago, if nobody changed it since."""
    _, current = read_case_version(path)
    if current != digest:
        return
    with contextlib.suppress(OSError):
        path.unlink()
        lock_path(path).unlink(missing_ok=True)
        (path.parent / PIECES_FOLDER).rmdir()
    with contextlib.suppress(OSError):
        path.parent.rmdir()


def _remove(paths: list[Path]) -> None:
    for target in paths:
        with contextlib.suppress(OSError):
            target.unlink()
