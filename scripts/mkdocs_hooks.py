"""MkDocs hooks of the documentation (mkdocs.yml names this file under ``hooks:``).

* The command reference's examples come from :data:`gs1ld.cli._examples.EXAMPLES`,
  the table every ``--help`` shows and ``tests/test_cli_examples.py`` runs, so the
  page cannot drift from the commands: ``<!-- cli-examples -->`` is replaced by them.
* Two pages are written on other branches (``guides/deploy-hybrid.md`` and
  ``explanation/publishing.md``); until they arrive, a short placeholder stands in,
  so the nav and the links to them build under ``--strict``. Once the real file
  exists it is used and the placeholder is never made.
* mkdocs-click 0.9 prints click 8.3's "no default" sentinel as a default
  (`Sentinel.UNSET`); the reference's tables show no default there instead.
* Doctest lines in docstrings (``doc["@id"]``) look like Markdown reference links to
  mkdocs-autorefs; its warning for a quoted target (never an identifier) is dropped,
  every other unresolved cross-reference still fails the strict build.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

EXAMPLES_MARKER = "<!-- cli-examples -->"

PENDING_PAGES = {
    "guides/deploy-hybrid.md": (
        "# Hybrid hosting\n\n"
        "nginx or Apache serving the static site and passing what they cannot answer "
        "to `gs1ld serve` (`gs1ld site build --upstream URL`). This guide arrives with "
        "that feature.\n"
    ),
    "explanation/publishing.md": (
        "# Publishing and rebuilds\n\n"
        "How a build is laid out on disk and published atomically. This page arrives "
        "with the rebuild layout; until then see [Building a site](../guides/site.md).\n"
    ),
}


class _QuotedCrossReference(logging.Filter):
    """Drop autorefs' warning about a target that is a quoted string (a doctest line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return "Could not find cross-reference target '\"" not in message


for _name in ("mkdocs.plugins.mkdocs_autorefs._internal.plugin", "mkdocs.plugins.mkdocs_autorefs"):
    logging.getLogger(_name).addFilter(_QuotedCrossReference())


def examples_markdown() -> str:
    """Every command's examples, as the ``--help`` of each command shows them."""
    from gs1ld.cli._examples import EXAMPLES

    parts = []
    for path in sorted(EXAMPLES):
        lines = "\n".join(EXAMPLES[path])
        parts.append(f"### `gs1ld {path}`\n\n```sh\n{lines}\n```\n")
    return "\n".join(parts)


def on_files(files: Any, config: Any) -> Any:
    """Stand in for the pages other branches write, while they are not here."""
    from mkdocs.structure.files import File

    docs = Path(config["docs_dir"])
    for uri, text in PENDING_PAGES.items():
        if not (docs / uri).exists() and files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, content=text))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Write the command examples into the page that asks for them."""
    if EXAMPLES_MARKER in markdown:
        return markdown.replace(EXAMPLES_MARKER, examples_markdown())
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Show no default where click has none (mkdocs-click prints its sentinel)."""
    return html.replace("<code>Sentinel.UNSET</code>", "")
