"""Options of a resolver site build, in one frozen object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["SiteConfig"]


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """How to build a resolver site.

    Attributes:
        base_url: the resolver's root, e.g. ``https://id.brand.example``; every
            Digital Link URI, linkset anchor and sitemap URL starts with it.
        day: the reference day for certificate status and claims in effect.
        name: the resolver's name in ``/.well-known/gs1resolver`` and the index page.
        contact: who runs the resolver (an email address or URL), or None.
        validate: validate each product's JSON-LD and skip invalid ones.
        workers: processes rendering products in parallel (1 = in this process).
        export_options: keyword options passed to the JSON-LD mapping's config
            (``mappings_dir``, ``extension_namespace``…), as sorted pairs.
    """

    base_url: str
    day: date
    name: str = "gs1ld resolver"
    contact: str | None = None
    validate: bool = True
    workers: int = 1
    export_options: tuple[tuple[str, str], ...] = field(default=())

    @property
    def root(self) -> str:
        """``base_url`` without a trailing slash."""
        return self.base_url.rstrip("/")
