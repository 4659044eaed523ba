"""GS1 Digital Link compression: AI data to and from one base64url path segment.

A compressed Digital Link replaces the ``/01/…/10/…?17=…`` part of a URI with a
single segment such as ``/HxHKVAdpQgZzjr-hCDKigI`` so that the URI fits a small
QR code.  The segment is a bit string written in a URI-safe base64 alphabet
(``A-Z a-z 0-9 - _``, six bits a character, zero-padded at the end).  The bit
string is a run of records:

* an AI record: the AI's digits as 4-bit nibbles (its length comes from its first
  two digits), then its value laid out component by component as the AI's format
  says - a fixed-length numeric component as one binary number, a variable-length
  numeric one as a length then a number, an alphanumeric one as a 3-bit encoding
  indicator, a length (if variable) and the characters;
* an optimisation record: a byte whose hex digits are not both decimal (``0B``,
  ``1A``, ``9C``, ``C0``…) that stands for several AIs, followed
  by their values in that code's fixed order;
* a non-GS1 record (only when asked for): nibble ``F``, a 7-bit key length, the key
  in 6-bit base64url characters, then the value as an encoding indicator, a 7-bit
  length and the characters.

Encoding indicators: ``0`` digits (as one binary number), ``1`` lower-case hex,
``2`` upper-case hex (4 bits a character), ``3`` base64url (6 bits), ``4`` 7-bit ASCII.

The layout, tables and the encoder's choices (records in ascending AI order,
greedy choice of optimisation codes) follow GS1's reference toolkit so that the
strings are byte-identical to what it produces.  Where the reference loses data
this codec does not: leading zeros of numeric values survive a round trip, and a
second primary key or an unplaced qualifier is kept as a query attribute.

The functions here work on already-parsed data: compression takes AI pairs
(a :class:`~gs1ld.digital_link.uri.DigitalLink`'s, see
:func:`gs1ld.digital_link.compress`), so which parts of a URI are AIs is decided
once, by the URI parser. :func:`decompress_uri` reads a *compressed* URI (which
that parser cannot), and its query keys are AIs when they are all digits, as
the parser reads them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote, unquote

from gs1ld.digital_link._aitable import AI_TABLE
from gs1ld.digital_link._compression_tables import (
    AI_FORMATS,
    AI_KEY_LENGTH,
    CHECK_DIGIT_SPAN,
    OPTIMISATIONS,
)
from gs1ld.digital_link._linters import CSET64
from gs1ld.errors import DigitalLinkError
from gs1ld.gtin import check_digit, check_digit_message

__all__ = ["compress_pairs", "decompress_segment", "decompress_uri", "other_query"]

Pairs = list[tuple[str, str]]

BASE64URL: Final = CSET64

#: Digital Link primary keys and their alternative qualifier chains, and the
#: qualifiers that may also be query attributes: both from the syntax dictionary.
PRIMARY_KEY_QUALIFIERS: Final = {
    ai: entry.dl_qualifiers for ai, entry in AI_TABLE.items() if entry.dl_qualifiers is not None
}
DATA_ATTRIBUTE_AIS: Final = frozenset(
    ai
    for chains in PRIMARY_KEY_QUALIFIERS.values()
    for chain in chains
    for ai in chain
    if AI_TABLE[ai].dl_attribute
)
_BASE64URL_INDEX: Final = {ch: i for i, ch in enumerate(BASE64URL)}
_HEX: Final = "0123456789ABCDEF"

_ENC_DIGITS: Final = 0
_ENC_HEX_LOWER: Final = 1
_ENC_HEX_UPPER: Final = 2
_ENC_BASE64URL: Final = 3
_ENC_ASCII: Final = 4

_DIGITS_RE: Final = re.compile(r"[0-9]+")
_HEX_LOWER_RE: Final = re.compile(r"[0-9a-f]+")
_HEX_UPPER_RE: Final = re.compile(r"[0-9A-F]+")
_BASE64URL_RE: Final = re.compile(r"[A-Za-z0-9_-]+")
_URI_HEAD_RE: Final = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)(.*)", re.DOTALL)

#: A non-GS1 key or value is prefixed by a 7-bit length.
_OTHER_LENGTH_BITS: Final = 7
_OTHER_MAX_LENGTH: Final = (1 << _OTHER_LENGTH_BITS) - 1
_NON_GS1_FLAG: Final = 0xF
#: GTIN lengths the reference pads to 14 digits before compressing.
_GTIN_AIS: Final = frozenset({"01", "02"})
_SHORT_GTIN_LENGTHS: Final = frozenset({8, 12, 13})
#: Characters a GS1 alphanumeric value may hold once percent-decoded: printable ASCII.
_PRINTABLE: Final = frozenset(chr(c) for c in range(0x21, 0x7F))
#: Characters a packed non-GS1 value may hold: printable ASCII and space.
_PRINTABLE_OR_SPACE: Final = _PRINTABLE | {" "}
#: Characters left as they are in a non-GS1 query value on output.
_OTHER_SAFE: Final = ":/@!$'()*,"


# --------------------------------------------------------------------------- formats


@dataclass(frozen=True, slots=True)
class _Component:
    """One part of an AI value: numeric or not, fixed length or at most ``length``."""

    numeric: bool
    length: int
    variable: bool


def _parse_format(text: str) -> tuple[_Component, ...]:
    """Read a compact format such as ``N13 X..17`` into its components."""
    parts = []
    for token in text.split():
        variable = ".." in token
        parts.append(_Component(token[0] == "N", int(token[1:].lstrip(".")), variable))
    return tuple(parts)


_FORMATS: Final[dict[str, tuple[_Component, ...]]] = {
    ai: _parse_format(fmt) for ai, fmt in AI_FORMATS.items()
}


def _value_bits(digits: int) -> int:
    """Bits holding a ``digits``-digit number, as the reference computes it."""
    return math.ceil(digits * math.log(10) / math.log(2) + 0.01)


def _length_bits(max_length: int) -> int:
    """Bits holding a length of at most ``max_length``, as the reference computes it."""
    return math.ceil(math.log(max_length) / math.log(2) + 0.01)


# --------------------------------------------------------------------------- bits


class _Reader:
    """Reads fields off a bit string; running out of bits is a DigitalLinkError."""

    def __init__(self, bits: str, segment: str) -> None:
        self.bits = bits
        self.pos = 0
        self.segment = segment

    @property
    def remaining(self) -> int:
        """Bits not read yet."""
        return len(self.bits) - self.pos

    def fail(self, problem: str) -> DigitalLinkError:
        """An error naming the segment being read."""
        return DigitalLinkError(f"Cannot decompress {self.segment!r}: {problem}")

    def take(self, count: int) -> int:
        """The next ``count`` bits as an unsigned number."""
        if count > self.remaining:
            raise self.fail(
                f"it ends after {len(self.bits)} bits where {self.pos + count} were needed "
                "(truncated or corrupt)"
            )
        chunk = self.bits[self.pos : self.pos + count]
        self.pos += count
        return int(chunk, 2) if chunk else 0


def _bits(number: int, width: int) -> str:
    """``number`` as exactly ``width`` binary digits."""
    return format(number, "b").zfill(width) if width else ""


# --------------------------------------------------------------------------- text values


def _choose_encoding(text: str) -> int:
    """The tightest encoding indicator for ``text`` (same precedence as the reference)."""
    if _DIGITS_RE.fullmatch(text):
        return _ENC_DIGITS
    if _HEX_UPPER_RE.fullmatch(text):
        return _ENC_HEX_UPPER
    if _HEX_LOWER_RE.fullmatch(text):
        return _ENC_HEX_LOWER
    if _BASE64URL_RE.fullmatch(text):
        return _ENC_BASE64URL
    return _ENC_ASCII


def _encode_text(text: str, length_field: str) -> str:
    """Encoding indicator, the given length field, then ``text`` in that encoding."""
    enc = _choose_encoding(text)
    if enc == _ENC_DIGITS:
        payload = _bits(int(text), _value_bits(len(text)))
    elif enc in (_ENC_HEX_LOWER, _ENC_HEX_UPPER):
        payload = "".join(_bits(_HEX.index(ch), 4) for ch in text.upper())
    elif enc == _ENC_BASE64URL:
        payload = "".join(_bits(_BASE64URL_INDEX[ch], 6) for ch in text)
    else:
        payload = "".join(_bits(ord(ch), 7) for ch in text)
    return _bits(enc, 3) + length_field + payload


def _decode_text(
    reader: _Reader, enc: int, count: int, label: str, allowed: frozenset[str] = _PRINTABLE
) -> str:
    """Read ``count`` characters written with encoding indicator ``enc``.

    7-bit characters outside ``allowed`` mean the segment is corrupt: the encoder
    never writes them.
    """
    if enc == _ENC_DIGITS:
        number = reader.take(_value_bits(count))
        if number >= 10**count:
            raise reader.fail(f"{label} holds {number}, more than {count} digits")
        return str(number).zfill(count) if count else ""
    if enc in (_ENC_HEX_LOWER, _ENC_HEX_UPPER):
        text = "".join(_HEX[reader.take(4)] for _ in range(count))
        return text.lower() if enc == _ENC_HEX_LOWER else text
    if enc == _ENC_BASE64URL:
        return "".join(BASE64URL[reader.take(6)] for _ in range(count))
    if enc == _ENC_ASCII:
        chars = [chr(reader.take(7)) for _ in range(count)]
        for ch in chars:
            if ch not in allowed:
                raise reader.fail(f"{label} holds {ch!r}, which is not printable ASCII")
        return "".join(chars)
    raise reader.fail(f"{label} uses encoding indicator {enc}, expected 0 to 4")


# --------------------------------------------------------------------------- AI values


def _normalise_value(ai: str, value: str) -> str:
    """Check ``value`` against the AI's format and check digit; pad short GTINs.

    Raises:
        DigitalLinkError: the value cannot be written in the AI's layout.
    """
    if ai not in _FORMATS:
        raise DigitalLinkError(
            f"Cannot compress: AI ({ai}) is not one the compression tables define"
        )
    if ai in _GTIN_AIS and len(value) in _SHORT_GTIN_LENGTHS and _DIGITS_RE.fullmatch(value):
        value = value.zfill(14)
    pos = 0
    for part in _FORMATS[ai]:
        chunk = value[pos:] if part.variable else value[pos : pos + part.length]
        if part.numeric and chunk and not _DIGITS_RE.fullmatch(chunk):
            raise DigitalLinkError(f"Cannot compress: AI ({ai}) value {value!r} is not numeric")
        if not part.variable and len(chunk) != part.length:
            raise DigitalLinkError(_length_message(ai, value))
        if part.variable and len(chunk) > part.length:
            raise DigitalLinkError(
                f"Cannot compress: AI ({ai}) value {value!r} is too long, "
                f"expected at most {pos + part.length} characters"
            )
        if not part.numeric:
            bad = next((ch for ch in chunk if ch not in _PRINTABLE), None)
            if bad is not None:
                raise DigitalLinkError(
                    f"Cannot compress: AI ({ai}) value {value!r} contains {bad!r}, "
                    "expected printable ASCII characters only"
                )
        pos += len(chunk)
    if pos != len(value):
        raise DigitalLinkError(_length_message(ai, value))
    span = CHECK_DIGIT_SPAN.get(ai)
    if span is not None:
        number = value[:span] if span else value
        expected = check_digit(number[:-1])
        if int(number[-1]) != expected:
            raise DigitalLinkError(check_digit_message(f"AI ({ai})", value, expected, number[-1]))
    return value


def _length_message(ai: str, value: str) -> str:
    """The error for a value shorter than the fixed-length start of its AI's format."""
    parts = _FORMATS[ai]
    fixed = sum(part.length for part in parts if not part.variable)
    if all(not part.variable for part in parts):
        expected = f"exactly {fixed}"
        if ai in _GTIN_AIS:
            expected = "8, 12, 13 or 14"
    else:
        expected = f"at least {fixed}"
    return (
        f"Cannot compress: AI ({ai}) value {value!r} has {len(value)} characters, "
        f"expected {expected}"
    )


