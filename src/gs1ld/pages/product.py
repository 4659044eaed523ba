"""Render a product's human page: HTML with its GS1 JSON-LD and a schema.org block.

The Jinja2 environments are built once per (theme, chrome language), with
autoescaping on for every template; feed text reaches the page only as escaped
text, safe URLs, or JSON that cannot end its ``<script>`` block.  Their templates
escape each output as markupsafe does, without wrapping what has nothing to escape
in a new ``Markup`` (``pages._output``: the same bytes, a tenth of a page sooner).

Each environment has Jinja's i18n extension with new-style gettext and the
chrome language's catalog installed (:mod:`gs1ld.pages.i18n`), so a template
writes ``{{ _("Ingredients") }}`` or ``{% trans %}…{% endtrans %}``; and the
filters ``number``, ``percent`` and ``date`` format a value for the page's
locale (the ``page_language`` render variable).  A theme's templates come
first in the loader chain and replace built-in ones by name; the built-in ones
stay reachable as ``builtin/{name}`` for a theme template to extend.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache, lru_cache
from typing import Any, NamedTuple

from jinja2 import (
    ChoiceLoader,
    DictLoader,
    Environment,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    pass_context,
)
from jinja2.runtime import Context
from markupsafe import Markup

from gs1ld._urls import safe_url
from gs1ld.errors import PublishError
from gs1ld.pages._literal_messages import literal_messages
from gs1ld.pages._output import OutputTemplate
from gs1ld.pages._safe import json_for_script
from gs1ld.pages.i18n import (
    SOURCE_LANGUAGE,
    chrome_language,
    format_date,
    format_number,
    format_percent,
    gettext_callables,
    lang_attr,
    page_context,
)
from gs1ld.pages.languages import LanguagePage, language_pages
from gs1ld.pages.qr import qr_svg
from gs1ld.pages.schema_org import schema_org_product
from gs1ld.pages.theme import BUILTIN_PREFIX, Theme
from gs1ld.pages.view import ProductView, build_view
from gs1ld.publish import Publication, product_paths

__all__ = ["environment", "redate_page", "render_page", "render_product_page", "render_view"]


def _language(context: Context) -> str:
    """The page language a render context holds (English when it holds none)."""
    language = context.get("page_language")
    return language if isinstance(language, str) and language else SOURCE_LANGUAGE


@pass_context
def _number(context: Context, value: float | int | None) -> str:
    """``{{ x | number }}``: a decimal number as the page's locale writes it ("" for None)."""
    return "" if value is None else format_number(value, _language(context))


@pass_context
def _percent(context: Context, value: float | int | None) -> str:
    """``{{ x | percent }}``: ``x`` percentage points (``12`` -> ``12%``, ``12 %`` in French)."""
    return "" if value is None else format_percent(value, _language(context))


@pass_context
def _date(context: Context, value: date | None) -> str:
    """``{{ d | date }}``: a date in the page locale's medium form ("" for None)."""
    return "" if value is None else format_date(value, _language(context))


@cache
def environment(theme: Theme | None = None, language: str = "en") -> Environment:
    """The Jinja2 environment of ``theme`` (None: the built-in look) for pages in ``language``.

    One per theme and chrome language (``fr-CA`` and ``fr`` share one; every
    language without a catalog shares the English one).
    """
    chrome = chrome_language(language)
    if chrome != language:
        return environment(theme, chrome)
    builtin = PackageLoader("gs1ld.pages", "templates")
    loaders = [builtin, PrefixLoader({BUILTIN_PREFIX: builtin})]
    if theme is not None and theme.templates:
        loaders.insert(0, DictLoader(dict(theme.templates)))
    # New-style gettext (values passed as keywords, escaped); gs1ld's own callables
    # behave as Jinja's but format a message without values once, not on every page,
    # and the built-in templates' literal messages are translated when they compile.
    gettext, ngettext = gettext_callables(chrome)
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates ship in the package: no mtime check on every page
        extensions=["jinja2.ext.i18n", literal_messages(gettext)],
    )
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.template_class = OutputTemplate  # autoescaping's outputs, the same bytes sooner
    env.globals.update(gettext=gettext, ngettext=ngettext, _=gettext)
    env.filters["safe_url"] = safe_url
    env.filters["number"] = _number
    env.filters["percent"] = _percent
    env.filters["date"] = _date
    env.globals.update(page_context(chrome))
    env.globals["site_root"] = ""
    # A theme's stylesheet and logo; the stylesheet was checked not to end its <style>.
    env.globals["theme_css"] = Markup(theme.css) if theme is not None else Markup("")
    env.globals["logo"] = theme.logo_path if theme is not None else ""
    return env


