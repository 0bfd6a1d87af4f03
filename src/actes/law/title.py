"""The executory title as case data, and what is due under it at a date.

:func:`title_of` reads the case's ``titre`` block (schema ``schemas/titre.schema.json``) into a
:class:`Title`: the amounts the title allows by head, the interest it makes run afterwards,
and three derived dates, each with its article, from ``parameters/titre.yaml`` and
``parameters/recouvrement.yaml``:

- ``executory_on``: the day the title became executory. Ordonnance d'injonction de payer
  rendered since 1 March 2022: the day after the one-month opposition period that follows a
  service à personne (CPC 1416, 1422; art. 642 extension in the court's calendar); rendered
  before: the date of the formule exécutoire (former CPC 1423). Jugement: its service (CPC
  503). European order for payment: its declaration of enforceability. Titre petites
  créances, acte notarié: their date. ``executoire_le`` overrides the derivation (suspensive
  appeal, service not à personne...).
- ``majoration_from``: first day bearing the +5 points of CMF L313-3, two months after
  ``executory_on``, for a court decision whose post-title interest is the legal rate (not for
  L441-10 penalties, a fixed rate, or when the juge de l'exécution exempted the debtor).
- ``expires_on``: last day the title can be enforced, ten years after its date, the day of
  the title not counted (CPCE L111-4, C. civ. 2229); for a title older than the loi
  n° 2008-561, ten years from 19 June 2008 without exceeding the former thirty years.

:func:`title_decompte` computes the title décompte on the engine of :mod:`actes.law.money`
(the same period splitting, day basis and rounding). Conventions, printed in French in
:attr:`TitleDecompte.conventions`:

- Post-title interest runs on the **principal only**, as the title's interest clause says
  (default: legal interest from the title's date, C. civ. 1231-7). The title's interest
  already arrested to a date, the article 700 sum, the dépens, the indemnity and other sums
  bear no interest here (decision: the title rarely says so; a creditor who claims interest on
  article 700 under 1231-7 adds it by hand).
- Payments dated after the title's date are imputed; earlier ones are taken to be accounted
  for by the title. Imputation: first the interest (the title's arrested interest, then the
  post-title interest accrued to the payment day, C. civ. 1343-1), then the principal, then
  the costs (article 700, dépens, indemnity, others) — among separate debts the one the
  debtor has most interest in paying, the interest-bearing principal, comes first
  (C. civ. 1342-10).
- ``provision_days``: interest on the balance for that many days after the décompte date
  (R211-1 asks for the one-month contestation period of a saisie-attribution).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

from actes._io import load_document
from actes._paths import parameters_dir
from actes.cases.case import Case
from actes.errors import DefinitionError, InputError, PreconditionFailed, RateMissing
from actes.law.calendar import calendar_for, long_date
from actes.law.deadlines import Duration, add_months, compute_deadline
from actes.law.money import (
    ClaimDecompte,
    ClaimInput,
    Decompte,
    DecompteOptions,
    InterestRegime,
    PaymentInput,
    compute_decompte,
    majoration_start,
)
from actes.law.rates import RateTables, format_percent

__all__ = [
    "PIECE_ROLES",
    "ROLE_LABELS",
    "TITLE_NATURES",
    "CostLine",
    "PostTitleInterest",
    "Purpose",
    "Title",
    "TitleDecompte",
    "TitlePayment",
    "TitlePiece",
    "check_title_pieces",
    "former_1423_repealed",
    "missing_title_pieces",
    "provision_days",
    "title_decompte",
    "title_of",
]

TitleNature = Literal[
    "ordonnance_injonction_de_payer",
    "jugement",
    "injonction_de_payer_europeenne",
    "titre_petites_creances",
    "acte_notarie",
]
PostInterestNature = Literal["interet_legal", "penalites_l441_10", "taux_fixe", "aucun"]
PieceRole = Literal[
    "copie_executoire",
    "copie_certifiee_requete",
    "acte_signification",
    "jugement",
    "certificat_non_opposition",
    "titre_petites_creances",
    "instrument_impaye",
    "ordonnance_autorisation",
    "autre",
]
Purpose = Literal["signification", "execution"]

TITLE_NATURES: tuple[str, ...] = get_args(TitleNature)
PIECE_ROLES: tuple[str, ...] = get_args(PieceRole)

NATURE_LABELS: Mapping[str, str] = {
    "ordonnance_injonction_de_payer": "ordonnance d'injonction de payer",
    "jugement": "jugement",
    "injonction_de_payer_europeenne": "injonction de payer européenne déclarée exécutoire",
    "titre_petites_creances": "titre délivré à l'issue de la procédure simplifiée de "
    "recouvrement des petites créances",
    "acte_notarie": "acte notarié revêtu de la formule exécutoire",
}
ROLE_LABELS: Mapping[str, str] = {
    "copie_executoire": "la copie exécutoire du titre",
    "copie_certifiee_requete": "la copie certifiée conforme de la requête",
    "acte_signification": "l'acte de signification du titre",
    "jugement": "le jugement",
    "certificat_non_opposition": "le certificat de non-opposition",
    "titre_petites_creances": "le titre délivré après la procédure des petites créances",
    "instrument_impaye": "l'effet ou le chèque impayé et son certificat de non-paiement",
    "ordonnance_autorisation": "l'ordonnance du juge autorisant la mesure conservatoire",
    "autre": "autre pièce",
}

_DATA_FILE = "titre.yaml"
_ZERO = Decimal("0.00")
_ONE_DAY = dt.timedelta(days=1)
# Claims handed to the engine, in imputation order (C. civ. 1343-1, then 1342-10).
_ECHUS, _PRINCIPAL = "INTERETS-TITRE", "PRINCIPAL"
_COST_HEADS = (
    ("indemnite_forfaitaire", "Indemnité forfaitaire pour frais de recouvrement"),
    ("article_700", "Article 700 du code de procédure civile"),
    ("depens", "Dépens"),
)
# Engine sentences that describe the pre-title regime; the title décompte states its own.
_PRE_TITLE_SENTENCES = (
    "Intérêts moratoires",
    "Aucuns frais",
    "Imputation des paiements",
    "Pénalités de retard entre professionnels",
    "Intérêts au taux contractuel",
    "Indemnité forfaitaire",
    "Taux majoré",
    "Aucun intérêt n'est calculé",
)


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class _ExecutoryRule:
    valid_from: dt.date
    event: str
    months: int
    reference: str
    note: str


@dataclass(frozen=True)
class _TitleParameters:
    executory: Mapping[str, tuple[_ExecutoryRule, ...]]
    majorable: frozenset[str]
    majoration_reference: str
    duration: tuple[tuple[dt.date, int, str], ...]
    old_duration_years: int
    transition_reference: str
    formule_months: int
    formule_until: dt.date
    formule_reference: str
    file: str


@cache
def _parameters(directory: Path | None = None) -> _TitleParameters:
    path = (directory or parameters_dir()) / _DATA_FILE
    raw = load_document(path, definition=True)
    try:
        executory = {
            nature: tuple(
                _ExecutoryRule(
                    valid_from=dt.date.fromisoformat(str(row["valid_from"])),
                    event=str(row["evenement"]),
                    months=int(str(row["delai_mois"])),
                    reference=str(row["reference"]),
                    note=str(row.get("note", "")),
                )
                for row in raw["executoire"][nature]["valeurs"]
            )
            for nature in TITLE_NATURES
        }
        duration = tuple(
            (
                dt.date.fromisoformat(str(row["valid_from"])),
                int(str(row["value"])),
                row["reference"],
            )
            for row in raw["duree_execution_ans"]["valeurs"]
        )
        transition = raw["duree_execution_ans"]["transition"]
        formule = raw["demande_formule_executoire"]
        params = _TitleParameters(
            executory=executory,
            majorable=frozenset(raw["majoration_l313_3"]["natures"]),
            majoration_reference=str(raw["majoration_l313_3"]["reference"]),
            duration=duration,
            old_duration_years=int(str(transition["ancienne_duree_ans"])),
            transition_reference=str(transition["reference"]),
            formule_months=int(str(formule["delai_mois"])),
            formule_until=dt.date.fromisoformat(str(formule["fin"])),
            formule_reference=str(formule["reference"]),
            file=str(path),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DefinitionError(
            f"{path} : structure invalide ({type(exc).__name__} : {exc}).",
            hint="comparez avec la forme décrite en tête du fichier",
        ) from None
    events = {"signification", "signification_plus_delai", "formule_executoire", "date_du_titre"}
    for nature, rows in params.executory.items():
        for row in rows:
            if row.event not in events:
                raise DefinitionError(
                    f"{path} : événement « {row.event} » inconnu pour {nature}.",
                    hint="valeurs permises : " + ", ".join(sorted(events)),
                )
    return params


def _rule_at(rules: Sequence[_ExecutoryRule], on: dt.date, nature: str) -> _ExecutoryRule:
    found = [rule for rule in rules if rule.valid_from <= on]
    if not found:
        raise InputError(
            f"Titre ({NATURE_LABELS[nature]}) du {long_date(on)} : actes ne connaît pas la règle "
            f"qui le rendait exécutoire avant le {long_date(rules[0].valid_from)}.",
            hint="indiquez la date à laquelle il est devenu exécutoire : « titre.executoire_le »",
        )
    return found[-1]


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class TitlePiece:
    """A pièce of the case with its role for enforcement."""

    numero: int
    titre: str
    date: dt.date
    fichier: str
    role: str


@dataclass(frozen=True)
class PostTitleInterest:
    """The interest the title makes run on the principal after it."""

    nature: PostInterestNature
    start: dt.date
    rate: Decimal | None = None
    majoration_allowed: bool = True
    title_date: dt.date | None = None

    @property
    def legal_basis(self) -> str:
        """The Code civil articles of legal interest: 1231-7 for a court's award from its
        date; interest the title makes run from an earlier mise en demeure is moratory
        interest (1344-1, 1231-6) until the title."""
        if self.title_date is not None and self.start < self.title_date:
            return "Code civil, art. 1344-1 et 1231-6 jusqu'au titre, puis art. 1231-7"
        return "Code civil, art. 1231-7"

    def label(self) -> str:
        """« intérêts au taux légal à compter du 2 mars 2026 » (French, as printed)."""
        since = f"à compter du {long_date(self.start)}"
        if self.nature == "interet_legal":
            return f"intérêts au taux légal {since} ({self.legal_basis})"
        if self.nature == "penalites_l441_10":
            return f"pénalités de retard de l'article L441-10 du Code de commerce {since}"
        if self.nature == "taux_fixe":
            assert self.rate is not None
            rate = format_percent(self.rate).replace(" %", "\u00a0%")
            return f"intérêts au taux de {rate} l'an {since}"
        return "sans intérêts postérieurs"


@dataclass(frozen=True)
class CostLine:
    """A sum the title allows besides principal and interest."""

    key: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Title:
    """The executory title of a case, with the dates derived from it."""

    nature: TitleNature
    court: str
    court_city: str
    date: dt.date
    number: str
    principal: Decimal
    interest_due: Decimal
    interest_due_to: dt.date | None
    post_interest: PostTitleInterest
    costs: tuple[CostLine, ...]
    formule_on: dt.date | None
    served_on: dt.date | None
    served_in_person: bool | None
    executory_on: dt.date | None
    executory_basis: str
    majoration_from: dt.date | None
    majoration_basis: str
    expires_on: dt.date
    expires_basis: str
    pieces: Mapping[str, tuple[TitlePiece, ...]]
    old_ip_regime: bool = False

    @property
    def nature_label(self) -> str:
        return NATURE_LABELS[self.nature]

    @property
    def costs_total(self) -> Decimal:
        return sum((line.amount for line in self.costs), _ZERO)

    def cost(self, key: str) -> Decimal:
        return sum((line.amount for line in self.costs if line.key == key), _ZERO)

    def pieces_with(self, role: str) -> tuple[TitlePiece, ...]:
        return self.pieces.get(role, ())


def title_of(case: Case, directory: Path | None = None) -> Title | None:
    """The case's executory title, or None when the case records none."""
    raw = case.data.get("titre")
    if not isinstance(raw, Mapping):
        return None
    params = _parameters(directory)
    nature: TitleNature = raw["nature"]
    date = _date(raw["date"])
    amounts = raw["montants"]
    post_raw = amounts.get("interets_posterieurs") or {"nature": "interet_legal"}
    post = PostTitleInterest(
        nature=post_raw["nature"],
        start=_date(post_raw["a_compter_du"]) if post_raw.get("a_compter_du") else date,
        rate=Decimal(str(post_raw["taux"])) if post_raw.get("taux") is not None else None,
        majoration_allowed=post_raw.get("majoration_l313_3", True) is not False,
        title_date=date,
    )
    echus = amounts.get("interets_echus") or {}
    costs = [
        CostLine(key, label, _money(amounts[key]))
        for key, label in _COST_HEADS
        if amounts.get(key) is not None and _money(amounts[key]) > 0
    ]
    costs += [
        CostLine(f"autre_{index + 1}", str(other["libelle"]), _money(other["montant"]))
        for index, other in enumerate(amounts.get("autres", []))
        if _money(other["montant"]) > 0
    ]
    served = raw.get("signification") or _served_event(case, nature)
    formule = raw.get("formule_executoire") or _formule_event(case, nature)
    served_on = _date(served["date"]) if served.get("date") else None
    formule_on = _date(formule["date"]) if formule.get("date") else None
    in_person = served.get("a_personne") if "a_personne" in served else None
    departement = (case.data.get("juridiction") or {}).get("departement")
    rule = _rule_at(params.executory[nature], date, nature)
    executory_on, executory_basis = _executory(
        rule, nature, date, served_on, in_person, formule_on, departement
    )
    if raw.get("executoire_le"):
        executory_on = _date(raw["executoire_le"])
        executory_basis = (
            f"exécutoire le {long_date(executory_on)}, date indiquée dans le dossier "
            f"(titre.executoire_le) ; à défaut : {executory_basis}"
        )
    majoration_from, majoration_basis = _majoration(nature, post, executory_on, params)
    expires_on, expires_basis = _expiry(date, params)
    pieces: dict[str, list[TitlePiece]] = {}
    for index, piece in enumerate(case.data.get("pieces", [])):
        role = piece.get("role")
        if role:
            pieces.setdefault(str(role), []).append(
                TitlePiece(
                    numero=index + 1,
                    titre=str(piece["titre"]),
                    date=_date(piece["date"]),
                    fichier=str(piece["fichier"]),
                    role=str(role),
                )
            )
    return Title(
        nature=nature,
        court=str((raw.get("juridiction") or {}).get("nom", "")),
        court_city=str((raw.get("juridiction") or {}).get("ville", "")),
        date=date,
        number=str(raw.get("numero", "")),
        principal=_money(amounts["principal"]),
        interest_due=_money(echus["montant"]) if echus else _ZERO,
        interest_due_to=_date(echus["arretes_au"]) if echus else None,
        post_interest=post,
        costs=tuple(costs),
        formule_on=formule_on,
        served_on=served_on,
        served_in_person=in_person,
        executory_on=executory_on,
        executory_basis=executory_basis,
        majoration_from=majoration_from,
        majoration_basis=majoration_basis,
        expires_on=expires_on,
        expires_basis=expires_basis,
        pieces={role: tuple(items) for role, items in pieces.items()},
        old_ip_regime=nature == "ordonnance_injonction_de_payer" and date <= params.formule_until,
    )