def _encode_value(ai: str, value: str) -> str:
    """The bits of an already-checked AI value, component by component."""
    out: list[str] = []
    pos = 0
    for part in _FORMATS[ai]:
        chunk = value[pos:] if part.variable else value[pos : pos + part.length]
        pos += len(chunk)
        if part.numeric and part.variable:
            digits = len(chunk)
            out.append(_bits(digits, _length_bits(part.length)))
            out.append(_bits(int(chunk or "0"), _value_bits(digits)))
        elif part.numeric:
            out.append(_bits(int(chunk), _value_bits(part.length)))
        else:
            length_field = _bits(len(chunk), _length_bits(part.length)) if part.variable else ""
            out.append(_encode_text(chunk, length_field))
    return "".join(out)


def _decode_value(reader: _Reader, ai: str) -> str:
    """Read the value of ``ai`` off the bit string."""
    out: list[str] = []
    for part in _FORMATS[ai]:
        label = f"the value of AI ({ai})"
        if part.numeric:
            digits = part.length
            if part.variable:
                digits = reader.take(_length_bits(part.length))
                if digits > part.length:
                    raise reader.fail(f"{label} claims {digits} digits, at most {part.length}")
            number = reader.take(_value_bits(digits))
            if number >= 10**digits:
                raise reader.fail(f"{label} holds {number}, more than {digits} digits")
            out.append(str(number).zfill(digits) if digits else "")
        else:
            enc = reader.take(3)
            count = part.length
            if part.variable:
                count = reader.take(_length_bits(part.length))
                if count > part.length:
                    raise reader.fail(f"{label} claims {count} characters, at most {part.length}")
            out.append(_decode_text(reader, enc, count, label))
    return "".join(out)


