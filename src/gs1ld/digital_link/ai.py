"""Application Identifier values: look them up, check them, check how they combine.

Every rule comes from the GS1 Barcode Syntax Dictionary (the generated
:mod:`gs1ld.digital_link._aitable`) and GS1's syntax tests
(:mod:`gs1ld.digital_link._linters`), so a value passes here exactly when GS1's
reference syntax engine accepts it.  Errors name the AI, quote the value and
say what was expected.

>>> check_value("01", "09506000134352")
>>> check_value("01", "09506000134353")
Traceback (most recent call last):
...
gs1ld.errors.DigitalLinkError: Invalid AI (01) check digit in '09506000134353': expected 2, got 3.
"""

from __future__ import annotations

from collections.abc import Sequence

from gs1ld.digital_link._aitable import AI_TABLE
from gs1ld.digital_link._linters import LINTERS, cset_error, describe
from gs1ld.digital_link._spec import AIEntry, Component
from gs1ld.errors import DigitalLinkError
from gs1ld.gtin import check_digit, check_digit_message

__all__ = ["AI_TABLE", "AIEntry", "check_associations", "check_value", "lookup", "lookup_prefix"]

_CSET_NAMES = {
    "N": "digits",
    "X": "GS1 CSET 82 characters",
    "Y": "GS1 CSET 39 characters",
    "Z": "base64url characters",
}
_MAX_LENGTH = {ai: entry.max_length for ai, entry in AI_TABLE.items()}
_DIGSIG_SERIAL_LENGTH = {"253": 13, "255": 13, "8003": 14}


def lookup(ai: str) -> AIEntry | None:
    """The dictionary entry for ``ai``, or None when GS1 defines no such AI."""
    return AI_TABLE.get(ai)


def lookup_prefix(data: str, start: int = 0) -> AIEntry | None:
    """The AI that ``data`` starts with at ``start`` (AIs are prefix-free), or None."""
    for length in (2, 3, 4):
        entry = AI_TABLE.get(data[start : start + length])
        if entry is not None:
            return entry
    return None


def _show(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def _check_component(ai: str, value: str, part: str, component: Component) -> None:
    error = cset_error(component.cset, part)
    if error is not None:
        if error == "INVALID_CSET64_PADDING":
            raise DigitalLinkError(
                f"Invalid padding in AI ({ai}) value {_show(value)}: {describe(error)}."
            )
        bad = next((c for c in part if cset_error(component.cset, c) is not None), part[-1])
        raise DigitalLinkError(
            f"Invalid character {bad!r} in AI ({ai}) value {_show(value)}: "
            f"only {_CSET_NAMES[component.cset]} are allowed."
        )
    for name in component.linters:
        if name == "csum":
            expected = check_digit(part[:-1])
            got = part[-1]
            if str(expected) != got:
                raise DigitalLinkError(check_digit_message(f"AI ({ai})", value, expected, got))
            continue
        error = LINTERS[name](part)
        if error is not None:
            raise DigitalLinkError(f"Invalid AI ({ai}) value {_show(value)}: {describe(error)}.")


def check_value(ai: str, value: str, entry: AIEntry | None = None) -> None:
    """Check one AI value against its format: length, character set and syntax tests.

    Raises:
        DigitalLinkError: the AI is unknown or the value breaks its format.
    """
    if entry is None:
        entry = AI_TABLE.get(ai)
        if entry is None:
            raise DigitalLinkError(f"Unknown AI ({ai}): the GS1 syntax dictionary has no such AI.")
    if not value:
        raise DigitalLinkError(f"AI ({ai}) has an empty value.")
    size = len(value)
    maximum = _MAX_LENGTH[entry.ai]
    if size > maximum:
        raise DigitalLinkError(
            f"AI ({ai}) value {_show(value)} is too long: at most {maximum} characters, got {size}."
        )
    position = 0
    for component in entry.components:
        remaining = size - position
        if remaining <= 0 and component.optional:
            break
        if remaining < component.min_length:
            raise DigitalLinkError(
                f"AI ({ai}) value {_show(value)} is too short: expected "
                f"{_length_rule(entry)}, got {size}."
            )
        part = value[position : position + component.max_length]
        _check_component(ai, value, part, component)
        position += len(part)
    if position < size:
        raise DigitalLinkError(
            f"AI ({ai}) value {_show(value)} has the wrong length: expected "
            f"{_length_rule(entry)}, got {size}."
        )


def _length_rule(entry: AIEntry) -> str:
    lengths: list[str] = []
    total = 0
    for component in entry.components:
        if component.optional:
            lengths.append(str(total))
        if component.min_length != component.max_length:
            lengths.append(f"{total + component.min_length}-{total + component.max_length}")
            return " or ".join(lengths) + " characters"
        total += component.max_length
    lengths.append(str(total))
    return " or ".join(lengths) + " characters"


def _matches(pattern: str, ai: str) -> bool:
    if len(pattern) != len(ai):
        return False
    return all(p == a or (p == "n" and a.isdigit()) for p, a in zip(pattern, ai, strict=True))


def _present(pattern: str, ais: set[str]) -> bool:
    if "n" not in pattern:
        return pattern in ais
    return any(_matches(pattern, ai) for ai in ais)


def _names(patterns: Sequence[str]) -> str:
    return "+".join(f"({p})" for p in patterns)


def check_associations(pairs: Sequence[tuple[str, str]]) -> None:
    """Check how the AIs of one message combine, as the dictionary's ``req``/``ex`` rules say.

    A repeated AI must repeat the same value; an AI must not appear with one it
    excludes; each ``req`` rule needs one of its alternatives present; a
    digital signature (8030) needs a serialised key.

    Raises:
        DigitalLinkError: naming the AIs involved.
    """
    values: dict[str, str] = {}
    for ai, value in pairs:
        previous = values.setdefault(ai, value)
        if previous != value:
            raise DigitalLinkError(
                f"AI ({ai}) appears twice with different values: "
                f"{_show(previous)} and {_show(value)}."
            )
    ais = set(values)
    for ai in values:
        entry = AI_TABLE.get(ai)
        if entry is None:
            continue
        for pattern in entry.excludes:
            if "n" not in pattern:
                if pattern in ais and pattern != ai:
                    raise DigitalLinkError(f"AI ({ai}) must not appear together with ({pattern}).")
                continue
            for other in ais:
                if other != ai and _matches(pattern, other):
                    raise DigitalLinkError(f"AI ({ai}) must not appear together with ({other}).")
        for rule in entry.requires:
            if not any(all(_present(p, ais) for p in group) for group in rule):
                options = " or ".join(_names(group) for group in rule)
                raise DigitalLinkError(f"AI ({ai}) requires {options} in the same message.")
    if "8030" in values:
        for key, length in _DIGSIG_SERIAL_LENGTH.items():
            if key in values and len(values[key]) <= length:
                raise DigitalLinkError(
                    f"A digital signature (8030) needs a serialised ({key}): "
                    f"{_show(values[key])} has no serial component."
                )
