"""Write the small PDF exhibits (pièces) of the bundled example cases.

The exhibits are real one-page PDF documents (an invoice, a contract extract, a postal
receipt...) whose text is given below, so that packets and tests handle genuine files.
Run: ``python tools/make_example_pieces.py`` (rewrites examples/*/pieces/*.pdf).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pdf_bytes(title: str, lines: list[str]) -> bytes:
    """A minimal valid PDF 1.4 page (A4, Helvetica, WinAnsi so French accents print)."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = ["BT", "/F1 16 Tf", "56 780 Td", f"({esc(title)}) Tj", "/F1 10 Tf", "0 -28 Td"]
    for line in lines:
        body += [f"({esc(line)}) Tj", "0 -15 Td"]
    body.append("ET")
    stream = "\n".join(body).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


PIECES: dict[str, dict[str, tuple[str, list[str]]]] = {
    "petites-creances-b2c": {
        "contrat-entretien-CE-2024-118.pdf": (
            "Contrat d'entretien CE-2024-118",
            [
                "Thermi'Ouest SARL - 5 rue de Saint-Malo, 35000 Rennes",
                "Client : Mme Anne Morvan, 17 rue de Brest, 35000 Rennes",
                "Entretien annuel de la chaudiere, signe le 3 septembre 2024.",
            ],
        ),
        "devis-2026-06-02.pdf": (
            "Devis du 2 juin 2026",
            ["Remplacement du circulateur : devis accepte et signe le 2 juin 2026."],
        ),
        "facture-F-2026-0611.pdf": (
            "Facture F-2026-0611",
            [
                "Entretien annuel et remplacement du circulateur : 1 240,00 EUR TTC",
                "Date : 11 juin 2026 - Echeance : 11 juillet 2026",
            ],
        ),
        "mise-en-demeure-2026-10-02.pdf": (
            "Mise en demeure du 2 octobre 2026",
            ["LRAR - avis de reception signe le 5 octobre 2026."],
        ),
    },
    "saisie-conservatoire-b2b": {
        "commande-CSN-2026-31.pdf": (
            "Commande CSN-2026-31",
            [
                "Comptoir Saone Negoce SARL commande a Metallerie du Rhone SAS, le 12 juin 2026,",
                "garde-corps, escalier et pose ; conditions generales de vente acceptees.",
            ],
        ),
        "factures-2026.pdf": (
            "Factures FC-2026-0711, FC-2026-0802 et FC-2026-0829",
            ["Total TTC : 18 600,00 EUR - echeances des 10 aout, 1er et 28 septembre 2026."],
        ),
        "mise-en-demeure-2026-10-12.pdf": (
            "Mise en demeure du 12 octobre 2026",
            ["LRAR - avis de reception signe le 14 octobre 2026."],
        ),
        "annonce-vente-fonds.pdf": (
            "Annonce du 3 novembre 2026",
            ["Vente du fonds de commerce de negoce du 23 quai Saint-Vincent, 69001 Lyon."],
        ),
        # Once authorised: the ordonnance the commissaire seizes under (CPCE R523-1).
        "ordonnance-autorisation-2026-11-24.pdf": (
            "Ordonnance du juge de l'execution du 24 novembre 2026",
            [
                "Tribunal judiciaire de Lyon - RG 26/04567",
                "Autorise Metallerie du Rhone SAS a pratiquer une saisie conservatoire pour",
                "garantie de 15 000,00 EUR sur les sommes detenues pour le compte de",
                "Comptoir Saone Negoce SARL par la Banque Populaire Auvergne Rhone Alpes.",
                "Mesure caduque si elle n'est pas executee dans les trois mois.",
            ],
        ),
    },
    "execution-saisies": {
        "devis-D-2025-077.pdf": (
            "Devis accepte D-2025-077",
            [
                "Atelier Garonne Renovation SARL - 42 quai des Chartrons, 33000 Bordeaux",
                "Client : M. Thomas Lacoste, 8 rue Fondaudege, 33000 Bordeaux",
                "Renovation de la salle de bains : 4 200,00 EUR TTC",
                "Devis accepte et signe le 1er juillet 2025, bon pour accord.",
            ],
        ),
        "facture-F-2025-0918.pdf": (
            "Facture F-2025-0918",
            [
                "Travaux termines le 15 septembre 2025 - Total TTC : 4 200,00 EUR",
                "Date : 18 septembre 2025 - Echeance : 18 octobre 2025",
            ],
        ),
        "ordonnance-copie-executoire.pdf": (
            "Ordonnance d'injonction de payer - copie executoire",
            [
                "Tribunal judiciaire de Bordeaux - RG 26/01234 - ordonnance du 2 mars 2026",
                "Enjoint a M. Thomas Lacoste de payer a Atelier Garonne Renovation SARL :",
                "4 200,00 EUR en principal avec interets au taux legal a compter de l'ordonnance,",
                "123,45 EUR d'interets arretes au 26 janvier 2026, et les depens (35,39 EUR).",
                "Revetue de la formule executoire.",
            ],
        ),
        "requete-copie-certifiee.pdf": (
            "Requete en injonction de payer - copie certifiee conforme",
            [
                "Requete deposee le 26 janvier 2026 au greffe du tribunal judiciaire de Bordeaux.",
            ],
        ),
        "acte-signification-2026-03-10.pdf": (
            "Acte de signification du 10 mars 2026",
            [
                "SELARL Actejust, commissaires de justice associes, 30 allees de Tourny, Bordeaux.",
                "Signification a personne de l'ordonnance du 2 mars 2026 a M. Thomas Lacoste.",
            ],
        ),
    },
    "b2b-factures-impayees": {
        "facture-FA-2026-0117.pdf": (
            "Facture FA-2026-0117",
            [
                "Dupont & Fils SAS - 12 rue de la Republique, 69002 Lyon - SIREN 732 829 320",
                "Client : Atelier Bellecour SARL, 45 avenue Roger Salengro, 69100 Villeurbanne",
                "Date : 2 juin 2026 - Echeance : 2 juillet 2026 (30 jours date de facture)",
                "Fourniture de 120 panneaux acoustiques ref. PA-60 : 3 600,00 EUR HT",
                "TVA 20 % : 720,00 EUR - Total TTC : 4 320,00 EUR",
                "Penalites de retard : 3 fois le taux d'interet legal (C. com. L441-10).",
                "Indemnite forfaitaire pour frais de recouvrement : 40 EUR (D441-5).",
            ],
        ),
        "facture-FA-2026-0142.pdf": (
            "Facture FA-2026-0142",
            [
                "Dupont & Fils SAS - 12 rue de la Republique, 69002 Lyon",
                "Client : Atelier Bellecour SARL, 69100 Villeurbanne",
                "Date : 1er juillet 2026 - Echeance : 31 juillet 2026",
                "Pose et reglage des panneaux, 3 jours : 2 250,00 EUR HT",
                "TVA 20 % : 450,00 EUR - Total TTC : 2 700,00 EUR",
            ],
        ),
        "bon-de-commande-BC-8841.pdf": (
            "Bon de commande BC-8841",
            [
                "Commande signee le 20 mai 2026 par M. Karim Haddad, gerant d'Atelier Bellecour SARL",
                "Objet : fourniture et pose de panneaux acoustiques, conditions generales de vente",
                "de Dupont & Fils SAS acceptees (art. 8 : paiement a 30 jours, penalites L441-10).",
            ],
        ),
        "relance-2026-09-15.pdf": (
            "Relance du 15 septembre 2026",
            [
                "Rappel amiable des factures FA-2026-0117 et FA-2026-0142 restees impayees.",
            ],
        ),
    },
    "b2c-travaux-consommateur": {
        "devis-signe-D-2026-031.pdf": (
            "Devis signe D-2026-031",
            [
                "Renov'Est SARL - 8 rue des Jardins, 57000 Metz",
                "Client : Mme Claire Martin, 14 rue Serpenoise, 57000 Metz",
                "Remplacement de la chaudiere et des radiateurs : 5 830,00 EUR TTC",
                "Devis accepte et signe le 12 mars 2026, bon pour accord.",
            ],
        ),
        "facture-F-2026-0412.pdf": (
            "Facture F-2026-0412",
            [
                "Renov'Est SARL - Travaux termines le 28 avril 2026",
                "Total TTC : 5 830,00 EUR - Acompte recu : 1 500,00 EUR - Reste du : 4 330,00 EUR",
                "Date : 30 avril 2026 - Echeance : 15 mai 2026",
            ],
        ),
        "proces-verbal-reception.pdf": (
            "Proces-verbal de reception des travaux",
            [
                "Reception sans reserve le 28 avril 2026, signee par Mme Claire Martin.",
            ],
        ),
        "mise-en-demeure-2026-09-01.pdf": (
            "Mise en demeure du 1er septembre 2026",
            [
                "LRAR n° 1A 123 456 7890 1 - avis de reception signe le 3 septembre 2026.",
            ],
        ),
    },
    "ipe-debiteur-allemand": {
        "rechnung-invoice-2026-077.pdf": (
            "Facture / Rechnung 2026-077",
            [
                "Vins du Val de Loire SAS, 3 quai de la Loire, 37000 Tours",
                "Client : Weinhandel Rhein GmbH, Hohenzollernring 20, 50672 Koeln, Allemagne",
                "Livraison de 600 bouteilles, Chinon AOC 2023 : 7 200,00 EUR (livraison UE, TVA autoliquidee)",
                "Date : 10 avril 2026 - Echeance : 10 mai 2026",
            ],
        ),
        "contrat-distribution.pdf": (
            "Contrat de distribution du 5 janvier 2026",
            [
                "Article 12 : les tribunaux de Tours sont seuls competents.",
                "Article 9 : penalites de retard au taux de 10 % l'an.",
            ],
        ),
        "cmr-lettre-de-voiture.pdf": (
            "Lettre de voiture CMR n° 2026-4471",
            [
                "Marchandises livrees et recues sans reserve a Koeln le 14 avril 2026.",
            ],
        ),
    },
    "liquidation-judiciaire": {
        "facture-2026-301.pdf": (
            "Facture 2026-301",
            [
                "Imprimerie Garonne SAS, 21 allee Jean Jaures, 31000 Toulouse",
                "Client : Editions du Capitole SARL, 9 rue d'Alsace-Lorraine, 31000 Toulouse",
                "Impression de 3 000 catalogues : 8 400,00 EUR TTC - echeance 15 septembre 2026",
            ],
        ),
        "facture-2026-355.pdf": (
            "Facture 2026-355",
            [
                "Impression de 1 500 brochures : 3 960,00 EUR TTC - echeance 31 octobre 2026",
            ],
        ),
        "bodacc-annonce.pdf": (
            "Annonce BODACC A n° 2026-0209",
            [
                "Jugement d'ouverture de liquidation judiciaire du 14 octobre 2026, Tribunal de commerce",
                "de Toulouse. Liquidateur : SELARL Mandatum, 4 place du Capitole, 31000 Toulouse.",
                "Publication au BODACC le 24 octobre 2026.",
            ],
        ),
    },
    "surendettement": {
        "offre-pret-personnel.pdf": (
            "Offre de pret personnel n° PP-88412",
            [
                "Credit Solidaire SA - pret de 12 000,00 EUR au taux de 5,90 % sur 60 mois.",
                "Emprunteur : M. Julien Lefebvre, 3 allee des Tilleuls, 59000 Lille",
                "Offre acceptee le 10 fevrier 2024.",
            ],
        ),
        "tableau-amortissement.pdf": (
            "Tableau d'amortissement PP-88412",
            [
                "Echeances mensuelles de 231,43 EUR du 10 mars 2024 au 10 fevrier 2029.",
                "Echeance n° 25 (10 mars 2026) : capital restant du apres paiement 7 425,06 EUR.",
                "Echeance n° 29 (10 juillet 2026) : capital restant du apres paiement 6 639,61 EUR.",
            ],
        ),
        "lettre-etat-passif.pdf": (
            "Lettre de la commission (R723-1)",
            [
                "Commission de surendettement du Nord - etat du passif declare par le debiteur.",
                "Lettre du 12 novembre 2026, recue le 16 novembre 2026.",
            ],
        ),
    },
    "injonction-2026": {
        "contrat-maintenance.pdf": (
            "Contrat de maintenance n° CM-2025-12",
            [
                "Thermo Services SAS - maintenance des installations de chauffage de la",
                "Residence Les Alizes, syndic Gestimmo SARL. Redevance trimestrielle 1 950,00 EUR TTC.",
            ],
        ),
        "factures-T1-T2-2026.pdf": (
            "Factures T1-2026 et T2-2026",
            [
                "T1-2026 : 1 950,00 EUR TTC, echeance 31 janvier 2026",
                "T2-2026 : 1 950,00 EUR TTC, echeance 30 avril 2026",
            ],
        ),
        "mise-en-demeure-2026-06-10.pdf": (
            "Mise en demeure du 10 juin 2026",
            [
                "LRAR recue le 12 juin 2026.",
            ],
        ),
        "ordonnance-2026-1187-copie-executoire.pdf": (
            "Ordonnance d'injonction de payer n° 2026/1187 - copie executoire",
            [
                "Tribunal judiciaire de Bordeaux - ordonnance du 5 octobre 2026",
                "Enjoint au syndicat des coproprietaires de la Residence Les Alizes de payer a",
                "Thermo Services SAS 3 900,00 EUR en principal avec interets au taux legal",
                "a compter du 12 juin 2026. Revetue de la formule executoire.",
            ],
        ),
        "requete-2026-09-14-copie-certifiee.pdf": (
            "Requete en injonction de payer du 14 septembre 2026 - copie certifiee conforme",
            [
                "Requete de Thermo Services SAS contre le syndicat des coproprietaires",
                "de la Residence Les Alizes, deposee au greffe le 14 septembre 2026.",
            ],
        ),
        "signification-2026-10-20.pdf": (
            "Acte de signification du 20 octobre 2026",
            [
                "SELARL Actejust, commissaires de justice associes, 30 allees de Tourny, Bordeaux :",
                "signification a personne de l'ordonnance n° 2026/1187 et de la requete.",
            ],
        ),
    },
    "tj-creance-civile": {
        "contrat-maitrise-oeuvre.pdf": (
            "Contrat de maitrise d'oeuvre du 3 mars 2025",
            [
                "Maitre d'ouvrage : Association culturelle La Grange, 4 rue des Godrans, 21000 Dijon,",
                "representee par M. Bernard Lhuillier, president.",
                "Maitre d'oeuvre : Atelier Moreau Architectes SELARL, 22 rue de la Liberte, 21000 Dijon.",
                "Art. 6 : honoraires des phases APD a DCE : 4 800,00 EUR TTC.",
                "Art. 9 : paiement a 30 jours de la note d'honoraires ; toute somme impayee a",
                "l'echeance porte interet de retard au taux conventionnel de 8 % l'an.",
                "Art. 11 : a defaut de paiement apres mise en demeure restee sans effet, une indemnite",
                "forfaitaire de 10 % des sommes impayees est due a titre de clause penale.",
            ],
        ),
        "note-honoraires-H-2026-014.pdf": (
            "Note d'honoraires H-2026-014",
            [
                "Date : 31 mars 2026 - Echeance : 30 avril 2026",
                "Phases APD, PRO et DCE : 4 000,00 EUR HT - TVA 20 % : 800,00 EUR - 4 800,00 EUR TTC",
            ],
        ),
        "relance-2026-05-20.pdf": (
            "Lettre de relance du 20 mai 2026",
            ["Rappel de la note d'honoraires H-2026-014 echue le 30 avril 2026."],
        ),
        "mise-en-demeure-2026-06-15.pdf": (
            "Mise en demeure du 15 juin 2026",
            [
                "LRAR 1A 204 118 5531 2, recue le 17 juin 2026.",
                "Paiement de 4 800,00 EUR sous huit jours ; rappel de la clause penale (art. 11).",
            ],
        ),
        "delegation-de-pouvoir.pdf": (
            "Delegation de pouvoir du 5 janvier 2026",
            [
                "Mme Claire Moreau, gerante d'Atelier Moreau Architectes SELARL, delegue a",
                "M. Julien Petit, responsable administratif et financier, le pouvoir de signer",
                "les requetes en injonction de payer et les actes de recouvrement des honoraires.",
            ],
        ),
    },
    "jcp-credit-consommation": {
        "offre-pret.pdf": (
            "Offre de pret personnel n° PP-2023-55120",
            [
                "Credit Rhodanien SA - pret personnel de 15 000,00 EUR sur 60 mois.",
                "Taux debiteur fixe 6,25 % - TAEG 6,45 % - mensualites de 291,73 EUR.",
                "Emprunteur : M. Thomas Girard, 17 rue Lesdiguieres, 38000 Grenoble.",
                "Offre acceptee le 14 mars 2023 ; bordereau de retractation joint.",
            ],
        ),
        "fipen.pdf": (
            "Fiche d'informations precontractuelles europeennes normalisees",
            ["Remise a M. Thomas Girard le 2 mars 2023 (pret personnel PP-2023-55120)."],
        ),
        "fiche-de-dialogue.pdf": (
            "Fiche de dialogue - solvabilite",
            [
                "Revenus declares : 2 350 EUR nets mensuels ; charges : loyer 640 EUR.",
                "Justificatifs : trois bulletins de salaire, avis d'imposition 2022.",
            ],
        ),
        "consultation-ficp.pdf": (
            "Consultation du FICP",
            ["Consultation du 10 mars 2023 : aucune inscription au nom de M. Thomas Girard."],
        ),
        "tableau-amortissement.pdf": (
            "Tableau d'amortissement PP-2023-55120",
            [
                "59 mensualites de 291,73 EUR du 5 avril 2023 au 5 fevrier 2028, puis une",
                "derniere de 292,32 EUR le 5 mars 2028 (taux debiteur 6,25 %, interets mensuels).",
                "Echeance n° 35 (5 fevrier 2026) : capital restant du apres paiement 6 822,29 EUR.",
                "Echeance n° 36 (5 mars 2026) : interets 35,53 EUR, capital 256,20 EUR, reste 6 566,09 EUR.",
                "Echeance n° 37 (5 avril 2026) : interets 34,20 EUR, capital 257,53 EUR, reste 6 308,56 EUR.",
                "Echeance n° 38 (5 mai 2026) : interets 32,86 EUR, capital 258,87 EUR, reste 6 049,69 EUR.",
                "Echeance n° 39 (5 juin 2026) : interets 31,51 EUR, capital 260,22 EUR, reste 5 789,47 EUR.",
            ],
        ),
        "historique-compte.pdf": (
            "Historique du compte de pret PP-2023-55120",
            [
                "Echeances payees jusqu'au 5 fevrier 2026.",
                "Premier impaye non regularise : echeance du 5 mars 2026.",
                "Versement partiel de 150,00 EUR le 28 avril 2026.",
            ],
        ),
        "mise-en-demeure-decheance.pdf": (
            "Mise en demeure et decheance du terme",
            [
                "LRAR du 12 mai 2026 : regulariser 725,19 EUR (echeances des 5 mars, 5 avril et",
                "5 mai 2026, 875,19 EUR, moins le versement de 150,00 EUR) sous 30 jours, a defaut",
                "decheance du terme.",
                "LRAR du 20 juin 2026 : decheance du terme prononcee ; sont exigibles les echeances",
                "impayees n° 36 a 39 (4 x 291,73 EUR) et le capital restant du apres l'echeance",
                "n° 39, soit 5 789,47 EUR.",
            ],
        ),
    },
}


def main(argv: list[str] | None = None) -> int:
    """``--only CASE`` (repeatable) rewrites the pièces of those examples only."""
    args = sys.argv[1:] if argv is None else argv
    only = {args[i + 1] for i, a in enumerate(args[:-1]) if a == "--only"}
    unknown = only - set(PIECES)
    if unknown:
        print(f"exemple inconnu : {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    for case, files in PIECES.items():
        if only and case not in only:
            continue
        folder = ROOT / "examples" / case / "pieces"
        folder.mkdir(parents=True, exist_ok=True)
        for name, (title, lines) in files.items():
            (folder / name).write_bytes(pdf_bytes(title, lines))
            print(f"écrit : {folder / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