def _ai_key_bits(key: str) -> str:
    """An AI (or optimisation code) as 4-bit nibbles, one per hex digit."""
    return "".join(_bits(int(ch, 16), 4) for ch in key)


def _choose_optimisations(keys: list[str]) -> list[str]:
    """Greedily pick optimisation codes covering ``keys``; remove what they cover.

    Each round takes the code whose AIs are all present and have the most digits
    between them (the first such code in table order on a tie), as the reference does.
    """
    chosen: list[str] = []
    while True:
        best, best_size = "", 0
        for code, members in OPTIMISATIONS.items():
            size = sum(len(ai) for ai in members)
            if size > best_size and all(ai in keys for ai in members):
                best, best_size = code, size
        if not best:
            return chosen
        chosen.append(best)
        for ai in OPTIMISATIONS[best]:
            keys.remove(ai)


# --------------------------------------------------------------------------- public API


def compress_pairs(
    ais: Sequence[tuple[str, str]],
    other: Sequence[tuple[str, str]] = (),
    *,
    optimise: bool = True,
    compress_other: bool = False,
) -> str:
    """Compress AI values (and optionally non-GS1 query parameters) into one segment.

    Args:
        ais: (AI, value) pairs in canonical order (primary key, qualifiers, data
            attributes), values percent-decoded.  GTIN-8/12/13 values of (01) and
            (02) are padded to 14 digits, as the reference does.  The segment
            records them in ascending AI order whatever the order given.
        other: non-GS1 query parameters, packed only when ``compress_other``;
            otherwise the caller appends them as a plain query string.
        optimise: use the one-byte codes for common AI combinations.
        compress_other: pack ``other`` into the segment too.

    Returns:
        The base64url segment, without slashes.

    Raises:
        DigitalLinkError: an AI the tables do not define, a repeated AI, a value
            that does not fit its AI's format or check digit, or a non-GS1 key or
            value that cannot be packed.
    """
    if not ais:
        raise DigitalLinkError("Cannot compress: no AI values were given, expected at least one")
    values: dict[str, str] = {}
    for ai, value in ais:
        if ai in values:
            raise DigitalLinkError(f"Cannot compress: AI ({ai}) appears more than once")
        values[ai] = _normalise_value(ai, value)

    keys = sorted(values)
    records: list[str] = []
    for code in _choose_optimisations(keys) if optimise else []:
        records.append(_ai_key_bits(code))
        records.extend(_encode_value(ai, values[ai]) for ai in OPTIMISATIONS[code])
    for ai in keys:
        records.append(_ai_key_bits(ai))
        records.append(_encode_value(ai, values[ai]))
    if compress_other:
        records.extend(_encode_other(key, value) for key, value in other)

    bits = "".join(records)
    bits += "0" * (-len(bits) % 6)
    return "".join(BASE64URL[int(bits[i : i + 6], 2)] for i in range(0, len(bits), 6))


