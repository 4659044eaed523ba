"""After its commit, a build to a bucket deletes the files its changed products no longer
have, listing (and so paying for) only the product folders that may hold one.

Against moto's S3 server on 127.0.0.1.  Every build rewrites a product's four
files; a language page (``index.fr.html``) is the one file a product can leave
behind.  The previous manifest row says whether a product had any (its page
links), its previous linkset which ones, and the pending record names the
products a dead build may have written anything for: only those folders, and
those whose linkset cannot tell, are listed.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gs1ld.config import UNLIMITED_REMOVALS, ExportConfig, SiteConfig
from gs1ld.errors import PublishError
from gs1ld.publish import ManifestEntry, product_paths
from gs1ld.site import store as store_module
from gs1ld.site.build import build_site
from gs1ld.site.store import (
    PENDING_FILE,
    SITEWIDE_OBJECT,
    SOURCES_OBJECT,
    StoreSite,
    build_site_to_store,
)
from gs1ld.testing import synthetic_catalog, write_jsonl
from support import pop_store_records, sync_down, tree_bytes

OWN_DOMAIN = "https://id.brand.example"
GS1_RESOLVER = "https://id.gs1.org"  # no page base: the rows have no page links
COUNT = 100


def _config(base_url: str = OWN_DOMAIN) -> SiteConfig:
    return SiteConfig(
        ExportConfig(base_url=base_url, today=date(2026, 6, 1)),
        validate=False,
        workers=1,
        max_removals=UNLIMITED_REMOVALS,
    )


def _one_language(entry: dict[str, Any]) -> dict[str, Any]:
    product = entry["product"]
    if isinstance(product["name"], dict):
        product["name"] = product["name"]["en"]
    product["language"] = "en"
    return entry


def _bilingual(entry: dict[str, Any], *others: str) -> dict[str, Any]:
    """The entry with its name in French too (or in ``others``): a second page,
    ``index.fr.html``, or one page per other language."""
    product = _one_language(entry)["product"]
    name = product["name"]
    product["name"] = {"en": name} | {tag: f"{name} ({tag})" for tag in others or ("fr",)}
    return entry


@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    """COUNT + 1 products, each with a page in one language."""
    return [_one_language(e) for e in synthetic_catalog(COUNT + 1, seed=26)]


def _gtin(entry: dict[str, Any]) -> str:
    return str(entry["gtin"]).zfill(14)


class _Listings:
    """The folders a build to the store lists, read off its file system's ``find`` and
    ``ls`` (spied on the instance the build opens)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, str, str]] = []  # (method, path, the site's root)
        real_open = store_module._open

        def spied_open(site: StoreSite) -> tuple[Any, str]:
            fs, root = real_open(site)
            for method in ("find", "ls"):
                original = getattr(fs, method)

                def listed(
                    path: str,
                    *args: Any,
                    _method: str = method,
                    _original: Any = original,
                    **kw: Any,
                ) -> Any:
                    self.calls.append((_method, str(path).rstrip("/"), root))
                    return _original(path, *args, **kw)

                monkeypatch.setattr(fs, method, listed)
            return fs, root

        monkeypatch.setattr(store_module, "_open", spied_open)

    def products(self) -> set[str]:
        """The GTINs whose folders were listed; "every product" for a listing of ``01``
        itself or a recursive one of the whole site."""
        found = set()
        for method, path, root in self.calls:
            if method == "find" and path == root:
                found.add("every product")
            parts = path.removeprefix(root).split("/")
            if "01" in parts:
                rest = parts[parts.index("01") + 1 :]
                found.add(rest[0] if rest else "every product")
        return found


def _publish(
    url: str, entries: list[dict[str, Any]], path: Path, config: SiteConfig, **kwargs: Any
) -> Path:
    write_jsonl(entries, path)
    build_site_to_store(path, StoreSite(url), config=config, scratch=path.parent, **kwargs)
    return path


def _assert_bucket_is_a_fresh_build(
    fs: Any, url: str, catalog: Path, tmp_path: Path, config: SiteConfig
) -> dict[str, bytes]:
    """The bucket holds byte for byte what a fresh build of ``catalog`` writes (the commit
    marker and the line record aside): no stale file, no pending record."""
    tree = tree_bytes(sync_down(fs, url, tmp_path / "bucket"))
    pop_store_records(tree)
    del tree[SOURCES_OBJECT]
    fresh = tmp_path / "fresh"
    build_site(catalog, fresh, config=config)
    assert tree == tree_bytes(fresh)
    return tree


def _language_page(gtin: str, tag: str) -> str:
    return product_paths(gtin).language_page(tag)


