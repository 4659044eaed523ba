"""Chrome words no built-in template shows, listed so the message catalogs hold them.

Babel extracts msgids from the templates and from Python code (``babel.cfg``);
the product page's own words are extracted from ``product.html.j2`` and the claim
wordings from :data:`gs1ld.pages.view.WORDING`.  The words here are on no
built-in page: they are kept, translated in every catalog, for a theme's
templates to use (``{{ _("Last updated") }}`` in the example theme's footer),
since a theme's templates are not extracted.  The text must match the msgid
exactly (a literal ``%`` is written ``%%``: new-style gettext always %-formats).
"""

from __future__ import annotations

from gs1ld.pages.i18n import N_

__all__ = ["THEME_WORDS"]

THEME_WORDS = (
    N_("Last updated"),
    N_("Machine-readable"),
    N_("No allergens declared"),
    N_("Origin"),
    N_("This page in other languages"),
)
"""Words a theme's templates may show translated (no built-in template uses them)."""