def render_page(
    template: str,
    /,
    *,
    language: str = "en",
    theme: Theme | None = None,
    site_root: str = "",
    **context: Any,
) -> str:
    """Render ``template`` for a page in ``language``, ``site_root`` up from the site's root.

    ``site_root`` is the relative prefix from the page back to the site's root
    (``../../`` for a product page), which the ``logo`` path is relative to.

    Raises:
        PublishError: a theme's template failed (an unknown variable, a missing include).
    """
    env = environment(theme, language)
    try:
        return env.get_template(template).render(
            **page_context(language), site_root=site_root, **context
        )
    except TemplateError as exc:
        if theme is None or not theme.templates:
            raise
        raise PublishError(
            f"theme {theme.folder}: rendering {template} failed: {exc.message or exc}"
        ) from None


def render_view(
    view: ProductView,
    *,
    jsonld: dict[str, Any],
    qr: str | None = None,
    theme: Theme | None = None,
    languages: Sequence[LanguagePage] = (),
) -> str:
    """Render the page for an already computed view and its GS1 JSON-LD document.

    ``qr`` is the product's QR code SVG when the caller already made it (QR
    encoding is the costliest step of a page, so it is done once per product).
    ``languages`` are the product's language pages (for ``hreflang`` links
    and the language switch; see :func:`gs1ld.pages.languages.language_pages`).
    """
    page = product_paths(view.gtin).page
    builtin = theme is None or not theme.templates
    return render_page(
        "product.html.j2",
        language=view.language,
        theme=theme,
        site_root="../" * page.count("/"),
        p=view,
        # the built-in line, rendered once a language and day (the include it stands for
        # made a new context of the whole page's on every page); a name no theme sets
        **(
            {"_gs1ld_last_updated": Markup(_last_updated(view.language, view.updated))}
            if builtin
            else {}
        ),
        languages=tuple(languages),
        feed_lang_attr=lang_attr(view.feed_language, view.language),
        # Markup: JSON escaped for <script> by json_for_script; SVG from segno with the
        # URI XML-escaped. Nothing else bypasses autoescaping.
        gs1_jsonld=Markup(json_for_script(jsonld)),
        schema_org=Markup(json_for_script(schema_org_product(view))),
        qr_svg=Markup(qr if qr is not None else qr_svg(view.uri)),
    )


def redate_page(html: str, view: ProductView, day: date, theme: Theme | None = None) -> str | None:
    """The page ``html``, rendered from ``view``, as it renders with ``day`` as its ``lastmod``.

    A product whose inputs changed is rendered with its previous ``lastmod`` first (its
    pages keep that day when they come out as before); when they do not, only the
    built-in page's "Last updated" line is rendered again, not the whole page (a third
    of a changed product's rendering).  None when the page must be rendered whole
    again instead: a theme with templates (they may show the day anywhere), a view
    without a day, or a page where the line is not found exactly once.
    """
    if theme is not None and theme.templates:
        return None
    # the built-in templates: the line reads nothing of the theme (shared cache entries)
    old = _last_updated(view.language, view.updated)
    if not old or html.count(old) != 1:
        return None
    return html.replace(old, _last_updated(view.language, day))


@lru_cache(maxsize=4096)
def _last_updated(language: str, day: date | None) -> str:
    """The built-in "Last updated" line of a page in ``language`` on ``day``: every
    built-in page takes it (:func:`render_view`), and a changed one's is replaced by it
    (:func:`redate_page`).  The pairs are few next to the pages (the build's day and the
    days the products last changed, in each page language); one no longer cached is
    rendered again."""
    return render_page("_last_updated.html.j2", language=language, p=_Dated(language, day))


class _Dated(NamedTuple):
    """What the "Last updated" line reads of a :class:`ProductView`: rendered alone, the
    partial sees these and nothing else, so a partial reading more of ``p`` fails here
    (and the tests comparing with a fresh rendering catch it)."""

    language: str
    updated: date | None


def render_product_page(
    publication: Publication, language: str | None = None, *, theme: Theme | None = None
) -> str:
    """The HTML page of a published product in ``language`` (its main one by default)."""
    view = build_view(publication, language)
    return render_view(
        view,
        jsonld=publication.document,
        theme=theme,
        languages=language_pages(publication, view.language),
    )
