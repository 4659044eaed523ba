"""The human product page: content, accessibility basics, and no way out of escaping."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from markupsafe import Markup

from gs1ld.catalog import CatalogEntry, parse_entry
from gs1ld.config import ExportConfig
from gs1ld.feed import CertificationAssignmentOut, RecallOut, VerificationStatus
from gs1ld.pages.product import render_product_page, render_view
from gs1ld.pages.view import build_view
from gs1ld.publish import Publication, publish_entry

DAY = date(2026, 6, 1)
URI = "https://id.brand.example/01/09506000134352"
CONFIG = ExportConfig(base_url="https://id.brand.example", today=DAY)
SID = "2" * 22
HOSTILE = "</script><!-- \"quoted\" 'single' <b>bold</b> & more"


def _entry(**content: Any) -> CatalogEntry:
    base: dict[str, Any] = {
        "images": [],
        "ingredients": [],
        "certifications": [],
        "claims": [],
        "recalls": [],
    }
    base.update(content)
    return parse_entry(
        {
            "gtin": "09506000134352",
            "product": {
                "name": HOSTILE,
                "brand": HOSTILE,
                "description": HOSTILE,
                "language": "en",
            },
            "content": base,
        }
    )


class _Page(HTMLParser):
    """Collects what the tests look at: scripts, images, links, headings, html lang."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: dict[str, str] = {}
        self.images: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.headings: list[int] = []
        self.lang: str | None = None
        self._script: str | None = None
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "script":
            self._script = a.get("id") or ""
            self.scripts[self._script] = ""
        elif tag == "img":
            self.images.append(a)
        elif tag == "a":
            self.links.append(a.get("href") or "")
        elif len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts[self._script] += data

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def _published(entry: CatalogEntry) -> Publication:
    return publish_entry(entry, CONFIG)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_hostile_text_stays_text_and_json_round_trips() -> None:
    jsonld = {"@id": URI, "gs1:productName": {"@value": HOSTILE, "@language": "en"}}
    html = render_view(build_view(_published(_entry())), jsonld=jsonld)
    page = _parse(html)
    assert html.count("</script>") == 2  # only the two script blocks close
    assert page.comments == []  # no <!-- from the feed opened a comment
    assert "<b>bold</b>" not in html
    assert json.loads(page.scripts["gs1-jsonld"]) == jsonld
    schema = json.loads(page.scripts["schema-org"])
    assert schema["name"] == HOSTILE
    assert schema["gtin14"] == "09506000134352"
    assert schema["brand"] == {"@type": "Brand", "name": HOSTILE}


def test_unsafe_urls_never_become_links_or_images() -> None:
    cert = CertificationAssignmentOut.model_construct(
        id=SID,
        label="Seal",
        is_active=True,
        verification_url="javascript:alert(1)",
        url="data:text/html,x",
        logo_url="javascript:x",
        metadata={},
        certificate_countries=[],
        verification_status=VerificationStatus.VERIFIED,
        valid_from=None,
        expiration_date=None,
        expiry_date=None,
        issuing_body="",
        certificate_number="",
        scope="",
        code="",
        description="",
        certification_value="",
        audit_date=None,
        initial_certification_date=None,
    )
    recall = RecallOut.model_construct(
        id=SID,
        title="R",
        public_url="javascript:alert(2)",
        jurisdictions=[],
        recall_date=None,
        description="",
        hazard="",
        remedy="",
        company_name="",
    )
    entry = _entry()
    entry = entry.model_copy(
        update={
            "content": entry.content.model_copy(
                update={"certifications": [cert], "recalls": [recall]}
            )
        }
    )
    # the page itself, without the JSON-LD (models built unchecked hold what the feed never could)
    html = render_view(build_view(_published(entry)), jsonld={})
    page = _parse(html)
    assert page.links == [URI, "index.jsonld", "linkset.json"]
    assert "javascript:" not in html
    assert not page.images


