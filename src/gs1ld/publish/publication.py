"""One published product, computed once: :func:`publish_entry` and :class:`Publication`.

Everything a published product *is* (its Digital Link URI, its files, its
display name and language, its links, each certificate's status and badge, its
JSON-LD) is worked out here from a catalog entry, then handed to whoever
writes or serves it: ``gs1ld convert``, the site build, the resolver server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from gs1ld._text import pick_text
from gs1ld.catalog.entry import CatalogEntry
from gs1ld.config import ExportConfig
from gs1ld.mapping import AllergenFact, MappedProduct, map_entry
from gs1ld.mapping.certification import CertificateStatus
from gs1ld.mapping.tables import load_tables
from gs1ld.publish.layout import LANGUAGE_PAGE_TAG, ProductPaths, product_paths, product_uri
from gs1ld.publish.links import ALLERGEN_INFO, Link, product_links
from gs1ld.publish.linkset import linkset_document
from gs1ld.publish.status import CertificateState, certificate_state

__all__ = [
    "NutritionBasis",
    "Publication",
    "Text",
    "map_published",
    "publish_entry",
    "same_scheme",
    "to_jsonld",
]


@dataclass(frozen=True, slots=True)
class Text:
    """A piece of display text and the language it is in."""

    value: str
    language: str


@dataclass(frozen=True, slots=True)
class NutritionBasis:
    """What the nutrition panel's amounts are given per, as the JSON-LD states it.

    Attributes:
        kind: ``BY_SERVING`` or ``BY_MEASURE`` (a ``gs1:NutrientBasisQuantityCode``).
        value: the basis quantity (100 for per 100 g, the serving's size per serving).
        unit: its UN/ECE Rec 20 code (``GRM``, ``MLT``…).
    """

    kind: str
    value: float
    unit: str


@dataclass(frozen=True, slots=True)
class Publication:
    """What one product publishes.

    Attributes:
        entry: the catalog entry it was computed from.
        today: the reference day it was computed for.
        uri: its GS1 Digital Link URI (the linkset anchor, the JSON-LD ``@id``).
        paths: its files on the site.
        name: its name as the feed gives it (possibly empty) and its language.
        description: its description (possibly empty) and language.
        languages: the languages its pages are written in, the main one first (the
            others each get ``index.{language}.html``).
        brand: its brand, or ``""``.
        links: its typed links, in linkset order.
        certificates: certificate id -> its status and badge.
        mapped: its JSON-LD document and the notes of the mapping.
        feed_language: the language of the API's own text it carries (certificate and
            claim names, recall fields, nutrient names: ``ExportConfig.feed_language``),
            which a page in another language marks with its own ``lang``.
        lastmod: the day its pages last changed, once the site has decided it (the
            manifest's and the sitemap's ``lastmod``; see
            :func:`gs1ld.site.product_files.render_product`), else None.
    """

    entry: CatalogEntry
    today: date
    uri: str
    paths: ProductPaths
    name: Text
    description: Text
    languages: tuple[str, ...]
    brand: str
    links: tuple[Link, ...]
    certificates: dict[str, CertificateState]
    mapped: MappedProduct
    feed_language: str = "en"
    lastmod: date | None = None

    @property
    def gtin(self) -> str:
        """The product's GTIN-14."""
        return self.entry.gtin

    def in_language(self, language: str) -> tuple[Text, Text]:
        """The product's name and description as its page in ``language`` shows them."""
        if language == self.name.language:
            return self.name, self.description
        return texts_in(self.entry, language)

    @property
    def claim_certificates(self) -> dict[str, tuple[str, ...]]:
        """Claim id -> the ids of its certificates of the same scheme (:func:`same_scheme`),
        whose state says whether a "verified" claim is: worked out when a page asks (the
        JSON-LD never does)."""
        return _claim_certificates(self.entry)

    @property
    def label(self) -> str:
        """The name to display: the product's name, else ``GTIN {gtin}``."""
        return self.name.value or f"GTIN {self.entry.gtin}"

    @property
    def allergens(self) -> tuple[AllergenFact, ...]:
        """The allergens its JSON-LD states (``gs1:hasAllergen``), grouped for a reader."""
        return self.mapped.allergens

    @property
    def nutrition_basis(self) -> NutritionBasis | None:
        """The basis its JSON-LD gives the nutrition amounts, or None when it states none."""
        document = self.mapped.document
        kind = document.get("gs1:nutrientBasisQuantityType")
        quantity = document.get("gs1:nutrientBasisQuantity")
        if not isinstance(kind, dict) or not isinstance(quantity, dict):
            return None
        return NutritionBasis(
            str(kind["@id"]).rsplit("-", 1)[-1],
            float(quantity["gs1:value"]["@value"]),
            str(quantity["gs1:unitCode"]),
        )

    @property
    def document(self) -> dict[str, Any]:
        """The product's GS1 Web Vocabulary JSON-LD document."""
        return self.mapped.document

    def linkset(self) -> dict[str, Any]:
        """The product's linkset (RFC 9264, ``application/linkset+json``)."""
        return linkset_document(self.uri, self.label, self.links)


