"""GS1 Digital Link URIs (URI syntax 1.6): parse, check, build.

A Digital Link URI carries AI data in a web address::

    https://brand.example/dl/01/09506000134352/10/ABC123?17=261231&foo=bar
    \\__________ stem ________/\\____ key ____/\\qualifier/ \\attribute/ \\other/

The path ends with the primary key and its qualifiers, in the order the
syntax dictionary gives for that key; the query holds data attributes (only AIs
the dictionary allows there) and any non-GS1 parameters, which are kept apart.
Everything before the rightmost primary key is the stem (any domain, any path
prefix).  The rules, and the order they are checked in, follow GS1's syntax
engine; its test vectors are the project's tests.

>>> link = parse("https://id.gs1.org/01/09506000134352/10/ABC123?17=261231")
>>> link.primary_key, link.qualifiers, link.attributes
(('01', '09506000134352'), (('10', 'ABC123'),), (('17', '261231'),))
>>> link.to_element_string()
'(01)09506000134352(10)ABC123(17)261231'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gs1ld.digital_link._spec import AIEntry
from gs1ld.digital_link.ai import AI_TABLE, check_associations, check_value
from gs1ld.digital_link.element_string import to_bracketed, to_unbracketed
from gs1ld.digital_link.escape import decode, encode
from gs1ld.digital_link.options import DEFAULT_OPTIONS, Options
from gs1ld.errors import DigitalLinkError

__all__ = [
    "CANONICAL_STEM",
    "PRIMARY_KEYS",
    "DigitalLink",
    "from_ai_data",
    "parse",
]

CANONICAL_STEM = "https://id.gs1.org"
PRIMARY_KEYS: dict[str, AIEntry] = {
    ai: e for ai, e in AI_TABLE.items() if e.dl_qualifiers is not None
}
_MAX_AIS = 64
_SCHEMES = ("https://", "http://", "HTTPS://", "HTTP://")
_BAD_URI_CHAR = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]")
_DOMAIN = re.compile(r"[A-Za-z0-9.\-]+(?::[0-9]*)?|\[[0-9A-Fa-f:.]+\](?::[0-9]*)?")
#: Short names DL 1.0 allowed in paths (read only with Options.convenience_alphas).
CONVENIENCE_ALPHAS = {
    "sscc": "00", "gtin": "01", "lot": "10", "ser": "21", "cpv": "22", "tpx": "235",
    "gdti": "253", "glnx": "254", "gcn": "255", "ginc": "401", "gsin": "402", "gln": "414",
    "payto": "415", "party": "417", "uic-ext": "7040", "grai": "8003", "giai": "8004",
    "itip": "8006", "cpid": "8010", "cpsn": "8011", "gmn": "8013", "gsrnp": "8017",
    "gsrn": "8018", "srin": "8019",
}  # fmt: skip
_ZERO_SUPPRESSED = {8: "GTIN-8", 12: "GTIN-12", 13: "GTIN-13"}

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class DigitalLink:
    """A checked GS1 Digital Link.

    Attributes:
        primary_key: (AI, value) of the key, e.g. ``("01", "09506000134352")``.
        qualifiers: (AI, value) pairs after the key, in path order.
        attributes: GS1 data attributes from the query, in query order.
        other_params: non-GS1 query parameters (name, value), kept as given.
        stem: scheme, host and path prefix before the key, without a trailing
            slash (``""`` gives a relative path).
    """

    primary_key: Pair
    qualifiers: tuple[Pair, ...] = ()
    attributes: tuple[Pair, ...] = ()
    other_params: tuple[Pair, ...] = ()
    stem: str = CANONICAL_STEM
    _uri: str | None = field(default=None, compare=False, repr=False)

    @property
    def path(self) -> str:
        """The key and qualifier part of the path: ``/01/09506000134352/10/ABC123``."""
        return "".join(
            f"/{ai}/{encode(value)}" for ai, value in (self.primary_key, *self.qualifiers)
        )

    @property
    def query(self) -> str:
        """The query string (without ``?``): attributes, then other parameters."""
        items = self._attribute_items()
        items += [f"{encode(k, query=True)}={encode(v, query=True)}" for k, v in self.other_params]
        return "&".join(items)

    def _attribute_items(self) -> list[str]:
        return [f"{ai}={encode(value, query=True)}" for ai, value in self.attributes]

    @property
    def uri(self) -> str:
        """The URI on this link's stem, AIs numeric, values percent-encoded."""
        query = self.query
        return f"{self.stem}{self.path}{'?' + query if query else ''}"

    def canonical(self) -> str:
        """The canonical URI: ``https://id.gs1.org``, numeric AIs, GS1 attributes only."""
        query = "&".join(self._attribute_items())
        return f"{CANONICAL_STEM}{self.path}{'?' + query if query else ''}"

    def with_stem(self, stem: str) -> DigitalLink:
        """The same identifiers on another resolver (``https://brand.example/dl``)."""
        return DigitalLink(
            self.primary_key, self.qualifiers, self.attributes, self.other_params, _clean_stem(stem)
        )

    def ai_data(self) -> list[Pair]:
        """All AI pairs: key, qualifiers, then attributes."""
        return [self.primary_key, *self.qualifiers, *self.attributes]

    def to_element_string(self, *, bracketed: bool = True, fnc1: str = "\x1d") -> str:
        """The AI data as an element string (bracketed HRI, or FNC1-separated)."""
        pairs = self.ai_data()
        return to_bracketed(pairs) if bracketed else to_unbracketed(pairs, fnc1=fnc1)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view (what ``gs1ld link parse`` prints)."""
        return {
            "primary_key": {"ai": self.primary_key[0], "value": self.primary_key[1]},
            "qualifiers": [{"ai": ai, "value": value} for ai, value in self.qualifiers],
            "attributes": [{"ai": ai, "value": value} for ai, value in self.attributes],
            "other_params": dict(self.other_params),
        }

    def __str__(self) -> str:
        return self.uri


def _clean_stem(stem: str) -> str:
    return stem.rstrip("/")


def _fail(uri: str, reason: str) -> DigitalLinkError:
    return DigitalLinkError(f"Invalid Digital Link URI {_short(uri)}: {reason}")


def _short(text: str) -> str:
    return repr(text if len(text) <= 120 else text[:117] + "...")


def _chain_text(key: str) -> str:
    chains = PRIMARY_KEYS[key].dl_qualifiers or ()
    if not chains:
        return f"({key}) takes no qualifiers"
    described = [", ".join(f"({ai})" for ai in chain) for chain in chains]
    return f"after ({key}) the path may hold " + ", or ".join(
        f"{d} in that order" if "," in d else d for d in described
    )


def _chain_for(key: str, ais: Sequence[str]) -> tuple[str, ...] | None:
    """The qualifier chain ``ais`` follow in order, or None."""
    for chain in PRIMARY_KEYS[key].dl_qualifiers or ():
        position = 0
        for ai in ais:
            try:
                position = chain.index(ai, position) + 1
            except ValueError:
                break
        else:
            return chain
    return None


def _check_path_sequence(uri: str, key: str, ais: Sequence[str]) -> None:
    if not ais or _chain_for(key, ais) is not None:
        return
    chains = PRIMARY_KEYS[key].dl_qualifiers or ()
    known = {ai for chain in chains for ai in chain}
    for ai in ais:
        if ai not in known:
            raise _fail(uri, f"({ai}) is not a qualifier of ({key}); {_chain_text(key)}.")
    if not any(set(ais) <= set(chain) for chain in chains):
        mixed = ", ".join(f"({ai})" for ai in ais)
        raise _fail(uri, f"qualifiers {mixed} mix alternative chains; {_chain_text(key)}.")
    raise _fail(uri, f"qualifiers out of order: {_chain_text(key)}.")


def _gtin_value(uri: str, value: str, options: Options) -> str:
    if len(value) in _ZERO_SUPPRESSED and value.isdigit():
        if options.pad_gtin:
            return value.zfill(14)
        kind = _ZERO_SUPPRESSED[len(value)]
        raise _fail(
            uri,
            f"(01) {value!r} is a zero-suppressed {kind}; Digital Link URIs carry GTIN-14, "
            f"i.e. {value.zfill(14)!r} (pad_gtin accepts the short form).",
        )
    return value


def _value(uri: str, ai: str, raw: str, *, query: bool) -> str:
    """A path segment's or query parameter's value, decoded; empty and NUL are refused."""
    if not raw:
        raise _fail(uri, f"AI ({ai}) has an empty value in the {'query' if query else 'path'}.")
    value = decode(raw, query=query)
    if "\x00" in value:
        raise _fail(uri, f"AI ({ai}) value contains a NUL character.")
    return value


def _path_ai(segment: str, options: Options) -> str:
    if options.convenience_alphas and segment in CONVENIENCE_ALPHAS:
        return CONVENIENCE_ALPHAS[segment]
    return segment


def parse(uri: str, *, options: Options = DEFAULT_OPTIONS) -> DigitalLink:
    """Parse and check a GS1 Digital Link URI.

    Raises:
        DigitalLinkError: saying exactly what is wrong (bad check digit, expected
            vs got; qualifiers out of order; a qualifier the key does not take; an
            invalid character; a value too long; an unknown or duplicate AI; no
            primary key; an AI in the query that belongs in the path…).
    """
    for scheme in _SCHEMES:
        if uri.startswith(scheme):
            break
    else:
        raise _fail(uri, "it must start with http:// or https:// (one case throughout).")
    bad = _BAD_URI_CHAR.search(uri)
    if bad is not None:
        raise _fail(
            uri, f"character {bad.group(0)!r} at position {bad.start()} is not allowed in a URI."
        )
    rest = uri[len(scheme) :]
    hash_at = rest.find("#")
    if hash_at >= 0:
        rest = rest[:hash_at]
    slash = rest.find("/")
    if slash < 0:
        raise _fail(uri, "it has no path, so no primary key.")
    domain = rest[:slash]
    if not domain or _DOMAIN.fullmatch(domain) is None:
        raise _fail(uri, f"{domain!r} is not a valid host.")
    path, _, query = rest[slash:].partition("?")
    if path.endswith("/"):
        raise _fail(uri, "the path must not end with '/'.")
    segments = path.split("/")
    key_at = -1
    index = len(segments) - 2
    while index >= 1:
        if _path_ai(segments[index], options) in PRIMARY_KEYS:
            key_at = index
            break
        index -= 2
    if key_at < 0:
        keys = ", ".join(f"({ai})" for ai in PRIMARY_KEYS)
        raise _fail(uri, f"no primary key in the path; expected one of {keys}.")
    key = _path_ai(segments[key_at], options)
    path_pairs: list[Pair] = []
    for at in range(key_at, len(segments), 2):
        ai = _path_ai(segments[at], options)
        path_pairs.append((ai, _value(uri, ai, segments[at + 1], query=False)))
    if len(path_pairs) > 1:
        _check_path_sequence(uri, key, [ai for ai, _ in path_pairs[1:]])
    if key == "01":
        path_pairs[0] = (key, _gtin_value(uri, path_pairs[0][1], options))
    attributes: list[Pair] = []
    others: list[Pair] = []
    seen = {ai for ai, _ in path_pairs}
    if len(seen) < len(path_pairs):
        raise _fail(uri, "an AI appears twice in the path.")
    if query:
        qualifier_ais = [ai for ai, _ in path_pairs[1:]]
        for param in query.split("&"):
            if not param:
                continue
            name, equals, raw = param.partition("=")
            if not (name.isdigit() and name.isascii()):
                others.append((decode(name, query=True), decode(raw, query=True) if equals else ""))
                continue
            entry = AI_TABLE.get(name)
            if entry is None:
                if not options.unknown_ais:
                    raise _fail(
                        uri,
                        f"unknown AI ({name}) in the query: the syntax dictionary has no such AI.",
                    )
                if not options.unknown_ais_as_attributes:
                    raise _fail(
                        uri, f"unknown AI ({name}) cannot be a Digital Link data attribute."
                    )
            elif not entry.dl_attribute:
                raise _fail(uri, f"AI ({name}) is not allowed as a Digital Link data attribute.")
            value = _value(uri, name, raw, query=True)
            if name in seen:
                raise _fail(uri, f"AI ({name}) appears more than once.")
            seen.add(name)
            if name == "01":
                value = _gtin_value(uri, value, options)
            if _chain_for(key, [*qualifier_ais, name]) is not None and name != key:
                raise _fail(
                    uri,
                    f"AI ({name}) qualifies ({key}): it belongs in the path, not the query.",
                )
            attributes.append((name, value))
    if len(path_pairs) + len(attributes) > _MAX_AIS:
        raise _fail(
            uri, f"Too many AIs: at most {_MAX_AIS}, got {len(path_pairs) + len(attributes)}."
        )
    for ai, value in path_pairs:
        check_value(ai, value)
    for ai, value in attributes:
        entry = AI_TABLE.get(ai)
        if entry is not None:
            check_value(ai, value, entry)
    pairs = [*path_pairs, *attributes]
    if options.associations:
        check_associations(pairs)
    stem = scheme + "/".join([domain, *segments[1:key_at]])
    return DigitalLink(
        path_pairs[0], tuple(path_pairs[1:]), tuple(attributes), tuple(others), stem, uri
    )


def _choose_chain(key: str, present: Iterable[str]) -> tuple[str, ...]:
    """The longest run of qualifiers present for ``key`` (the first such on a tie)."""
    available = set(present)
    best: tuple[str, ...] = ()
    for chain in PRIMARY_KEYS[key].dl_qualifiers or ():
        picked = tuple(ai for ai in chain if ai in available)
        if len(picked) > len(best):
            best = picked
    return best


def from_ai_data(
    pairs: Sequence[Pair],
    *,
    stem: str = CANONICAL_STEM,
    other_params: Sequence[Pair] = (),
    options: Options = DEFAULT_OPTIONS,
) -> DigitalLink:
    """Build the Digital Link for a message's AI data (from an element string or a scan).

    The first primary key in the data becomes the path key, with the longest
    qualifier chain the data supports; every other AI must be allowed as a data
    attribute.  Predefined-length attributes come first, then the rest, each in
    the order given (as GS1's syntax engine writes them).

    Raises:
        DigitalLinkError: no primary key, a value breaks its format, or an AI
            cannot be placed in the URI.
    """
    unique: list[Pair] = []
    seen: dict[str, str] = {}
    for ai, value in pairs:
        if ai in seen:
            if seen[ai] != value:
                raise DigitalLinkError(f"AI ({ai}) appears twice with different values.")
            continue
        seen[ai] = value
        unique.append((ai, value))
    key = next((ai for ai, _ in unique if ai in PRIMARY_KEYS), None)
    if key is None:
        raise DigitalLinkError(
            f"No primary key in {to_bracketed(list(pairs))!r}: a Digital Link URI needs one of "
            + ", ".join(f"({ai})" for ai in PRIMARY_KEYS)
            + "."
        )
    value = seen[key]
    if key == "01":
        value = _gtin_value(to_bracketed(list(pairs)), value, options)
    chain = _choose_chain(key, seen)
    qualifiers = tuple((ai, seen[ai]) for ai in chain)
    used = {key, *chain}
    fixed: list[Pair] = []
    variable: list[Pair] = []
    for ai, ai_value in unique:
        if ai in used:
            continue
        entry = AI_TABLE.get(ai)
        if entry is None:
            if not (options.unknown_ais and options.unknown_ais_as_attributes):
                raise DigitalLinkError(
                    f"Unknown AI ({ai}) cannot be a Digital Link data attribute."
                )
            variable.append((ai, ai_value))
            continue
        if not entry.dl_attribute:
            raise DigitalLinkError(
                f"AI ({ai}) cannot go in a Digital Link URI: it is neither a qualifier of "
                f"({key}) in the chosen path nor allowed as a data attribute."
            )
        (variable if entry.fnc1 else fixed).append((ai, ai_value))
    link = DigitalLink(
        (key, value), qualifiers, (*fixed, *variable), tuple(other_params), _clean_stem(stem)
    )
    for ai, ai_value in link.ai_data():
        if ai in AI_TABLE:
            check_value(ai, ai_value)
    if options.associations:
        check_associations(link.ai_data())
    return link
