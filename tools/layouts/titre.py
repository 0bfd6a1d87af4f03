"""Letters built on the executory title: to the commissaire de justice (signification,
execution) and the request to the greffe for the formule exécutoire (former CPC 1423).

They print the title's own amounts and the title décompte at the document's date (context key
``titre``, :mod:`actes.documents.contexts.title`), never the pre-title running figure.
"""

from __future__ import annotations

from layouts.base import ADDRESS_INDENT, Builder, formal_closing
from layouts.requetes import reserve_texte

_TITLE = (
    "{{ titre.nature_libelle }} rendu{% if titre.nature == 'ordonnance_injonction_de_payer' "
    "or titre.nature == 'injonction_de_payer_europeenne' %}e{% endif %} le {{ titre.date }}"
    "{% if titre.juridiction %} par le {{ titre.juridiction }}{% endif %}"
    "{% if titre.numero %} ({{ titre.numero }}){% endif %}"
)


def title_amounts(b: Builder) -> None:
    """What the title allows, head by head."""
    b.heading("Sommes accordées par le titre")
    b.table(
        ["Poste", "Montant"],
        ["{{ m.libelle }}", "{{ m.montant }}"],
        "m in titre.montants",
        totals=[["Total accordé", "{{ titre.total_accorde }}"]],
        widths=[12.0, 5.0],
        numeric=[1],
    )
    b.text("Intérêts postérieurs : {{ titre.interets_posterieurs }}.")


def title_decompte(b: Builder, *, provision: bool = True) -> None:
    """The décompte distinct of principal, costs and interest échus, with rates and periods;
    ``provision``: the R211-1 month of interest, for the letters asking for a seizure (not
    for the service of the title with a sommation, CPC 1413)."""
    b.heading("Décompte au {{ titre.decompte.date }}")
    b.text(
        "Décompte distinct du principal, des frais et des intérêts échus, avec le taux et la "
        "période de chaque ligne, après imputation des paiements reçus depuis le titre."
    )
    b.p(("b", "Intérêts échus en vertu du titre"), space_after=2, keep_next=True)
    b.tag("if titre.decompte.periodes")
    b.table(
        ["Du", "Au", "Jours", "Assiette", "Taux", "Intérêts"],
        [
            "{{ l.du }}",
            "{{ l.au }}",
            "{{ l.jours }}",
            "{{ l.assiette }}",
            "{{ l.taux }}{% if l.majore %} (majoré){% endif %}",
            "{{ l.montant }}",
        ],
        "l in titre.decompte.periodes",
        totals=[
            [
                "Total des intérêts échus",
                "",
                "",
                "",
                "",
                "{{ titre.decompte.interets_posterieurs }}",
            ]
        ],
        widths=[3.2, 3.2, 1.4, 3.0, 2.8, 3.2],
        numeric=[2, 3, 5],
    )
    b.tag("else")
    b.text("Aucun intérêt n'a encore couru en vertu du titre.")
    b.tag("endif")
    b.tag("if titre.decompte.paiements")
    b.p(("b", "Paiements reçus depuis le titre et leur imputation"), space_after=2, keep_next=True)
    b.table(
        ["Date", "Montant", "Sur les intérêts", "Sur le principal", "Sur les frais"],
        [
            "{{ r.date }}",
            "{{ r.montant }}",
            "{{ r.interets }}",
            "{{ r.principal }}",
            "{{ r.frais }}",
        ],
        "r in titre.decompte.paiements",
        widths=[4.0, 3.2, 3.2, 3.2, 3.2],
        numeric=[1, 2, 3, 4],
    )
    b.tag("endif")
    b.p(("b", "Sommes restant dues"), space_after=2, keep_next=True)
    b.table(
        ["Poste", "Montant"],
        ["{{ f.libelle }}", "{{ f.montant }}"],
        "f in titre.decompte.restant",
        totals=[["Total dû au {{ titre.decompte.date }}", "{{ titre.decompte.total_du }}"]],
        widths=[12.0, 5.0],
        numeric=[1],
    )
    if provision:
        b.text(
            "Provision d'un mois d'intérêts à échoir sur le solde "
            "({{ titre.decompte.provision_jours }} jours, CPCE, art. R211-1) : "
            "{{ titre.decompte.provision }}"
            "{% if titre.decompte.provision_note %} (provision "
            "{{ titre.decompte.provision_note }}){% endif %}."
        )
    b.tag("for r in titre.reserves")
    b.p(("i", "{{ r }}"), size=9)
    b.tag("endfor")
    b.p(("b", "Conventions de calcul"), space_after=2, size=9, keep_next=True)
    b.tag("for c in titre.conventions")
    b.p("– {{ c }}", size=8.5, space_after=1, align="justify")
    b.tag("endfor")


