"""GS1 Digital Link URIs, element strings and AI data, checked as GS1's syntax engine does.

* :func:`parse` reads a Digital Link URI into a :class:`DigitalLink`;
  :func:`build` and :func:`from_ai_data` make one from AI values.
* :func:`parse_element_string` reads bracketed (``(01)…``) or FNC1-separated
  AI data; :meth:`DigitalLink.to_element_string` writes it.
* :func:`compress` / :func:`decompress` apply GS1 Digital Link compression.

Every failure is a :class:`gs1ld.errors.DigitalLinkError` whose message says
what is wrong and what was expected.
"""

from __future__ import annotations

from collections.abc import Sequence

from gs1ld.digital_link.ai import check_associations, check_value, lookup
from gs1ld.digital_link.compression import compress, decompress
from gs1ld.digital_link.element_string import parse as parse_element_string
from gs1ld.digital_link.element_string import to_bracketed, to_unbracketed
from gs1ld.digital_link.options import DEFAULT_OPTIONS, Options
from gs1ld.digital_link.uri import (
    CANONICAL_STEM,
    PRIMARY_KEYS,
    DigitalLink,
    from_ai_data,
    parse,
)

__all__ = [
    "CANONICAL_STEM",
    "PRIMARY_KEYS",
    "DigitalLink",
    "Options",
    "build",
    "check_associations",
    "check_value",
    "compress",
    "decompress",
    "from_ai_data",
    "from_element_string",
    "lookup",
    "parse",
    "parse_element_string",
    "to_bracketed",
    "to_unbracketed",
]


def build(
    primary_key: tuple[str, str],
    qualifiers: Sequence[tuple[str, str]] = (),
    attributes: Sequence[tuple[str, str]] = (),
    *,
    stem: str = CANONICAL_STEM,
    other_params: Sequence[tuple[str, str]] = (),
    options: Options = DEFAULT_OPTIONS,
) -> DigitalLink:
    """Build a Digital Link from its parts, checked as :func:`parse` checks a URI.

    Qualifiers keep the order given (it must be one the key allows).

    Raises:
        DigitalLinkError: any part breaks the standard.
    """
    link = DigitalLink(primary_key, tuple(qualifiers), tuple(attributes), tuple(other_params))
    return parse(link.uri, options=options).with_stem(stem)


def from_element_string(
    text: str, *, stem: str = CANONICAL_STEM, options: Options = DEFAULT_OPTIONS
) -> DigitalLink:
    """The Digital Link for an element string (bracketed or FNC1-separated).

    Raises:
        DigitalLinkError: the text is not valid AI data or has no primary key.
    """
    return from_ai_data(parse_element_string(text, options=options), stem=stem, options=options)