_SERVICE_EVENTS = {
    "ordonnance_injonction_de_payer": "ordonnance_signifiee",
    "jugement": "jugement_signifie",
    "injonction_de_payer_europeenne": "ipe_injonction_signifiee",
}


def _served_event(case: Case, nature: str) -> Mapping[str, Any]:
    """Service recorded as a case event when the title block does not state it (the last
    one: under the former CPC 1423 the ordonnance is served again with the formule)."""
    kind = _SERVICE_EVENTS.get(nature)
    event = case.latest(kind) if kind else None
    if event is None:
        return {}
    found: dict[str, Any] = {"date": event.date}
    if event.get("a_personne") is not None:
        found["a_personne"] = bool(event.get("a_personne"))
    return found


def _formule_event(case: Case, nature: str) -> Mapping[str, Any]:
    if nature != "ordonnance_injonction_de_payer":
        return {}
    event = case.latest("formule_executoire_apposee")
    return {"date": event.date} if event is not None else {}


def _executory(
    rule: _ExecutoryRule,
    nature: str,
    date: dt.date,
    served_on: dt.date | None,
    in_person: bool | None,
    formule_on: dt.date | None,
    departement: str | None,
) -> tuple[dt.date | None, str]:
    """The day the title became executory under ``rule`` and the sentence saying why."""
    what = NATURE_LABELS[nature]
    if rule.event == "date_du_titre":
        return date, f"{what} exécutoire à sa date ({rule.reference})"
    if rule.event == "formule_executoire":
        if formule_on is None:
            return None, (
                f"{what} : pas encore exécutoire, la formule exécutoire n'est pas enregistrée "
                f"(titre.formule_executoire.date ; {rule.reference})"
            )
        return formule_on, (
            f"{what} exécutoire à la date de la formule exécutoire, le "
            f"{long_date(formule_on)} ({rule.reference})"
        )
    if served_on is None:
        return None, (
            f"{what} : pas encore exécutoire, sa signification n'est pas enregistrée "
            f"(titre.signification.date ; {rule.reference})"
        )
    if rule.event == "signification":
        return served_on, (
            f"{what} exécutoire à compter de sa signification, le {long_date(served_on)} "
            f"({rule.reference})"
        )
    # signification_plus_delai: the suspensive opposition period after a service à personne.
    if in_person is not True:
        return None, (
            f"{what} signifiée le {long_date(served_on)} mais pas à personne : le délai "
            "d'opposition ne court qu'à compter du premier acte signifié à personne ou de la "
            "première mesure d'exécution (CPC art. 1416 al. 2) ; indiquez la date à laquelle "
            "l'ordonnance est devenue exécutoire (titre.executoire_le)"
        )
    deadline = compute_deadline(
        served_on, Duration(rule.months, "mois"), calendar_for(departement)
    )
    executory = deadline.date_limite + _ONE_DAY
    return executory, (
        f"{what} signifiée à personne le {long_date(served_on)} : délai de {rule.months} mois "
        f"suivant la signification expiré le {long_date(deadline.date_limite)}, exécutoire le "
        f"{long_date(executory)} ({rule.reference})"
    )


