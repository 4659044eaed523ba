"""The resolver description file served at ``/.well-known/gs1resolver``."""

from __future__ import annotations

from typing import Any

from gs1ld.publish.links import GS1_VOC
from gs1ld.publish.linkset_context import LINKSET_CONTEXT_PATH

__all__ = ["RESOLVER_DESCRIPTION_PATH", "resolver_description"]

RESOLVER_DESCRIPTION_PATH = "/.well-known/gs1resolver"


def resolver_description(base_url: str, name: str, contact: str | None = None) -> dict[str, Any]:
    """What the GS1-Conformant Resolver Standard asks a resolver to say about itself."""
    description: dict[str, Any] = {
        "name": name,
        "resolverRoot": base_url,
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": GS1_VOC, "prefix": "gs1:"}],
        "linkTypeDefaultCanBeLinkset": True,
        "supportsLanguageVariants": True,
        "jsonLdContextLocation": f"{base_url}{LINKSET_CONTEXT_PATH}",
    }
    if contact:
        description["contact"] = {"fn": contact}
    return description
