"""``actes serve``: the local web page over a folder of cases."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

import click

from actes.cli._common import date_option

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Adresse d'écoute ; toute autre que 127.0.0.1 rend la page joignable sans mot de passe.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--cases",
    "cases_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path(),
    metavar="DOSSIER",
    help="Dossier contenant les affaires (par défaut : le dossier courant).",
)
@date_option("au", "Date de référence fixe (par défaut : le jour de chaque requête).")
def serve(host: str, port: int, cases_dir: Path, au: dt.date | None) -> None:
    """Ouvre une page web locale : dossiers, délais, décomptes, formulaire, documents.

    La page n'a pas d'authentification : elle écoute sur 127.0.0.1 (cette machine seule)
    sauf si --host indique une autre adresse.
    """
    from werkzeug.serving import make_server

    from actes.web import create_app

    app = create_app(cases_dir, au=au)
    if is_loopback(host):
        # Refuse requests addressed to another name (DNS rebinding from a web page).
        app.config["TRUSTED_HOSTS"] = list(LOOPBACK_NAMES)
    else:
        click.echo(
            f"Attention : la page n'a pas d'authentification. Toute personne qui peut joindre "
            f"{host}:{port} pourra lire et modifier les dossiers de {cases_dir.resolve()}.",
            err=True,
        )
    server = make_server(host, port, app, threaded=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(
        f"actes serve : http://{shown}:{server.server_port}/ "
        f"(dossiers de {cases_dir.resolve()}) — Ctrl+C pour arrêter."
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Arrêt.")
    finally:
        server.server_close()
