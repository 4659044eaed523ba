"""The product page's chrome words, listed so the message catalogs hold them.

Babel extracts msgids from the templates and from Python code (``babel.cfg``);
the words here are the product page's, marked with :func:`~gs1ld.pages.i18n.N_`
so that every catalog carries them (translated) whatever the state of
``product.html.j2``.  A template shows one with ``{{ _("Ingredients") }}``;
the text must match the msgid here exactly (a literal ``%`` is written ``%%``:
new-style gettext always %-formats).  Words the template no longer uses
can go from this list (``pybabel update`` then marks them obsolete).
"""

from __future__ import annotations

from gs1ld.pages.i18n import N_

__all__ = ["PRODUCT_PAGE", "PRODUCT_PAGE_PLURALS"]


def ngettext(singular: str, plural: str, number: int) -> tuple[str, str]:
    """Mark a plural message for extraction (Babel's ``ngettext`` keyword); translates nothing.

    The template shows it with ``{{ ngettext(singular, plural, n, num=n | number) }}``.
    """
    return singular, plural


PRODUCT_PAGE = (
    # header, identifiers, sections
    N_("GTIN"),
    N_("GS1 Digital Link"),
    N_("Images"),
    N_("About this product"),
    N_("Ingredients"),
    N_("Allergens"),
    N_("Contains"),
    N_("May contain"),
    N_("Contains: %(allergens)s"),
    N_("May contain: %(allergens)s"),
    N_("No allergens declared"),
    N_("origin: %(origin)s"),
    N_("Origin"),
    N_("Product"),
    N_("%(name)s, image %(number)s"),
    # recalls
    N_("Recall notice"),
    N_("Date"),
    N_("Company"),
    N_("Hazard"),
    N_("What to do"),
    N_("Where"),
    N_("Official recall notice"),
    # nutrition
    N_("Nutrition"),
    N_("Nutrition Facts"),
    N_("Serving size"),
    N_("Serving size: %(size)s"),
    N_("Calories"),
    N_("Amount per serving"),
    N_("%% Daily Value*"),
    N_(
        "* The %% Daily Value tells you how much a nutrient in a serving of food contributes "
        "to a daily diet. 2,000 calories a day is used for general nutrition advice."
    ),
    N_("Nutrition declaration per 100 g / 100 ml"),
    N_("Nutrition declaration per 100 g"),
    N_("Nutrition declaration per 100 ml"),
    N_("Nutrition declaration per serving"),
    N_("Nutrient"),
    N_("Per 100 g / 100 ml"),
    N_("Per 100 g"),
    N_("Per 100 ml"),
    N_("Per serving"),
    N_("%% RI*"),
    N_("* Reference intake of an average adult (8400 kJ / 2000 kcal)."),
    # certifications and claims
    N_("Certifications"),
    N_("%(label)s logo"),
    N_("Active"),
    N_("Inactive"),
    N_("Expired"),
    N_("Unverified"),
    N_("Issued by"),
    N_("Certificate"),
    N_("Valid from"),
    N_("Valid until"),
    N_("Scope"),
    N_("Verify this certificate"),
    N_("About %(label)s"),
    N_("Claims"),
    N_("Verified by a third party"),
    N_("Self-declared by the brand"),
    # circularity, traceability
    N_("Circularity"),
    N_("Overall"),
    N_("Durability"),
    N_("Recyclability"),
    N_("Repairability"),
    N_("Reusability"),
    N_("Methodology"),
    N_("Assessed"),
    N_("Food traceability"),
    N_("This product is on the US FDA Food Traceability List (FSMA 204)."),
    N_("This product contains a food on the US FDA Food Traceability List (FSMA 204)."),
    N_("Categories: %(categories)s"),
    N_("Its supply chain keeps additional traceability records."),
    # QR code, footer, languages
    N_("QR code"),
    N_("Scan to open"),
    N_("Machine-readable"),
    N_("Machine-readable:"),
    N_("GS1 Web Vocabulary JSON-LD"),
    N_("Linkset"),
    N_("Last updated"),
    N_("Last updated: %(date)s"),
    N_("Language"),
    N_("This page in other languages"),
)
"""Every product-page msgid (the template translates each where it shows it)."""

PRODUCT_PAGE_PLURALS = (
    ngettext("%(num)s serving per container", "%(num)s servings per container", 2),
    ngettext("%(num)s serving per pack", "%(num)s servings per pack", 2),
)
"""The product page's plural messages (singular, plural)."""
