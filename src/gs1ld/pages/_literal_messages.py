"""Translate the built-in templates' literal chrome messages once, when they compile.

An environment serves one chrome language (:func:`gs1ld.pages.product.environment`),
so ``{{ _("Ingredients") }}`` always gives the same markup there.  Left as a call, every
page pays for it at run time (Jinja's ``Context.call``, the lookup, the escaping of
its result: a few microseconds, dozens of times a page, a tenth of a page's
rendering).  This extension rewrites such a call, while the template compiles, into
the translated markup as a constant (``"Ingrédients" | safe``), which Jinja folds
into the template's static text: the page's bytes are the same.

Only a call with one string literal and nothing else is rewritten, and only in the
templates gs1ld ships: a theme's template may give ``_`` a meaning of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup

__all__ = ["literal_messages"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"


def _builtin(filename: str | None) -> bool:
    """True when a template was read from gs1ld's own templates folder."""
    if filename is None:
        return False
    return Path(filename).resolve().parent == _TEMPLATES


def literal_messages(gettext: Callable[[str], Markup]) -> type[Extension]:
    """An extension that folds ``_("literal")`` into ``gettext("literal")``'s markup."""

    class LiteralMessages(Extension):
        def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
            if not _builtin(stream.filename):
                yield from stream
                return
            window: list[Token] = []
            after_dot = False  # ``x._("...")`` is an attribute's call, not gettext's
            for token in stream:
                window.append(token)
                if len(window) < 4:
                    continue
                folded = None if after_dot else _folded(window, gettext)
                if folded is not None:
                    yield from folded
                    window.clear()
                    after_dot = False
                else:
                    first = window.pop(0)
                    after_dot = first.type == "dot"
                    yield first
            yield from window

    return LiteralMessages


def _folded(window: list[Token], gettext: Callable[[str], Markup]) -> list[Token] | None:
    """``"markup" | safe`` tokens for ``_ ( "message" )``, else None."""
    name, opening, message, closing = window
    if not (
        name.test("name:_")
        and opening.type == "lparen"
        and message.type == "string"
        and closing.type == "rparen"
    ):
        return None
    line = name.lineno
    return [
        Token(line, "string", str(gettext(message.value))),
        Token(line, "pipe", "|"),
        Token(line, "name", "safe"),
    ]
