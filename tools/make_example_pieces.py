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
    },
}


def main() -> int:
    for case, files in PIECES.items():
        folder = ROOT / "examples" / case / "pieces"
        folder.mkdir(parents=True, exist_ok=True)
        for name, (title, lines) in files.items():
            (folder / name).write_bytes(pdf_bytes(title, lines))
            print(f"écrit : {folder / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