@pytest.mark.parametrize("linkset", ["kept", "removed by hand"])
def test_a_product_that_drops_a_language_loses_its_page(
    s3_bucket: tuple[Any, str],
    entries: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    linkset: str,
) -> None:
    """The pages a product's previous linkset names and the new build does not write go,
    with no listing; the folder is listed when that linkset is gone."""
    fs, name = s3_bucket
    url = f"s3://{name}/site"
    config = _config()
    first = copy.deepcopy(entries[:COUNT])
    _bilingual(first[3])
    _bilingual(first[7], "fr", "de")
    dropping, keeping = _gtin(first[3]), _gtin(first[7])
    _publish(url, first, tmp_path / "first.jsonl", config)
    for gtin, tag in [(dropping, "fr"), (keeping, "fr"), (keeping, "de")]:
        assert fs.isfile(f"{name}/site/{_language_page(gtin, tag)}")
    if linkset == "removed by hand":
        fs.rm_file(f"{name}/site/{product_paths(dropping).linkset}")
    second = copy.deepcopy(entries[:COUNT])  # French gone; two one-page products changed too
    _bilingual(second[7], "fr")  # German gone, French kept
    for entry in second[50::25]:
        entry["product"]["description"] += " New recipe."
    listings = _Listings(monkeypatch)
    catalog = _publish(url, second, tmp_path / "second.jsonl", config)
    assert listings.products() == ({dropping} if linkset == "removed by hand" else set())
    tree = _assert_bucket_is_a_fresh_build(fs, url, catalog, tmp_path, config)
    assert _language_page(dropping, "fr") not in tree
    assert _language_page(keeping, "de") not in tree
    assert _language_page(keeping, "fr") in tree
    assert product_paths(dropping).page in tree


@pytest.mark.parametrize("base_url", [OWN_DOMAIN, GS1_RESOLVER])
def test_a_one_percent_rebuild_of_one_page_products_lists_no_product_folder(
    s3_bucket: tuple[Any, str],
    entries: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    base_url: str,
) -> None:
    """With a page base the rows show one page per product: no folder is listed, and a
    file put into a changed product's folder by hand stays (the module doc says so).
    Without one the rows cannot tell, and every changed product's folder is listed."""
    fs, name = s3_bucket
    url = f"s3://{name}/site"
    config = _config(base_url)
    _publish(url, entries[:COUNT], tmp_path / "first.jsonl", config)
    second = copy.deepcopy(entries[:COUNT])
    changed = second[::100]  # 1%
    for entry in changed:
        entry["product"]["description"] += " New recipe."
    by_hand = f"{product_paths(_gtin(changed[0])).folder}/notes.txt"
    fs.pipe_file(f"{name}/site/{by_hand}", b"put here by hand")
    listings = _Listings(monkeypatch)
    catalog = _publish(url, second, tmp_path / "second.jsonl", config)
    fs.invalidate_cache()
    if base_url == OWN_DOMAIN:
        assert listings.products() == set()
        assert fs.cat_file(f"{name}/site/{by_hand}") == b"put here by hand"
        fs.rm_file(f"{name}/site/{by_hand}")
    else:
        assert listings.products() == {_gtin(e) for e in changed}
        assert not fs.exists(f"{name}/site/{by_hand}")
    _assert_bucket_is_a_fresh_build(fs, url, catalog, tmp_path, config)


class _DiedError(Exception):
    """Stops a build before its manifest, as a kill would (its pending record stays)."""


def _die_before_the_manifest(step: str) -> None:
    if step == "manifest":
        raise _DiedError(step)


@pytest.mark.parametrize("before", ["published", "new"])
def test_a_pending_product_has_its_folder_cleaned(
    s3_bucket: tuple[Any, str],
    entries: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    before: str,
) -> None:
    """A build dies after uploading a product with a French page, before its manifest; the
    next build publishes that product with one page.  The committed row (one page, or
    none for a product the dead build added) cannot show the French page: the pending
    record does, and the folder is listed and cleaned."""
    fs, name = s3_bucket
    url = f"s3://{name}/site"
    config = _config()
    published = copy.deepcopy(entries[: COUNT + (before == "published")])
    _publish(url, published, tmp_path / "first.jsonl", config)
    dead = copy.deepcopy(entries[: COUNT + 1])
    _bilingual(dead[COUNT])
    gtin = _gtin(dead[COUNT])
    with pytest.raises(PublishError):
        _publish(url, dead, tmp_path / "dead.jsonl", config, on_step=_die_before_the_manifest)
    fs.invalidate_cache()
    french = _language_page(gtin, "fr")
    assert fs.isfile(f"{name}/site/{french}")
    assert fs.isfile(f"{name}/site/{PENDING_FILE}")
    listings = _Listings(monkeypatch)
    catalog = _publish(url, copy.deepcopy(entries[: COUNT + 1]), tmp_path / "then.jsonl", config)
    tree = _assert_bucket_is_a_fresh_build(fs, url, catalog, tmp_path, config)
    assert french not in tree
    assert listings.products() == {gtin}
    # the record of the committed build's site-wide files cannot name what the dead
    # build wrote: the store was listed for them
    assert any(method == "ls" and path == root for method, path, root in listings.calls)