def _majoration(
    nature: str, post: PostTitleInterest, executory_on: dt.date | None, params: _TitleParameters
) -> tuple[dt.date | None, str]:
    if nature not in params.majorable:
        return None, (
            f"pas de majoration de cinq points : le titre n'est pas une condamnation par "
            f"décision de justice ({params.majoration_reference})"
        )
    if post.nature != "interet_legal":
        reason = {
            "penalites_l441_10": "le titre accorde les pénalités de l'article L441-10 du Code "
            "de commerce jusqu'au paiement, et non l'intérêt légal (point non confirmé : "
            "application de L313-3 à ces pénalités, on s'en tient aux termes du titre)",
            "taux_fixe": "le titre fixe un taux d'intérêt, et non le taux légal",
            "aucun": "le titre n'accorde pas d'intérêts postérieurs",
        }[post.nature]
        return None, f"pas de majoration de cinq points : {reason} (CMF, art. L313-3)"
    if not post.majoration_allowed:
        return None, (
            "pas de majoration de cinq points : le juge de l'exécution en a exonéré le "
            "débiteur (CMF, art. L313-3 al. 2 ; titre.montants.interets_posterieurs."
            "majoration_l313_3)"
        )
    if executory_on is None:
        return None, "majoration de cinq points : point de départ inconnu tant que le titre " + (
            "n'est pas exécutoire (CMF, art. L313-3)"
        )
    start = majoration_start(executory_on)
    return start, (
        f"taux légal majoré de cinq points à compter du {long_date(start)}, deux mois après "
        f"le jour où la décision est devenue exécutoire ({long_date(executory_on)}) (CMF, "
        "art. L313-3 ; CPC, art. 503)"
    )