def _encode_other(key: str, value: str) -> str:
    """A non-GS1 record: flag nibble, 7-bit key length, key, then the value."""
    if not key or len(key) > _OTHER_MAX_LENGTH or not _BASE64URL_RE.fullmatch(key):
        raise DigitalLinkError(
            f"Cannot compress: query parameter key {key!r} cannot be packed, expected 1 to "
            f"{_OTHER_MAX_LENGTH} characters from A-Z a-z 0-9 - _"
        )
    if len(value) > _OTHER_MAX_LENGTH or not set(value) <= _PRINTABLE_OR_SPACE:
        raise DigitalLinkError(
            f"Cannot compress: query parameter {key}={value!r} cannot be packed, expected "
            f"at most {_OTHER_MAX_LENGTH} printable ASCII characters"
        )
    key_bits = "".join(_bits(_BASE64URL_INDEX[ch], 6) for ch in key)
    return (
        _bits(_NON_GS1_FLAG, 4)
        + _bits(len(key), _OTHER_LENGTH_BITS)
        + key_bits
        + _encode_text(value, _bits(len(value), _OTHER_LENGTH_BITS))
    )


def decompress_segment(segment: str) -> tuple[Pairs, Pairs]:
    """Read a compressed segment back into AI pairs and packed non-GS1 pairs.

    Returns:
        ``(ais, other)``: AI pairs in the order they were encoded (ascending AI
        order for segments the reference or :func:`compress_pairs` wrote), and the
        non-GS1 pairs packed inside, in order.

    Raises:
        DigitalLinkError: the text is not base64url, is truncated or corrupt, names
            an AI or optimisation code the tables do not define, repeats an AI or
            holds no AI at all.
    """
    if not segment or not _BASE64URL_RE.fullmatch(segment):
        raise DigitalLinkError(
            f"Cannot decompress {segment!r}: expected one or more characters from A-Z a-z 0-9 - _"
        )
    reader = _Reader("".join(_bits(_BASE64URL_INDEX[ch], 6) for ch in segment), segment)
    ais: Pairs = []
    other: Pairs = []
    seen: set[str] = set()

    def add(ai: str) -> None:
        if ai in seen:
            raise reader.fail(f"AI ({ai}) appears more than once")
        seen.add(ai)
        ais.append((ai, _decode_value(reader, ai)))

    # Shorter tails are padding: every record takes more than eight bits.
    while reader.remaining > 8:
        high, low = reader.take(4), reader.take(4)
        if high <= 9 and low <= 9:
            ai = f"{high}{low}"
            size = AI_KEY_LENGTH.get(ai)
            if size is None:
                raise reader.fail(f"no AI starts with {ai}")
            for _ in range(size - 2):
                nibble = reader.take(4)
                if nibble > 9:
                    raise reader.fail(f"AI {ai}{_HEX[nibble]}… is not all digits")
                ai += str(nibble)
            if ai not in _FORMATS:
                raise reader.fail(f"AI ({ai}) is not one the compression tables define")
            add(ai)
        elif (code := f"{_HEX[high]}{_HEX[low]}") in OPTIMISATIONS:
            for ai in OPTIMISATIONS[code]:
                add(ai)
        elif high == _NON_GS1_FLAG:
            key_length = (low << 3) | reader.take(3)
            key = "".join(BASE64URL[reader.take(6)] for _ in range(key_length))
            enc = reader.take(3)
            count = reader.take(_OTHER_LENGTH_BITS)
            label = f"the value of {key!r}"
            other.append((key, _decode_text(reader, enc, count, label, _PRINTABLE_OR_SPACE)))
        else:
            raise reader.fail(f"no optimisation code {code} is defined")
    if "1" in reader.bits[reader.pos :]:
        raise reader.fail("it ends with bits that are not zero padding")
    if not ais:
        raise reader.fail("it holds no AI")
    return ais, other


