"""Switches that relax or tighten Digital Link and AI checks.

The defaults are the standard's rules as GS1's syntax engine applies them;
every relaxation is opt-in and named after what it allows.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_OPTIONS", "Options"]


@dataclass(frozen=True, slots=True)
class Options:
    """How strictly to read AI data.

    Attributes:
        pad_gtin: accept GTIN-8, -12 and -13 where a GTIN-14 belongs and pad it
            with zeros.  Off by default: URI syntax 1.4+ asks for 14 digits.
        convenience_alphas: read the old short names (``/gtin/…``, ``/ser/…``)
            in URI paths as their AIs.
        unknown_ais: accept AIs the syntax dictionary does not define.
        unknown_ais_as_attributes: let such AIs be Digital Link query
            attributes (only with ``unknown_ais``).
        associations: check the dictionary's pairing rules (an AI that requires
            or excludes another, repeated AIs that disagree).
    """

    pad_gtin: bool = False
    convenience_alphas: bool = False
    unknown_ais: bool = False
    unknown_ais_as_attributes: bool = False
    associations: bool = True


DEFAULT_OPTIONS = Options()