def _expiry(date: dt.date, params: _TitleParameters) -> tuple[dt.date, str]:
    """Last day the title can be enforced (CPCE L111-4) and why."""
    first, years, reference = params.duration[0]
    if date >= first:
        for valid_from, value, ref in params.duration:
            if valid_from <= date:
                years, reference = value, ref
        end = add_months(date, 12 * years)
        return (
            end,
            f"exécution possible pendant {years} ans, jusqu'au {long_date(end)} ({reference})",
        )
    old_end = add_months(date, 12 * params.old_duration_years)
    new_end = add_months(first, 12 * years)
    end = min(old_end, new_end)
    return end, (
        f"titre antérieur au {long_date(first)} : {years} ans à compter de cette date sans "
        f"dépasser {params.old_duration_years} ans à compter du titre, soit jusqu'au "
        f"{long_date(end)} ({params.transition_reference} ; {reference})"
    )


# --------------------------------------------------------------------------- pièces


_NEEDED: Mapping[Purpose, tuple[tuple[str, ...], ...]] = {
    # Each inner tuple: one of these roles must be present.
    "signification": (("copie_executoire",), ("copie_certifiee_requete", "jugement")),
    "execution": (
        ("copie_executoire",),
        ("copie_certifiee_requete", "jugement"),
        ("acte_signification",),
    ),
}


