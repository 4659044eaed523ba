"""One built site, served by every target on a free 127.0.0.1 port for the session."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from gs1ld import gtin as gtin_rules
from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.digital_link import compress
from gs1ld.server.app import ServerConfig, create_app
from gs1ld.site.build import build_site
from resolver.cases import TARGETS
from resolver.servers import (
    APACHE,
    APACHE_MODULES,
    HTTXT2DBM,
    NGINX,
    deploy,
    running_apache,
    running_hybrid,
    running_nginx,
)
from support import EXAMPLE_CATALOG, RunningServer, free_port, under_ci

BASE = "https://id.brand.example"
GTIN = "09506000134352"
_NEEDS = {
    "nginx": (NGINX,),
    "apache": (APACHE, HTTXT2DBM),
    "htaccess": (APACHE,),
    "nginx+serve": (NGINX,),
    "apache+serve": (APACHE, HTTXT2DBM, str(APACHE_MODULES / "mod_proxy_http.so")),
}


def _with_check_digit(payload: str) -> str:
    return payload + str(gtin_rules.check_digit(payload))


def _site_config(upstream: str | None = None) -> SiteConfig:
    export = ExportConfig(base_url=BASE, today=date(2026, 6, 1))
    return SiteConfig(export, validate=False, upstream=upstream)


@pytest.fixture(scope="session")
def served_site() -> Iterator[Path]:
    """The example catalog's site, built for ``BASE``, in a world-readable directory.

    Servers started as root drop their workers to ``nobody``, who cannot enter
    pytest's private temporary directories.
    """
    work = Path(tempfile.mkdtemp(prefix="gs1ld-resolver-"))
    os.chmod(work, 0o755)
    try:
        build_site(EXAMPLE_CATALOG, work / "built", config=_site_config())
        yield deploy(work / "built", work / "site")
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def facts(served_site: Path) -> dict[str, str]:
    """The values the cases' templates name, read from the built site."""
    linkset = json.loads(
        (served_site / "current" / "01" / GTIN / "linkset.json").read_text("utf-8")
    )
    context = linkset["linkset"][0]
    published = sorted(p.name for p in (served_site / "current" / "01").iterdir())
    unknown = next(
        g for n in range(100) if (g := _with_check_digit(f"0950600099{n:03d}")) not in published
    )
    bad = unknown[:-1] + str((int(unknown[-1]) + 1) % 10)
    return {
        **_language_facts(served_site, published),
        "BASE": BASE,
        "G": GTIN,
        "G13": GTIN[1:],
        "G12": _with_check_digit("61414100003"),
        "G8": _with_check_digit("9506000"),
        "UNKNOWN": unknown,
        "BADCHECK": bad,
        "COMPRESSED": compress(f"https://id.gs1.org/01/{GTIN}", stem="").lstrip("/"),
        "DEFAULT": context["https://ref.gs1.org/voc/defaultLink"][0]["href"],
        "MASTER": context["https://ref.gs1.org/voc/masterData"][0]["href"],
        "CERT": context["https://ref.gs1.org/voc/certificationInfo"][0]["href"],
        "IMAGE_FIRST": context["https://ref.gs1.org/voc/relatedImage"][0]["href"],
        **{
            f"{key}_{part}": value
            for key, rel in (
                ("ALLERGENS", "allergenInfo"),
                ("INGREDIENTS", "ingredientsInfo"),
                ("NUTRITION", "nutritionalInfo"),
            )
            for part, value in zip(
                ("PAGE", "FRAGMENT"),
                _split_fragment(context[f"https://ref.gs1.org/voc/{rel}"][0]["href"]),
                strict=True,
            )
        },
    }


def _language_facts(site: Path, published: list[str]) -> dict[str, str]:
    """A product with pages in several languages: its GTIN, its default link (the page in
    its main language, and that language), another language with its page, and its
    first and second ``pip`` links (one per language)."""
    for gtin in published:
        context = json.loads((site / "current" / "01" / gtin / "linkset.json").read_bytes())
        links = context["linkset"][0]
        pages = links.get("https://ref.gs1.org/voc/defaultLinkMulti")
        if not pages:
            continue
        default = links["https://ref.gs1.org/voc/defaultLink"][0]["href"]
        main = next(p for p in pages if p["href"] == default)
        other = next(p for p in pages if p["href"] != default)
        first_pip, second_pip, *_ = links["https://ref.gs1.org/voc/pip"]
        return {
            "ML_PIP_FIRST": first_pip["href"],
            "ML_PIP_SECOND": second_pip["href"],
            "ML_PIP_SECOND_LANG": second_pip["hreflang"][0],
            "ML": gtin,
            "ML_DEFAULT": default,
            "ML_MAIN_LANG": main["hreflang"][0],
            "ML_OTHER_LANG": other["hreflang"][0],
            "ML_OTHER_PAGE": other["href"],
            "ML_OTHER_FILE": other["href"].rsplit("/", 1)[1],
        }
    raise AssertionError("the example catalog has no product with pages in several languages")


def _split_fragment(href: str) -> tuple[str, str]:
    """``href`` as (everything before ``#``, ``#`` and the fragment)."""
    page, hash_, fragment = href.partition("#")
    return page, hash_ + fragment


def _require(target: str) -> None:
    missing = [
        path
        for path in _NEEDS.get(target, ())
        if not (Path(path).exists() if path.endswith(".so") else shutil.which(path))
    ]
    if missing:
        reason = f"{target} target needs {', '.join(missing)} (apt-get install nginx apache2)"
        if under_ci():
            pytest.fail(f"{reason}, and CI=true requires it")
        pytest.skip(reason)


@pytest.fixture(scope="session", params=TARGETS)
def target(request: pytest.FixtureRequest, served_site: Path) -> Iterator[tuple[str, str]]:
    """(target name, base URL) of a running server; each starts once per session."""
    name: str = request.param
    _require(name)
    work = Path(tempfile.mkdtemp(prefix=f"gs1ld-{name}-"))
    os.chmod(work, 0o755)
    try:
        if name == "serve":
            app = create_app(served_site, config=ServerConfig(base_url=BASE))
            with RunningServer(app) as running:
                yield name, running.url
        elif name.endswith("+serve"):
            # built as the README deploys it: `gs1ld site build --upstream` naming the
            # port `gs1ld serve` then listens on, for the same site folder
            port = free_port()
            config = _site_config(upstream=f"http://127.0.0.1:{port}")
            build_site(EXAMPLE_CATALOG, work / "built", config=config)
            site = deploy(work / "built", work / "site")
            host = name.removesuffix("+serve")
            with running_hybrid(site, work, host=host, upstream_port=port) as url:
                yield name, url
        else:
            site = deploy(served_site, work / "site")
            instance = work / "instance"
            instance.mkdir()
            if name == "nginx":
                with running_nginx(site, instance) as url:
                    yield name, url
            else:
                with running_apache(site, instance, htaccess=name == "htaccess") as url:
                    yield name, url
    finally:
        shutil.rmtree(work, ignore_errors=True)
