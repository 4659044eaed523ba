"""GS1 element strings: the AI data a barcode carries, in both written forms.

* Bracketed (human-readable, HRI): ``(01)09506000134352(10)ABC123``.  A literal
  ``(`` inside a value is written ``\\(``.
* Unbracketed, as a scanner reports it: FNC1 in first position, then AIs run
  together, a variable-length value ended by a separator (FNC1, sent as the
  ASCII group separator ``\\x1d``).  ``^`` stands for FNC1 in GS1's own test
  notation and is accepted too, as are the symbology identifiers scanners
  prefix (``]C1``, ``]d2``, ``]Q3``, ``]e0``, ``]J1``).

Both parse to a list of (AI, value) pairs in the order written, every value
checked against its format and, unless disabled, the pairing rules.

>>> parse("(01)09506000134352(10)ABC123")
[('01', '09506000134352'), ('10', 'ABC123')]
>>> to_unbracketed([("01", "09506000134352"), ("10", "ABC"), ("17", "261231")], fnc1="^")
'^010950600013435210ABC^17261231'
"""

from __future__ import annotations

from collections.abc import Sequence

from gs1ld.digital_link.ai import check_associations, check_value, lookup, lookup_prefix
from gs1ld.digital_link.options import DEFAULT_OPTIONS, Options
from gs1ld.errors import DigitalLinkError

__all__ = ["GS", "parse", "parse_bracketed", "parse_unbracketed", "to_bracketed", "to_unbracketed"]

GS = "\x1d"
_SYMBOLOGY_IDS = ("]C1", "]d2", "]Q3", "]e0", "]J1")
_SEPARATORS = frozenset({GS, "^"})


def parse(text: str, *, options: Options = DEFAULT_OPTIONS) -> list[tuple[str, str]]:
    """Read an element string in either form (bracketed when it starts with ``(``).

    Raises:
        DigitalLinkError: the text is not AI data, or a value breaks its format.
    """
    if text.startswith("("):
        return parse_bracketed(text, options=options)
    return parse_unbracketed(text, options=options)


def _finish(pairs: list[tuple[str, str]], text: str, options: Options) -> list[tuple[str, str]]:
    if not pairs:
        raise DigitalLinkError(f"No AI data in {text!r}.")
    if options.associations:
        check_associations(pairs)
    return pairs


def parse_bracketed(text: str, *, options: Options = DEFAULT_OPTIONS) -> list[tuple[str, str]]:
    """Read ``(AI)value(AI)value…``; ``\\(`` is a literal bracket in a value.

    Raises:
        DigitalLinkError: naming the AI or the position that is wrong.
    """
    pairs: list[tuple[str, str]] = []
    position = 0
    size = len(text)
    if not text.startswith("("):
        raise DigitalLinkError(
            f"Element string {text!r} must start with an AI in brackets, e.g. (01)."
        )
    while position < size:
        close = text.find(")", position + 1)
        if close < 0:
            raise DigitalLinkError(
                f"Unterminated AI at position {position} in {text!r}: missing ')'."
            )
        ai = text[position + 1 : close]
        if not (2 <= len(ai) <= 4 and ai.isdigit() and ai.isascii()):
            raise DigitalLinkError(f"Invalid AI ({ai}) in {text!r}: an AI is 2 to 4 digits.")
        chunks: list[str] = []
        position = close + 1
        while True:
            opening = text.find("(", position)
            if opening < 0:
                chunks.append(text[position:])
                position = size
                break
            if opening > 0 and text[opening - 1] == "\\":
                chunks.append(text[position : opening - 1] + "(")
                position = opening + 1
                continue
            chunks.append(text[position:opening])
            position = opening
            break
        value = "".join(chunks)
        if "^" in value or GS in value:
            raise DigitalLinkError(
                f"AI ({ai}) value {value!r} contains an FNC1 character, which a value cannot hold."
            )
        entry = lookup(ai)
        if entry is None:
            if not options.unknown_ais:
                raise DigitalLinkError(f"Unknown AI ({ai}) in {text!r}.")
            if not value:
                raise DigitalLinkError(f"AI ({ai}) has an empty value.")
        else:
            check_value(ai, value, entry)
        pairs.append((ai, value))
    return _finish(pairs, text, options)


def parse_unbracketed(text: str, *, options: Options = DEFAULT_OPTIONS) -> list[tuple[str, str]]:
    """Read FNC1-separated AI data (``\\x1d`` or ``^`` as FNC1, ``|`` between composite parts).

    Raises:
        DigitalLinkError: naming the AI or the position that is wrong.
    """
    pairs: list[tuple[str, str]] = []
    for part in text.split("|"):
        _parse_unbracketed_part(part, text, pairs)
    return _finish(pairs, text, options)


def _parse_unbracketed_part(data: str, text: str, pairs: list[tuple[str, str]]) -> None:
    for prefix in _SYMBOLOGY_IDS:
        if data.startswith(prefix):
            data = GS + data[len(prefix) :]
            break
    if not data or data[0] not in _SEPARATORS:
        raise DigitalLinkError(f"AI data {text!r} must start with FNC1 (^ or the GS character).")
    if len(data) == 1:
        raise DigitalLinkError(f"No AI data after FNC1 in {text!r}.")
    position = 1
    size = len(data)
    while position < size:
        if data[position] in _SEPARATORS:
            position += 1
            continue
        entry = lookup_prefix(data, position)
        if entry is None:
            raise DigitalLinkError(
                f"Unknown AI at position {position} in {text!r}: no AI starts with "
                f"{data[position : position + 4]!r}."
            )
        position += len(entry.ai)
        end = position + entry.max_length if not entry.fnc1 else size
        separator = min(
            (i for i in (data.find(GS, position), data.find("^", position)) if i >= 0), default=-1
        )
        if 0 <= separator < end:
            end = separator
        value = data[position:end]
        check_value(entry.ai, value, entry)
        pairs.append((entry.ai, value))
        position = end


def to_bracketed(pairs: Sequence[tuple[str, str]]) -> str:
    """Write pairs as ``(AI)value…``, escaping ``(`` in values."""
    return "".join(f"({ai}){value.replace('(', chr(92) + '(')}" for ai, value in pairs)


def to_unbracketed(pairs: Sequence[tuple[str, str]], *, fnc1: str = GS) -> str:
    """Write pairs as a scanner reports them: FNC1 first, FNC1 after variable-length values."""
    out = [fnc1]
    last = len(pairs) - 1
    for index, (ai, value) in enumerate(pairs):
        out.append(ai)
        out.append(value)
        entry = lookup(ai)
        if index < last and (entry is None or entry.fnc1):
            out.append(fnc1)
    return "".join(out)