class _Linked(NamedTuple):
    """What the JSON-LD of a product needs worked out before its mapping: its texts,
    the languages of its pages, its URI and files, and its links."""

    name: Text
    description: Text
    languages: tuple[str, ...]
    uri: str
    paths: ProductPaths
    links: tuple[Link, ...]


def _linked(entry: CatalogEntry, config: ExportConfig) -> _Linked:
    product = entry.product
    name, description = texts_in(entry, product.language if product else config.language)
    label = name.value or f"GTIN {entry.gtin}"
    others = _other_languages(entry, name.language)
    pages = (
        (name.language, label),
        *((tag, texts_in(entry, tag)[0].value or label) for tag in others),
    )
    paths = product_paths(entry.gtin)
    links = product_links(
        entry, page_base=config.page_base, label=label, languages=pages, paths=paths
    )
    return _Linked(
        name,
        description,
        (name.language, *others),
        product_uri(config.base_url, entry.gtin),
        paths,
        links,
    )


def publish_entry(entry: CatalogEntry, config: ExportConfig | None = None) -> Publication:
    """Work out everything ``entry`` publishes, once.

    Raises:
        MappingError: a crosswalk table cannot be used.
    """
    config = config or ExportConfig()
    linked = _linked(entry, config)
    certificates: dict[str, CertificateState] = {}
    decisions: dict[str, CertificateStatus] = {}
    if entry.content.certifications:
        override = Path(config.mappings_dir) if config.mappings_dir else None
        policy = load_tables(override).certification_status
        for cert in entry.content.certifications:
            state = certificates[cert.id] = certificate_state(
                cert, today=config.today, policy=policy
            )
            decisions[cert.id] = state.decision
    mapped = map_entry(
        entry,
        config=config,
        uri=linked.uri,
        links=linked.links,  # a Link starts with its (rel, href): the mapping reads those two
        decisions=decisions,
    )
    links = linked.links
    if not mapped.states_allergens:  # the allergen link points at facts the JSON-LD states
        links = tuple([link for link in links if link.rel != ALLERGEN_INFO])
    product = entry.product
    return Publication(
        entry=entry,
        today=config.today,
        uri=linked.uri,
        paths=linked.paths,
        name=linked.name,
        description=linked.description,
        languages=linked.languages,
        brand=(product.brand or "") if product else "",
        links=links,
        certificates=certificates,
        mapped=mapped,
        feed_language=config.feed_language,
    )