def test_lang_headings_and_alt_text() -> None:
    entry = _entry(
        images=[
            {"id": SID, "image_url": "https://cdn.brand.example/1.jpg", "is_primary": True},
            {"id": "3" * 22, "image_url": "https://cdn.brand.example/2.jpg", "title": "Back"},
        ],
        certifications=[
            {
                "id": SID,
                "label": "Seal",
                "is_active": True,
                "logo_url": "https://cdn.brand.example/seal.svg",
            }
        ],
    )
    page = _parse(render_product_page(_published(entry)))
    assert page.lang == "en"
    assert page.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    assert len(page.images) == 3
    assert all(img.get("alt") for img in page.images)


def test_multilingual_name_picks_the_entry_language() -> None:
    entry = parse_entry(
        {
            "gtin": "09506000134352",
            "product": {"name": {"en": "Milk", "fr": "Lait"}, "language": "fr"},
            "content": {
                "images": [],
                "ingredients": [],
                "certifications": [],
                "claims": [],
                "recalls": [],
            },
        }
    )
    view = build_view(_published(entry))
    assert (view.name, view.language) == ("Lait", "fr")
    assert _parse(render_product_page(_published(entry))).lang == "fr"


def test_ingredients_allergens_claims_and_recall() -> None:
    entry = _entry(
        ingredients=[
            {"id": SID, "name": "Peanuts", "is_major_allergen": True, "priority": 2},
            {"id": "3" * 22, "name": "Oats", "priority": 1, "percentage": 40},
            {"id": "4" * 22, "name": "Sesame", "may_contain": True, "priority": 3},
        ],
        claims=[
            {"id": SID, "label": "Vegan", "code": "VEGAN", "source": "THIRD_PARTY_VERIFIED"},
            {"id": "3" * 22, "label": "Old", "code": "OLD", "expiration_date": "2026-05-31"},
        ],
        recalls=[
            {
                "id": SID,
                "title": "Undeclared milk",
                "hazard": "Milk allergy",
                "remedy": "Return for a refund",
            }
        ],
    )
    view = build_view(_published(entry))
    # oats are read from the name although the row is not flagged (the JSON-LD declares them)
    assert [(i.name, i.allergen) for i in view.ingredients] == [
        ("Oats", "contains"),
        ("Peanuts", "contains"),
        ("Sesame", "may-contain"),
    ]
    assert [(c.label, c.source) for c in view.claims] == [("Vegan", "Verified by a third party")]
    html = render_product_page(_published(entry))
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert "Contains: Oats (cereals containing gluten), Peanut May contain: Sesame" in text
    assert 'role="alert"' in html
    assert "Return for a refund" in html
    assert (
        'Oats</span><span class="tag contains" data-badge="contains">Contains</span> (40%)' in html
    )


@pytest.mark.parametrize(
    ("nutrients", "column"),
    [
        ([{"name": "Fat", "amount": 3.5, "unit": "g"}], False),
        (
            [
                {"name": "Fat", "amount": 3.5, "unit": "g", "daily_value_percent": 5},
                {"name": "Salt", "amount": 0.1, "unit": "g"},
            ],
            True,
        ),
    ],
)
def test_eu_panel_has_a_reference_intake_column_only_when_a_nutrient_has_one(
    nutrients: list[dict[str, Any]], column: bool
) -> None:
    facts = {"label_format": "EU", "serving_size": "250 ml", "nutrients": nutrients}
    entry = _entry(nutrition_facts=facts)
    html = render_product_page(_published(entry))
    table = html[html.index('<table class="eu">') : html.index("</table>")]
    assert ('<th scope="col" class="num">% RI*</th>' in table) is column
    rows = table.count('<tr><th scope="row">')
    assert rows == len(nutrients)
    assert table.count('<td class="num">') == rows * (2 if column else 1)
    assert ("Reference intake of an average adult" in html) is column
    if column:
        assert '<td class="num">5%</td>' in table


