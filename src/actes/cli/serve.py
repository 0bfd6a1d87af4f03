"""``actes serve``: the local web page over a folder of cases.

On a loopback address (the default) the page is for the person at this computer: no login,
and requests addressed to any other host name are refused (DNS rebinding). On any other
address the page needs a password, from ``ACTES_SERVE_PASSWORD`` or, hashed, from the
``[serve]`` table of the workspace's ``actes.toml`` (``mot_de_passe = "scrypt$..."``, made by
``actes serve --hacher-mot-de-passe``); without one the server does not start. The Host check
is kept there too: the listening address, the machine's names and addresses, and the names
given with ``--nom``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import os
import socket
import tomllib
from pathlib import Path
from typing import Any

import click

from actes._paths import WORKSPACE_MARKER, find_workspace
from actes.cli._common import date_option
from actes.errors import UsageProblem

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
PASSWORD_VARIABLE = "ACTES_SERVE_PASSWORD"  # noqa: S105 (the variable's name)
MIN_PASSWORD = 12


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def trusted_hosts(host: str, names: tuple[str, ...] = ()) -> list[str]:
    """The host names a request may be addressed to when listening on ``host``."""
    trusted = list(LOOPBACK_NAMES)
    if is_loopback(host):
        return trusted
    trusted.extend(names)
    bare = host.strip("[]")
    wildcard = bare in ("0.0.0.0", "::", "")  # noqa: S104 (recognising it, not binding)
    if not wildcard:
        trusted.append(bare)
    else:
        machine = socket.gethostname()
        trusted.extend([machine, socket.getfqdn()])
        with contextlib.suppress(OSError):
            trusted.extend(str(info[4][0]) for info in socket.getaddrinfo(machine, None))
    return list(dict.fromkeys(t for t in trusted if t))


def password_hash(cases_dir: Path) -> str | None:
    """The scrypt hash of the page's password: ``ACTES_SERVE_PASSWORD`` (hashed here, the
    clear text is not kept), else ``[serve] mot_de_passe`` of the workspace's actes.toml."""
    from actes.web.app import hash_password, is_password_hash

    clear = os.environ.get(PASSWORD_VARIABLE)
    if clear:
        if len(clear) < MIN_PASSWORD:
            raise UsageProblem(
                f"Mot de passe trop court dans {PASSWORD_VARIABLE} ({len(clear)} caractères).",
                hint=f"choisissez-en un d'au moins {MIN_PASSWORD} caractères",
            )
        return hash_password(clear)
    workspace = find_workspace(cases_dir)
    if workspace is None:
        return None
    marker = workspace / WORKSPACE_MARKER
    if not marker.is_file():
        return None
    try:
        settings = tomllib.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageProblem(f"{marker} illisible : {exc}") from None
    section = settings.get("serve", {})
    value = section.get("mot_de_passe") if isinstance(section, dict) else None
    if value is None:
        return None
    if not isinstance(value, str) or not is_password_hash(value):
        raise UsageProblem(
            f"{marker} : [serve] mot_de_passe doit être une empreinte « scrypt$... », "
            "jamais le mot de passe en clair.",
            hint="obtenez-la avec « actes serve --hacher-mot-de-passe »",
        )
    return value


def make_quiet_server(host: str, port: int, app: Any) -> Any:
    """Werkzeug's threaded server, without the ``Server:`` header (no software version)."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def send_response(self, code: int, message: str | None = None) -> None:
            self.log_request(code)
            self.send_response_only(code, message)
            self.send_header("Date", self.date_time_string())

    return make_server(host, port, app, threaded=True, request_handler=QuietHandler)


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Adresse d'écoute ; toute autre que 127.0.0.1 exige un mot de passe "
    f"({PASSWORD_VARIABLE} ou actes.toml).",
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
@click.option(
    "--nom",
    "names",
    multiple=True,
    metavar="NOM",
    help="Nom ou adresse sous lequel les postes joignent la page (contrôle de l'en-tête "
    "Host ; répétable).",
)
@click.option(
    "--hacher-mot-de-passe",
    "hash_only",
    is_flag=True,
    help="Demande un mot de passe et affiche la ligne à mettre dans actes.toml, sans démarrer.",
)
@date_option("au", "Date de référence fixe (par défaut : le jour de chaque requête).")
def serve(
    host: str,
    port: int,
    cases_dir: Path,
    names: tuple[str, ...],
    hash_only: bool,
    au: dt.date | None,
) -> None:
    """Ouvre une page web locale : dossiers, délais, décomptes, formulaire, documents.

    Sur 127.0.0.1 (par défaut), la page est réservée à cette machine, sans mot de passe.
    Sur toute autre adresse (--host), elle exige le mot de passe donné par la variable
    ACTES_SERVE_PASSWORD ou, sous forme d'empreinte, par actes.toml ([serve] mot_de_passe).
    """
    from actes.web import create_app
    from actes.web.app import hash_password

    if hash_only:
        clear = click.prompt("Mot de passe", hide_input=True, confirmation_prompt=True)
        if len(clear) < MIN_PASSWORD:
            raise UsageProblem(f"Mot de passe trop court : {MIN_PASSWORD} caractères au moins.")
        click.echo("[serve]")
        click.echo(f'mot_de_passe = "{hash_password(clear)}"')
        return
    secret = None if is_loopback(host) else password_hash(cases_dir)
    if not is_loopback(host) and secret is None:
        raise UsageProblem(
            f"--host {host} rend la page joignable depuis le réseau : un mot de passe est "
            "obligatoire.",
            hint=f"définissez {PASSWORD_VARIABLE} (au moins {MIN_PASSWORD} caractères) ou "
            f"[serve] mot_de_passe dans {WORKSPACE_MARKER} (actes serve --hacher-mot-de-passe)",
        )
    app = create_app(cases_dir, au=au, password_hash=secret)
    # The list shows what is indexed after 2 s of computation, a thread computes the rest and
    # rescans the folder every second while the page is used (requests only read the index).
    app.config.update(ACTES_INDEX_BUDGET=2.0, ACTES_INDEX_WATCH=1.0)
    # Refuse requests addressed to another name (DNS rebinding from a web page).
    app.config["TRUSTED_HOSTS"] = trusted_hosts(host, names)
    if secret is not None:
        click.echo(
            f"Page protégée par mot de passe, joignable depuis le réseau sous : "
            f"{', '.join(app.config['TRUSTED_HOSTS'])}. Le mot de passe circule en clair "
            "sans HTTPS : placez un proxy HTTPS devant la page hors d'un réseau de confiance.",
            err=True,
        )
    server = make_quiet_server(host, port, app)
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
