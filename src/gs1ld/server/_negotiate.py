"""HTTP content and language negotiation (RFC 9110 §12.5.1 and §12.5.4), small and exact."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["best_media_type", "language_preferences", "language_score"]


def _parameters(item: str) -> tuple[str, float]:
    value, *params = (part.strip() for part in item.split(";"))
    quality = 1.0
    for param in params:
        name, _, raw = param.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = max(0.0, min(1.0, float(raw.strip())))
            except ValueError:
                quality = 0.0
    return value.lower(), quality


def best_media_type(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the ``Accept`` header prefers, or None when it accepts none of them.

    Ties go to the earlier offer, so list the default first.  A missing header
    accepts anything.

    >>> best_media_type("application/ld+json, text/html;q=0.5", ["text/html", "application/json"])
    'text/html'
    >>> best_media_type("*/*", ["text/html", "application/ld+json"])
    'text/html'
    """
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges = [_parameters(item) for item in accept.split(",") if item.strip()]
    scored = []
    for position, offer in enumerate(offers):
        major = offer.split("/")[0]
        matches = [
            (2 if r == offer else 1 if r == f"{major}/*" else 0, q)
            for r, q in ranges
            if r in (offer, f"{major}/*", "*/*")
        ]
        if not matches:
            continue
        quality = max(matches)[1]
        if quality > 0:
            scored.append((quality, -position, offer))
    return max(scored)[2] if scored else None


def language_preferences(accept_language: str | None) -> list[tuple[str, float]]:
    """``Accept-Language`` as (tag, quality) pairs, best first, quality 0 dropped."""
    if not accept_language:
        return []
    prefs = [_parameters(item) for item in accept_language.split(",") if item.strip()]
    return sorted(((tag, q) for tag, q in prefs if q > 0), key=lambda pair: pair[1], reverse=True)


def language_score(hreflang: Sequence[str], preferences: Sequence[tuple[str, float]]) -> float:
    """How well a link's languages meet the preferences (0 when not at all).

    An exact tag match scores its quality; a primary-subtag match (``en`` for
    ``en-GB``) scores a little less; ``*`` matches anything at its quality.
    """
    best = 0.0
    for tag in (t.lower() for t in hreflang):
        for wanted, quality in preferences:
            if wanted == tag:
                best = max(best, quality)
            elif wanted.split("-")[0] == tag.split("-")[0]:
                best = max(best, quality * 0.9)
            elif wanted == "*":
                best = max(best, quality * 0.5)
    return best