def former_1423_repealed(au: dt.date) -> bool:
    """Whether CPC 1423 (request for the formule exécutoire) was repealed at ``au``: a
    document dated before cites it as in force, one dated after « dans sa rédaction
    antérieure »."""
    return au > _parameters().formule_until


def provision_days(au: dt.date) -> int:
    """Days of the R211-1 provision at a décompte dated ``au``: the calendar month that
    follows it (from ``au`` to the same day of the next month, CPC 641), the month the debtor
    has to contest, counted here from the décompte date because the dénonciation, from which
    it runs (R211-11), is not known yet; the one rule for every document and
    ``actes decompte --titre``."""
    return (add_months(au, 1) - au).days


def missing_title_pieces(title: Title, purpose: Purpose) -> list[str]:
    """French names of the pièces the commissaire needs for ``purpose`` and the case lacks."""
    needed = list(_NEEDED[purpose])
    if title.nature == "titre_petites_creances":
        needed = [("copie_executoire", "titre_petites_creances")]
        if purpose == "execution":
            needed.append(("acte_signification",))
    elif title.nature == "acte_notarie":
        needed = [("copie_executoire",)]
    elif title.nature != "ordonnance_injonction_de_payer":
        needed = [
            ("copie_executoire",),
            *([("acte_signification",)] if purpose == "execution" else []),
        ]
    missing = []
    for roles in needed:
        if not any(title.pieces_with(role) for role in roles):
            missing.append(" ou ".join(ROLE_LABELS[role] for role in roles))
    return missing


def check_title_pieces(case: Case, purpose: Purpose) -> Title:
    """The title, once its pièces for ``purpose`` are all in the case; else a clear error."""
    title = title_of(case)
    if title is None:
        raise PreconditionFailed(
            "Le dossier n'enregistre pas de titre exécutoire : le commissaire de justice ne peut "
            "pas agir sans lui (CPCE, art. L111-2 et L111-3).",
            hint="ajoutez le bloc « titre: {nature: ..., date: ..., montants: {principal: ...}} » "
            "(docs/enforcement.md)",
        )
    missing = missing_title_pieces(title, purpose)
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise InputError(
            f"Dossier pour le commissaire de justice incomplet : pièce{plural} manquante{plural} "
            f"— {' ; '.join(missing)}.",
            hint="ajoutez la pièce au dossier avec son rôle (« pieces: [{titre: ..., date: ..., "
            "fichier: pieces/....pdf, role: copie_executoire}] ») ; rien n'a été écrit",
        )
    return title


# --------------------------------------------------------------------------- décompte


@dataclass(frozen=True)
class TitlePayment:
    """A payment after the title and where it went."""

    date: dt.date
    reference: str
    amount: Decimal
    to_interest: Decimal
    to_principal: Decimal
    to_costs: Decimal
    surplus: Decimal

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "reference": self.reference,
            "montant": _text(self.amount),
            "interets": _text(self.to_interest),
            "principal": _text(self.to_principal),
            "frais": _text(self.to_costs),
            "excedent": _text(self.surplus),
        }


@dataclass(frozen=True)
class TitleDecompte:
    """What is due under the title on ``au``, head by head, and how it was computed."""

    au: dt.date
    title: Title
    engine: Decompte
    principal: Decimal
    principal_paid: Decimal
    principal_outstanding: Decimal
    costs: tuple[CostLine, ...]
    costs_paid: Decimal
    costs_outstanding: Decimal
    interest_due_title: Decimal
    interest_periods: tuple[Mapping[str, object], ...]
    interest_post_title: Decimal
    interest_paid: Decimal
    interest_outstanding: Decimal
    payments: tuple[TitlePayment, ...]
    total_due: Decimal
    provision_days: int
    provision: Decimal
    conventions: tuple[str, ...]
    trace: tuple[str, ...]
    warnings: tuple[str, ...]
    reserves: tuple[str, ...]
    provision_note: str = ""

    def as_dict(self) -> dict[str, object]:
        title = self.title
        return {
            "au": self.au.isoformat(),
            "titre": {
                "nature": title.nature,
                "nature_libelle": title.nature_label,
                "juridiction": title.court,
                "date": title.date.isoformat(),
                "numero": title.number,
                "executoire_le": _iso(title.executory_on),
                "executoire_fondement": title.executory_basis,
                "majoration_a_compter_du": _iso(title.majoration_from),
                "majoration_fondement": title.majoration_basis,
                "execution_possible_jusqu_au": title.expires_on.isoformat(),
                "execution_fondement": title.expires_basis,
                "interets_posterieurs": title.post_interest.label(),
            },
            "principal": _text(self.principal),
            "principal_paye": _text(self.principal_paid),
            "principal_restant": _text(self.principal_outstanding),
            "frais": [
                {"poste": c.key, "libelle": c.label, "montant": _text(c.amount)}
                for c in self.costs
            ],
            "frais_payes": _text(self.costs_paid),
            "frais_restants": _text(self.costs_outstanding),
            "interets_echus_titre": _text(self.interest_due_title),
            "interets_echus_titre_arretes_au": _iso(title.interest_due_to),
            "periodes": [dict(p) for p in self.interest_periods],
            "interets_posterieurs": _text(self.interest_post_title),
            "interets_payes": _text(self.interest_paid),
            "interets_restants": _text(self.interest_outstanding),
            "paiements": [p.as_dict() for p in self.payments],
            "totaux": {
                "principal_restant": _text(self.principal_outstanding),
                "frais": _text(self.costs_outstanding),
                "interets_echus": _text(self.interest_outstanding),
                "total_du": _text(self.total_due),
            },
            "provision": {
                "jours": self.provision_days,
                "montant": _text(self.provision),
                "note": self.provision_note,
            },
            "conventions": list(self.conventions),
            "trace": list(self.trace),
            "avertissements": list(self.warnings),
            "reserves": list(self.reserves),
        }


