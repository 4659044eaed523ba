"""``gs1ld serve``: run the GS1 Digital Link resolver server over a site or a catalog.

The server runs under uvicorn (the default): in this process (``--workers 1``) or
in worker processes; or under granian (``--server granian``, ``pip install
'gs1ld[granian]'``) in worker processes that each build the app from
``GS1LD_SERVE_*`` variables through :func:`gs1ld.server.app.app_from_env` -- the
same factory a user's own ``granian``/``uvicorn``/``gunicorn`` runs
(:mod:`gs1ld.server.granian_server`).  ``benchmarks/serve.py`` compares the two.  SIGTERM and Ctrl-C
stop it gracefully (answers in progress finish) and exit 0; a served catalog's
temporary site is removed either way.
"""

from __future__ import annotations

import inspect
import os
import signal
import ssl
import sys
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from gs1ld.cli import EXIT_CANNOT_RUN
from gs1ld.cli._options import (
    ExportOptions,
    base_url_option,
    export_options,
    limits_option,
    max_removals_option,
    theme_option,
    to_limits,
)
from gs1ld.cli._output import err_console, print_error
from gs1ld.config import RemovalLimit

if TYPE_CHECKING:
    from gs1ld.pages.theme import Theme

LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
SERVERS = ("uvicorn", "granian")


class _Stopped(SystemExit):
    """SIGTERM, raised once uvicorn has shut down gracefully and re-raises the signal."""


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Stopped(0)


def _is_site(path: Path) -> bool:
    from gs1ld.publish import MANIFEST_FILE
    from gs1ld.publish.layout import published_root

    return path.is_dir() and (published_root(path) / MANIFEST_FILE).is_file()


def _say(message: str) -> None:
    err_console.print(message, markup=False, highlight=False)


def _log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging set-up with the ``gs1ld`` logger on its stderr handler at ``level``."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["gs1ld"] = {"handlers": ["default"], "level": level.upper()}
    config["loggers"]["uvicorn.error"]["level"] = level.upper()
    return config


def _check_tls(certfile: str | None, keyfile: str | None) -> None:
    if keyfile is not None and certfile is None:
        raise click.UsageError("--ssl-keyfile needs --ssl-certfile")
    if certfile is None:
        return
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(certfile, keyfile)
    except (ssl.SSLError, OSError) as exc:
        print_error(f"cannot use {certfile!r} as a TLS certificate: {exc}")
        sys.exit(EXIT_CANNOT_RUN)


@click.command()
@click.argument("source")
@base_url_option(
    default=None,
    required=False,
    help="Resolver root used in absolute URIs, e.g. https://id.brand.example (default for a "
    "site: the base URL it was built for; required for a catalog).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0 picks a free one).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Worker processes sharing the port (each follows the site on its own).",
)
@click.option(
    "--server",
    "http_server",
    type=click.Choice(SERVERS),
    default="uvicorn",
    show_default=True,
    help="HTTP server to run the resolver under: uvicorn, or granian (HTTP in Rust; "
    "pip install 'gs1ld[granian]').",
)
@click.option(
    "--trust-proxy",
    is_flag=True,
    help="Behind a proxy: take each client's address (for the access log) from "
    "X-Forwarded-For. Absolute URIs keep the site's base URL, which its pages and QR "
    "codes name.",
)
@click.option("--name", default="gs1ld resolver", show_default=True, help="Resolver name.")
@click.option(
    "--log-level",
    type=click.Choice(LOG_LEVELS),
    default="warning",
    show_default=True,
    help="Least severe server message printed to stderr.",
)
@click.option(
    "--access-log",
    default=None,
    metavar="FILE|-",
    help="Append one JSON line per request to FILE (- for stdout).",
)
@click.option(
    "--ssl-certfile",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Serve HTTPS with this PEM certificate (chain).",
)
@click.option(
    "--ssl-keyfile",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="The certificate's PEM private key (if not in --ssl-certfile).",
)
@click.option("--no-validate", is_flag=True, help="When SOURCE is a catalog: skip validation.")
@theme_option(
    "When SOURCE is a catalog: the theme folder its pages are built with (see `gs1ld site "
    "build --theme`). A built site already has its theme."
)
@limits_option
@export_options
@max_removals_option
def serve(
    source: str,
    base_url: str | None,
    export: ExportOptions,
    host: str,
    port: int,
    workers: int,
    http_server: str,
    trust_proxy: bool,
    name: str,
    log_level: str,
    access_log: str | None,
    ssl_certfile: str | None,
    ssl_keyfile: str | None,
    no_validate: bool,
    theme: Theme | None,
    max_entry_bytes: int,
    max_removals: RemovalLimit,
) -> None:
    """Serve SOURCE as a GS1-Conformant resolver.

    SOURCE is a site built by `gs1ld site build`, or a catalog, which is built
    into a temporary site first. Answers /01/{gtin14}[/22|10|21/...] with 307
    redirects to the default link, linksets (Accept: application/linkset+json or
    ?linkType=linkset), JSON-LD (Accept: application/ld+json) and ?linkType=gs1:X
    redirects; serves the site's files; answers /.well-known/gs1ld/health.

    A rebuild of the site (or, for a catalog, a change to the catalog) is picked
    up within about a second, without a restart. Ctrl-C or SIGTERM stops it.
    """
    from gs1ld.errors import Gs1ldError
    from gs1ld.server.app import ServerConfig, create_app

    _check_tls(ssl_certfile, ssl_keyfile)
    if http_server == "granian":
        from gs1ld.server.granian_server import granian_available

        if not granian_available():
            print_error(
                "--server granian needs granian (pip install 'gs1ld[granian]'), or use uvicorn"
            )
            sys.exit(EXIT_CANNOT_RUN)
    # SIGTERM stops the server as Ctrl-C does; the handler goes with the command (a
    # program calling the command in its own process keeps the one it had).
    earlier_sigterm = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    path = Path(source)
    catalog = None
    try:
        try:
            if not _is_site(path):
                from gs1ld.cli._serve_catalog import CatalogSite
                from gs1ld.config import SiteConfig

                if base_url is None:
                    raise click.UsageError(
                        "serving a catalog needs --base-url: the resolver root its URIs start "
                        "with (a site knows the one it was built for)."
                    )
                config = SiteConfig(
                    export.config(base_url),
                    name=name,
                    validate=not no_validate,
                    max_removals=max_removals,
                    workers=os.cpu_count() or 1,
                    theme=theme,
                )
                catalog = CatalogSite(path, config, to_limits(max_entry_bytes), _say)
                catalog.build()
                path = catalog.site
            elif theme is not None:
                raise click.UsageError(
                    f"{source} is a built site: its pages already have the theme it was built "
                    "with. Rebuild it with `gs1ld site build --theme DIR`, or serve the catalog.",
                    ctx=click.get_current_context(),
                )
            from gs1ld.publish import Manifest

            built_for = Manifest.read(path).base_url
            if base_url is None:  # a site serves the base URL it was built for
                base_url = built_for
            elif base_url != built_for:  # one base per answer: pages and QR codes name theirs
                raise click.UsageError(
                    f"the site was built for --base-url {built_for}; its pages, QR codes and "
                    f"linksets name it, so serving it at {base_url} would mix the two. Leave "
                    f"--base-url out, or rebuild the site with --base-url {base_url}.",
                    ctx=click.get_current_context(),
                )
            # One base per answer: a forwarded host never rebases what the pages and QR
            # codes name, so --trust-proxy reaches only the client address (uvicorn).
            server_config = ServerConfig(base_url=base_url, name=name, access_log=access_log)
            app = create_app(path, config=server_config)  # checks the site and the log file
        except (Gs1ldError, OSError) as exc:
            print_error(exc)
            sys.exit(EXIT_CANNOT_RUN)
        if catalog is not None:
            catalog.follow()
        _run(
            app,
            path,
            server_config,
            _Listening(host, port, workers, http_server, proxy_headers=trust_proxy),
            log_level,
            ssl_certfile,
            ssl_keyfile,
        )
    except KeyboardInterrupt:
        pass  # Ctrl-C after uvicorn's graceful shutdown: a normal stop
    finally:
        if catalog is not None:
            catalog.close()
        if earlier_sigterm is not None:  # (None: a handler not set from Python)
            signal.signal(signal.SIGTERM, earlier_sigterm)


