"""All options, beside each other: the JSON-LD export and a site build, each one frozen object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from gs1ld.errors import ParseError
from gs1ld.resolver_root import resolver_root

if TYPE_CHECKING:
    from gs1ld.pages.theme import Theme

__all__ = [
    "DEFAULT_BASE_URL",
    "MAP_SHARD_ENTRIES",
    "MAX_SITEMAP_BYTES",
    "MAX_SITEMAP_URLS",
    "PAGE_SIZE",
    "UNLIMITED_REMOVALS",
    "URN_EXTENSION_NAMESPACE",
    "ExportConfig",
    "RemovalLimit",
    "SiteConfig",
    "SitewideLimits",
    "served_site_root",
    "upstream_origin",
]

DEFAULT_BASE_URL = "https://id.gs1.org"
URN_EXTENSION_NAMESPACE = "urn:gs1ld:voc:"
_NOT_OURS = ("gs1.org",)
_IDENTITY = (
    "base_url",
    "pages_url",
    "language",
    "feed_language",
    "allergen_regulation",
    "extension_namespace",
    "mappings_dir",
    "context_url",
)


@dataclass(frozen=True, slots=True)
class ExportConfig:
    """How catalog entries become GS1 Web Vocabulary JSON-LD.

    Attributes:
        base_url: the resolver root that Digital Link URIs (and so product ``@id``s)
            start with. GS1's own ``https://id.gs1.org`` by default; kept without a
            trailing slash.
        pages_url: where the human pages and gs1ld's own files of each product are
            served (``{pages_url}/01/{gtin}/index.html``); None means ``base_url``
            when that is the user's own domain. Page links (``gs1:pip``,
            ``gs1:allergenInfo``…) are left out when neither is (see :attr:`page_base`).
        today: the reference day for certificate status and claim windows. Give it
            for reproducible output; by default the current date, read once when the
            config is made (at the edge), never inside a rule.
        language: the language tag for feed text that does not say its language.
        extension_namespace: where gs1ld's extension terms live. None picks
            ``{base_url}/voc/`` when the base is the user's own domain, and the
            ``urn:gs1ld:voc:`` URN (which claims no one's domain) for GS1's.
        mappings_dir: a folder of crosswalk tables that extend the bundled ones.
        context_url: reference this context URL instead of inlining the context.
        feed_language: the language of the API's own catalogue text (certification and
            claim names) and of regulator text (recall fields): ``en`` by default. Only
            the brand's product text takes the product's language.
        allergen_regulation: the key of ``allergen-regulations.csv`` that names the
            regulation allergen codes are read against when a product's panel
            label_format and its country of origin name none (they come first: the
            label a product wears decides). None: such products declare what any
            regulation lists, and say so.
    """

    base_url: str = DEFAULT_BASE_URL
    pages_url: str | None = None
    today: date = field(default_factory=date.today)
    language: str = "en"
    extension_namespace: str | None = None
    mappings_dir: Path | str | None = None
    context_url: str | None = None
    feed_language: str = "en"
    allergen_regulation: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", resolver_root(self.base_url))
        if self.pages_url is not None:
            object.__setattr__(self, "pages_url", resolver_root(self.pages_url))

    def identity(self) -> list[tuple[str, str]]:
        """Every option but the reference day, as sorted text pairs.

        What a product's output depends on besides its entry and the day: the
        site build hashes it to tell an unchanged product from a changed one.
        """
        return sorted(
            (name, str(getattr(self, name)))
            for name in _IDENTITY
            if getattr(self, name) is not None
        )

    @property
    def page_base(self) -> str | None:
        """Where product pages live, or None when no domain of the user's is known.

        ``pages_url`` when given, else ``base_url`` unless it is GS1's resolver:
        gs1ld's page paths on GS1's domain would point at pages that do not exist.
        """
        if self.pages_url is not None:
            return self.pages_url
        return None if _is_gs1(self.base_url) else self.base_url

    @property
    def extension_ns(self) -> str:
        """The extension namespace in force (see ``extension_namespace``)."""
        return self.extension_namespace or _default_extension_namespace(self.base_url)


@lru_cache(maxsize=64)
def _is_gs1(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == domain or host.endswith("." + domain) for domain in _NOT_OURS)


def _default_extension_namespace(root: str) -> str:
    return URN_EXTENSION_NAMESPACE if _is_gs1(root) else f"{root}/voc/"


MAX_SITEMAP_URLS = 50_000
"""URLs one sitemap may list (sitemaps.org)."""
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
"""Bytes one sitemap may have, uncompressed (sitemaps.org)."""
PAGE_SIZE = 1000
"""Products a listing page holds at most (and page links one part of the index of pages holds)."""
MAP_SHARD_ENTRIES = 50_000
"""Products one shard of a link map holds at most."""


@dataclass(frozen=True, slots=True)
class SitewideLimits:
    """How large one site-wide file may grow (the defaults are the published limits).

    Attributes:
        sitemap_urls: URLs one sitemap shard lists at most (sitemaps.org: 50,000).
        sitemap_bytes: bytes one sitemap shard has at most (sitemaps.org: 50 MB).
        page_size: products one listing page shows at most.
        map_shard_entries: products one link-map shard holds at most.
    """

    sitemap_urls: int = MAX_SITEMAP_URLS
    sitemap_bytes: int = MAX_SITEMAP_BYTES
    page_size: int = PAGE_SIZE
    map_shard_entries: int = MAP_SHARD_ENTRIES


@dataclass(frozen=True, slots=True)
class RemovalLimit:
    """How many published products one build may remove before it refuses to publish.

    A catalog export that failed upstream (an empty folder, one shard of
    sixteen) would otherwise empty a live site whose pages are printed on packs.
    ``count`` is a number of products, ``share`` a fraction of the products the
    site published before; one of them is set.

    >>> RemovalLimit.parse("10%").allows(removed=1, published=19)
    True
    >>> RemovalLimit.parse("1").allows(removed=2, published=19)
    False
    """

    count: int | None = None
    share: float | None = 0.10

    @classmethod
    def parse(cls, text: str) -> RemovalLimit:
        """``N`` (products) or ``P%`` (a share of the published products), as typed.

        Raises:
            ValueError: ``text`` is neither (the message says what is expected).
        """
        value = text.strip()
        try:
            if value.endswith("%"):
                share = float(value[:-1]) / 100
                if not 0 <= share <= 1:
                    raise ValueError
                return cls(count=None, share=share)
            count = int(value)
            if count < 0:
                raise ValueError
            return cls(count=count, share=None)
        except ValueError:
            raise ValueError(
                f"expected a number of products (e.g. 25) or a share of the published "
                f"products (e.g. 10%), got {text!r}"
            ) from None

    def allowed(self, published: int) -> int:
        """How many of ``published`` products one build may remove."""
        if self.count is not None:
            return self.count
        return int(published * (self.share if self.share is not None else 1.0))

    def allows(self, *, removed: int, published: int) -> bool:
        """Whether removing ``removed`` of ``published`` products stays within the limit."""
        return removed <= self.allowed(published)

    def __str__(self) -> str:
        if self.count is not None:
            return str(self.count)
        return f"{(self.share if self.share is not None else 1.0) * 100:g}%"


UNLIMITED_REMOVALS = RemovalLimit(count=None, share=1.0)
"""A build may remove every product (``--max-removals 100%``)."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """How to build a resolver site.

    Attributes:
        export: how each product's JSON-LD is made; its ``base_url`` is the
            resolver's root (every Digital Link URI, linkset anchor and sitemap URL
            starts with it) and its ``today`` the reference day for certificate
            status and claims in effect.
        name: the resolver's name in ``/.well-known/gs1resolver`` and the index page.
        contact: who runs the resolver (an email address or URL), or None.
        validate: validate each product's JSON-LD and skip invalid ones.
        workers: processes rendering products in parallel (1 = in this process; a build
            that renders fewer than 1,000 entries renders them in this process).
        sitewide: how large one site-wide file (sitemap, listing page, map shard) may grow.
        part_bytes: bytes of catalog one task of a distributed build reads.
        link_unchanged: carry an unchanged product over by hard-linking its files
            from the live site (a product whose files are missing there is
            rendered again).  False when the live site's files are elsewhere (a
            site on object storage, whose unchanged objects stay where they are):
            an unchanged product is then carried over by its manifest row alone,
            and only changed products are rendered.  Not part of any digest:
            the files are the same either way.
        max_removals: how many published products one build may remove; a build
            that would remove more stops before touching the site (10% by default).
        render_again: GTINs rendered even when their input is unchanged (on a
            store, products whose upload a killed build left unfinished).
        upstream: a ``gs1ld serve`` the nginx and Apache rules pass what they cannot
            answer to (compressed paths, check digits, language choice), as
            ``http(s)://host[:port]``; None: the rules answer everything themselves,
            as far as they can.  Part of the site inputs, so changing it rewrites the
            host configurations.
        site_root: the absolute path the site folder has on the web server, which
            ``nginx.conf`` and ``apache.conf`` name (their root is its ``current``
            link); None: ``/srv/gs1ld-site``.  Part of the site inputs, so every
            build writes the configurations for it (an edited copy would be
            overwritten by the next build).
        theme: the brand's look (templates, stylesheet, logo; read and checked by
            :func:`gs1ld.pages.theme.load_theme`), or None for the built-in one.
            Its digest is part of every product's input hash and of the site
            inputs, so a changed theme re-renders every page.
    """

    export: ExportConfig = field(default_factory=ExportConfig)
    name: str = "gs1ld resolver"
    contact: str | None = None
    validate: bool = True
    workers: int = 1
    sitewide: SitewideLimits = field(default_factory=SitewideLimits)
    part_bytes: int = 16 * 1024 * 1024
    link_unchanged: bool = True
    render_again: frozenset[str] = frozenset()
    max_removals: RemovalLimit = field(default_factory=RemovalLimit)
    upstream: str | None = None
    site_root: str | None = None
    theme: Theme | None = None

    def __post_init__(self) -> None:
        if self.upstream is not None:
            object.__setattr__(self, "upstream", upstream_origin(self.upstream))
        if self.site_root is not None:
            object.__setattr__(self, "site_root", served_site_root(self.site_root))


_UNSAFE_IN_CONFIG = frozenset(" \t\n\r;{}\"'$#\\")
"""Characters a path cannot carry into an nginx or Apache configuration unquoted."""


def served_site_root(path: str) -> str:
    """``path`` as the site folder's absolute path on the web server, without a final ``/``.

    >>> served_site_root("/var/www/brand-site/")
    '/var/www/brand-site'

    Raises:
        ParseError: ``path`` is not absolute, or holds a character the server
            configurations would read as syntax (the message names the value).
    """
    expected = f"Invalid site root {path!r}: expected an absolute path on the web server"
    if not path.startswith("/"):
        raise ParseError(f"{expected}; it does not start with '/'.")
    unsafe = sorted(set(path) & _UNSAFE_IN_CONFIG)
    if unsafe:
        raise ParseError(
            f"{expected}; it holds {''.join(unsafe)!r}, which nginx and Apache "
            "configurations would read as syntax."
        )
    return path.rstrip("/") or "/"


def upstream_origin(url: str) -> str:
    """``url`` as the origin of a ``gs1ld serve`` upstream: ``http(s)://host[:port]``.

    The host rules pass requests on with their path unchanged, so the upstream
    is an origin alone (nginx takes no path in a named location's ``proxy_pass``).

    >>> upstream_origin("HTTP://127.0.0.1:8081/")
    'http://127.0.0.1:8081'

    Raises:
        ParseError: ``url`` is not an http(s) origin (the message names the value
            and what is wrong with it).
    """
    expected = f"Invalid upstream {url!r}: expected http(s)://host[:port]"
    if "@" in url:
        raise ParseError(f"{expected}; it has user info, which the host rules would publish.")
    try:
        origin = resolver_root(url)
    except ParseError as exc:
        raise ParseError(f"{expected}; {str(exc).split('; ', 1)[-1]}") from None
    path = urlsplit(origin).path
    if path:
        raise ParseError(
            f"{expected}; it has the path {path!r} (requests are passed on with their own)."
        )
    return origin
