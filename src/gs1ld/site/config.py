"""Options of a resolver site build, in one frozen object."""

from __future__ import annotations

from dataclasses import dataclass, field

from gs1ld.config import ExportConfig

__all__ = ["SiteConfig"]


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
        workers: processes rendering products in parallel (1 = in this process).
    """

    export: ExportConfig = field(default_factory=ExportConfig)
    name: str = "gs1ld resolver"
    contact: str | None = None
    validate: bool = True
    workers: int = 1