@dataclass(frozen=True)
class _Listening:
    """Where and how the resolver listens: address, worker processes, HTTP server."""

    host: str
    port: int
    workers: int
    server: str
    proxy_headers: bool = False
    """Take client addresses from ``X-Forwarded-For`` (``--trust-proxy``; uvicorn)."""


def _export_config(site: Path, config: Any) -> None:
    """Hand the app's configuration to worker processes (:func:`app_from_env`)."""
    from gs1ld.server.app import ENV_PREFIX

    os.environ[ENV_PREFIX + "SITE"] = str(site)
    os.environ[ENV_PREFIX + "BASE_URL"] = config.base_url
    os.environ[ENV_PREFIX + "TRUST_PROXY"] = "1" if config.trust_proxy else "0"
    os.environ[ENV_PREFIX + "NAME"] = config.name
    if config.access_log is not None:
        os.environ[ENV_PREFIX + "ACCESS_LOG"] = config.access_log
    else:
        os.environ.pop(ENV_PREFIX + "ACCESS_LOG", None)


def _run(
    app: Any,
    site: Path,
    config: Any,
    listening: _Listening,
    log_level: str,
    certfile: str | None,
    keyfile: str | None,
) -> None:
    import uvicorn

    from gs1ld.server.listen import listen

    host, port, workers = listening.host, listening.port, listening.workers
    try:
        listener = listen(host, port)
    except OSError as exc:
        print_error(f"cannot listen on {host}:{port}: {exc.strerror}")
        sys.exit(EXIT_CANNOT_RUN)
    bound = listener.getsockname()[1]
    scheme = "https" if certfile else "http"
    shown = f"[{host}]" if ":" in host else host
    options: dict[str, Any] = {
        "log_level": log_level,
        "log_config": _log_config(log_level),
        "access_log": False,  # gs1ld's own JSON-lines access log replaces uvicorn's
        "proxy_headers": listening.proxy_headers,
        "ssl_certfile": certfile,
        "ssl_keyfile": keyfile,
        "timeout_graceful_shutdown": 10,
    }
    # The socket listens before this line is printed, so whoever waits for it can connect.
    _say(
        f"serving {site} at {scheme}://{shown}:{bound}/ (root {config.base_url}, "
        f"{workers} worker{'s' if workers > 1 else ''}); Ctrl-C stops"
    )
    if listening.server == "granian":
        from gs1ld.server.granian_server import run_granian

        _export_config(site, config)
        run_granian(
            listener, workers=workers, log_level=log_level, certfile=certfile, keyfile=keyfile
        )
        return
    if workers == 1:
        uvicorn.Server(uvicorn.Config(app, **options)).run(sockets=[listener])
        return
    from uvicorn.supervisors import Multiprocess

    _export_config(site, config)
    server_config = uvicorn.Config(
        "gs1ld.server.app:app_from_env", factory=True, workers=workers, **options
    )
    supervisor: dict[str, Any] = {"sockets": [listener]}
    if "target" in inspect.signature(Multiprocess).parameters:  # uvicorn before 0.36
        supervisor["target"] = uvicorn.Server(server_config).run
    Multiprocess(server_config, **supervisor).run()
