"""The page chrome in the shopper's language: message catalogs and locale formatting.

The words gs1ld itself puts on a page ("Ingredients", "Contains", "Scan to
open"…) are looked up in gettext message catalogs, one per language, under
``locales/{language}/LC_MESSAGES/gs1ld.po`` beside this module.  The wheel
carries them compiled (``gs1ld.mo``, made by the build hook in
``hatch_build.py``); a source checkout or an editable install has only the
``.po`` files, which are compiled in memory the first time a language is used.

A page is written in its *content* language (the language of the product's
name and description, ``<html lang>``); its chrome is in that language when a
catalog exists for it (or for its primary subtag: ``fr-CA`` uses ``fr``),
else in English, and then every chrome string must say so with its own
``lang="en"`` (WCAG 3.1.2): :func:`chrome_language` and :func:`page_context`
give the templates what they need for that.

Numbers, percentages and dates are formatted for the page's locale with Babel
(CLDR data): ``1.5`` reads ``1,5`` on a French page, ``2026-06-01`` reads
``1 juin 2026``.

>>> chrome_language("fr-CA"), chrome_language("pt-BR"), chrome_language("xx")
('fr', 'en', 'en')
>>> translations("de").gettext("Ingredients")
'Zutaten'
>>> format_number(1.5, "fr"), format_number(2000, "en"), format_percent(12.5, "de")
('1,5', '2,000', '12,5\\xa0%')
>>> format_percent(12, "en"), format_percent(33.3333, "fr"), format_date(date(2026, 6, 1), "fr")
('12%', '33,33\\xa0%', '1 juin 2026')
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_format_percent
from babel.support import Translations
from markupsafe import Markup

__all__ = [
    "CATALOG_LANGUAGES",
    "DOMAIN",
    "N_",
    "SOURCE_LANGUAGE",
    "chrome_language",
    "format_date",
    "format_number",
    "format_percent",
    "gettext_callables",
    "lang_attr",
    "locale_for",
    "page_context",
    "translations",
]

DOMAIN = "gs1ld"
"""The gettext domain: the catalogs are ``gs1ld.po`` / ``gs1ld.mo``."""

SOURCE_LANGUAGE = "en"
"""The language the msgids are written in (English: no catalog needed)."""

CATALOG_LANGUAGES = ("de", "en", "es", "fr", "it", "nl")
"""The languages gs1ld ships a catalog for (tests hold every one complete)."""


def N_(message: str) -> str:  # noqa: N802 (the gettext convention for "mark, do not translate")
    """Mark ``message`` for extraction without translating it (translated where shown).

    >>> N_("Verified by a third party")
    'Verified by a third party'
    """
    return message


def _locales() -> Traversable:
    return resources.files("gs1ld.pages").joinpath("locales")


def _primary(language: str) -> str:
    return language.split("-")[0].split("_")[0].lower()


def chrome_language(language: str) -> str:
    """The language a page in ``language`` shows its chrome in: its own, else English.

    A catalog for the exact tag or its primary subtag counts (``fr-CA`` -> ``fr``).
    """
    primary = _primary(language)
    return primary if primary in CATALOG_LANGUAGES else SOURCE_LANGUAGE


@cache
def translations(language: str) -> Translations:
    """The chrome translations of ``language`` (its compiled catalog, else its ``.po``).

    A language without a catalog gets the English one.
    """
    chrome = chrome_language(language)
    folder = _locales().joinpath(chrome, "LC_MESSAGES")
    compiled = folder.joinpath(f"{DOMAIN}.mo")
    if compiled.is_file():
        with compiled.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    with folder.joinpath(f"{DOMAIN}.po").open("rb") as handle:
        catalog = read_po(handle, locale=chrome, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


_CACHED_MESSAGES = 4096


def gettext_callables(
    language: str,
) -> tuple[Callable[..., Markup], Callable[..., Markup]]:
    """New-style ``gettext`` and ``ngettext`` for Jinja templates in ``language``.

    They behave as Jinja's own new-style callables on an autoescaping
    environment (the translation is markup, the keyword values are escaped
    into its ``%(name)s`` placeholders, ``%%`` is a literal ``%``; ``ngettext``
    fills ``num`` with the count), but a message without values is looked up
    and formatted once, not on every page: Jinja's generic path costs several
    microseconds a string, and a page holds dozens.

    >>> gettext, ngettext = gettext_callables("fr")
    >>> gettext("Contains: %(allergens)s", allergens="<lait>"), gettext("%% RI*")
    (Markup('Contient\xa0: &lt;lait&gt;'), Markup('% AR*'))
    >>> ngettext("%(num)s product", "%(num)s products", 2)
    Markup('2 produits')
    """
    catalog = translations(language)
    plain: dict[str, Markup] = {}

    def gettext(message: str, /, **variables: Any) -> Markup:
        if variables:
            return Markup(catalog.gettext(message)) % variables
        found = plain.get(message)
        if found is None:
            found = Markup(catalog.gettext(message)) % {}
            if len(plain) < _CACHED_MESSAGES:  # messages are the templates' few literals
                plain[message] = found
        return found

    def ngettext(singular: str, plural: str, number: int, /, **variables: Any) -> Markup:
        variables.setdefault("num", number)
        return Markup(catalog.ngettext(singular, plural, number)) % variables

    return gettext, ngettext


@lru_cache(maxsize=256)
def locale_for(language: str) -> Locale:
    """The Babel locale of a BCP 47 tag (``fr-CA``), its primary subtag's, else English."""
    for candidate in (language, _primary(language)):
        try:
            return Locale.parse(candidate, sep="-" if "-" in candidate else "_")
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return Locale.parse(SOURCE_LANGUAGE)


