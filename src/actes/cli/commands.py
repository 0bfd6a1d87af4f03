"""The table of the commands of the ``actes`` group, imported only when one runs.

To add a command: write it in its own module under ``actes.cli`` and add one line below,
``"name": LazyCommand("actes.cli.module:attribute", "first paragraph of its help")``. Do not
import command modules here or in ``actes.cli``: that would load their libraries on every
start (``tests/test_cli_lazy.py`` checks that the help in the table is the command's own, that
every command loads, and that ``actes --help`` imports none of docxtpl, jsonschema, flask,
pypdf).
"""

from __future__ import annotations

from actes.cli._lazy import LazyCommand

__all__ = ["COMMANDS"]

COMMANDS: dict[str, LazyCommand] = {
    "validate": LazyCommand(
        "actes.cli.validate:validate",
        "Vérifie un dossier : schéma, SIREN/SIRET, IBAN, dates, montants, pièces.",
    ),
    "procedures": LazyCommand(
        "actes.cli.procedures:procedures", "Les procédures connues et leurs versions datées."
    ),
    "schema": LazyCommand(
        "actes.cli.procedures:schema",
        "Affiche le schéma JSON effectif d'un dossier (pour une procédure, ou le schéma de base).",
    ),
    "deadlines": LazyCommand(
        "actes.cli.deadlines:deadlines",
        "Délais du dossier : libellé, date limite, jours restants, fondement, statut.",
    ),
    "decompte": LazyCommand(
        "actes.cli.decompte:decompte",
        "Décompte : principal, paiements imputés, intérêts par période (taux, jours), indemnités.",
    ),
    "delai": LazyCommand(
        "actes.cli.delai:delai",
        "Calcule la date limite d'un délai courant à compter de FROM (AAAA-MM-JJ).",
    ),
    "render": LazyCommand(
        "actes.cli.render:render",
        "Produit les documents de PROCEDURE pour le dossier CASE (fichier ou dossier).",
    ),
    "templates": LazyCommand("actes.cli.render:templates", "Modèles DOCX des procédures."),
    "next": LazyCommand(
        "actes.cli.next:next_command",
        "Prochaine étape du dossier : procédures possibles, écartées, conseils, juridiction.",
    ),
    "serve": LazyCommand(
        "actes.cli.serve:serve",
        "Ouvre une page web locale : dossiers, délais, décomptes, formulaire, documents.",
    ),
    "batch": LazyCommand(
        "actes.cli.batch:batch",
        "Produit les documents de PROCEDURE pour chaque dossier de PORTFOLIO.",
    ),
    "budget": LazyCommand(
        "actes.cli.budget:budget",
        "Capacité mensuelle de remboursement du débiteur (dossier au format 2).",
    ),
    "plan": LazyCommand(
        "actes.cli.plan:plan",
        "Plans d'apurement amiables : proposition, suivi des échéances, courriers.",
    ),
    "packet": LazyCommand(
        "actes.cli.packet:packet",
        "Dossier à déposer : actes, bordereau, pièces, PDF complet et manifeste (ZIP).",
    ),
    "taux": LazyCommand(
        "actes.cli.taux:taux",
        "Tables des taux (intérêt légal, BCE) et enregistrement des taux officiels.",
    ),
    "liste": LazyCommand(
        "actes.cli.liste:liste",
        "Liste les dossiers de DIR (par défaut, le dossier courant) : débiteur, prochaine "
        "étape, prochain délai, montant dû.",
    ),
    "init": LazyCommand(
        "actes.cli.taux:init",
        "Fait d'un dossier l'espace de travail du cabinet (actes.toml, parameters/taux/).",
    ),
    "history": LazyCommand(
        "actes.cli.history:history",
        "Historique du dossier TARGET : qui, quand, quoi (modifications, documents produits "
        "avec leur empreinte SHA-256, événements, pièces), du plus ancien au plus récent.",
    ),
    "evenement": LazyCommand(
        "actes.cli.history:evenement",
        "Événements du dossier (envoi d'une mise en demeure, dépôt d'une requête...).",
    ),
    "promesse": LazyCommand(
        "actes.cli.promesse:promesse",
        "Promesses de paiement du débiteur : enregistrement et suivi (tenues, rompues).",
    ),
    "echeance": LazyCommand(
        "actes.cli.echeance:echeance",
        "Calcule l'échéance d'une facture datée DATE (AAAA-MM-JJ) selon ses CONDITIONS de "
        "paiement.",
    ),
    "rapport": LazyCommand(
        "actes.cli.rapport:rapport",
        "Rapport du portefeuille de SOURCE (l'espace de travail, un dossier de dossiers ou un "
        "portefeuille CSV ; défaut : l'espace de travail du dossier courant, sinon le dossier "
        "courant) à une date : balance âgée (par débiteur, créancier, gestionnaire, dossier), "
        "évolution de l'encours, encaissements et taux de recouvrement, DSO, dossiers par étape "
        "et par prochaine étape, délais des 7 et 30 prochains jours.",
    ),
    "score": LazyCommand(
        "actes.cli.score:score_command",
        "Score interne du débiteur du dossier CASE : chaque facteur, sa valeur, ses points.",
    ),
    "travail": LazyCommand(
        "actes.cli.travail:travail",
        "Liste de travail du chargé de recouvrement pour les dossiers de DIR (défaut : "
        "l'espace de travail, sinon le dossier courant) : promesses de paiement rompues, "
        "échéances de plan impayées, relances préventives à envoyer, délais des 7 prochains "
        "jours, chacune avec l'action proposée ; les débiteurs au score le plus élevé d'abord "
        "(score expliqué par actes score).",
    ),
    "import": LazyCommand(
        "actes.cli.imports:import_group",
        "Importe des factures électroniques (Factur-X, UBL, CII) et des relevés bancaires "
        "(camt.053/054, CFONB 120, MT940) dans les dossiers.",
    ),
}