@pytest.mark.parametrize(
    ("valid_from", "status", "support", "words"),
    [
        ("2026-01-01", "verified", "verified", "Verified by a third party"),
        ("2026-09-01", "verified", "certificate-inactive", "its certificate is inactive"),
        ("2025-01-01", "expired", "certificate-expired", "its certificate has expired"),
        ("2026-01-01", "unverified", "certificate-unverified", "its certificate is not verified"),
    ],
)
def test_a_verified_claim_says_what_the_certificate_of_its_scheme_says(
    valid_from: str, status: str, support: str, words: str
) -> None:
    entry = _entry(
        claims=[
            {"id": SID, "label": "Non-GMO", "code": "NON_GMO", "source": "THIRD_PARTY_VERIFIED"}
        ],
        certifications=[
            {
                "id": "3" * 22,
                "label": "Non-GMO Project Verified",
                "code": "NON_GMO_PROJECT",
                "is_active": True,
                "valid_from": valid_from,
                "verification_status": status,
            },
            {  # another scheme's certificate says nothing about this claim
                "id": "4" * 22,
                "label": "Kosher",
                "code": "KOSHER",
                "is_active": True,
                "valid_from": "2026-09-01",
            },
        ],
    )
    publication = _published(entry)
    assert publication.claim_certificates == {SID: ("3" * 22,)}
    (claim,) = build_view(publication).claims
    assert (claim.support, words in claim.source) == (support, True)
    html = render_product_page(publication)
    assert f'data-support="{support}"' in html
    assert ("Verified by a third party" in html) is (support == "verified")


def test_a_free_from_claim_alone_gets_the_allergen_box_and_link() -> None:
    entry = _entry(
        ingredients=[{"id": SID, "name": "Water", "priority": 1}],
        claims=[{"id": SID, "label": "Gluten free", "code": "GLUTEN_FREE"}],
        nutrition_facts={"label_format": "EU", "nutrients": []},  # food: GS1 allergen terms
    )
    publication = _published(entry)
    assert [(f.level, f.codes) for f in publication.allergens] == [("FREE_FROM", ("AW",))]
    assert [link.href for link in publication.links if link.rel == "allergenInfo"] == [
        f"{URI}/index.html#allergens"
    ]
    html = render_product_page(publication)
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert "Allergens Free from: Cereals containing gluten" in text
    assert html.count('id="allergens"') == 1
    assert "Contains:" not in text


def test_no_allergen_facts_no_box_and_no_link() -> None:
    entry = _entry(ingredients=[{"id": SID, "name": "Water", "priority": 1}])
    publication = _published(entry)
    assert publication.allergens == ()
    assert all(link.rel != "allergenInfo" for link in publication.links)
    assert "gs1:allergenInfo" not in publication.document
    html = render_product_page(publication)
    assert 'id="allergens"' not in html
    assert 'id="allergen-summary"' not in html


class _Html:
    def __html__(self) -> str:
        return "<i>safe</i>"


class _Text(str):
    pass


@pytest.mark.parametrize(
    "value",
    [
        "Whole milk",
        "",
        HOSTILE,
        "a & b",
        "it's",
        '"quoted"',
        "<",
        "Crème brûlée – 100 %",
        Markup("<b>bold</b>"),
        Markup(""),
        _Text("<sub-class>"),
        _Html(),
        12,
        1.5,
        None,
        True,
    ],
)
def test_the_page_outputs_are_escaped_as_markupsafe_escapes_them(value: Any) -> None:
    """The templates' outputs skip markupsafe's wrapping (a tenth of a page's rendering),
    never its escaping: each value writes the same text."""
    from markupsafe import escape

    from gs1ld.pages._output import escape_output

    assert str(escape_output(value)) == str(escape(value))


def test_the_page_templates_escape_their_outputs_with_escape_output() -> None:
    from gs1ld.pages._output import escape_output
    from gs1ld.pages.product import environment

    template = environment(None, "de").get_template("product.html.j2")
    assert template.root_render_func.__globals__["escape"] is escape_output
