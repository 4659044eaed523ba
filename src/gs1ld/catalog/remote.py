"""Read a catalog at an fsspec URL (``s3://``, ``gs://``, ``memory://``, ``file://``).

The same shapes as a local catalog, with the same limits and locations:
a ``.jsonl`` object is streamed line by line (``s3://bucket/catalog.jsonl:7``),
a ``.json`` object is one entry or an array, a ``.parquet`` object one entry a
row (``s3://bucket/catalog.parquet[7]``), and a "directory" (a prefix) is every
catalog object under it in name order (``s3://bucket/dir/milk.json``,
``s3://bucket/shards/part-03.jsonl:12``).
Credentials and endpoints come from the storage options, the environment
(``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``...) and fsspec's configuration
(``FSSPEC_S3_*``).  Anything that stops the catalog itself from being read (no
such bucket, no credentials, a protocol whose package is not installed) is one
:class:`~gs1ld.errors.ParseError` naming the URL; a ``.json`` object of a
directory that cannot be read is that object's problem, as locally.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO, Any

import fsspec
from fsspec.spec import AbstractBufferedFile

from gs1ld.catalog.cutting import CatalogPart, folder_parts, line_ranges, row_group_runs
from gs1ld.catalog.raw import (
    RawEntry,
    catalog_file_kind,
    in_catalog_folder,
    read_json_bytes,
    read_json_lines,
)
from gs1ld.catalog.source import RemoteCatalog
from gs1ld.errors import ParseError, Problem
from gs1ld.limits import Limits
from gs1ld.storage import open_storage, storage_reason

__all__ = ["iter_remote_entries", "open_catalog_fs", "plan_remote_parts", "read_remote_part"]


def _failed(catalog: RemoteCatalog, exc: BaseException) -> ParseError:
    return ParseError(f"Cannot read catalog {catalog.url!r}: {storage_reason(exc)}.")


def open_catalog_fs(catalog: RemoteCatalog) -> tuple[fsspec.AbstractFileSystem, str]:
    """The fsspec file system and path of ``catalog``.

    Raises:
        ParseError: the protocol is unknown or its package is not installed.
    """

    def failure(reason: str) -> ParseError:
        return ParseError(f"Cannot read catalog {catalog.url!r}: {reason}.")

    fs, path = open_storage(catalog.url, catalog.storage_options, failure=failure)
    return fs, path


def _lines(stream: IO[bytes]) -> IO[bytes]:
    """A stream whose ``readline(size)`` is bounded and buffered (fsspec's takes no size)."""
    if isinstance(stream, AbstractBufferedFile):
        return io.BufferedReader(stream, buffer_size=1 << 20)
    return stream


def iter_remote_entries(catalog: RemoteCatalog, limits: Limits) -> Iterator[RawEntry]:
    """Yield each entry of the catalog at ``catalog.url``, streaming (see the module doc).

    Raises:
        ParseError: the catalog cannot be opened or read.
    """
    fs, path = open_catalog_fs(catalog)
    try:
        if _is_folder(fs, path, catalog):
            for object_path, name, _ in _catalog_objects(fs, path, catalog):
                yield from _read_object(fs, object_path, name, limits)
        else:
            yield from _read_object(fs, path, catalog.url, limits, whole_catalog=True)
    except ParseError:
        raise
    except Exception as exc:  # botocore and friends raise their own trees
        raise _failed(catalog, exc) from None


def _is_folder(fs: Any, path: str, catalog: RemoteCatalog) -> bool:
    """True for a folder (a prefix), False for one catalog object.

    Raises:
        ParseError: nothing is there, or it is not a catalog file.
    """
    if fs.isdir(path):
        return True
    if not fs.isfile(path):
        raise ParseError(f"Catalog {catalog.url!r} does not exist.")
    if catalog_file_kind(path) is None:
        raise ParseError(
            f"Catalog {catalog.url!r} is not a catalog: expected a .json, .jsonl (.ndjson) "
            "or .parquet object, or a folder of them."
        )
    return False


def _catalog_objects(fs: Any, root: str, catalog: RemoteCatalog) -> list[tuple[str, str, int]]:
    """(path, name, size) of every catalog object under ``root``, in name order.

    The name is the catalog URL as given plus the object's path below it: what
    locations say, and what a worker opens.
    """
    found = fs.find(root, detail=True)
    base = catalog.url.rstrip("/")
    prefix = root.rstrip("/") + "/"
    return [
        (path, f"{base}/{path.removeprefix(prefix)}", int(found[path].get("size") or 0))
        for path in sorted(found)
        if in_catalog_folder(path.removeprefix(prefix))
    ]


def _read_object(
    fs: Any, path: str, name: str, limits: Limits, *, whole_catalog: bool = False
) -> Iterator[RawEntry]:
    """The entries of one catalog object, read as its name ending says.

    A ``.json`` object of a folder that cannot be read is that object's problem
    (as a local file is); a JSON Lines or Parquet object that cannot be read,
    or the catalog's only object, stops the read.
    """
    kind = catalog_file_kind(path)
    if kind == "lines":
        with fs.open(path, "rb") as raw:
            yield from read_json_lines(_lines(raw), name, limits)
        return
    if kind == "parquet":
        from gs1ld.catalog.parquet import parquet_entries  # imports pyarrow

        with fs.open(path, "rb") as raw:
            yield from parquet_entries(raw, name, limits)
        return
    try:
        text = fs.cat_file(path)
    except Exception as exc:
        if whole_catalog:
            raise
        problem = Problem("", f"cannot read the file: {storage_reason(exc)}", has_value=False)
        yield RawEntry(name, error=problem)
        return
    yield from read_json_bytes(name, text, limits)


_SCAN = 4 * 1024 * 1024
"""Bytes read at a time while cutting a JSON Lines object into ranges."""


def _object_parts(
    fs: Any, path: str, name: str, size: int, catalog: RemoteCatalog, block_size: int
) -> list[CatalogPart]:
    """The parts of one JSON Lines or Parquet object (named ``name``, its URL)."""
    if catalog_file_kind(path) == "lines":
        with fs.open(path, "rb") as stream:
            url = RemoteCatalog(name, catalog.storage_options)
            return line_ranges(stream, name, block_size, read_size=_SCAN, storage=url)
    from gs1ld.catalog.parquet import parquet_row_groups  # imports pyarrow

    with fs.open(path, "rb") as stream:
        groups = parquet_row_groups(stream, name)
    return row_group_runs(name, groups, block_size, catalog)


def plan_remote_parts(catalog: RemoteCatalog, block_size: int) -> list[CatalogPart]:
    """The parts of the catalog at ``catalog.url`` (see :func:`gs1ld.catalog.parts.plan_parts`).

    Raises:
        ParseError: the catalog cannot be opened or read.
    """
    fs, path = open_catalog_fs(catalog)
    try:
        if not _is_folder(fs, path, catalog):
            objects = [(path, catalog.url, int(fs.size(path) or 0))]
        else:
            objects = _catalog_objects(fs, path, catalog)
        paths = {name: object_path for object_path, name, _ in objects}
        return folder_parts(
            [(name, size) for _, name, size in objects],
            block_size,
            lambda name, size: _object_parts(fs, paths[name], name, size, catalog, block_size),
            catalog,
        )
    except ParseError:
        raise
    except Exception as exc:  # botocore and friends raise their own trees
        raise _failed(catalog, exc) from None


def read_remote_part(part: CatalogPart, limits: Limits) -> Iterator[RawEntry]:
    """Yield the entries of one part of a catalog at a URL, in catalog order (on a worker).

    Raises:
        ParseError: the catalog's objects cannot be opened or read.
    """
    assert part.storage is not None
    catalog = part.storage
    try:
        if part.row_groups:
            from gs1ld.catalog.parquet import parquet_entries  # imports pyarrow

            fs, path = open_catalog_fs(RemoteCatalog(part.path, catalog.storage_options))
            with fs.open(path, "rb") as raw:
                yield from parquet_entries(
                    raw, part.path, limits, row_groups=part.row_groups, first_row=part.first_line
                )
            return
        if part.path:
            fs, path = open_catalog_fs(RemoteCatalog(part.path, catalog.storage_options))
            with fs.open(path, "rb") as raw:
                stream = _lines(raw)
                stream.seek(part.start)
                yield from read_json_lines(
                    stream, part.path, limits, first_line=part.first_line, end=part.end
                )
            return
        for name in part.files:
            fs, path = open_catalog_fs(RemoteCatalog(name, catalog.storage_options))
            yield from _read_object(fs, path, name, limits)
    except ParseError:
        raise
    except Exception as exc:
        raise _failed(catalog, exc) from None
