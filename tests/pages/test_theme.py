"""A brand's theme: templates replacing the built-in ones, its stylesheet and logo, bad input."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from gs1ld.catalog import parse_entry
from gs1ld.catalog.source import catalog_source
from gs1ld.cli import cli
from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.errors import PublishError
from gs1ld.pages.product import environment, render_page, render_product_page
from gs1ld.pages.theme import Theme, builtin_templates, load_theme
from gs1ld.pages.theme_check import check_theme
from gs1ld.publish import Publication, publish_entry
from gs1ld.site.build import build_site
from gs1ld.site.product_files import input_hash
from gs1ld.site.sitewide import site_inputs
from support import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "examples" / "theme"
EXAMPLE_PRODUCT = "examples/catalog/12-croissant-multilingual.json"
DAY = date(2026, 6, 1)
LISTING = {
    "name": "Green Valley",
    "root": "https://id.brand.example",
    "contact": None,
    "count": 1,
    "rows": "",
    "sort_label": "name",
    "orders": [],
    "page": 1,
    "pages": 1,
    "previous": "",
    "next": "",
    "pages_href": "index/name/pages.html",
}


@pytest.fixture
def theme_dir(tmp_path: Path) -> Path:
    """A copy of the example theme to change."""
    return Path(shutil.copytree(EXAMPLE, tmp_path / "theme"))


def test_the_example_theme_loads() -> None:
    theme = load_theme(EXAMPLE)
    assert [name for name, _ in theme.templates] == [
        "_brand_header.html.j2",
        "index.html.j2",
        "pages.html.j2",
        "product.html.j2",
    ]
    assert (theme.logo_name, theme.logo_path) == ("logo.svg", "theme/logo.svg")
    assert theme.logo == (EXAMPLE / "logo.svg").read_bytes()
    assert "--font-heading: Georgia" in theme.css
    assert load_theme(str(EXAMPLE)) == theme  # equal by digest: one cached environment


def test_the_digest_follows_every_file(theme_dir: Path) -> None:
    before = load_theme(theme_dir).digest
    assert load_theme(theme_dir).digest == before
    digests = {before}
    for name in ("theme.css", "logo.svg", "templates/_brand_header.html.j2"):
        with (theme_dir / name).open("a", encoding="utf-8") as handle:
            handle.write("\n")
        digests.add(load_theme(theme_dir).digest)
    (theme_dir / "README.md").write_text("ignored", encoding="utf-8")
    digests.add(load_theme(theme_dir).digest)
    assert len(digests) == 4  # the README changed nothing


def test_a_theme_template_replaces_the_builtin_one() -> None:
    theme = load_theme(EXAMPLE)
    html = render_page("index.html.j2", theme=theme, site_root="../../", **LISTING)
    assert '<header class="brand-bar">' in html
    assert '<img src="../../theme/logo.svg" alt="Green Valley" width="120" height="40">' in html
    assert '<footer class="brand-footer"><p>Last updated · Green Valley Foods</p></footer>' in html
    # the rest is the built-in page it extends, the theme's style after the built-in one
    assert '<input type="search" id="q"' in html
    builtin_style = html.index(":root{--ink:#1b1b1b")
    assert html.index("--accent: #0b6e4f;") > builtin_style
    # in another language the theme's words are translated too
    french = render_page("index.html.j2", theme=theme, language="fr", **LISTING)
    assert "<p>Dernière mise à jour · Green Valley Foods</p>" in french


def test_templates_a_theme_does_not_replace_stay_builtin() -> None:
    theme = load_theme(EXAMPLE)
    name = "_language_switch.html.j2"
    source, _, _ = environment(theme).loader.get_source(environment(theme), name)  # type: ignore[union-attr]
    assert source == (PROJECT_ROOT / "src/gs1ld/pages/templates" / name).read_text(encoding="utf-8")


def test_the_example_theme_replaces_the_product_pages_header() -> None:
    entry = parse_entry(json.loads((PROJECT_ROOT / EXAMPLE_PRODUCT).read_text("utf-8")))
    publication = publish_entry(entry, ExportConfig(base_url="https://id.brand.example", today=DAY))
    html = render_product_page(publication, "en", theme=load_theme(EXAMPLE))
    bar = html.index('<header class="brand-bar">')
    assert '<img src="../../theme/logo.svg" alt="Green Valley" width="120" height="40">' in html
    assert html.index("<h1>", bar) < html.index("</header>", bar)  # the name in the bar
    # the language switch stays above the header, the allergen box right under it
    assert html.index('<nav class="languages"') < bar < html.index('id="allergen-summary"')
    assert html.index('id="allergen-summary"') < html.index('id="images-heading"')
    assert '<p class="ids">Boulangerie du Parc · GTIN <code>09506000134468</code></p>' in html
    assert html.count("<h1>") == 1
    french = render_product_page(publication, "fr", theme=load_theme(EXAMPLE))
    assert "Contient\u00a0:" in french


def test_environments_are_kept_per_theme() -> None:
    theme = load_theme(EXAMPLE)
    assert environment(theme, "de") is environment(load_theme(EXAMPLE), "de-CH")
    assert environment(theme, "de") is not environment(None, "de")


@pytest.mark.parametrize("template", sorted(t for t in builtin_templates() if t[0] != "_"))
def test_builtin_styles_read_the_custom_properties(template: str) -> None:
    """The properties a theme sets are the ones the built-in styles use."""
    source = (PROJECT_ROOT / "src/gs1ld/pages/templates" / template).read_text(encoding="utf-8")
    for name in ("--ink", "--bg", "--accent", "--font-body", "--font-heading"):
        assert f"{name}:" in source, name
        assert f"var({name})" in source, name
    assert "{% if theme_css %}<style>{{ theme_css }}</style>{% endif %}" in source
    assert '{% if logo %}<img src="{{ site_root }}{{ logo }}"' in source


def test_without_a_theme_nothing_is_added() -> None:
    html = render_page("index.html.j2", **LISTING)
    assert html.count("<style>") == 1
    assert "<img" not in html


def _bad(tmp_path: Path, files: dict[str, bytes]) -> Path:
    root = tmp_path / "bad"
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    root.mkdir(exist_ok=True)
    return root


@pytest.mark.parametrize(
    ("files", "where", "problem"),
    [
        (
            {"theme.ccs": b""},
            "theme.ccs",
            "unknown file: a theme holds templates/, theme.css, "
            "logo.svg or logo.png (and README.md, LICENSE)",
        ),
        ({"templates": b""}, "templates", "templates must be a folder"),
        (
            {"templates/product.html": b""},
            "templates/product.html",
            "unknown template "
            "'product.html': expected one of index.html.j2, pages.html.j2, product.html.j2 "
            "(replacing the built-in one) or a partial named _*.j2",
        ),
        (
            {"templates/index.html.j2": b"{% block x %}"},
            "templates/index.html.j2",
            "line 1: Unexpected end of template. Jinja was looking for the following tags: "
            "'endblock'. The innermost block that needs to be closed is 'block'.",
        ),
        (
            {"templates/index.html.j2": b"ok\n{{ x | }}"},
            "templates/index.html.j2",
            "line 2: expected token 'name', got 'end of print statement'",
        ),
        (
            {"theme.css": b"a{}</style><script>"},
            "theme.css",
            "'</' may not appear in a stylesheet that is inlined in <style>",
        ),
        ({"theme.css": b"\xff"}, "theme.css", "not UTF-8 text (invalid start byte at byte 0)"),
        (
            {"logo.svg": b"<svg/>", "logo.png": b"\x89PNG\r\n\x1a\n"},
            "",
            "two logos (logo.svg and logo.png): keep one",
        ),
        (
            {"logo.png": b"<svg/>"},
            "logo.png",
            "not a PNG image (it does not start with the PNG signature)",
        ),
        ({"logo.svg": b"GIF89a"}, "logo.svg", "not an SVG image (no <svg element near its start)"),
    ],
    ids=[
        "unknown-file",
        "templates-not-a-folder",
        "unknown-template",
        "unclosed-block",
        "syntax-error-line-2",
        "css-ends-style",
        "css-not-utf8",
        "two-logos",
        "png-not-png",
        "svg-not-svg",
    ],
)
def test_bad_themes_are_refused_naming_the_file(
    tmp_path: Path, files: dict[str, bytes], where: str, problem: str
) -> None:
    root = _bad(tmp_path, files)
    path = root / where if where else root
    with pytest.raises(PublishError) as caught:
        load_theme(root)
    assert str(caught.value) == f"theme {path}: {problem}"


def test_a_missing_theme_folder(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match=f"^theme {tmp_path / 'nope'}: no such folder$"):
        load_theme(tmp_path / "nope")
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(PublishError, match=f"^theme {tmp_path / 'file'}: not a folder$"):
        load_theme(tmp_path / "file")


def test_a_template_failing_at_render_time_names_it(tmp_path: Path) -> None:
    theme = load_theme(_bad(tmp_path, {"templates/pages.html.j2": b"<p>{{ nope }}</p>"}))
    with pytest.raises(PublishError) as caught:
        render_page("pages.html.j2", theme=theme)
    assert str(caught.value) == (
        f"theme {tmp_path / 'bad'}: rendering pages.html.j2 failed: 'nope' is undefined"
    )


def test_a_theme_is_part_of_every_input_hash(theme_dir: Path) -> None:
    raw = {"gtin": "09506000134352"}
    plain = SiteConfig(ExportConfig(today=DAY))
    themed = SiteConfig(ExportConfig(today=DAY), theme=load_theme(theme_dir))
    (theme_dir / "theme.css").write_text(":root{--accent:#a00}", encoding="utf-8")
    changed = SiteConfig(ExportConfig(today=DAY), theme=load_theme(theme_dir))
    hashes = {input_hash(raw, config, "1") for config in (plain, themed, changed)}
    inputs = {site_inputs(config, "1") for config in (plain, themed, changed)}
    assert (len(hashes), len(inputs)) == (3, 3)


def test_a_themed_site_has_its_logo_once(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    shutil.copy(PROJECT_ROOT / "examples/catalog/01-whole-milk.json", catalog)
    config = SiteConfig(
        ExportConfig(base_url="https://id.brand.example", today=DAY), theme=load_theme(EXAMPLE)
    )
    report = build_site(catalog_source(str(catalog), {}), tmp_path / "site", config=config)
    assert report.invalid == []
    site = tmp_path / "site" / "current"
    assert (site / "theme/logo.svg").read_bytes() == (EXAMPLE / "logo.svg").read_bytes()
    assert sorted(p.name for p in (site / "theme").iterdir()) == ["logo.svg"]
    assert '<img src="theme/logo.svg" alt="Green Valley"' in (site / "index.html").read_text(
        encoding="utf-8"
    )
    listing = (site / "index/name/pages.html").read_text(encoding="utf-8")
    assert '<img src="../../theme/logo.svg" alt="Green Valley"' in listing


def test_cli_refuses_a_bad_theme_with_exit_code_2(tmp_path: Path) -> None:
    bad = _bad(tmp_path, {"theme.ccs": b""})
    result = CliRunner().invoke(
        cli,
        [
            "site",
            "build",
            str(PROJECT_ROOT / "examples/catalog"),
            "-o",
            str(tmp_path / "s"),
            "--theme",
            str(bad),
        ],
    )
    assert result.exit_code == 2
    assert f"Invalid value for '--theme': theme {bad / 'theme.ccs'}: unknown file" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "s").exists()


def test_theme_is_a_value_object() -> None:
    theme = load_theme(EXAMPLE)
    other = Theme(theme.folder, (), "", "", b"", theme.digest)
    assert theme == other
    assert hash(theme) == hash(other)
    assert theme != object()


def test_a_template_failing_only_when_rendered_stops_the_cli_before_the_build(
    tmp_path: Path,
) -> None:
    bad = _bad(tmp_path, {"templates/product.html.j2": b"<p>{{ p.no_such_fact }}</p>"})
    result = CliRunner().invoke(
        cli,
        [
            "site",
            "build",
            str(PROJECT_ROOT / "examples/catalog"),
            "-o",
            str(tmp_path / "s"),
            "--theme",
            str(bad),
        ],
    )
    assert result.exit_code == 2
    assert (
        f"Invalid value for '--theme': theme {bad}: rendering product.html.j2 failed: "
        "'gs1ld.pages.view.ProductView object' has no attribute 'no_such_fact'"
    ) in " ".join(result.output.split())
    assert not (tmp_path / "s").exists()


def test_the_example_theme_passes_its_check() -> None:
    check_theme(load_theme(EXAMPLE))  # raises on a failing template


@pytest.mark.parametrize(
    ("product", "language"),
    [
        (EXAMPLE_PRODUCT, "en"),
        (EXAMPLE_PRODUCT, "fr"),
        ("examples/catalog/23-pierniki-pl.json", "pl"),
    ],
)
@pytest.mark.parametrize("day", [DAY, date(2027, 1, 31)])
def test_the_last_updated_line_given_is_the_one_the_partial_renders(
    tmp_path: Path, product: str, language: str, day: date
) -> None:
    """Without a theme, a product page takes its "Last updated" line rendered once a
    language and day; a theme with templates has the page include the partial (it may
    replace it). A theme replacing only the listing page must leave the product page as
    the built-in one writes it, byte for byte: in English, in a language with its own
    chrome, and in one whose chrome is English (the date then marked with its language)."""
    folder = tmp_path / "theme" / "templates"
    folder.mkdir(parents=True)
    builtin = environment(None, "en").loader
    assert builtin is not None
    source, _, _ = builtin.get_source(environment(None, "en"), "index.html.j2")
    (folder / "index.html.j2").write_text(source, "utf-8")
    theme = load_theme(tmp_path / "theme")
    assert [name for name, _ in theme.templates] == ["index.html.j2"]
    assert (theme.css, theme.logo_name) == ("", "")
    publication = _published(day, product)

    included = render_product_page(publication, language, theme=theme)
    given = render_product_page(publication, language)

    assert given == included
    assert f'<html lang="{language}">' in given
    assert f'data-lastmod="{day.isoformat()}"' in given


def _published(day: date, product: str = EXAMPLE_PRODUCT) -> Publication:
    """The example ``product`` (the croissants by default) as published, last changed on ``day``."""
    entry = parse_entry(json.loads((PROJECT_ROOT / product).read_text("utf-8")))
    config = ExportConfig(base_url="https://id.brand.example", today=DAY)
    return replace(publish_entry(entry, config), lastmod=day)


def test_a_theme_replacing_the_last_updated_partial_has_its_line_shown(tmp_path: Path) -> None:
    """The line rendered once is the built-in partial's: a theme that replaces the partial
    has its own on every product page."""
    folder = tmp_path / "theme" / "templates"
    folder.mkdir(parents=True)
    (folder / "_last_updated.html.j2").write_text(
        '<p id="last-updated">Fresh as of {{ p.updated.isoformat() }}</p>', "utf-8"
    )
    html = render_product_page(_published(DAY), "fr", theme=load_theme(tmp_path / "theme"))
    assert '<p id="last-updated">Fresh as of 2026-06-01</p>' in html
    assert "Dernière mise à jour" not in html


def test_a_theme_variable_named_like_the_line_leaves_the_footer_alone(tmp_path: Path) -> None:
    """A theme extending the built-in page may set variables of its own (a top-level
    ``set`` is seen by the page it extends): the footer still shows the built-in line."""
    folder = tmp_path / "theme" / "templates"
    folder.mkdir(parents=True)
    (folder / "product.html.j2").write_text(
        '{% extends "builtin/product.html.j2" %}{% set last_updated = "mine" %}'
        "{% block header %}{{ super() }}<p>{{ last_updated }}</p>{% endblock %}",
        "utf-8",
    )
    html = render_product_page(_published(DAY), "en", theme=load_theme(tmp_path / "theme"))
    footer = html[html.index("<footer") :]
    assert '<p id="last-updated" data-lastmod="2026-06-01">' in footer
    assert "mine" not in footer
