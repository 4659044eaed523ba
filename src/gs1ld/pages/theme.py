"""A brand's theme: templates that override the built-in ones, a stylesheet, a logo.

A theme is a folder::

    theme/
    ├── templates/       optional: product.html.j2, index.html.j2, pages.html.j2
    │                    (each replaces the built-in template of that name; one may
    │                    {% extends "builtin/index.html.j2" %} and override its
    │                    blocks), and partials named _*.html.j2 they include
    ├── theme.css        optional: CSS added after the built-in style of every page
    │                    (set --ink, --accent, --bg, --font-body, --font-heading…)
    ├── logo.svg         optional (or logo.png): copied to the site as theme/logo.*
    │                    and shown in every page's header
    └── README.md        optional, ignored (so is LICENSE)

Anything else in the folder is refused, so a misspelt ``theme.ccs`` or
``template/`` is an error rather than silently ignored.  :func:`load_theme`
reads and checks a folder once; the build hashes :attr:`Theme.digest` into
every product's input hash, so changing a theme re-renders every page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, TemplateSyntaxError

from gs1ld.errors import PublishError

__all__ = [
    "BUILTIN_PREFIX",
    "LOGO_NAMES",
    "THEME_SITE_FOLDER",
    "Theme",
    "builtin_templates",
    "load_theme",
]

BUILTIN_PREFIX = "builtin"
"""A theme template reaches the built-in template it replaces as ``builtin/{name}``."""

THEME_SITE_FOLDER = "theme"
"""Where the site holds the theme's files (the logo)."""

LOGO_NAMES = ("logo.svg", "logo.png")
_IGNORED = frozenset({"README.md", "README", "LICENSE", "LICENSE.md", "LICENSE.txt"})
_KNOWN = frozenset({"templates", "theme.css", *LOGO_NAMES})
_MAX_LOGO_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True, eq=False)
class Theme:
    """A checked theme, read whole: it travels to rendering workers as it is.

    Two themes are equal when their digests are (the environment cache is keyed by it).

    Attributes:
        folder: the theme's folder (absolute; for messages only).
        templates: (name, source) of each template in ``templates/``.
        css: the text of ``theme.css`` ("" when it has none).
        logo_name: ``logo.svg`` or ``logo.png``, or "" when it has no logo.
        logo: the logo's bytes.
        digest: a digest of every file the theme uses (names and bytes).
    """

    folder: Path
    templates: tuple[tuple[str, str], ...]
    css: str
    logo_name: str
    logo: bytes
    digest: str

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Theme) and other.digest == self.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def template_file(self, name: str) -> Path:
        """Where template ``name`` came from (for messages)."""
        return self.folder / "templates" / name

    @property
    def logo_path(self) -> str:
        """The logo's site-relative path (``theme/logo.svg``), or "" without a logo."""
        return f"{THEME_SITE_FOLDER}/{self.logo_name}" if self.logo_name else ""


@cache
def builtin_templates() -> frozenset[str]:
    """The names of gs1ld's own templates (a theme may replace any; partials start with _)."""
    folder = resources.files("gs1ld.pages").joinpath("templates")
    return frozenset(p.name for p in folder.iterdir() if p.name.endswith(".j2"))


def _fail(path: Path, problem: str) -> PublishError:
    return PublishError(f"theme {path}: {problem}")


def _template_files(folder: Path) -> list[tuple[Path, str]]:
    """Every template of ``templates/`` with its source, each known by name and parsed."""
    allowed = sorted(name for name in builtin_templates() if not name.startswith("_"))
    parser = Environment(extensions=["jinja2.ext.i18n"])
    files = []
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            continue
        name = path.relative_to(folder).as_posix()
        if name not in allowed and not (name.startswith("_") and name.endswith(".j2")):
            raise _fail(
                path,
                f"unknown template {name!r}: expected one of {', '.join(allowed)} "
                "(replacing the built-in one) or a partial named _*.j2",
            )
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise _fail(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        try:
            parser.parse(source, name, str(path))
        except TemplateSyntaxError as exc:
            raise _fail(path, f"line {exc.lineno}: {exc.message}") from None
        files.append((path, source))
    return files


def _css(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if "</" in text:
        raise _fail(path, "'</' may not appear in a stylesheet that is inlined in <style>")
    return text


def _logo(path: Path) -> bytes:
    data = path.read_bytes()
    if len(data) > _MAX_LOGO_BYTES:
        raise _fail(path, f"{len(data)} bytes, expected at most {_MAX_LOGO_BYTES}")
    if path.suffix == ".png" and not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise _fail(path, "not a PNG image (it does not start with the PNG signature)")
    if path.suffix == ".svg" and b"<svg" not in data[:4096]:
        raise _fail(path, "not an SVG image (no <svg element near its start)")
    return data


def load_theme(folder: str | Path) -> Theme:
    """Read and check a theme folder (see the module's docstring for its layout).

    The folder is read once, whole (a :class:`Theme` carries its files' text
    and bytes to the rendering processes, wherever they run).

    Raises:
        PublishError: the folder is missing, holds an unknown file, a template
            with a syntax error, a stylesheet that is not UTF-8 or would end its
            ``<style>``, two logos, or a logo that is not what its name says.
            The message names the file and, for a template, the line.
    """
    root = Path(folder).expanduser().resolve()
    if not root.is_dir():
        raise _fail(root, "no such folder" if not root.exists() else "not a folder")
    digest = hashlib.blake2b(digest_size=16)
    templates: list[tuple[Path, str]] = []
    css = ""
    logos: list[Path] = []
    used: list[Path] = []
    for path in sorted(root.iterdir()):
        if path.name in _IGNORED or path.name.startswith("."):
            continue
        if path.name not in _KNOWN:
            raise _fail(
                path,
                "unknown file: a theme holds templates/, theme.css, logo.svg or logo.png "
                "(and README.md, LICENSE)",
            )
        if path.name == "templates":
            if not path.is_dir():
                raise _fail(path, "templates must be a folder")
            templates = _template_files(path)
            used += [file for file, _ in templates]
        elif path.name == "theme.css":
            css = _css(path)
            used.append(path)
        else:
            logos.append(path)
            used.append(path)
    if len(logos) > 1:
        raise _fail(root, "two logos (logo.svg and logo.png): keep one")
    logo = _logo(logos[0]) if logos else b""
    for path in used:
        name = path.relative_to(root).as_posix().encode("utf-8")
        data = path.read_bytes()
        for part in (name, data):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return Theme(
        folder=root,
        templates=tuple((p.relative_to(root / "templates").as_posix(), t) for p, t in templates),
        css=css,
        logo_name=logos[0].name if logos else "",
        logo=logo,
        digest=digest.hexdigest(),
    )
