"""Options of the JSON-LD export, in one frozen object passed keyword-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["DEFAULT_BASE_URL", "URN_EXTENSION_NAMESPACE", "ExportConfig"]

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
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        if self.pages_url is not None:
            object.__setattr__(self, "pages_url", self.pages_url.rstrip("/"))

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
