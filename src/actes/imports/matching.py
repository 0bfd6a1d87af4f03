"""Bank statement credits to case payments: match, then record through the case store.

Each credit of the statement is matched to one case of the folder, in this order:

1. a claim reference (or the case reference) written in the remittance text or the
   operation's reference: the case, and the claim when only one of its claims is named;
2. the payer's IBAN equal to the debtor's (``debiteur.iban``);
3. the payer's name equal to the debtor's (accents, case and legal form ignored).

Within the case found by 2 or 3, the amount picks the claim when exactly one claim's
amount equals it (an instalment of the plan is reported as such). An amount alone, matching
claims of one case only, is proposed for a person to confirm, never recorded. Several cases
for one credit make it ambiguous. Debits are ignored.

A recorded payment carries ``source`` (file, format, line, text and an idempotency key: the
SHA-256 of the account, date, amount, direction, reference and text): a key already present in
any case is never recorded again, so re-importing a statement records nothing twice.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from actes._io import parse_document
from actes.cases.case import issues_of
from actes.cases.casestore import read_case_version, update_case
from actes.errors import CaseError, InputError
from actes.imports.statements import Statement, StatementLine

__all__ = ["LineOutcome", "MatchReport", "apply_matches", "match_statement"]

Status = Literal[
    "a_enregistrer",
    "enregistre",
    "deja_enregistre",
    "non_rapproche",
    "ambigu",
    "a_confirmer",
    "debit_ignore",
]

_FORMS = re.compile(r"\b(sarl|sasu|sas|sa|eurl|snc|sci|selarl|scop|ets|societe|ste)\b")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def _name(text: str) -> str:
    return " ".join(_FORMS.sub(" ", _fold(text)).split())


def _token(reference: str) -> re.Pattern[str]:
    folded = re.sub(r"[^0-9a-z]+", "", _fold(reference))
    return re.compile(r"(?<![0-9a-z])" + re.escape(folded) + r"(?![0-9a-z])")


def _squashed(text: str) -> str:
    """Text with the separators inside references removed (« FA-2026/0201 » →
    « fa20260201 »), words kept apart."""
    return _fold(re.sub(r"[-/._]", "", text))


@dataclass
class _Case:
    path: Path
    data: dict[str, Any]
    keys: set[str]

    @property
    def reference(self) -> str:
        return str(self.data.get("reference", ""))

    def debtor(self) -> Mapping[str, Any]:
        value = self.data.get("debiteur")
        return value if isinstance(value, Mapping) else {}

    def claims(self) -> list[Mapping[str, Any]]:
        return [c for c in self.data.get("creances", []) if isinstance(c, Mapping)]

    def instalments(self) -> list[Decimal]:
        plan = self.data.get("plan")
        listed = plan.get("echeances", []) if isinstance(plan, Mapping) else []
        return [_money(e.get("montant")) for e in listed if isinstance(e, Mapping)]


def _money(value: Any) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return Decimal(-1)


@dataclass
class LineOutcome:
    """What happens to one statement line."""

    line: StatementLine
    key: str
    status: Status
    reason: str = ""
    case: _Case | None = None
    claim: str | None = None
    candidates: list[str] = field(default_factory=list)

    def payment(self, statement: Statement) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "date": self.line.booked.isoformat(),
            "montant": f"{self.line.amount:.2f}",
        }
        if self.line.reference:
            entry["reference"] = self.line.reference
        if self.claim:
            entry["creance"] = self.claim
        entry["mode"] = "virement"
        source: dict[str, Any] = {
            "releve": statement.file.name,
            "format": statement.format,
            "ligne": self.line.where,
            "cle": self.key,
        }
        if self.line.text:
            source["libelle"] = self.line.text[:500]
        entry["source"] = source
        return entry

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.line.as_dict(),
            "statut": self.status,
            "dossier": str(self.case.path) if self.case else "",
            "creance": self.claim or "",
            "raison": self.reason,
            "candidats": self.candidates,
        }


@dataclass
class MatchReport:
    statement: Statement
    outcomes: list[LineOutcome]
    skipped_cases: list[str]

    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for outcome in self.outcomes:
            result[outcome.status] = result.get(outcome.status, 0) + 1
        return result

    def as_dict(self) -> dict[str, Any]:
        return {
            "releve": {
                "fichier": str(self.statement.file),
                "format": self.statement.format,
                "compte": self.statement.account,
                "devise": self.statement.currency,
                "operations": len(self.statement.lines),
            },
            "operations": [o.as_dict() for o in self.outcomes],
            "bilan": self.counts(),
            "dossiers_illisibles": self.skipped_cases,
        }


def _load_cases(folder: Path) -> tuple[list[_Case], list[str]]:
    from actes.portfolio.index import scan_cases

    cases: list[_Case] = []
    skipped: list[str] = []
    for state in sorted(scan_cases(folder.resolve()).values()):
        path = folder / state.relative
        text, _ = read_case_version(path)
        try:
            data = parse_document(text, str(path))
        except InputError:
            skipped.append(str(path))
            continue
        if not isinstance(data, dict):
            skipped.append(str(path))
            continue
        keys = {
            str(p["source"].get("cle"))
            for p in data.get("paiements", [])
            if isinstance(p, Mapping) and isinstance(p.get("source"), Mapping)
        }
        cases.append(_Case(path, data, keys))
    return cases, skipped


def _by_reference(line: StatementLine, cases: Sequence[_Case]) -> dict[int, set[str]]:
    text = _squashed(f"{line.text} {line.reference}")
    found: dict[int, set[str]] = {}
    for index, case in enumerate(cases):
        for claim in case.claims():
            if _token(str(claim.get("reference", ""))).search(text):
                found.setdefault(index, set()).add(str(claim.get("reference")))
        if case.reference and _token(case.reference).search(text):
            found.setdefault(index, set())
    return found


def _claim_by_amount(case: _Case, amount: Decimal) -> tuple[str | None, str]:
    equal = [str(c.get("reference")) for c in case.claims() if _money(c.get("montant")) == amount]
    if len(equal) == 1:
        return equal[0], f"montant égal à celui de la créance {equal[0]}"
    if amount in case.instalments():
        return None, "montant égal à une échéance du plan d'apurement"
    return None, ""


def _match(line: StatementLine, cases: Sequence[_Case], key: str) -> LineOutcome:
    if not line.credit:
        return LineOutcome(line, key, "debit_ignore", "débit : pas un paiement reçu")
    for case in cases:
        if key in case.keys:
            return LineOutcome(
                line, key, "deja_enregistre", "déjà importé (même opération)", case=case
            )
    found = _by_reference(line, cases)
    if len(found) > 1:
        return LineOutcome(
            line,
            key,
            "ambigu",
            "références de plusieurs dossiers dans le libellé",
            candidates=[cases[i].reference for i in found],
        )
    if len(found) == 1:
        index, claims = next(iter(found.items()))
        case = cases[index]
        claim = next(iter(claims)) if len(claims) == 1 else None
        reason = f"référence {claim} dans le libellé" if claim else "référence du dossier"
        if claim is None:
            claim, why = _claim_by_amount(case, line.amount)
            reason += f" ; {why}" if why else ""
        return LineOutcome(line, key, "a_enregistrer", reason, case=case, claim=claim)
    iban = line.counterparty_iban.upper()
    by_iban = [c for c in cases if iban and str(c.debtor().get("iban", "")).upper() == iban]
    name = _name(line.counterparty)
    by_name = [
        c
        for c in cases
        if name
        and name
        in (_name(str(c.debtor().get("denomination", ""))), _name(str(c.debtor().get("nom", ""))))
    ]
    for matched, how in ((by_iban, "IBAN du débiteur"), (by_name, "nom du débiteur")):
        if len(matched) > 1:
            return LineOutcome(
                line,
                key,
                "ambigu",
                f"{how} commun à plusieurs dossiers",
                candidates=[c.reference for c in matched],
            )
        if len(matched) == 1:
            claim, why = _claim_by_amount(matched[0], line.amount)
            reason = how + (f" ; {why}" if why else " ; créance non désignée (C. civ. 1342-10)")
            return LineOutcome(line, key, "a_enregistrer", reason, case=matched[0], claim=claim)
    by_amount = [c for c in cases if _claim_by_amount(c, line.amount)[1]]
    if len(by_amount) == 1:
        claim, why = _claim_by_amount(by_amount[0], line.amount)
        return LineOutcome(
            line,
            key,
            "a_confirmer",
            f"seul le montant concorde ({why}) : à confirmer",
            case=by_amount[0],
            claim=claim,
            candidates=[by_amount[0].reference],
        )
    if len(by_amount) > 1:
        return LineOutcome(
            line,
            key,
            "ambigu",
            "montant égal à des créances de plusieurs dossiers",
            candidates=[c.reference for c in by_amount],
        )
    return LineOutcome(line, key, "non_rapproche", "ni référence, ni IBAN, ni nom connus")


def match_statement(statement: Statement, folder: Path) -> MatchReport:
    """Match every line of ``statement`` to the cases of ``folder`` (nothing written)."""
    if statement.currency != "EUR":
        raise InputError(
            f"{statement.file} : relevé en {statement.currency} : les dossiers sont en euros ; "
            "rien n'a été importé.",
        )
    cases, skipped = _load_cases(folder)
    outcomes: list[LineOutcome] = []
    seen: set[str] = set()
    for line in statement.lines:
        key = line.key(statement.account)
        if key in seen:
            outcomes.append(
                LineOutcome(line, key, "deja_enregistre", "opération en double dans le relevé")
            )
            continue
        seen.add(key)
        outcomes.append(_match(line, cases, key))
    return MatchReport(statement, outcomes, skipped)


def apply_matches(report: MatchReport, *, au: dt.date | None = None) -> None:
    """Record the matched payments, one locked update per case; each case is checked with
    its new payments before anything is written, and written whole or not at all."""
    day = au or dt.date.today()
    by_case: dict[Path, list[LineOutcome]] = {}
    for outcome in report.outcomes:
        if outcome.status == "a_enregistrer" and outcome.case is not None:
            by_case.setdefault(outcome.case.path, []).append(outcome)
    # Every case checked first: a problem in one writes none.
    for path, outcomes in by_case.items():
        data = outcomes[0].case.data if outcomes[0].case else {}
        updated = _with_payments(data, outcomes, report.statement)
        problems = issues_of(updated, file=path.name, folder=path.parent, au=day)
        if problems:
            raise CaseError(path.name, problems)
    for path, outcomes in by_case.items():

        def change(text: str, outcomes: list[LineOutcome] = outcomes, path: Path = path) -> str:
            from actes.web.casefile import dump_case

            data = parse_document(text, path.name)
            if not isinstance(data, dict):
                raise InputError(f"{path} : le fichier ne contient pas un dossier.")
            updated = _with_payments(data, outcomes, report.statement)
            problems = issues_of(updated, file=path.name, folder=path.parent, au=day)
            if problems:
                raise CaseError(path.name, problems)
            return dump_case(updated, path, text)

        update_case(path, change)
        for outcome in outcomes:
            outcome.status = "enregistre"


def _with_payments(
    data: Mapping[str, Any], outcomes: Sequence[LineOutcome], statement: Statement
) -> dict[str, Any]:
    present = {
        str(p["source"].get("cle"))
        for p in data.get("paiements", [])
        if isinstance(p, Mapping) and isinstance(p.get("source"), Mapping)
    }
    new = [o.payment(statement) for o in outcomes if o.key not in present]
    return {**data, "paiements": [*data.get("paiements", []), *new]}
