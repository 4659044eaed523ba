"""The resolver HTTP cases every target must answer, as data.

One list of requests and expected answers, drawn from the GS1-Conformant
Resolver Standard as GS1's conformance suite (gs1/GS1DL-resolver-testsuite)
checks it and from Resolver CE's end-to-end expectations
(``../shared/digital-link/resolver-ce/expected-behaviour.json``): 307 to the
default link with the query passed on, the linkset and JSON-LD by ``Accept``
and ``linkType``, link types in every spelling, walk-up, 400/301/404, OPTIONS.

A target that cannot do a case has a *named* expectation for it
(:class:`Limit`): the answer it does give and why.  Those limits, and nothing
else, make the docs' host table (:func:`host_table`).

Templates in expectations: ``{BASE}`` the site's base URL, ``{G}`` the
product's GTIN, ``{DEFAULT}``/``{MASTER}`` its default and masterData links
(read from its linkset), ``{UNKNOWN}``/``{BADCHECK}``/``{G13}``/``{G12}``/
``{G8}``/``{COMPRESSED}`` other paths' parts; ``{IMAGE_FIRST}`` the first of the
product's two images; ``{ML}`` a product with pages in
several languages, ``{ML_DEFAULT}`` its default link (the page in its main
language ``{ML_MAIN_LANG}``), ``{ML_OTHER_PAGE}`` its page in ``{ML_OTHER_LANG}``
(see ``conftest.py``).  Header values are templates too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from gs1ld.publish.wire import LINK_TYPE_PREFIXES, PROBLEM_MEDIA_TYPE

TARGETS = ("serve", "nginx", "apache", "htaccess", "nginx+serve", "apache+serve")
"""`gs1ld serve`; nginx (`nginx.conf`); Apache (`apache.conf`); Apache (`.htaccess` only);
the hybrids: nginx or Apache built with ``--upstream``, in front of `gs1ld serve`."""

TARGET_TITLES = {
    "serve": "`gs1ld serve`",
    "nginx": "nginx (`nginx.conf`)",
    "apache": "Apache (`apache.conf`)",
    "htaccess": "Apache (`.htaccess` only)",
    "nginx+serve": "nginx + `gs1ld serve` (`--upstream`)",
    "apache+serve": "Apache + `gs1ld serve` (`--upstream`)",
}
UNTESTED_HOSTS = ("Netlify", "Cloudflare Pages")

LINKSET_LINK = '<{BASE}/01/{G}?linkType=linkset>; rel="linkset"; type="application/linkset+json"'
CONTEXT_LINK = (
    '<{BASE}/.well-known/linkset-context.jsonld>; rel="http://www.w3.org/ns/json-ld#context";'
    ' type="application/ld+json"'
)


@dataclass(frozen=True)
class Expect:
    """An expected answer: what is None is not checked.

    ``body`` is ``"linkset"`` or ``"jsonld"`` (the product's file, as JSON);
    ``links`` must each be one entry of the ``Link`` header.
    """

    status: int
    location: str | None = None
    media_type: str | None = None
    body: str | None = None
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Limit:
    """What a target answers instead, and why it cannot do better."""

    expect: Expect
    reason: str


@dataclass(frozen=True)
class Case:
    """One request, its expected answer, and the targets' named limits."""

    id: str
    behaviour: str
    path: str
    expect: Expect
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    limits: Mapping[str, Limit] = field(default_factory=dict)

    def expected(self, target: str) -> Expect:
        """The answer ``target`` must give."""
        limit = self.limits.get(target)
        return limit.expect if limit else self.expect


_NO_MAP = "`.htaccess` cannot declare a RewriteMap: a link type request gets the linkset"
_NO_CHECK_DIGIT = (
    "a regular expression cannot verify a check digit: the GTIN is not published (404)"
)
_NO_DECOMPRESSION = "compressed Digital Link paths need decompression: not a file (404)"
_NO_LANGUAGE_TYPE = (
    "a rule cannot weigh `Accept-Language`: the first link of the type (a product's link map "
    "holds one link per type)"
)
_NO_LANGUAGE = (
    "a rule cannot weigh `Accept-Language`: the default link (the page in the product's "
    "main language)"
)
_STATIC = ("nginx", "apache", "htaccess")
_LINKSET = Expect(
    200, media_type="application/linkset+json", body="linkset", links=(LINKSET_LINK, CONTEXT_LINK)
)
_JSONLD = Expect(200, media_type="application/ld+json", body="jsonld", links=(LINKSET_LINK,))
_DEFAULT = Expect(307, location="{DEFAULT}", links=(LINKSET_LINK,))
_BAD = Expect(400, media_type=PROBLEM_MEDIA_TYPE)
_NOT_FOUND = Expect(404, media_type=PROBLEM_MEDIA_TYPE)
"""Errors are RFC 9457 problem documents on every target (static hosts serve fixed ones)."""
_FIRST_PIP = {
    "nginx": Limit(Expect(307, location="{ML_PIP_FIRST}?linkType=gs1:pip"), _NO_LANGUAGE_TYPE),
    "apache": Limit(Expect(307, location="{ML_PIP_FIRST}?linkType=gs1:pip"), _NO_LANGUAGE_TYPE),
    "htaccess": Limit(Expect(200, media_type="application/linkset+json"), _NO_MAP),
}
"""What the static hosts answer for a link type with one link per language."""
_NO_CHOICES = "a rule cannot list a link type's several links (300): the first link of the type"
_FIRST_IMAGE = {
    "nginx": Limit(Expect(307, location="{IMAGE_FIRST}?linkType=gs1:relatedImage"), _NO_CHOICES),
    "apache": Limit(Expect(307, location="{IMAGE_FIRST}?linkType=gs1:relatedImage"), _NO_CHOICES),
    "htaccess": Limit(Expect(200, media_type="application/linkset+json"), _NO_MAP),
}
"""What the static hosts answer for a link type with several links in no language."""
_ROWS = {
    "default": "307 to the default link (the linkset's own href), query string passed on",
    "slash": "trailing slash tolerated",
    "linkset": "linkset by `Accept` or `?linkType=linkset`/`all`, with the JSON-LD context `Link`",
    "jsonld": "JSON-LD by `Accept: application/ld+json`",
    "link-type": "`?linkType=` in every spelling GS1 has published (`gs1:`, `ref.gs1.org`, "
    "`gs1.org`, `www.gs1.org`; raw or percent-encoded) -> 307 to that link",
    "section": "a link into a page section lands there (query before the `#fragment`); a "
    "target's own query string is kept byte for byte",
    "no-link": "404 (RFC 9457 problem) for a link type the product lacks",
    "several": "300 with the choices for a link type with several links that do not differ "
    "by language (two `gs1:relatedImage`)",
    "walk-up": "walk-up from unknown qualifiers (`/22`, `/10`, `/21`, `/235`)",
    "syntax": "400 (RFC 9457 problem) for paths that are not Digital Link syntax",
    "check-digit": "400 (RFC 9457 problem) for a wrong check digit",
    "short": "301 from 8-, 12- and 13-digit GTINs to the 14-digit URI",
    "unknown": "404 (RFC 9457 problem) for an unpublished GTIN",
    "options": 'OPTIONS 204 with CORS and `Link: rel="linkset"`',
    "compressed": "compressed Digital Link paths",
    "language": "`Accept-Language` picks among a product's language pages (its default "
    "redirect and `?linkType=gs1:pip`); with no language to go by, `gs1:pip` answers 300 "
    "with the choices",
    "files": "`/.well-known/gs1resolver`, linkset context and product files with their media types",
}


def _link_type_limit(expect: Expect) -> dict[str, Limit]:
    return {"htaccess": Limit(expect, _NO_MAP)}


def _spellings(name: str) -> tuple[tuple[str, str], ...]:
    """``name`` after every prefix the grammar accepts, raw and percent-encoded."""
    out = []
    for prefix in LINK_TYPE_PREFIXES:
        label = prefix.rstrip(":/").replace("://", "-").replace("/", "-").replace(".", "-")
        out.append((label, prefix + name))
        out.append((f"{label}-encoded", quote(prefix, safe="") + name))
    return tuple(out)


_LINK_TYPE_SPELLINGS = _spellings("masterData")
"""Every spelling of a link type that ``gs1ld serve``, nginx and Apache accept alike."""

CASES: tuple[Case, ...] = (
    Case("default-redirect", "default", "/01/{G}", _DEFAULT, headers={"Accept": "text/html"}),
    Case(
        "default-query-passed-on",
        "default",
        "/01/{G}?a=1&b=2",
        Expect(307, location="{DEFAULT}?a=1&b=2", links=(LINKSET_LINK,)),
    ),
    Case("default-head", "default", "/01/{G}", _DEFAULT, method="HEAD"),
    Case("trailing-slash", "slash", "/01/{G}/?a=1", Expect(307, location="{DEFAULT}?a=1")),
    Case("trailing-slash-lot", "slash", "/01/{G}/10/LOT1/", _DEFAULT),
    Case(
        "linkset-by-accept",
        "linkset",
        "/01/{G}",
        _LINKSET,
        headers={"Accept": "application/linkset+json"},
    ),
    Case("linkset-by-linktype-linkset", "linkset", "/01/{G}?linkType=linkset", _LINKSET),
    Case("linkset-by-linktype-all", "linkset", "/01/{G}?linkType=all", _LINKSET),
    Case(
        "jsonld-by-accept", "jsonld", "/01/{G}", _JSONLD, headers={"Accept": "application/ld+json"}
    ),
    *(
        Case(
            f"linktype-{name}",
            "link-type",
            f"/01/{{G}}?linkType={value}",
            Expect(307, location=f"{{MASTER}}?linkType={value}", links=(LINKSET_LINK,)),
            limits=_link_type_limit(_LINKSET),
        )
        for name, value in _LINK_TYPE_SPELLINGS
    ),
    *(
        Case(
            f"linktype-section-{key.lower()}",
            "section",
            f"/01/{{G}}?linkType=gs1:{rel}",
            Expect(
                307,
                location=f"{{{key}_PAGE}}?linkType=gs1:{rel}{{{key}_FRAGMENT}}",
                links=(LINKSET_LINK,),
            ),
            limits=_link_type_limit(_LINKSET),
        )
        for key, rel in (
            ("ALLERGENS", "allergenInfo"),
            ("INGREDIENTS", "ingredientsInfo"),
            ("NUTRITION", "nutritionalInfo"),
        )
    ),
    Case(
        "linktype-target-with-query",
        "section",
        "/01/{G}?linkType=gs1:certificationInfo",
        Expect(307, location="{CERT}&linkType=gs1:certificationInfo", links=(LINKSET_LINK,)),
        limits=_link_type_limit(_LINKSET),
    ),
    Case(
        "linktype-with-query",
        "link-type",
        "/01/{G}?x=1&linkType=gs1:masterData",
        Expect(307, location="{MASTER}?x=1&linkType=gs1:masterData"),
        limits=_link_type_limit(_LINKSET),
    ),
    Case(
        "linktype-default-link",
        "link-type",
        "/01/{G}?linkType=gs1:defaultLink",
        Expect(307, location="{DEFAULT}?linkType=gs1:defaultLink"),
        limits=_link_type_limit(_LINKSET),
    ),
    Case(
        "linktype-several",
        "several",
        "/01/{G}?linkType=gs1:relatedImage",
        Expect(300, media_type="application/json"),
        limits=_FIRST_IMAGE,
    ),
    Case(
        "linktype-several-in-no-language",
        "several",
        "/01/{G}?linkType=gs1:relatedImage",
        Expect(300, media_type="application/json"),
        headers={"Accept-Language": "{ML_OTHER_LANG}"},
        limits=_FIRST_IMAGE,
    ),
    Case(
        "linktype-absent",
        "no-link",
        "/01/{G}?linkType=gs1:nosuchlt",
        _NOT_FOUND,
        limits=_link_type_limit(_LINKSET),
    ),
    Case(
        "linktype-absent-ratified",
        "no-link",
        "/01/{G}?linkType=gs1:epil",
        _NOT_FOUND,
        limits=_link_type_limit(_LINKSET),
    ),
    Case("walk-up-lot", "walk-up", "/01/{G}/10/LOT1", _DEFAULT),
    Case("walk-up-serial", "walk-up", "/01/{G}/21/SERIAL-7", _DEFAULT),
    Case("walk-up-cpv", "walk-up", "/01/{G}/22/V1", _DEFAULT),
    Case("walk-up-tpx", "walk-up", "/01/{G}/235/TPX1", _DEFAULT),
    Case(
        "walk-up-all",
        "walk-up",
        "/01/{G}/22/V1/10/LOT1/21/S1?q=2",
        Expect(307, location="{DEFAULT}?q=2"),
    ),
    Case("walk-up-linkset", "walk-up", "/01/{G}/10/LOT1?linkType=linkset", _LINKSET),
    Case(
        "walk-up-linkset-accept",
        "walk-up",
        "/01/{G}/21/S1",
        _LINKSET,
        headers={"Accept": "application/linkset+json"},
    ),
    Case(
        "walk-up-linktype",
        "walk-up",
        "/01/{G}/10/LOT1?linkType=gs1:masterData",
        Expect(307, location="{MASTER}?linkType=gs1:masterData"),
        limits=_link_type_limit(_LINKSET),
    ),
    Case("bad-dangling-segment", "syntax", "/01/{G}/foo", _BAD),
    Case("bad-ce-badrequest", "syntax", "/01/{G}/badrequest", _BAD),
    Case("bad-after-lot", "syntax", "/01/{G}/10/LOT1/foo", _BAD),
    Case("bad-unknown-ai", "syntax", "/01/{G}/99/X", _BAD),
    Case("bad-order", "syntax", "/01/{G}/21/X/10/Y", _BAD),
    Case("bad-gtin-characters", "syntax", "/01/0950600013435X", _BAD),
    Case("bad-gtin-length", "syntax", "/01/123456789", _BAD),
    Case(
        "bad-check-digit",
        "check-digit",
        "/01/{BADCHECK}",
        _BAD,
        limits={t: Limit(_NOT_FOUND, _NO_CHECK_DIGIT) for t in _STATIC},
    ),
    Case("short-gtin-13", "short", "/01/{G13}", Expect(301, location="{BASE}/01/{G}")),
    Case(
        "short-gtin-13-qualifiers",
        "short",
        "/01/{G13}/10/LOT1?x=1",
        Expect(301, location="{BASE}/01/{G}/10/LOT1?x=1"),
    ),
    Case("short-gtin-12", "short", "/01/{G12}", Expect(301, location="{BASE}/01/00{G12}")),
    Case("short-gtin-8", "short", "/01/{G8}", Expect(301, location="{BASE}/01/000000{G8}")),
    Case("unknown-gtin", "unknown", "/01/{UNKNOWN}", _NOT_FOUND),
    Case("unknown-gtin-lot", "unknown", "/01/{UNKNOWN}/10/LOT1", _NOT_FOUND),
    Case("options", "options", "/01/{G}", Expect(204, links=(LINKSET_LINK,)), method="OPTIONS"),
    Case(
        "options-lot",
        "options",
        "/01/{G}/10/LOT1",
        Expect(204, links=(LINKSET_LINK,)),
        method="OPTIONS",
    ),
    Case(
        "compressed",
        "compressed",
        "/{COMPRESSED}",
        _DEFAULT,
        limits={t: Limit(_NOT_FOUND, _NO_DECOMPRESSION) for t in _STATIC},
    ),
    Case(
        "language-other",
        "language",
        "/01/{ML}",
        Expect(307, location="{ML_OTHER_PAGE}", links=(LINKSET_LINK.replace("{G}", "{ML}"),)),
        headers={"Accept-Language": "{ML_OTHER_LANG}"},
        limits={t: Limit(Expect(307, location="{ML_DEFAULT}"), _NO_LANGUAGE) for t in _STATIC},
    ),
    Case(
        "language-weighted",
        "language",
        "/01/{ML}?a=1",
        Expect(307, location="{ML_OTHER_PAGE}?a=1"),
        headers={"Accept-Language": "zz, {ML_OTHER_LANG};q=0.8, {ML_MAIN_LANG};q=0.5"},
        limits={t: Limit(Expect(307, location="{ML_DEFAULT}?a=1"), _NO_LANGUAGE) for t in _STATIC},
    ),
    Case(
        "language-main",
        "language",
        "/01/{ML}",
        Expect(307, location="{ML_DEFAULT}"),
        headers={"Accept-Language": "{ML_MAIN_LANG}"},
    ),
    Case(
        "language-none-of-the-product",
        "language",
        "/01/{ML}",
        Expect(307, location="{ML_DEFAULT}"),
        headers={"Accept-Language": "zz"},
    ),
    Case(
        "language-one-language-product",
        "language",
        "/01/{G}",
        _DEFAULT,
        headers={"Accept-Language": "{ML_OTHER_LANG}"},
    ),
    Case(
        "language-linktype-pip",
        "language",
        "/01/{ML}?linkType=gs1:pip",
        Expect(307, location="{ML_PIP_SECOND}?linkType=gs1:pip"),
        headers={"Accept-Language": "{ML_PIP_SECOND_LANG}"},
        limits=_FIRST_PIP,
    ),
    Case(
        "language-linktype-pip-choices",
        "language",
        "/01/{ML}?linkType=gs1:pip",
        Expect(300, media_type="application/json"),
        limits=_FIRST_PIP,
    ),
    Case(
        "language-linktype-unaffected",
        "language",
        "/01/{ML}?linkType=linkset",
        Expect(200, media_type="application/linkset+json"),
        headers={"Accept-Language": "{ML_OTHER_LANG}"},
    ),
    Case(
        "resolver-description",
        "files",
        "/.well-known/gs1resolver",
        Expect(200, media_type="application/json"),
    ),
    Case(
        "linkset-context",
        "files",
        "/.well-known/linkset-context.jsonld",
        Expect(200, media_type="application/ld+json"),
    ),
    Case(
        "file-linkset",
        "files",
        "/01/{G}/linkset.json",
        Expect(200, media_type="application/linkset+json", body="linkset"),
    ),
    Case(
        "file-jsonld",
        "files",
        "/01/{G}/index.jsonld",
        Expect(200, media_type="application/ld+json", body="jsonld"),
    ),
    Case("file-page", "files", "/01/{G}/index.html", Expect(200, media_type="text/html")),
    Case(
        "file-language-page",
        "files",
        "/01/{ML}/{ML_OTHER_FILE}",
        Expect(200, media_type="text/html"),
    ),
)


def host_table() -> str:
    """The docs' host table: per behaviour and target, yes or the named limit."""
    titles = [TARGET_TITLES[t] for t in TARGETS]
    lines = [
        "| behaviour | " + " | ".join([*titles, *UNTESTED_HOSTS]) + " |",
        "| --- |" + " --- |" * (len(titles) + len(UNTESTED_HOSTS)),
    ]
    for row, label in _ROWS.items():
        cases = [case for case in CASES if case.behaviour == row]
        cells = []
        for target in TARGETS:
            reasons = sorted({c.limits[target].reason for c in cases if target in c.limits})
            cells.append("no: " + "; ".join(reasons) if reasons else "yes")
        cells += ["not tested on the real host"] * len(UNTESTED_HOSTS)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