def map_published(entry: CatalogEntry, config: ExportConfig | None = None) -> MappedProduct:
    """The JSON-LD document and notes :func:`publish_entry` gives ``entry`` (the same
    links, the same certificate decisions), without what only pages read (texts per
    page, badges): what ``gs1ld convert`` writes.

    Raises:
        MappingError: a crosswalk table cannot be used.
    """
    config = config or ExportConfig()
    linked = _linked(entry, config)
    # the decisions are made inside, by the rule certificate_state follows
    return map_entry(entry, config=config, uri=linked.uri, links=linked.links)


def _claim_certificates(entry: CatalogEntry) -> dict[str, tuple[str, ...]]:
    """Claim id -> the ids of the entry's certificates of the same scheme (:func:`same_scheme`)."""
    content = entry.content
    certifications = content.certifications
    if not certifications:  # most products: every claim has none
        return dict.fromkeys([claim.id for claim in content.claims], ())
    return {
        claim.id: tuple([c.id for c in certifications if same_scheme(claim.code, c.code)])
        for claim in content.claims
    }


@lru_cache(maxsize=4096)
def same_scheme(claim_code: str, certificate_code: str) -> bool:
    """Whether a certificate of ``certificate_code`` is of the scheme claim ``claim_code`` names.

    The claim code's words stand together in the certificate code's: a NON_GMO claim and
    a NON_GMO_PROJECT certificate, ORGANIC and USDA_ORGANIC, KOSHER and KOSHER.

    >>> same_scheme("NON_GMO", "NON_GMO_PROJECT"), same_scheme("organic", "EU_ORGANIC")
    (True, True)
    >>> same_scheme("GMO_FREE", "NON_GMO_PROJECT"), same_scheme("VEGAN", "")
    (False, False)

    Pure in its two codes, which catalogs repeat: each pair is worked out once.
    """
    claim = [w for w in claim_code.upper().replace("-", "_").split("_") if w]
    words = [w for w in certificate_code.upper().replace("-", "_").split("_") if w]
    size = len(claim)
    return size > 0 and any(words[i : i + size] == claim for i in range(len(words) - size + 1))


def texts_in(entry: CatalogEntry, language: str) -> tuple[Text, Text]:
    """The product's name and description to show in ``language``, each with its own tag.

    The name is picked for ``language`` (see :func:`gs1ld._text.pick_text`), the
    description for the language the name came in, so the two never mix.
    """
    product = entry.product
    name, name_language = pick_text(product.name if product else None, language)
    description, description_language = pick_text(
        product.description if product else None, name_language
    )
    return Text(name, name_language), Text(description, description_language)


def _other_languages(entry: CatalogEntry, main: str) -> tuple[str, ...]:
    """The languages the brand's product text is given in, besides ``main``, sorted."""
    product = entry.product
    if product is None or (
        not isinstance(product.name, dict) and not isinstance(product.description, dict)
    ):
        return ()  # plain text: one language
    tags: set[str] = set()
    for value in (product.name, product.description):
        if isinstance(value, dict):
            tags.update(tag for tag, text in value.items() if text)
    return tuple(sorted(tag for tag in tags - {main} if LANGUAGE_PAGE_TAG.fullmatch(tag)))


def to_jsonld(entry: CatalogEntry, *, config: ExportConfig | None = None) -> dict[str, Any]:
    """The GS1 Web Vocabulary JSON-LD document ``entry`` publishes (with its links).

    >>> from datetime import date
    >>> from gs1ld.catalog import parse_entry
    >>> entry = parse_entry({"gtin": "9506000134352", "product": {"name": "Milk"},
    ...     "content": {"images": [], "ingredients": [], "certifications": [],
    ...                 "claims": [], "recalls": []}})
    >>> config = ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1))
    >>> doc = to_jsonld(entry, config=config)
    >>> doc["@id"], doc["gs1:pip"]["@id"]
    ('https://id.brand.example/01/09506000134352', 'https://id.brand.example/01/09506000134352/index.html')
    >>> "gs1:pip" in to_jsonld(entry, config=ExportConfig(today=date(2026, 6, 1)))
    False
    """
    return map_published(entry, config).document
