"""GTIN rules: accept the forms people type, keep one canonical form (GTIN-14).

GS1 identifies trade items with GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) and
GTIN-14.  All four share the mod-10 check digit and become a GTIN-14 by padding
zeros on the left, which is the form Digital Link URIs and ``gs1:gtin`` use.

>>> normalize("950 6000 13435-2")
'09506000134352'
>>> check_digit("0950600013435")
2
>>> is_valid("09506000134353")
False
"""

from __future__ import annotations

from gs1ld.errors import GtinError

__all__ = [
    "GTIN_LENGTHS",
    "check_digit",
    "check_digit_message",
    "is_valid",
    "normalize",
    "verify_check_digit",
]

GTIN_LENGTHS = (8, 12, 13, 14)
_SEPARATORS = str.maketrans("", "", " -")


def check_digit(payload: str) -> int:
    """Return the GS1 mod-10 check digit for ``payload`` (the digits before it).

    Works for every GS1 key that uses the standard algorithm (GTIN, GLN, SSCC…):
    from the right, digits are weighted 3, 1, 3, 1…

    Args:
        payload: ASCII digits, without the check digit.

    Returns:
        The check digit, 0-9.
    """
    total = 0
    weight = 3
    for char in reversed(payload):
        total += (ord(char) - 48) * weight
        weight = 4 - weight
    return (10 - total % 10) % 10


def check_digit_message(kind: str, value: str, expected: int, got: int | str) -> str:
    """The one wording of a wrong check digit, wherever gs1ld finds one: expected, then got.

    GTINs and GLNs (:func:`verify_check_digit`), AI values of Digital Link URIs
    and element strings, compression and the ``gtin`` validation rule all say it
    this way. A value longer than 60 characters is shortened.

    Args:
        kind: what carries the check digit: ``GTIN``, ``GLN``, ``AI (8003)``.
        value: the value as given, quoted in the message.
        expected: the check digit the other digits give.
        got: the digit found.

    >>> check_digit_message("GTIN", "09506000134353", 2, 3)
    "Invalid GTIN check digit in '09506000134353': expected 2, got 3."
    """
    shown = value if len(value) <= 60 else value[:57] + "..."
    return f"Invalid {kind} check digit in {shown!r}: expected {expected}, got {got}."


def verify_check_digit(digits: str, *, kind: str = "GTIN", original: str | None = None) -> None:
    """Raise :class:`GtinError` when the last digit of ``digits`` is not its check digit.

    Args:
        digits: ASCII digits, check digit last.
        kind: the key's name for the message (``GTIN``, ``GLN``…).
        original: the input as the user typed it, quoted in the message.
    """
    expected = check_digit(digits[:-1])
    got = ord(digits[-1]) - 48
    if expected != got:
        shown = digits if original is None else original
        raise GtinError(check_digit_message(kind, shown, expected, got), shown)


def normalize(value: str) -> str:
    """Return ``value`` as a GTIN-14, after checking it.

    Spaces and hyphens are ignored; GTIN-8/12/13 are padded with zeros on the left.

    Args:
        value: a GTIN as typed, printed or received.

    Returns:
        The 14-digit GTIN.

    Raises:
        GtinError: the value has other characters, a length other than 8, 12, 13
            or 14 digits, or a wrong check digit. The message quotes the input.
    """
    if not isinstance(value, str):
        raise GtinError(f"Invalid GTIN {value!r}: expected a string of digits.", repr(value))
    digits = value.translate(_SEPARATORS)
    bad = next((c for c in digits if not ("0" <= c <= "9")), None)
    if bad is not None:
        raise GtinError(
            f"Invalid GTIN character in {value!r}: expected digits (spaces and hyphens "
            f"are ignored), got {bad!r}.",
            value,
        )
    if len(digits) not in GTIN_LENGTHS:
        raise GtinError(
            f"Invalid GTIN length in {value!r}: expected 8, 12, 13 or 14 digits, "
            f"got {len(digits)}.",
            value,
        )
    verify_check_digit(digits, original=value)
    return digits.zfill(14)


def is_valid(value: str) -> bool:
    """Tell whether ``value`` is a GTIN that :func:`normalize` accepts."""
    try:
        normalize(value)
    except GtinError:
        return False
    return True
