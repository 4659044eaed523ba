"""``gs1ld serve``: run the GS1 Digital Link resolver server over a site or a catalog."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import click

from gs1ld.cli import EXIT_CANNOT_RUN
from gs1ld.cli._options import (
    base_url_option,
    feed_language_option,
    limits_option,
    parse_day,
    to_limits,
    today_option,
)
from gs1ld.cli._output import err_console


def _is_site(path: Path) -> bool:
    from gs1ld.publish import MANIFEST_FILE

    return path.is_dir() and (path / MANIFEST_FILE).is_file()


@click.command()
@click.argument("source")
@base_url_option(
    default=None, help="Resolver root used in absolute URIs, e.g. https://id.brand.example."
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
    "--trust-proxy", is_flag=True, help="Take the root from X-Forwarded-Host / X-Forwarded-Proto."
)
@click.option("--name", default="gs1ld resolver", show_default=True, help="Resolver name.")
@today_option
@click.option("--no-validate", is_flag=True, help="When SOURCE is a catalog: skip validation.")
@limits_option
@feed_language_option
def serve(
    source: str,
    base_url: str,
    host: str,
    port: int,
    trust_proxy: bool,
    name: str,
    today: str | None,
    no_validate: bool,
    max_entry_bytes: int,
    feed_language: str,
) -> None:
    """Serve SOURCE as a GS1-Conformant resolver.

    SOURCE is a site built by `gs1ld site build`, or a catalog, which is built
    into a temporary site first. Answers /01/{gtin14}[/22|10|21/...] with 307
    redirects to the default link, linksets (Accept: application/linkset+json or
    ?linkType=linkset), JSON-LD (Accept: application/ld+json) and ?linkType=gs1:X
    redirects; serves the site's files; stops with Ctrl-C.
    """
    import uvicorn

    from gs1ld.errors import Gs1ldError
    from gs1ld.server.app import ServerConfig, create_app
    from gs1ld.server.listen import listen

    path = Path(source)
    try:
        if not _is_site(path):
            from gs1ld.config import ExportConfig
            from gs1ld.site.build import build_site
            from gs1ld.site.config import SiteConfig

            work = Path(tempfile.mkdtemp(prefix="gs1ld-site-"))
            atexit.register(shutil.rmtree, work, ignore_errors=True)  # the server's own copy
            site_dir = work / "site"
            config = SiteConfig(
                ExportConfig(
                    base_url=base_url, today=parse_day(today), feed_language=feed_language
                ),
                name=name,
                validate=not no_validate,
                workers=os.cpu_count() or 1,
            )
            report = build_site(source, site_dir, config=config, limits=to_limits(max_entry_bytes))
            err_console.print(f"built {site_dir}: {report.summary()}")
            path = site_dir
        app = create_app(
            path, config=ServerConfig(base_url=base_url, trust_proxy=trust_proxy, name=name)
        )
    except (Gs1ldError, OSError) as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        sys.exit(EXIT_CANNOT_RUN)
    try:
        listener = listen(host, port)
    except OSError as exc:
        err_console.print(f"[red]error:[/red] cannot listen on {host}:{port}: {exc.strerror}")
        sys.exit(EXIT_CANNOT_RUN)
    bound = listener.getsockname()[1]
    # The socket listens before this line is printed, so whoever waits for it can connect.
    err_console.print(
        f"serving {path} at http://{host}:{bound}/ (root {base_url}); Ctrl-C stops",
        markup=False,
        highlight=False,
    )
    server_config = uvicorn.Config(app, log_level="warning", proxy_headers=trust_proxy)
    uvicorn.Server(server_config).run(sockets=[listener])
