"""The link-type maps: one block per product, nothing nginx would expand, in shards."""

from __future__ import annotations

from datetime import date

from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.hosts.link_map import link_map_entries, link_map_lines
from gs1ld.hosts.rules import HostMapWriter, host_rules
from gs1ld.publish import Link, ManifestEntry
from gs1ld.publish.links import first_links

GTIN = "09506000134352"
CONFIG = SiteConfig(ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)))


def test_a_block_has_the_first_link_of_each_type_with_nothing_to_expand() -> None:
    links = [
        Link("certificationInfo", "https://reg.example/$http_x_target", "a"),
        Link("certificationInfo", "https://second.example/", "b"),
        Link("pip", 'https://brand.example/p?q="x"\\y', "c"),
    ]
    assert first_links(links) == (
        ("certificationInfo", "https://reg.example/$http_x_target"),
        ("certificationInfo+", "https://second.example/"),  # a type with several links
        ("pip", 'https://brand.example/p?q="x"\\y'),
    )
    block = link_map_lines(GTIN, first_links(links)).decode()
    assert block.splitlines() == [
        f"# 01/{GTIN}",
        f'"{GTIN} certificationInfo" "https://reg.example/${{gs1ld_dollar}}http_x_target";',
        f'"{GTIN} certificationInfo+" "https://second.example/";',
        f'"{GTIN} pip" "https://brand.example/p?q=\\"x\\"\\\\y";',
    ]
    assert list(link_map_entries(block.encode().splitlines()))[1] == (
        GTIN,
        "certificationInfo+",
        "https://second.example/",
    )
    assert 'geo $gs1ld_dollar { default "$"; }' in host_rules(CONFIG)["nginx.conf"].decode()


def test_the_maps_are_written_in_shards_that_read_back_as_written() -> None:
    written: dict[str, bytes] = {}
    maps = HostMapWriter(written.__setitem__, shard_entries=2)
    gtins = [f"0950600013{n:04d}" for n in range(5)]
    for n, gtin in enumerate(gtins):
        maps.add(ManifestEntry(gtin, "h", "n", "b", links=(("pip", f"https://a.example/{n} x"),)))
    maps.add(ManifestEntry("09506000139999", "h", "n", "b"))  # no links: no entries
    assert maps.finish() == 5
    assert sorted(written) == [
        "apache-links/00001.txt",
        "apache-links/00002.txt",
        "apache-links/00003.txt",
        "nginx-map/00001.map",
        "nginx-map/00002.map",
        "nginx-map/00003.map",
    ]
    nginx = b"".join(written[f"nginx-map/0000{n}.map"] for n in (1, 2, 3)).splitlines()
    assert list(link_map_entries(nginx)) == [
        (gtin, "pip", f"https://a.example/{n} x") for n, gtin in enumerate(gtins)
    ]
    assert written["apache-links/00003.txt"] == f"{gtins[4]}/pip https://a.example/4%20x\n".encode()


def test_a_site_without_links_still_gets_one_shard_of_each_map() -> None:
    written: dict[str, bytes] = {}
    assert HostMapWriter(written.__setitem__).finish() == 0
    assert written == {"nginx-map/00001.map": b"", "apache-links/00001.txt": b""}