_PAGE = f"{OWN_DOMAIN}/01/09506000134352/index.html"
_FRENCH = f"{OWN_DOMAIN}/01/09506000134352/index.fr.html"


@pytest.mark.parametrize(
    ("links", "may"),
    [
        pytest.param((("defaultLink", _PAGE), ("pip", _PAGE)), False, id="one page"),
        pytest.param(
            (
                ("defaultLinkMulti", _FRENCH),
                ("defaultLinkMulti+", _PAGE),
                ("pip", _FRENCH),
                ("pip+", _PAGE),
            ),
            True,
            id="language pages",
        ),
        # written before a type's second link was kept: defaultLinkMulti still tells
        pytest.param((("defaultLinkMulti", _FRENCH), ("pip", _FRENCH)), True, id="before +"),
        pytest.param((("relatedImage", "https://img.example/a.jpg"),), True, id="no page base"),
        pytest.param((), True, id="before rows kept links"),
    ],
)
def test_a_row_shows_language_pages_unless_its_page_links_say_one_page(
    links: tuple[tuple[str, str], ...], may: bool
) -> None:
    row = ManifestEntry("09506000134352", "digest", "Milk", "", links=links)
    assert store_module._may_hold_language_pages(row) is may


@pytest.mark.parametrize("record", ["absent", "of another build", "of the committed build"])
def test_stale_site_wide_files_go_without_listing_the_store_again(
    s3_bucket: tuple[Any, str],
    entries: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    record: str,
) -> None:
    """A rebuild finds the store's site-wide files once, to splice them, and after its
    commit deletes those it did not write from what it found (under the lock no one
    else wrote since), with no listing of the store after the commit.  It finds them
    by the committed build's record of its site-wide files, listing nothing at all
    (a file put there by hand stays), or, without a record it can trust, by listing
    the store (a file put there by hand goes)."""
    fs, name = s3_bucket
    url = f"s3://{name}/site"
    config = _config()
    _publish(url, entries[:COUNT], tmp_path / "first.jsonl", config)
    fs.invalidate_cache()
    sitewide_folder = next(
        p.removeprefix(f"{name}/site/").split("/")[0]
        for p in fs.find(f"{name}/site")
        if p.count("/") > 2 and not p.removeprefix(f"{name}/site/").startswith("01/")
    )
    stale = ["stale.html", f"{sitewide_folder}/stale.txt"]
    for path in stale:
        fs.pipe_file(f"{name}/site/{path}", b"put by hand")
    written = f"{name}/site/{SITEWIDE_OBJECT}"
    if record == "absent":  # a store a build before the record wrote
        fs.rm_file(written)
    elif record == "of another build":
        value = json.loads(fs.cat_file(written))
        fs.pipe_file(written, json.dumps(value | {"build_id": "another"}).encode())
    second = copy.deepcopy(entries[:COUNT])
    second[0]["product"]["description"] += " New recipe."  # 1%
    listings = _Listings(monkeypatch)
    listed_before: list[int] = []

    def on_step(step: str) -> None:
        if step == "deletions":
            listed_before.append(len(listings.calls))

    catalog = _publish(url, second, tmp_path / "second.jsonl", config, on_step=on_step)
    assert listed_before
    assert listings.calls[listed_before[0] :] == []  # nothing listed after the commit
    fs.invalidate_cache()
    if record == "of the committed build":
        assert listings.calls == []
        for path in stale:
            assert fs.cat_file(f"{name}/site/{path}") == b"put by hand"
            fs.rm_file(f"{name}/site/{path}")
    else:
        assert listings.calls  # the build listed the site-wide files to splice them
        for path in stale:
            assert not fs.exists(f"{name}/site/{path}")
    _assert_bucket_is_a_fresh_build(fs, url, catalog, tmp_path, config)
    # and the record names what a listing finds now
    value = json.loads(fs.cat_file(written))
    assert value["files"] == store_module._sitewide_objects(fs, f"{name}/site")