def title_pieces(b: Builder) -> None:
    b.table(
        ["N°", "Pièce", "Rôle", "Date"],
        ["{{ p.numero }}", "{{ p.titre }}", "{{ p.role_libelle }}", "{{ p.date }}"],
        "p in titre.pieces",
        widths=[1.2, 7.8, 4.5, 3.5],
    )


def lettre_commissaire_titre(b: Builder, *, mode: str) -> None:
    """``mode``: ``signification``, ``seconde_signification`` (former CPC 1423) or
    ``execution``."""
    b.data_typography = True
    b.head(name="commissaire.nom", lines="commissaire.adresse", sender="creancier")
    b.dateline(envoi=None)
    subject = {
        "signification": "Signification d'un titre exécutoire",
        "seconde_signification": "Signification de l'ordonnance revêtue de la formule "
        "exécutoire et exécution",
        "execution": "Exécution d'un titre exécutoire",
    }[mode]
    b.subject([subject, " – {{ creancier.nom }} c/ {{ debiteur.nom }}"])
    b.text("Maître,")
    b.text(
        "{% if titre.nature == 'ordonnance_injonction_de_payer' and juridiction %}Le "
        "{{ titre.date }}, le {{ juridiction.juge }} a rendu une ordonnance d'injonction de "
        "payer{% if titre.numero %} ({{ titre.numero }}){% endif %}{% else %}Titre "
        "exécutoire : " + _TITLE + "{% endif %}, contre ",
        ("b", "{{ debiteur.nom }}"),
        ", {{ debiteur.adresse_ligne }}{% if debiteur.syndic %}, représenté par son syndic en "
        "exercice, {{ debiteur.syndic }}{% endif %}. Nous vous en adressons la copie "
        "exécutoire.",
    )
    if mode == "signification":
        b.text(
            "Nous vous demandons, en votre qualité de commissaire de justice, de bien vouloir "
            "procéder à sa signification au débiteur, avec sommation de payer les sommes "
            "fixées par le titre, intérêts et frais, dont le montant est indiqué ci-dessous. "
            "{% if mentions.signification is defined %}{{ mentions.signification }}{% endif %}"
        )
        b.tag("if delai.signification_ordonnance is defined")
        b.text(
            "La signification doit intervenir au plus tard le ",
            ("b", "{{ delai.signification_ordonnance.date_limite }}"),
            " ({{ delai.signification_ordonnance.fondement }}).",
        )
        b.tag("endif")
        reserve_texte(b)
        b.tag("if mentions.mes_pieces is defined")
        b.text("{{ mentions.mes_pieces }}")
        b.tag("endif")
    else:
        b.text(
            "{% if titre.executoire_phrase %}{{ titre.executoire_phrase }}{% else %}"
            "{% if titre.signification %}Le titre a été signifié le {{ titre.signification }}"
            "{% if titre.signification_a_personne %} à la personne du débiteur{% endif %}. "
            "{% endif %}{% if titre.formule_executoire %}La formule exécutoire a été apposée le "
            "{{ titre.formule_executoire }}. {% endif %}"
            "{% if titre.executoire_le %}Il est exécutoire depuis le {{ titre.executoire_le }} "
            "({{ titre.executoire_fondement }}).{% else %}{{ titre.executoire_fondement }}."
            "{% endif %}{% endif %}"
        )
        if mode == "seconde_signification":
            b.text(
                "Nous vous demandons, en votre qualité de commissaire de justice, de bien "
                "vouloir signifier au débiteur l'ordonnance revêtue de la formule exécutoire "
                "({% if titre.article_1423_abroge %}ancien {% endif %}article 1423 du code de "
                "procédure civile), puis de procéder à son "
                "exécution forcée par toutes voies de droit et de nous tenir informés des "
                "mesures engagées."
            )
        else:
            # The version's own executory sentence only when the title's is not printed
            # above: never the same fact twice.
            b.tag("if mentions.execution is defined and not titre.executoire_phrase")
            b.text("{{ mentions.execution }}")
            b.tag("endif")
            reserve_texte(b)
            b.text(
                "Nous vous demandons, en votre qualité de commissaire de justice, de bien "
                "vouloir procéder à son exécution forcée par toutes voies de droit et de nous "
                "tenir informés des mesures engagées."
            )
        b.text(
            "{% if titre.majoration_a_compter_du %}Le taux de l'intérêt légal "
            "{% if titre.majoration_a_venir %}sera majoré de cinq points à compter du"
            "{% else %}est majoré de cinq points depuis le{% endif %} "
            "{{ titre.majoration_a_compter_du }} (code monétaire et financier, art. L313-3). "
            "{% endif %}Le titre peut être exécuté jusqu'au "
            "{{ titre.execution_jusqu_au }} (CPCE, art. L111-4)."
        )
    title_amounts(b)
    title_decompte(b, provision=mode != "signification")
    b.text(
        "Total dû au {{ titre.decompte.date }} : ",
        ("b", "{{ titre.decompte.total_du }}"),
        " ({{ titre.decompte.total_du_lettres }}).",
    )
    b.text("Vous trouverez ci-joint les pièces suivantes :")
    title_pieces(b)
    b.signature(closing=formal_closing("Maître"), who="creancier")