@lru_cache(maxsize=4096)  # Babel takes microseconds a number; pages repeat the same few
def format_number(value: float | int, language: str) -> str:
    """``value`` as the locale writes a decimal number (up to 3 decimals, grouped).

    What rounds to zero is written ``0``, never ``-0``: ``-0.0`` and ``0.0`` are one
    key to the cache, so a page must not depend on which of them a worker formatted
    first, and a shopper reads no sign on nothing.
    """
    if isinstance(value, int | float | Decimal) and -_LEAST <= value <= _LEAST:
        value = 0  # (half to even: 0.0005 gives 0 too; a text Babel reads as it is)
    return str(format_decimal(value, locale=locale_for(language)))


_LEAST = 0.0005
"""Half the smallest step :func:`format_number` writes (three decimals)."""


@lru_cache(maxsize=4096)
def format_percent(value: float | int, language: str) -> str:
    """``value`` *percentage points* (``12.5`` -> ``12.5%``) as the locale writes a percentage."""
    fraction = Decimal(str(round(value, 2) or 0)) / 100  # up to 2 decimals; zero unsigned
    locale = locale_for(language)
    return str(babel_format_percent(fraction, locale=locale, decimal_quantization=False))


@lru_cache(maxsize=4096)
def format_date(value: date, language: str) -> str:
    """``value`` in the locale's medium date form (``Jun 1, 2026``, ``1 juin 2026``)."""
    return str(babel_format_date(value, format="medium", locale=locale_for(language)))


def lang_attr(text_language: str, page_language: str) -> Markup:
    """`` lang="…"`` markup for text in ``text_language`` on a page in ``page_language``.

    Empty when both are the same language (WCAG 3.1.2 asks a ``lang`` only where
    the language changes).

    >>> lang_attr("en", "fr"), lang_attr("en-US", "en")
    (Markup(' lang="en"'), Markup(''))
    """
    if not text_language or _primary(text_language) == _primary(page_language):
        return Markup("")
    return Markup(' lang="{}"').format(text_language)


def page_context(language: str) -> dict[str, Any]:
    """The render variables that say which language a page and its chrome are in.

    ``page_language`` is the content language (``<html lang>``, the formatting
    locale); ``chrome_lang`` the chrome's; ``chrome_lang_attr`` is
    ``lang="en"`` markup (with a leading space) to put on an element holding
    chrome text when the two differ, and empty when they agree.

    >>> page_context("pt")["chrome_lang_attr"], page_context("fr-CA")["chrome_lang_attr"]
    (Markup(' lang="en"'), Markup(''))
    """
    chrome = chrome_language(language)
    return {
        "page_language": language,
        "chrome_lang": chrome,
        "chrome_lang_attr": lang_attr(chrome, language),
    }