# --------------------------------------------------------------------------- URI helpers


def _split_uri(uri: str) -> tuple[str, list[str], list[tuple[str, str]]]:
    """Scheme+host, the path segments (raw) and the query pairs (decoded) of ``uri``."""
    match = _URI_HEAD_RE.fullmatch(uri.split("#", 1)[0])
    if match is None:
        raise DigitalLinkError(
            f"Cannot read {uri!r}: expected an absolute URI such as https://id.gs1.org/01/…"
        )
    head, rest = match.groups()
    path, _, query = rest.partition("?")
    segments = path.split("/")[1:]
    if segments and segments[-1] == "":
        segments.pop()
    pairs: list[tuple[str, str]] = []
    for item in query.split("&"):
        if item:
            key, _, value = item.partition("=")
            pairs.append((unquote(key), unquote(value)))
    return head, segments, pairs


def _as_ai(key: str) -> str | None:
    """The AI a query key names (all digits, as the URI parser reads it), else None."""
    return key if key.isdigit() and key.isascii() else None


def _encode_query(pairs: Sequence[tuple[str, str]], safe: str) -> str:
    """``k=v&…`` with values percent-encoded except for ``safe`` and unreserved chars."""
    return "&".join(f"{key}={quote(value, safe=safe)}" for key, value in pairs)