def demande_formule_executoire(b: Builder) -> None:
    """Request to the greffe to affix the formule exécutoire (former CPC 1423)."""
    b.data_typography = True
    b.letterhead()
    b.p(("b", "{{ creancier.nom }}"), space_after=0)
    b.lines("creancier.adresse")
    b.p("", space_after=6)
    b.p("Greffe du {{ juridiction.nom }}", indent=ADDRESS_INDENT, space_after=0)
    b.lines("juridiction.adresse", indent=ADDRESS_INDENT)
    b.p("", space_after=6)
    b.p("{{ lieu }}, le {{ aujourd_hui }}", indent=ADDRESS_INDENT)
    b.subject(
        [
            "Demande d'apposition de la formule exécutoire – {{ creancier.nom }} c/ "
            "{{ debiteur.nom }}"
        ]
    )
    b.text("Madame, Monsieur le greffier,")
    b.text(
        "Le {{ titre.date }}, {% if juridiction %}le {{ juridiction.juge }}{% else %}le juge"
        "{% endif %} a rendu une ordonnance d'injonction de payer{% if titre.numero %} "
        "({{ titre.numero }}){% endif %} contre ",
        ("b", "{{ debiteur.nom }}"),
        ", {{ debiteur.adresse_ligne }}. Elle a été signifiée le {{ titre.signification }}"
        "{% if titre.signification_a_personne %} à la personne du débiteur{% endif %}.",
    )
    b.text(
        "Le délai d'opposition est expiré sans qu'une opposition ait été formée. Conformément "
        "à l'article 1423 du code de procédure civile{% if titre.article_1423_abroge %}, dans "
        "sa rédaction antérieure au décret n° 2021-1322 du 11 octobre 2021{% endif %}, nous "
        "vous demandons d'apposer la formule exécutoire sur cette ordonnance."
    )
    b.tag("if delai.formule_executoire is defined")
    b.text(
        "Cette demande est faite dans le mois qui suit l'expiration du délai d'opposition"
        "{% if delai.opposition is defined and delai.opposition.date_limite %} (expiré le "
        "{{ delai.opposition.date_limite }}){% endif %}, soit au plus tard le ",
        ("b", "{{ delai.formule_executoire.date_limite }}"),
        " ({{ delai.formule_executoire.fondement }}) ; à défaut, l'ordonnance serait non avenue.",
    )
    b.tag("endif")
    title_amounts(b)
    b.text(
        "Nous joignons l'acte de signification. Nous vous prions d'agréer, Madame, Monsieur le "
        "greffier, l'expression de nos salutations distinguées."
    )
    b.p("{{ signataire.nom }}", indent=ADDRESS_INDENT, space_before=12, space_after=0)
    b.p("{{ signataire.qualite }}", indent=ADDRESS_INDENT, space_after=0)
    b.p("{{ creancier.nom }}", indent=ADDRESS_INDENT, space_after=0)
