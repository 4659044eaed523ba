"""Choosing which language of a product's text to show."""

from __future__ import annotations

__all__ = ["pick_text"]


def pick_text(value: str | dict[str, str] | None, language: str) -> tuple[str, str]:
    """Choose the text to show and its language from plain or per-language text.

    Prefers ``language``, then its primary subtag (``fr`` for ``fr-CA``), then the
    first language in tag order, so the choice is deterministic.
    """
    if value is None:
        return "", language
    if isinstance(value, str):
        return value, language
    if language in value:
        return value[language], language
    primary = language.split("-")[0]
    for tag in sorted(value):
        if tag.split("-")[0] == primary:
            return value[tag], tag
    first = sorted(value)[0] if value else language
    return value.get(first, ""), first
