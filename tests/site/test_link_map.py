"""The site-wide nginx link-type map: one block per product, nothing nginx would expand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gs1ld.config import ExportConfig
from gs1ld.publish import Link
from gs1ld.site.config import SiteConfig
from gs1ld.site.hosts import host_rules
from gs1ld.site.link_map import LINK_MAP, PreviousLinkMap, link_map_lines

GTIN = "09506000134352"
CONFIG = SiteConfig(ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)))


def test_a_block_has_the_first_link_of_each_type_with_nothing_to_expand() -> None:
    links = [
        Link("certificationInfo", "https://reg.example/$http_x_target", "a"),
        Link("certificationInfo", "https://second.example/", "b"),
        Link("pip", 'https://brand.example/p?q="x"\\y', "c"),
    ]
    block = link_map_lines(GTIN, links).decode()
    assert block.splitlines() == [
        f"# 01/{GTIN}",
        f'"{GTIN} certificationInfo" "https://reg.example/${{gs1ld_dollar}}http_x_target";',
        f'"{GTIN} pip" "https://brand.example/p?q=\\"x\\"\\\\y";',
    ]
    assert 'geo $gs1ld_dollar { default "$"; }' in host_rules(CONFIG)["nginx.conf"].decode()


def test_previous_blocks_come_back_by_gtin(tmp_path: Path) -> None:
    other = "09506000134369"
    first = link_map_lines(GTIN, [Link("pip", "https://a.example/1", "t")])
    second = link_map_lines(other, [Link("pip", "https://a.example/2", "t")])
    (tmp_path / LINK_MAP).write_bytes(first + second)
    previous = PreviousLinkMap(tmp_path)
    assert (previous.lines(GTIN), previous.lines(other)) == (first, second)
    assert previous.lines("09506000134376") is None
    assert PreviousLinkMap(tmp_path / "missing").lines(GTIN) is None
