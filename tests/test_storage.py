"""Opening object storage, and saying why it failed, is worded once for reading and writing."""

from __future__ import annotations

import importlib.util

import pytest

from gs1ld.errors import ParseError, PublishError
from gs1ld.site.store import StoreSite, build_site_to_store
from gs1ld.storage import open_storage, storage_reason
from support import EXAMPLE_CATALOG

needs_no_gcsfs = pytest.mark.skipif(
    importlib.util.find_spec("gcsfs") is not None, reason="gcsfs is installed here"
)


@needs_no_gcsfs
@pytest.mark.parametrize("error", [ParseError, PublishError])
def test_a_missing_file_system_names_the_extra_to_install(error: type[Exception]) -> None:
    with pytest.raises(error) as raised:
        open_storage("gs://bucket/site", {}, failure=lambda reason: error(f"Cannot: {reason}"))
    assert "pip install 'gs1ld[gcs]'" in str(raised.value)


@needs_no_gcsfs
def test_a_site_build_to_a_store_names_the_extra_too() -> None:
    from gs1ld.config import ExportConfig, SiteConfig

    config = SiteConfig(ExportConfig(base_url="https://id.brand.example"))
    with pytest.raises(PublishError) as raised:
        build_site_to_store(EXAMPLE_CATALOG, StoreSite("gs://bucket/site"), config=config)
    assert str(raised.value).startswith("Cannot open the output 'gs://bucket/site': ")
    assert "pip install 'gs1ld[gcs]'" in str(raised.value)


def test_an_unknown_protocol_is_one_line() -> None:
    with pytest.raises(PublishError) as raised:
        open_storage("nosuch://x", {}, failure=PublishError)
    assert "\n" not in str(raised.value)
    assert "nosuch" in str(raised.value)


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (FileNotFoundError("x"), "no such file, folder or bucket"),
        (PermissionError(), "access denied"),
        (PermissionError("Forbidden"), "access denied (Forbidden)"),
        (ValueError("bad\n  value"), "bad value"),
    ],
)
def test_reasons_are_one_line(exc: BaseException, reason: str) -> None:
    assert storage_reason(exc) == reason