def other_query(pairs: Sequence[tuple[str, str]]) -> str:
    """Non-GS1 query parameters as the reference toolkit writes them after a segment.

    >>> other_query([("linkType", "gs1:pip"), ("q", "a b")])
    'linkType=gs1:pip&q=a%20b'
    """
    return _encode_query(pairs, _OTHER_SAFE)


def _stem(head: str, prefix: Sequence[str], stem: str | None) -> str:
    """The stem to write: the one asked for, else the input's scheme, host and prefix."""
    if stem is not None:
        return stem.rstrip("/")
    return head + "".join(f"/{part}" for part in prefix)


def _arrange(ais: Pairs) -> tuple[tuple[str, str], Pairs, Pairs]:
    """Split decompressed AI pairs into primary key, path qualifiers and attributes.

    The segment does not record which AI was the primary key.  When several primary
    keys are present, (00) and (01) - the keys most often carried as attributes -
    give way to any other, and among the rest the lowest AI wins (the reference
    toolkit's choice).  Of the key's alternative qualifier chains the one chosen
    leaves only qualifiers that may be attributes and places the most qualifiers.
    Nothing is dropped: every AI not in the path becomes an attribute, and the
    attributes are listed in ascending AI order (the order GS1 tables use).
    """
    keys = [ai for ai, _ in ais if ai in PRIMARY_KEY_QUALIFIERS]
    if not keys:
        found = ", ".join(f"({ai})" for ai, _ in ais)
        raise DigitalLinkError(
            f"Cannot decompress: the AIs {found} include no GS1 Digital Link primary key"
        )
    preferred = [ai for ai in keys if ai not in ("00", "01")]
    primary = min(preferred, key=int) if preferred else keys[0]
    present = {ai for ai, _ in ais}
    chains = PRIMARY_KEY_QUALIFIERS[primary]
    all_qualifiers = {q for chain in chains for q in chain}

    def score(chain: tuple[str, ...]) -> tuple[bool, int]:
        leftovers = (all_qualifiers - set(chain)) & present
        return leftovers <= DATA_ATTRIBUTE_AIS, sum(q in present for q in chain)

    chain = max(chains, key=score, default=())
    values = dict(ais)
    qualifiers = [(q, values[q]) for q in chain if q in present]
    placed = {primary, *chain}
    attributes = sorted((pair for pair in ais if pair[0] not in placed), key=lambda p: p[0])
    return (primary, values[primary]), qualifiers, attributes


def decompress_uri(uri: str, *, stem: str | None = None) -> str:
    """Expand a compressed Digital Link URI into canonical uncompressed form.

    The last path segment is the compressed data; a plain query string after it
    (non-GS1 parameters, or AIs left uncompressed) is merged in.  The result lists
    the primary key, its qualifiers in the standard's order, the data attributes,
    then non-GS1 parameters; path values are percent-encoded outside ``A-Za-z0-9-._~``.

    Args:
        uri: the compressed URI.
        stem: the stem of the result; None keeps the input's.

    Raises:
        DigitalLinkError: the segment cannot be decompressed or holds no primary key.
    """
    head, segments, query = _split_uri(uri)
    if not segments:
        raise DigitalLinkError(f"Cannot decompress {uri!r}: expected a compressed path segment")
    ais, others = decompress_segment(segments[-1])
    seen = {ai for ai, _ in ais}
    for key, value in query:
        ai = _as_ai(key)
        if ai is None:
            others.append((key, value))
        elif ai in seen:
            raise DigitalLinkError(
                f"Cannot decompress {uri!r}: AI ({ai}) is both compressed and in the query"
            )
        else:
            seen.add(ai)
            ais.append((ai, value))
    (primary, primary_value), qualifiers, attributes = _arrange(ais)
    path = "".join(
        f"/{ai}/{quote(value, safe='')}" for ai, value in [(primary, primary_value), *qualifiers]
    )
    params = [part for part in (_encode_query(attributes, ""), other_query(others)) if part]
    query_text = f"?{'&'.join(params)}" if params else ""
    return f"{_stem(head, segments[:-1], stem)}{path}{query_text}"