def title_decompte(
    case: Case,
    au: dt.date,
    *,
    provision_days: int = 0,
    tables: RateTables | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> TitleDecompte:
    """What is due under the case's title on ``au`` (see the module docstring).

    ``overrides`` replaces keys of the case's ``parametres`` (conventions given on the
    command line), as in :func:`actes.law.accounts.decompte_for_case`.
    """
    title = title_of(case)
    if title is None:
        raise PreconditionFailed(
            "Le dossier n'enregistre pas de titre exécutoire : pas de décompte après titre.",
            hint="ajoutez le bloc « titre » (docs/enforcement.md)",
        )
    if au < title.date:
        raise InputError(
            f"Décompte au {long_date(au)} antérieur au titre du {long_date(title.date)}.",
            hint="choisissez une date postérieure au titre (--date)",
        )
    if provision_days < 0:
        raise InputError(
            f"Provision de {provision_days} jours : un nombre de jours positif est attendu."
        )
    tables = tables or RateTables.for_folder(case.folder)
    claims, options = _engine_inputs(case, title, au, {**case.parametres, **(overrides or {})})
    payments = [
        PaymentInput(
            date=p.date,
            amount=p.montant,
            reference=p.reference or f"paiement du {p.date.isoformat()}",
        )
        for p in case.paiements
        if p.date > title.date
    ]
    engine = compute_decompte(claims, payments, options, tables)
    provision, note = _ZERO, ""
    if provision_days:
        later = dt.date.fromordinal(au.toordinal() + provision_days)
        try:
            ahead = compute_decompte(claims, payments, _replace_au(options, later), tables)
            provision = ahead.interest - engine.interest
        except RateMissing:
            provision, note = _provision_at_current_rate(engine, provision_days)
    result = _assemble(title, au, engine, provision_days, provision, options, tables)
    return replace(result, provision_note=note) if note else result


def _provision_at_current_rate(engine: Decompte, days: int) -> tuple[Decimal, str]:
    """Provision at the rate of the décompte's last line, when the days ahead reach a
    half-year whose rate is not in the tables yet (an estimate, said so)."""
    principal = next((a for a in engine.claims if a.reference == _PRINCIPAL), None)
    if principal is None or not principal.periods or principal.outstanding_principal <= 0:
        return _ZERO, ""
    last = principal.periods[-1]
    raw = principal.outstanding_principal * last.rate * days / (100 * last.basis)
    amount = raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    rate = format_percent(last.rate).replace(" %", "\u00a0%")
    return amount, (
        f"estimée au taux en vigueur à la date du décompte ({rate}), le taux du "
        "semestre suivant n'étant pas encore publié"
    )


def _engine_inputs(
    case: Case, title: Title, au: dt.date, params: Mapping[str, Any]
) -> tuple[list[ClaimInput], DecompteOptions]:
    post = title.post_interest
    start = post.start
    claims: list[ClaimInput] = []
    if title.interest_due > 0:
        claims.append(
            ClaimInput(
                reference=_ECHUS,
                label="Intérêts arrêtés par le titre",
                due_date=start,
                amount=title.interest_due,
                is_invoice=False,
                bears_interest=False,
            )
        )
    if title.principal > 0:
        claims.append(
            ClaimInput(
                reference=_PRINCIPAL,
                label="Principal",
                due_date=start,
                amount=title.principal,
                contractual_rate=post.rate if post.nature == "taux_fixe" else None,
                is_invoice=False,
                bears_interest=post.nature != "aucun",
            )
        )
    for cost in title.costs:
        claims.append(
            ClaimInput(
                reference=cost.key,
                label=cost.label,
                due_date=start,
                amount=cost.amount,
                is_invoice=False,
                bears_interest=False,
            )
        )
    if not claims:
        raise InputError(
            "Le titre n'accorde aucune somme : principal, intérêts et frais sont tous nuls.",
            hint="indiquez les montants du titre (titre.montants)",
        )
    regime: InterestRegime = {
        "interet_legal": "interet_legal",
        "penalites_l441_10": "penalites_l441_10",
        "taux_fixe": "contractuel",
        "aucun": "aucun",
    }[post.nature]  # type: ignore[assignment]
    stops = sorted(
        (event.date, reason.format(date=long_date(event.date)))
        for kind, reason in (
            (
                "jugement_ouverture",
                "jugement d'ouverture du {date} (Code de commerce, art. L622-28)",
            ),
            (
                "surendettement_recevabilite",
                "recevabilité du dossier de surendettement du {date} (Code de la consommation, "
                "art. L722-14)",
            ),
        )
        for event in case.events(kind)
        if event.date > title.date
    )
    options = DecompteOptions(
        regime=regime,
        au=au,
        creditor_is_consumer=case.creancier.is_consumer,
        mise_en_demeure=start if regime == "interet_legal" else None,
        majoration_l313_3_from=title.majoration_from if regime == "interet_legal" else None,
        day_basis=params.get("base_jours", "365"),
        include_indemnity=False,
        allow_unconfirmed=bool(params.get("taux_non_confirmes", False)),
        interest_stops=stops[0][0] if stops else None,
        interest_stops_reason=stops[0][1] if stops else "",
        both_ends=bool(params.get("compter_les_deux_bornes", False)),
        period_unit=params.get("convention_periode", "jours"),
    )
    return claims, options


def _replace_au(options: DecompteOptions, au: dt.date) -> DecompteOptions:
    values = {name: getattr(options, name) for name in options.__dataclass_fields__}
    values["au"] = au
    return DecompteOptions(**values)


def _assemble(
    title: Title,
    au: dt.date,
    engine: Decompte,
    provision_days: int,
    provision: Decimal,
    options: DecompteOptions,
    tables: RateTables,
) -> TitleDecompte:
    accounts = {account.reference: account for account in engine.claims}
    principal = accounts.get(_PRINCIPAL)
    echus = accounts.get(_ECHUS)
    cost_accounts = [accounts[c.key] for c in title.costs]
    periods = tuple(_period(p, title) for p in (principal.periods if principal else ()))
    post_interest = principal.interest_total if principal else _ZERO
    interest_paid = (principal.paid_interest if principal else _ZERO) + (
        echus.paid_principal if echus else _ZERO
    )
    interest_outstanding = (principal.interest_outstanding if principal else _ZERO) + (
        echus.outstanding_principal if echus else _ZERO
    )
    costs_paid = sum((a.paid_principal for a in cost_accounts), _ZERO)
    costs_outstanding = sum((a.outstanding_principal for a in cost_accounts), _ZERO)
    payments = _payments(engine, {c.key for c in title.costs})
    total = (
        (principal.outstanding_principal if principal else _ZERO)
        + interest_outstanding
        + costs_outstanding
    )
    assert total == engine.total_due, (total, engine.total_due)
    warnings = tuple(w for w in engine.warnings if "n'est pas échue" not in w)
    conventions = _conventions(title, engine, options, tables)
    trace = _trace(title, au, periods, payments, principal, provision_days, provision)
    return TitleDecompte(
        au=au,
        title=title,
        engine=engine,
        principal=title.principal,
        principal_paid=principal.paid_principal if principal else _ZERO,
        principal_outstanding=principal.outstanding_principal if principal else _ZERO,
        costs=title.costs,
        costs_paid=costs_paid,
        costs_outstanding=costs_outstanding,
        interest_due_title=title.interest_due,
        interest_periods=periods,
        interest_post_title=post_interest,
        interest_paid=interest_paid,
        interest_outstanding=interest_outstanding,
        payments=payments,
        total_due=total,
        provision_days=provision_days,
        provision=provision,
        conventions=conventions,
        trace=trace,
        warnings=warnings,
        reserves=engine.reserves,
    )


def _period(period: Any, title: Title) -> Mapping[str, object]:
    data = dict(period.as_dict())
    majoration = title.majoration_from
    data["majore"] = majoration is not None and period.start + _ONE_DAY >= majoration
    if title.post_interest.nature == "interet_legal" and data.get("fondement_taux"):
        data["fondement_taux"] = _legal_interest_basis(
            str(data["fondement_taux"]),
            after_title=period.start >= title.date,
            majore=bool(data["majore"]),
        )
    return data


def _legal_interest_basis(text: str, *, after_title: bool, majore: bool) -> str:
    """The basis of one legal-interest line of the title décompte: the engine writes the
    pre-title basis (1231-6, moratory interest); after the title's date the interest is the
    one the decision bears (C. civ. 1231-7), majorated under CMF L313-3."""
    # « taux … du 1er semestre 2026 (2,62 %) majoré de 5 points » is printed inside
    # parentheses: no nested ones.
    head = re.sub(r" \(([^()]*%)\) majoré", r", soit \1, majoré", text.split(" ; ")[0])
    if not after_title:
        return f"{head} ; code civil, art. 1231-6 et 1344-1 ; {_CMF}, art. L313-2"
    articles = "art. L313-2 et L313-3" if majore else "art. L313-2"
    return f"{head} ; code civil, art. 1231-7 ; {_CMF}, {articles}"


_CMF = "code monétaire et financier"


def _payments(engine: Decompte, cost_keys: set[str]) -> tuple[TitlePayment, ...]:
    found: dict[tuple[dt.date, str], dict[str, Decimal]] = {}
    for imputation in engine.imputations:
        key = (imputation.date, imputation.payment_reference)
        row = found.setdefault(key, {"interest": _ZERO, "principal": _ZERO, "costs": _ZERO})
        if imputation.claim_reference == _ECHUS:
            row["interest"] += imputation.principal + imputation.interest
        elif imputation.claim_reference in cost_keys:
            row["costs"] += imputation.principal + imputation.interest
        else:
            row["interest"] += imputation.interest
            row["principal"] += imputation.principal
    result = []
    for (day, reference), row in found.items():
        result.append(
            TitlePayment(
                date=day,
                reference=reference,
                amount=row["interest"] + row["principal"] + row["costs"],
                to_interest=row["interest"],
                to_principal=row["principal"],
                to_costs=row["costs"],
                surplus=_ZERO,
            )
        )
    if engine.surplus and result:
        last = result[-1]
        result[-1] = TitlePayment(
            last.date,
            last.reference,
            last.amount + engine.surplus,
            last.to_interest,
            last.to_principal,
            last.to_costs,
            engine.surplus,
        )
    return tuple(result)


def _conventions(
    title: Title, engine: Decompte, options: DecompteOptions, tables: RateTables
) -> tuple[str, ...]:
    post = title.post_interest
    sentences = [
        f"Sommes dues en vertu du titre exécutoire ({title.nature_label} du "
        f"{long_date(title.date)}) : principal, frais et intérêts tels que le titre les "
        "accorde.",
    ]
    if post.nature == "interet_legal":
        category = "creancier_particulier" if options.creditor_is_consumer else "autres_cas"
        sentences.append(
            f"Intérêts postérieurs au titre, sur le principal seulement : taux de l'intérêt "
            f"légal à compter du {long_date(post.start)} ({post.legal_basis}), taux du "
            f"semestre pour la catégorie « {tables.categories[category]} » "
            f"({tables.legal.reference})."
        )
        sentences.append(title.majoration_basis[0].upper() + title.majoration_basis[1:] + ".")
    elif post.nature == "penalites_l441_10":
        sentences.append(
            "Intérêts postérieurs au titre, sur le principal seulement : pénalités de retard au "
            "taux de la BCE majoré de 10 points jusqu'au paiement, comme le titre les accorde "
            f"(Code de commerce, art. L441-10), à compter du {long_date(post.start)} ; "
            + title.majoration_basis
            + "."
        )
    elif post.nature == "taux_fixe":
        sentences.append(
            f"Intérêts postérieurs au titre, sur le principal seulement : {post.label()}, "
            "comme le titre le fixe."
        )
    else:
        sentences.append("Le titre n'accorde pas d'intérêts postérieurs : aucun n'est calculé.")
    sentences.extend(s for s in engine.conventions if not s.startswith(_PRE_TITLE_SENTENCES))
    sentences.append(
        "Les frais accordés par le titre (article 700, dépens, indemnité, autres sommes) et les "
        "intérêts qu'il arrête à une date ne portent pas intérêts dans ce décompte."
    )
    sentences.append(
        "Paiements postérieurs à la date du titre imputés d'abord sur les intérêts échus "
        "(Code civil, art. 1343-1), puis sur le principal, enfin sur les frais (Code civil, "
        "art. 1342-10 : la dette que le débiteur a le plus d'intérêt à acquitter, celle qui "
        "porte intérêts) ; les paiements antérieurs sont réputés pris en compte par le titre."
    )
    return tuple(sentences)


def _trace(
    title: Title,
    au: dt.date,
    periods: Sequence[Mapping[str, object]],
    payments: Sequence[TitlePayment],
    principal: ClaimDecompte | None,
    provision_days: int,
    provision: Decimal,
) -> tuple[str, ...]:
    lines = [
        f"Titre : {title.nature_label} du {long_date(title.date)}"
        + (f" ({title.number})" if title.number else "")
        + (f", {title.court}" if title.court else "")
        + ".",
        f"Exécutoire : {title.executory_basis}.",
        f"Majoration : {title.majoration_basis}.",
        f"Durée d'exécution : {title.expires_basis}.",
        f"Intérêts postérieurs : {title.post_interest.label()}.",
    ]
    if au > title.expires_on:
        lines.append(
            f"Attention : au {long_date(au)}, le délai d'exécution du titre est expiré "
            f"(depuis le {long_date(title.expires_on + _ONE_DAY)})."
        )
    for period in periods:
        lines.append(
            f"Du {period['debut_exclu']} (exclu) au {period['fin_incluse']} : "
            f"{period['jours']} j sur {_fr(period['assiette'])} à "
            f"{format_percent(Decimal(str(period['taux'])))} / {period['base']} = "
            f"{_fr(period['montant'])}"
            + (" (taux majoré)" if period["majore"] else "")
            + f" — {period['origine_taux']}."
        )
    for payment in payments:
        lines.append(
            f"Paiement du {payment.date.isoformat()} ({_fr(payment.amount)}) : intérêts "
            f"{_fr(payment.to_interest)}, principal {_fr(payment.to_principal)}, frais "
            f"{_fr(payment.to_costs)}"
            + (f", excédent {_fr(payment.surplus)}" if payment.surplus else "")
            + "."
        )
    if principal is not None:
        lines.append(
            f"Principal restant dû au {long_date(au)} : {_fr(principal.outstanding_principal)}."
        )
    if provision_days:
        lines.append(
            f"Provision pour {provision_days} jours d'intérêts à échoir sur le solde : "
            f"{_fr(provision)}."
        )
    return tuple(lines)


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _text(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01'))}"


def _fr(amount: object) -> str:
    """« 3346,61 € » for the trace."""
    return f"{Decimal(str(amount)).quantize(Decimal('0.01'))} €".replace(".", ",")
