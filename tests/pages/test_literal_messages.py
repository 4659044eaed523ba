"""The built-in templates' literal messages are translated once, when they compile, and
come out exactly as Jinja's run-time gettext writes them; nothing else is folded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import Environment
from markupsafe import Markup

from gs1ld.pages._literal_messages import literal_messages
from gs1ld.pages.i18n import CATALOG_LANGUAGES
from gs1ld.pages.product import environment
from support import PROJECT_ROOT

TEMPLATES = PROJECT_ROOT / "src" / "gs1ld" / "pages" / "templates"
LITERAL = re.compile(r'(?<![\w.])_\("((?:[^"\\]|\\.)*)"\)')


def _literals() -> list[str]:
    found = {m for path in TEMPLATES.glob("*.j2") for m in LITERAL.findall(path.read_text())}
    return sorted(found)


def _compiled_as_builtin(env: Environment, source: str) -> str:
    """``source`` rendered as if it were a file of the built-in templates folder."""
    code = env.compile(source, "probe.html.j2", str(TEMPLATES / "probe.html.j2"))
    return env.template_class.from_code(env, code, env.globals).render()


def test_the_templates_hold_literal_messages() -> None:
    assert len(_literals()) > 30
    assert "%% Daily Value*" in _literals()  # one with an escaped percent sign


@pytest.mark.parametrize("language", CATALOG_LANGUAGES)
def test_a_folded_message_is_what_gettext_writes_at_run_time(language: str) -> None:
    env = environment(None, language)
    for message in _literals():
        source = '{{ _("' + message + '") }}'  # the literal as the template writes it
        at_run_time = env.from_string(source).render()  # not a built-in file: not folded
        assert _compiled_as_builtin(env, source) == at_run_time, message
    # in an expression too: a conditional, a dictionary value
    source = '{{ _("Contains") if x else _("May contain") }}|{{ {"a": _("Active")}["a"] }}'
    assert _compiled_as_builtin(env, source.replace("x", "true")) == (
        env.from_string(source.replace("x", "true")).render()
    )


def _counting_environment() -> tuple[Environment, list[str]]:
    calls: list[str] = []

    def gettext(message: str, /, **variables: object) -> Markup:
        calls.append(message)
        return Markup(f"«{message}»") % variables

    env = Environment(autoescape=True, extensions=[literal_messages(gettext)])
    env.globals["_"] = gettext
    return env, calls


def test_builtin_literal_calls_are_made_once_while_compiling() -> None:
    env, calls = _counting_environment()
    source = '<h2>{{ _("Ingredients") }}</h2>'
    code = env.compile(source, "probe.html.j2", str(TEMPLATES / "probe.html.j2"))
    assert calls == ["Ingredients"]  # while compiling
    template = env.template_class.from_code(env, code, env.globals)
    assert template.render() == template.render() == "<h2>«Ingredients»</h2>"
    assert calls == ["Ingredients"]  # rendering called nothing


@pytest.mark.parametrize(
    "source",
    [
        '{{ _("Contains: %(a)s", a="<x>") }}',  # values: formatted on every page
        "{{ _(label) }}",  # not a literal
        '{{ obj._("Ingredients") }}',  # an attribute's own method
    ],
)
def test_other_calls_stay_calls(source: str) -> None:
    env, calls = _counting_environment()

    class Obj:
        def _(self, message: str) -> str:
            return f"obj:{message}"

    code = env.compile(source, "probe.html.j2", str(TEMPLATES / "probe.html.j2"))
    template = env.template_class.from_code(env, code, env.globals)
    assert calls == []
    first = template.render(label="Images", obj=Obj())
    assert template.render(label="Images", obj=Obj()) == first
    assert len(calls) == (0 if "obj." in source else 2)


def test_a_theme_template_is_not_folded(tmp_path: Path) -> None:
    """A theme's template (no file of gs1ld's folder) may give ``_`` its own meaning."""
    env, calls = _counting_environment()
    source = '{% macro _(m) %}[{{ m }}]{% endmacro %}{{ _("Ingredients") }}'
    assert env.from_string(source).render() == "[Ingredients]"
    theme_file = tmp_path / "product.html.j2"
    code = env.compile(source, "product.html.j2", str(theme_file))
    assert env.template_class.from_code(env, code, env.globals).render() == "[Ingredients]"
    assert calls == []
