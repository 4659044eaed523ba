"""A product's language pages, for ``hreflang`` alternates and the visible language switch.

A product whose name or description is given in several languages has a page
in each (``index.html`` in its main language, ``index.{tag}.html`` for the
others; see :attr:`gs1ld.publish.Publication.languages`).  Every one of them
links to all of them: ``<link rel="alternate" hreflang>`` in its head (with
``x-default`` on the main page) and a switch a shopper can see, each language
named in itself (*Deutsch*, *Français*) from CLDR through Babel.

>>> from gs1ld.catalog import parse_entry
>>> entry = parse_entry({"gtin": "9506000134352", "product": {"name": {"en": "Milk",
...     "fr": "Lait", "de": "Milch"}, "language": "en"}, "content": {"images": [],
...     "ingredients": [], "certifications": [], "claims": [], "recalls": []}})
>>> from gs1ld.publish import publish_entry
>>> for page in language_pages(publish_entry(entry), "fr"):
...     print(page.language, page.href, page.endonym, page.current)
en index.html English False
de index.de.html Deutsch False
fr index.fr.html Français True
"""

from __future__ import annotations

from dataclasses import dataclass

from gs1ld.pages.i18n import locale_for
from gs1ld.publish import Publication

__all__ = ["LanguagePage", "language_pages"]


@dataclass(frozen=True, slots=True)
class LanguagePage:
    """One of a product's pages, as a sibling page links to it.

    Attributes:
        language: its BCP 47 language tag (the ``hreflang`` value).
        href: its URL relative to any of the product's pages (they share a folder).
        url: its absolute URL when the site's page base is known, else None
            (``hreflang`` alternates should be absolute: use ``url or href``).
        endonym: the language's name in itself (``Français``), for the switch.
        current: whether it is the page being rendered (``aria-current="page"``).
        default: whether it is the main page (``hreflang="x-default"`` points at it).
    """

    language: str
    href: str
    url: str | None
    endonym: str
    current: bool
    default: bool


def _endonym(language: str) -> str:
    """The language's name in itself, capitalised as a switch shows it alone (``Français``)."""
    locale = locale_for(language)
    name = str(locale.get_display_name(locale) or language)
    return name[:1].upper() + name[1:]


def language_pages(publication: Publication, current: str) -> tuple[LanguagePage, ...]:
    """The product's pages in every language, the main one first; empty when it has one.

    Args:
        publication: the published product.
        current: the language of the page being rendered (``ProductView.language``).
    """
    if len(publication.languages) < 2:
        return ()
    paths = publication.paths
    absolute = {
        link.hreflang[0]: link.href
        for link in publication.links
        if link.rel == "pip" and link.hreflang
    }
    pages = []
    for number, language in enumerate(publication.languages):
        path = paths.page if number == 0 else paths.language_page(language)
        pages.append(
            LanguagePage(
                language=language,
                href=path.rsplit("/", 1)[-1],
                url=absolute.get(language),
                endonym=_endonym(language),
                current=language == current,
                default=number == 0,
            )
        )
    return tuple(pages)
