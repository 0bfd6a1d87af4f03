"""The page's words for the case format's keys, values, paths and messages.

The case format uses unaccented identifiers (``relance_envoyee``, ``$.creances[1]``); a
person reads « relance envoyée », « Créance n° 2 ». Presentation only: the data and the
rules keep their identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import yaml

from actes.errors import DataIssue

__all__ = ["humanise", "item_label", "place", "said", "words"]

# Unaccented words of identifiers → their French spelling.
_ACCENTS = {
    "a": "à",
    "acceptee": "acceptée",
    "activite": "activité",
    "affecte": "affecté",
    "appelee": "appelée",
    "apposee": "apposée",
    "arretes": "arrêtés",
    "bareme": "barème",
    "bce": "BCE",
    "bodacc": "BODACC",
    "categorie": "catégorie",
    "certifiee": "certifiée",
    "cheque": "chèque",
    "chomage": "chômage",
    "cle": "clé",
    "competence": "compétence",
    "cpc": "CPC",
    "creance": "créance",
    "creances": "créances",
    "creancier": "créancier",
    "credit": "crédit",
    "debiteur": "débiteur",
    "decheance": "déchéance",
    "decision": "décision",
    "declaration": "déclaration",
    "delai": "délai",
    "delivree": "délivrée",
    "demandee": "demandée",
    "denoncee": "dénoncée",
    "depens": "dépens",
    "deposee": "déposée",
    "depot": "dépôt",
    "duree": "durée",
    "echeance": "échéance",
    "echeances": "échéances",
    "echeancier": "échéancier",
    "echus": "échus",
    "ecrit": "écrit",
    "emise": "émise",
    "energie": "énergie",
    "envoyee": "envoyée",
    "etat": "état",
    "europeenne": "européenne",
    "execution": "exécution",
    "executoire": "exécutoire",
    "formee": "formée",
    "grace": "grâce",
    "impaye": "impayé",
    "impayes": "impayés",
    "impots": "impôts",
    "indemnite": "indemnité",
    "indemnites": "indemnités",
    "interet": "intérêt",
    "interets": "intérêts",
    "ipe": "IPE",
    "journalieres": "journalières",
    "legal": "légal",
    "mensualite": "mensualité",
    "notarie": "notarié",
    "notifie": "notifié",
    "notifiee": "notifiée",
    "notifiees": "notifiées",
    "numero": "numéro",
    "penale": "pénale",
    "penalites": "pénalités",
    "periode": "période",
    "pratiquee": "pratiquée",
    "preavis": "préavis",
    "precision": "précision",
    "premiere": "première",
    "pret": "prêt",
    "preventive": "préventive",
    "procedure": "procédure",
    "pv": "PV",
    "reamenagement": "réaménagement",
    "reception": "réception",
    "recevabilite": "recevabilité",
    "recue": "reçue",
    "reglement": "règlement",
    "regularise": "régularisé",
    "releve": "relevé",
    "remunerations": "rémunérations",
    "requete": "requête",
    "residence": "résidence",
    "retablissement": "rétablissement",
    "rsa": "RSA",
    "sante": "santé",
    "scolarite": "scolarité",
    "signe": "signé",
    "signifie": "signifié",
    "signifiee": "signifiée",
    "sms": "SMS",
    "societe": "société",
    "special": "spécial",
    "taeg": "TAEG",
    "telephone": "téléphone",
    "tire": "tiré",
    "transmis": "transmis",
    "versee": "versée",
}

# Whole values that read otherwise than word by word: digits with punctuation, « de », « d' ».
_VALUES = {
    "penalites_l441_10": "pénalités L441-10",
    "r622_24": "R622-24",
    "cpc_643_644": "CPC art. 643-644",
    "conditions_paiement": "conditions de paiement",
    "reglement_1182_71": "règlement (CEE) 1182/71",
    "cfonb120": "CFONB 120",
    "mt940": "MT940",
    "majoration_l313_3": "majoration L313-3",
    "clause_decheance": "clause de déchéance",
    "clause_decheance_texte": "texte de la clause de déchéance",
    "convention_periode": "convention de période",
    "date_acceptation": "date d'acceptation",
    "date_reception": "date de réception",
    "delai_jours": "délai (jours)",
    "duree_mois": "durée (mois)",
    "preavis_decheance_jours": "préavis de déchéance (jours)",
    "renvoi_1408": "renvoi (CPC art. 1408)",
    "saisissable_bareme": "saisissable (barème)",
    "acte_signification": "acte de signification",
    "autorisation_saisie_conservatoire": "autorisation de saisie conservatoire",
    "certificat_non_opposition": "certificat de non-opposition",
    "commandement_saisie_remunerations": "commandement de saisie des rémunérations",
    "commission_surendettement": "commission de surendettement",
    "contestation_saisie": "contestation de la saisie",
    "copie_certifiee_requete": "copie certifiée de la requête",
    "declaration_creance_envoyee": "déclaration de créance envoyée",
    "decheance_du_terme": "déchéance du terme",
    "delegation_de_pouvoir": "délégation de pouvoir",
    "dossier_transmis_commissaire": "dossier transmis au commissaire de justice",
    "echeance_pret": "échéance de prêt",
    "executoire_le": "exécutoire le",
    "interets_posterieurs": "intérêts postérieurs",
    "ipe_demande_deposee": "demande d'injonction de payer européenne déposée",
    "ipe_injonction_delivree": "injonction de payer européenne délivrée",
    "ipe_injonction_signifiee": "injonction de payer européenne signifiée",
    "ipe_opposition_formee": "opposition à l'injonction de payer européenne",
    "juge_execution": "juge de l'exécution",
    "jugement_ouverture": "jugement d'ouverture",
    "location_avec_option_achat": "location avec option d'achat",
    "petites_creances_accord": "accord (petites créances)",
    "petites_creances_invitation_envoyee": "invitation à la procédure de petites créances envoyée",
    "petites_creances_participation_acceptee": "participation aux petites créances acceptée",
    "petites_creances_refus": "refus de la procédure de petites créances",
    "plan_apurement_signe": "plan d'apurement signé",
    "premiere_mesure_execution": "première mesure d'exécution",
    "pv_accord_saisie_remunerations": "PV d'accord (saisie des rémunérations)",
    "pv_saisie_remunerations": "PV de saisie des rémunérations",
    "requete_saisie_remunerations_deposee": "requête en saisie des rémunérations déposée",
    "saisie_attribution_denoncee": "saisie-attribution dénoncée",
    "saisie_attribution_pratiquee": "saisie-attribution pratiquée",
    "societe_recouvrement": "société de recouvrement",
    "surendettement_depot": "dépôt du dossier de surendettement",
    "surendettement_etat_passif": "état du passif (surendettement)",
    "surendettement_mesures_notifiees": "mesures de surendettement notifiées",
    "surendettement_plan_notifie": "plan de surendettement notifié",
    "surendettement_recevabilite": "recevabilité du dossier de surendettement",
    "surendettement_retablissement_notifie": "rétablissement personnel notifié",
    "titre_petites_creances": "titre (petites créances)",
}

# Singular of the repeatable groups, for « Créance n° 2 ».
_ITEMS = {
    "creances": "Créance",
    "paiements": "Paiement",
    "evenements": "Événement",
    "pieces": "Pièce",
    "avoirs": "Avoir",
    "echeances": "Échéance",
    "tiers": "Tiers",
    "autres_dettes": "Autre dette",
}


def words(identifier: str) -> str:
    """``relance_envoyee`` → « relance envoyée », ``penalites_l441_10`` → « pénalités
    L441-10 »."""
    if identifier in _VALUES:
        return _VALUES[identifier]
    return " ".join(_ACCENTS.get(w, w) for w in identifier.replace("_", " ").split())


def item_label(key: str, label: str) -> str:
    """The name of one row of the group ``key`` (« Créance » for ``creances``)."""
    if key in _ITEMS:
        return _ITEMS[key]
    return label[:-1] if label.endswith("s") and len(label) > 3 else label


# Top-level blocks the form names by their schema title.
_TOP_LABELS = {"titre": "Titre exécutoire"}

_PATH = re.compile(r"\$((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+)")
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def place(json_path: str, label: Callable[[str], str]) -> str:
    """``$.creances[1].montant`` → « Créance n° 2 › Montant » (``label`` names a key)."""
    parts: list[str] = []
    last = ""
    for match in _STEP.finditer(json_path):
        key, index = match.groups()
        if index is not None and parts:
            parts[-1] = f"{item_label(last, parts[-1])} n° {int(index) + 1}"
        elif key is not None:
            last = key
            parts.append(label(key) if parts else _TOP_LABELS.get(key) or label(key))
    return " › ".join(parts) if parts else "Dossier"


def said(text: str, label: Callable[[str], str], names: Mapping[str, str]) -> str:
    """A message in the form's words: the case file's syntax as the form's fields, JSON and
    dotted paths as places, « key » as its label, procedure ids and template files as titles
    (``names``), dates as JJ/MM/AAAA, no path inside the package, no command-line option."""
    for snippet, replacement in _SYNTAX:
        text = text.replace(snippet, replacement)
    text = _YAML.sub(lambda m: _yaml_example(m.group(1), label), text)
    text = _TEMPLATE_NEED.sub(lambda m: f"le document « {_title(m.group(1), names)} »", text)
    if names:
        text = _names_pattern(tuple(names)).sub(lambda m: names[m.group(0)], text)
    text = _PATH.sub(lambda m: f"« {place(m.group(0), label)} »", text)
    text = _BLOCK.sub(lambda m: f"partie « {place('$.' + m.group(1), label)} »", text)
    text = _VALUE_ID.sub(lambda m: f"{m.group(1)}« {words(m.group(2))} »", text)
    text = _DOTTED.sub(lambda m: _dotted(m, label), text)
    text = _QUOTED_ID.sub(lambda m: _quoted(m.group(1), label), text)
    text = _PAREN_ID.sub(lambda m: f"(« {label(m.group(1))} »)", text)
    for old, new in _REWRITES:
        text = re.sub(old, new, text)
    text = _ISO_DATE.sub(r"\3/\2/\1", text)
    text = _ABSOLUTE.sub(r"\1", text)  # a case's own file: its name is enough
    return _BARE_ID.sub(lambda m: words(m.group(0)), text)


def _yaml_example(snippet: str, label: Callable[[str], str]) -> str:
    """« juridiction: {competence: {code: "12"}} » → « Juridiction › Compétence › Code » : 12."""
    try:
        value = yaml.safe_load(snippet)
    except yaml.YAMLError:
        return "« … »"
    said: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, sub in node.items():
                walk(sub, f"{path}.{key}")
        elif isinstance(node, list):
            for index, sub in enumerate(node):
                walk(sub, f"{path}[{index}]")
        elif node is None or str(node) in ("...", "…"):
            said.append(f"« {place(path, label)} »")
        else:
            said.append(f"« {place(path, label)} » : {node}")

    walk(value, "$")
    return " ; ".join(said)


def _title(template: str, names: Mapping[str, str]) -> str:
    return names.get(template) or words(template.removesuffix(".docx"))


@cache
def _names_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first: a template file (« declaration_de_creance.docx ») before its procedure id.
    ordered = sorted(keys, key=len, reverse=True)
    return re.compile(r"(?<![\w/.-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])")


def _dotted(match: re.Match[str], label: Callable[[str], str]) -> str:
    path = match.group(2)
    if path.rsplit(".", 1)[-1] in _EXTENSIONS:
        return match.group(0)
    return f"« {place('$.' + path, label)} »"


def _quoted(identifier: str, label: Callable[[str], str]) -> str:
    if identifier in _VALUES:
        return f"« {words(identifier)} »"  # a value (an event type...), not a field
    if "_" in identifier or identifier in _KNOWN:
        return f"« {label(identifier)} »"
    return f"« {identifier} »"


# Keys without an underscore that still read as identifiers in messages.
_KNOWN = frozenset(
    {
        "reference",
        "montant",
        "fondement",
        "pieces",
        "juridiction",
        "representant",
        "adresse",
        "organe",
        "note",
        "menace",
        "caution",
        "titre",
        "code",
        "precision",
    }
)

# The case's top-level keys: a dotted path starting with one of them is a place in the form.
_TOP = (
    "creancier|debiteur|mandataire|juridiction|creances|paiements|evenements|pieces|titre|"
    "parametres|situation|plan|execution|caution|credit"
)
_EXTENSIONS = frozenset({"yaml", "yml", "json", "toml", "md", "py", "pdf", "docx"})
_DOTTED = re.compile(
    rf"(«\s)?(?<![\w./$-])((?:{_TOP})(?:\.[a-z][a-z0-9_]*)+)(?![\w/-]|\.\w)(?(1)\s»|)"
)
_YAML = re.compile(r"« ([a-z_]+:\s*[\[{].*?[\]}]) »")
_QUOTED_ID = re.compile(r"« ([a-z][a-z0-9_]*) »")
# An event type or a pièce's role is a value: in words, not a field's label.
_VALUE_ID = re.compile(r"((?:événements?|rôle)\s)« ([a-z][a-z0-9_]*) »")
_BLOCK = re.compile(rf"(?:le )?bloc « ({_TOP}) »")
_ABSOLUTE = re.compile(r"(?<![\w.~])/(?:[^\s/«»()]+/)+([^\s/«»()]+)")
_PAREN_ID = re.compile(r"\(([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\)")
_BARE_ID = re.compile(r"(?<![\w./$-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/-]|\.\w)")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_TEMPLATE_NEED = re.compile(r"le modèle ([\w-]+\.docx) \([\w.]+\)")

_COMMISSAIRE = "ajoutez le commissaire de justice (rôle, nom, adresse) au mandataire"
# What the render checks ask for, written in the case file's syntax (YAML flow mappings), as
# the form's fields: exact snippets of actes.documents.render, actes.documents.contexts and
# actes.law.title, so that a change there shows in tests/test_web_wording.py.
_SYNTAX = (
    (
        "indiquez le commissaire de justice : « mandataire: {role: commissaire_de_justice, "
        "partie: ...} » ou « organe » (role commissaire_de_justice) d'un événement",
        f"{_COMMISSAIRE}, ou comme organe de l'événement qui le désigne",
    ),
    (
        "ajoutez « mandataire: {role: commissaire_de_justice, partie: ...} » ou l'« organe » "
        "(role commissaire_de_justice) d'un événement",
        f"{_COMMISSAIRE}, ou comme organe de l'événement qui le désigne",
    ),
    (
        "indiquez le commissaire de justice : « organe » (role commissaire_de_justice) de "
        "l'événement ordonnance_signifiee, ou « mandataire »",
        "indiquez le commissaire de justice comme organe de l'événement « ordonnance "
        f"signifiée », ou {_COMMISSAIRE}",
    ),
    (
        "indiquez le commissaire chargé de l'exécution : « mandataire: {role: "
        "commissaire_de_justice, partie: ...} »",
        "ajoutez le commissaire de justice chargé de l'exécution (rôle, nom, adresse) au "
        "mandataire",
    ),
    (
        "ajoutez « mandataire: {signataire: {nom: ..., qualite: ...}} » au dossier, ou le "
        "représentant de la société (mandataire.partie.representant)",
        "indiquez son signataire dans « Mandataire › Signataire » (nom, qualité), ou le "
        "représentant de la société dans « Mandataire › Partie › Représentant »",
    ),
    (
        "ajoutez « plan: {echeances: [{date: ..., montant: ...}], ...} » au dossier",
        "remplissez le plan d'apurement et ses échéances (date, montant)",
    ),
    (
        'listez-les dans « plan.echeances: [{date: AAAA-MM-JJ, montant: "100.00"}, ...] »',
        "listez-les dans « Plan d'apurement › Échéances » (date, montant)",
    ),
    (
        "« execution: {juge_execution: {nom: Tribunal judiciaire de ..., adresse: ...}} »",
        "« Exécution › Juge de l'exécution » (nom : « Tribunal judiciaire de … », adresse)",
    ),
    ("« execution: {menace: ...} »", "« Exécution › Menace »"),
    (
        "ajoutez « execution: {autorisation: {date: AAAA-MM-JJ, reference: ..., montant: "
        '"12345.67", biens: ...}} »',
        "renseignez « Exécution › Autorisation » (date, référence, montant, biens)",
    ),
    (
        'ajoutez « execution: {instrument: {numero: ..., date: AAAA-MM-JJ, montant: "1234.56", '
        "tire: <banque tirée>, rejet: AAAA-MM-JJ}} »",
        "renseignez « Exécution › Instrument » (numéro, date, montant, banque tirée, date du "
        "rejet)",
    ),
    (
        "ajoutez la pièce avec « role: instrument_impaye »",
        "ajoutez la pièce depuis la page du dossier, puis choisissez son rôle « instrument "
        "impayé » dans le formulaire",
    ),
    (
        "dans « juridiction.competence: {code: ..., precision: ...} » (codes : voir "
        "docs/case-format.md)",
        "dans « Juridiction › Compétence » (code du formulaire A et précision)",
    ),
    (
        "« caution: {existe: false} » ou « caution: {existe: true, appelee: false, nom: ...} »",
        "remplissez « Caution » (existe ; si oui, appelée et nom)",
    ),
    (
        "ajoutez le bloc « titre: {nature: ordonnance_injonction_de_payer, date: ..., numero: "
        "..., montants: {principal: ...}} »",
        "remplissez « Titre exécutoire » (nature, date, numéro, montants accordés)",
    ),
    (
        "ajoutez le bloc « titre: {nature: ..., date: ..., montants: {principal: ...}} »",
        "remplissez « Titre exécutoire » (nature, date, montants accordés)",
    ),
    ("ajoutez le bloc « titre »", "remplissez « Titre exécutoire »"),
    (
        "ajoutez la pièce au dossier avec son rôle (« pieces: [{titre: ..., date: ..., "
        "fichier: pieces/....pdf, role: copie_executoire}] »)",
        "ajoutez la pièce depuis la page du dossier (envoi d'un PDF), puis choisissez son rôle "
        "« copie exécutoire » dans le formulaire",
    ),
    (
        "ajoutez « juridiction: {nom: ..., departement: ...} » au dossier",
        "renseignez « Juridiction » (nom, département)",
    ),
    (
        "indiquez date_echeance (AAAA-MM-JJ) ou conditions_paiement",
        "indiquez « Date d'échéance » (JJ/MM/AAAA) ou « Conditions de paiement »",
    ),
    (
        "lancez « python tools/build_templates.py » ou corrigez « template » dans la "
        "définition de la procédure",
        "le modèle de document manque à l'installation d'actes : signalez-le à la personne "
        "qui l'a installé",
    ),
    (
        "vérifiez les balises {{ }} et {% %} du modèle (voir docs/templates.md)",
        "le modèle de document contient une erreur : signalez-le à la personne qui l'a rédigé",
    ),
)

_REWRITES = (
    (r"\s*\(il remplace la valeur de [^)]*\)", ""),
    (r"\s*\((?:voir |dans )?/[^()\s]*\)", ""),
    (r",? sans modifier /\S+\.ya?ml", ""),
    (r"\s*\((?:voir )?(?:le commentaire en tête de )?(?:parameters|procedures)/[^()]*\)", ""),
    (r"(?:voir le commentaire en tête de )?(?:parameters|procedures)/[\w./-]+", "actes"),
    (r"\(actes next\)\s*", ""),
    (r"\s*\(--date\)", ""),
    (
        r"parametres\.taux_non_confirmes(?:: true)?",
        "« accepter un taux provisoire pour ce dossier »",
    ),
    (r"\s*\((?:voir )?docs/[a-z-]+\.md\)", ""),
    (
        r"écrivez la date au format AAAA-MM-JJ \(exemple : 2026-03-15\)",
        "écrivez la date JJ/MM/AAAA (exemple : 15/03/2026)",
    ),
    (r"ajoutez « ([^»]+) »", r"renseignez « \1 »"),
    (
        r"montant avec un point décimal et au plus deux décimales "
        r"\(exemple : ([0-9]+)\.([0-9]+)\)",
        r"montant en euros, au plus deux décimales (exemple : \1,\2)",
    ),
    (r"compte 9 chiffres, sans espace", "compte 9 chiffres"),
    (r"compte 14 chiffres, sans espace", "compte 14 chiffres"),
    (
        r"code pays ISO à deux lettres majuscules \(FR, DE, BE\.\.\.\)",
        "nom du pays (France, Allemagne...) ou code ISO à deux lettres (FR, DE...)",
    ),
    (r"\(AAAA-MM-JJ\)", "(JJ/MM/AAAA)"),
    (r"\bAAAA-MM-JJ\b", "JJ/MM/AAAA"),
)


def humanise(issue: DataIssue, label: Callable[[str], str], names: Mapping[str, str]) -> DataIssue:
    """``issue`` at the same path, its message and hint in the form's words."""
    return DataIssue(
        issue.json_path,
        said(issue.message, label, names),
        said(issue.hint, label, names),
        file=issue.file,
        line=issue.line,
        column=issue.column,
        rule=issue.rule,
    )
