"""A line's day window is exactly the run of days on which its entry hashes as today.

A rebuild passes over an unchanged line on any day of its window
(:func:`~gs1ld.site.product_files.day_window`): a window one day too wide would
keep a product whose certificate just expired as "in effect", one too narrow
reads lines for nothing.  Checked against :func:`day_state` itself, day by day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gs1ld.site.product_files import day_state, day_window

TODAY = date(2026, 6, 1)

_dates = st.dates(min_value=TODAY - timedelta(days=20), max_value=TODAY + timedelta(days=20))
_field = st.one_of(_dates.map(date.isoformat), st.none(), st.just("not a date"), st.integers())
_certificate = st.fixed_dictionaries(
    {"id": st.text(max_size=3)},
    optional={"valid_from": _field, "expiration_date": _field, "expiry_date": _field},
)
_claim = st.fixed_dictionaries(
    {"id": st.text(max_size=3)}, optional={"valid_from": _field, "expiration_date": _field}
)
_content = st.fixed_dictionaries(
    {},
    optional={
        "certifications": st.lists(_certificate, max_size=3),
        "claims": st.lists(_claim, max_size=3),
        "images": st.lists(st.just({"image_url": "https://brand.example/a.jpg"})),
    },
)


@settings(max_examples=300, deadline=None)
@given(content=_content, today=_dates)
def test_the_window_is_the_days_whose_state_is_todays(content: dict[str, Any], today: date) -> None:
    raw = {"gtin": "09506000134352", "content": content}
    first, last = day_window(raw, today)
    assert first <= today.toordinal() <= last
    state = day_state(raw, today)
    for offset in range(-30, 31):
        day = today + timedelta(days=offset)
        assert (first <= day.toordinal() <= last) == (day_state(raw, day) == state), day


def test_an_entry_without_dates_has_every_day() -> None:
    for raw in ({"gtin": "09506000134352"}, {"content": None}, {"content": {"claims": []}}):
        assert day_window(raw, TODAY) == (1, date.max.toordinal())


def test_an_entry_the_date_rules_cannot_read_has_its_day_alone() -> None:
    """Content of another shape makes the entry invalid today; read again on any other day."""
    day = TODAY.toordinal()
    for content in (["certifications"], {"certifications": "2026-06-01"}):
        assert day_window({"content": content}, TODAY) == (day, day)


def test_a_date_on_the_day_itself_gives_that_day_alone() -> None:
    raw = {"content": {"claims": [{"valid_from": "2026-05-01", "expiration_date": "2026-06-01"}]}}
    assert day_window(raw, TODAY) == (TODAY.toordinal(), TODAY.toordinal())
    raw["content"]["claims"][0]["expiration_date"] = "2026-06-30"
    assert day_window(raw, TODAY) == (date(2026, 5, 2).toordinal(), date(2026, 6, 29).toordinal())
