"""The site's manifest: which products a build published, from what, for which resolver root.

One typed object that both writes and reads the manifest: the site build
reads the previous manifest to reuse unchanged products, the server reads it
to know what it publishes and for which root the files were written.

A site build writes the manifest as a *partitioned* data set, so that nothing
ever has to hold every GTIN at once: ``manifest.json`` is a small root (build
id, base URL, day, site inputs, and how many products each partition holds),
and ``manifest/{prefix}.jsonl`` holds one product a line, sorted by GTIN.  A
product's partition is the first ``depth`` hex digits of a hash of its GTIN
(:func:`partition_key`): a brand's GTINs share their company prefix, so the
GTIN's own digits would put a whole catalog into one partition, while the hash
spreads any catalog evenly.  The depth grows with the site
(:func:`partition_depth`), so a partition holds at most a few thousand products
whatever the site's size.  :meth:`Manifest.has` and :meth:`Manifest.entry` read
one partition and keep a bounded number of them, so a reader's memory stays
flat in the size of the site.

A manifest made in memory (:meth:`Manifest.of`) is written whole, with its
products inline (:meth:`Manifest.to_bytes`); :meth:`Manifest.read` reads both.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import Any

import orjson
import xxhash

from gs1ld.errors import PublishError
from gs1ld.publish.layout import MANIFEST_FILE, MANIFEST_PARTITIONS, published_root

__all__ = [
    "Manifest",
    "ManifestEntry",
    "content_digest",
    "partition_depth",
    "partition_digest",
    "partition_key",
    "partition_lines",
    "partition_path",
]

PARTITION_TARGET = 2048
"""Products a partition holds at most on average: small enough to read per lookup."""
_CACHED_BYTES = 64 << 20
"""Partition bytes a reader keeps in memory at most (whole partitions, oldest out first)."""
_LINE_START = b'{"gtin":"'


def partition_digest(data: bytes) -> str:
    """The digest of a manifest partition's bytes that a build's id is made from
    (:func:`~gs1ld.publish.manifest_writer.manifest_root`).

    XXH3's 128 bits, not SHA-256: nothing trusts it against someone forging bytes (it
    tells one build from another), and a million-product rebuild hashes 750 MB of
    partitions, which SHA-256 took half a second of its site-wide phase to do.
    """
    return xxhash.xxh3_128_hexdigest(data)


def content_digest(material: object) -> str:
    """A short, stable digest of JSON-serialisable ``material`` (keys sorted)."""
    return hashlib.sha256(orjson.dumps(material, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


def partition_key(gtin: str) -> str:
    """The hash a GTIN's manifest partition is taken from (16 hex digits).

    >>> partition_key("09506000134352")
    '1f7496e1e97ad27a'
    """
    return hashlib.blake2b(gtin.encode("ascii"), digest_size=8).hexdigest()


def partition_depth(count: int) -> int:
    """Hex digits of :func:`partition_key` that name a partition of a ``count``-product site.

    >>> [partition_depth(n) for n in (0, 2048, 2049, 60_000, 1_000_000, 100_000_000)]
    [0, 0, 1, 2, 3, 4]
    """
    depth = 0
    while count > PARTITION_TARGET * 16**depth:
        depth += 1
    return depth


def partition_path(prefix: str) -> str:
    """The site-relative file of the partition ``prefix`` (``""`` for a one-partition site)."""
    return f"{MANIFEST_PARTITIONS}/{prefix or 'all'}.jsonl"


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One published product: the summary row the site-wide files are made from.

    Attributes:
        gtin: its GTIN-14.
        digest: the input hash its files were rendered from.
        name: its display name (for the index pages).
        brand: its brand, or ``""``.
        lastmod: the day its page last changed (ISO date; the sitemap's ``lastmod``).
        page: a digest of its page, to tell whether a new rendering changed it.
        links: (link type, target) of its first link of each GS1 link type, in
            linkset order, and of the second link of a type that has several
            (marked ``type+``, :func:`gs1ld.publish.links.first_links`): the host
            rules' link-type maps are written from these.
    """

    gtin: str
    digest: str
    name: str
    brand: str
    lastmod: str = ""
    page: str = ""
    links: tuple[tuple[str, str], ...] = ()

    def __reduce__(self) -> tuple[type[ManifestEntry], tuple[Any, ...]]:
        """Pickle as the constructor's arguments: rows cross processes and spill files by
        the million, and the dataclass's own state functions cost ten times as much."""
        return (
            ManifestEntry,
            (self.gtin, self.digest, self.name, self.brand, self.lastmod, self.page, self.links),
        )

    def to_row(self) -> dict[str, Any]:
        """The entry as a JSON object, GTIN first (one line of a partition)."""
        return {
            "gtin": self.gtin,
            "hash": self.digest,
            "name": self.name,
            "brand": self.brand,
            "lastmod": self.lastmod,
            "page": self.page,
            "links": [list(link) for link in self.links],
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ManifestEntry:
        """An entry from its JSON object (missing newer fields read as empty)."""
        return cls(
            _text(row, "gtin"),
            _text(row, "hash"),
            _text(row, "name"),
            _text(row, "brand"),
            str(row.get("lastmod") or ""),
            str(row.get("page") or ""),
            tuple((str(rel), str(href)) for rel, href in row.get("links") or ()),
        )


Reader = Callable[[str], bytes]
"""Reads a site-relative file's bytes (raising OSError when it cannot)."""


_HEADS = re.compile(rb'(?:\{"gtin":"[0-9]{14}")*')
_FIRST_HEAD = re.compile(rb'\{"gtin":"[0-9]{14}"')
_BAD_HEAD = re.compile(rb'\n(?!\{"gtin":"[0-9]{14}"|\Z)')
"""A line after the first that does not begin with a head (the end of the bytes may)."""
_HEAD_SIZE = 24
"""Bytes of a partition line's head: ``{"gtin":"`` and the GTIN-14 and its quote."""


def partition_lines(path: str, data: bytes) -> tuple[list[bytes], list[bytes]]:
    """The lines of a manifest partition's bytes, and the head of each (its first 24
    bytes: ``{"gtin":"``, the GTIN-14 and its quote; what the lines sort by).

    Every head is checked at once, as one string: checking each line costs a
    rebuild of a million products seconds.

    Raises:
        PublishError: a line does not begin with a GTIN-14 (the message names
            ``path`` and the line).
    """
    lines = data.splitlines()
    heads = [line[:_HEAD_SIZE] for line in lines]
    joined = b"".join(heads)
    if len(joined) != _HEAD_SIZE * len(heads) or _HEADS.fullmatch(joined) is None:
        bad = next(
            (h for h in lines if len(h) < _HEAD_SIZE or not _HEADS.fullmatch(h[:_HEAD_SIZE])),
            data[:40],
        )
        raise PublishError(f"{path} is not a gs1ld manifest partition: {bad[:40]!r}")
    return lines, heads


class _Partition:
    """One partition's bytes, a GTIN's line found by searching them, or by bisecting
    its lines once it is asked often.

    Not split into lines for its first lookups: a rebuild of a million products that
    changed a few in every partition reads every partition for them, and splitting
    each into its lines (and checking their order) cost it about a second of the build
    process's CPU, where one search of the bytes for the line's start costs a
    fraction.  A search reads the whole partition, though: one asked more than
    :data:`_SEARCHES` times (every product of it looked up, a server's cached
    partition) is split, and bisected from then on.  Every line's head is checked
    when the partition is read.
    """

    __slots__ = ("_data", "_lines", "_path", "_searches", "size")

    def __init__(self, path: str, data: bytes) -> None:
        self._path = path
        self._data = data
        self._lines: list[bytes] | None = None
        self._searches = 0
        self.size = len(data)
        """The partition's bytes (what keeping it costs; its lines cost as much)."""
        if b"\r" in data or (
            data and (_FIRST_HEAD.match(data) is None or _BAD_HEAD.search(data) is not None)
        ):  # lines another tool ended otherwise, split as lines always are; or a bad head,
            self._split()  # which raises naming its line

    @property
    def lines(self) -> list[bytes]:
        """The partition's lines, in GTIN order (the last line of a GTIN that has more)."""
        return self._lines if self._lines is not None else self._split()

    def _split(self) -> list[bytes]:
        lines, keys = partition_lines(self._path, self._data)
        if keys != sorted(set(keys)):  # not as gs1ld writes it: sorted, the last line of a GTIN
            lines = [line for _, line in sorted(dict(zip(keys, lines, strict=True)).items())]
        self._lines = lines
        self._data = b""  # (the lines hold the bytes now)
        return lines

    def line(self, gtin: str) -> bytes | None:
        """The line of ``gtin`` (a GTIN-14; the last line when it has more), or None when
        it has none."""
        key = _LINE_START + gtin.encode("ascii") + b'"'
        lines = self._lines
        if lines is None and self._searches >= _SEARCHES:
            lines = self._split()
        if lines is not None:
            at = bisect.bisect_left(lines, key)
            found = lines[at] if at < len(lines) else b""
            return found if found[:_HEAD_SIZE] == key else None
        self._searches += 1
        data = self._data
        start = data.rfind(b"\n" + key) + 1  # 0: not after a line, perhaps the first line
        if start == 0 and not data.startswith(key):
            return None
        end = data.find(b"\n", start)
        return data[start : end if end >= 0 else len(data)]


_SEARCHES = 4
"""Lookups a partition answers by searching its bytes before it is split into lines
(one search costs some forty bisections of a split partition's lines)."""


_NO_PARTITION = _Partition("", b"")


class _Partitions:
    """The partition files of one manifest, read on demand and kept in a bounded cache."""

    def __init__(self, depth: int, counts: Mapping[str, int], reader: Reader) -> None:
        self.depth = depth
        self.counts = dict(sorted(counts.items()))
        self._reader = reader
        self._cache: OrderedDict[str, _Partition] = OrderedDict()
        self._cached_bytes = 0
        self._lock = Lock()

    def partition(self, prefix: str) -> _Partition:
        """The partition ``prefix`` (empty when there is none)."""
        with self._lock:
            found = self._cache.get(prefix)
            if found is not None:
                self._cache.move_to_end(prefix)
                return found
        part = self._load(prefix) if prefix in self.counts else _NO_PARTITION
        with self._lock:
            if prefix not in self._cache:
                self._cache[prefix] = part
                self._cached_bytes += part.size
            while self._cached_bytes > _CACHED_BYTES and len(self._cache) > 1:
                _, dropped = self._cache.popitem(last=False)
                self._cached_bytes -= dropped.size
        return part

    def _load(self, prefix: str) -> _Partition:
        path = partition_path(prefix)
        try:
            data = self._reader(path)
        except OSError as exc:
            raise PublishError(f"cannot read the manifest partition {path}: {exc}") from exc
        return _Partition(path, data)


class _Products(Mapping[str, ManifestEntry]):
    """GTIN -> entry over a partitioned manifest, without holding every entry."""

    def __init__(self, manifest: Manifest) -> None:
        self._manifest = manifest

    def __getitem__(self, gtin: str) -> ManifestEntry:
        entry = self._manifest.entry(gtin)
        if entry is None:
            raise KeyError(gtin)
        return entry

    def __contains__(self, gtin: object) -> bool:
        return isinstance(gtin, str) and self._manifest.has(gtin)

    def __iter__(self) -> Iterator[str]:
        return (entry.gtin for entry in self._manifest.entries())

    def __len__(self) -> int:
        return self._manifest.count


class Manifest:
    """What one build published.

    Attributes:
        generator: the tool and version that wrote the site.
        base_url: the resolver root the site's files were written for.
        today: the reference day of the build (ISO date).
        site_inputs: a digest of everything the site-wide files depend on.
        undated: how many of a partitioned manifest's rows have no ``lastmod`` (their
            sitemap date is the build's day, so it moves with the day); None when the
            root does not say (written before it did) or the manifest is held whole.
    """

    __slots__ = (
        "_build_id",
        "_inline",
        "_partitions",
        "base_url",
        "generator",
        "site_inputs",
        "today",
        "undated",
    )

    def __init__(
        self,
        generator: str,
        base_url: str,
        today: str,
        site_inputs: str,
        products: Mapping[str, ManifestEntry] | None = None,
        *,
        partitions: _Partitions | None = None,
        build_id: str | None = None,
        undated: int | None = None,
    ) -> None:
        self.generator = generator
        self.base_url = base_url
        self.today = today
        self.site_inputs = site_inputs
        self.undated = undated
        self._inline = dict(products or {})
        self._partitions = partitions
        self._build_id = build_id

    @classmethod
    def of(
        cls,
        entries: Iterable[ManifestEntry],
        *,
        generator: str,
        base_url: str,
        today: str,
        site_inputs: str,
    ) -> Manifest:
        """A manifest of ``entries`` held in memory (kept in GTIN order)."""
        products = {e.gtin: e for e in sorted(entries, key=lambda e: e.gtin)}
        return cls(generator, base_url, today, site_inputs, products)

    def has(self, gtin: str) -> bool:
        """Whether the site publishes ``gtin`` (a GTIN-14); reads at most one partition."""
        if self._partitions is None:
            return gtin in self._inline
        return self._line(gtin) is not None

    def entry(self, gtin: str) -> ManifestEntry | None:
        """The entry of ``gtin``, or None when the site does not publish it."""
        if self._partitions is None:
            return self._inline.get(gtin)
        line = self._line(gtin)
        return None if line is None else ManifestEntry.from_row(orjson.loads(line))

    def _line(self, gtin: str) -> bytes | None:
        """The partition line of ``gtin``; None when the site does not publish it, and
        without reading a partition for a key that is no GTIN-14 (a URL's path segment
        ``…","hash`` would begin a line)."""
        assert self._partitions is not None
        if len(gtin) != 14 or not (gtin.isascii() and gtin.isdigit()):
            return None
        return self._partitions.partition(self._prefix(gtin)).line(gtin)

    def _prefix(self, gtin: str) -> str:
        assert self._partitions is not None
        return partition_key(gtin)[: self._partitions.depth]

    @property
    def count(self) -> int:
        """How many products the site publishes."""
        if self._partitions is None:
            return len(self._inline)
        return sum(self._partitions.counts.values())

    @property
    def partitioned(self) -> bool:
        """Whether the products live in partition files (read on demand)."""
        return self._partitions is not None

    def partition_prefixes(self) -> list[str]:
        """The prefixes of the manifest's partitions, in order (``[""]`` when held whole)."""
        return list(self.partition_sizes())

    def partition_sizes(self) -> dict[str, int]:
        """Prefix -> how many products its partition holds, in prefix order (as the root
        says; ``{"": count}`` when held whole)."""
        if self._partitions is None:
            return {"": len(self._inline)}
        return dict(self._partitions.counts)

    def partition(self, prefix: str) -> list[ManifestEntry]:
        """The entries of one partition, in GTIN order."""
        if self._partitions is None:
            return list(self._inline.values()) if prefix == "" else []
        lines = self._partitions.partition(prefix).lines
        return [ManifestEntry.from_row(orjson.loads(line)) for line in lines]

    def entries(self) -> Iterator[ManifestEntry]:
        """Every entry, one partition at a time (in GTIN order within each)."""
        for prefix in self.partition_prefixes():
            yield from self.partition(prefix)

    @property
    def products(self) -> Mapping[str, ManifestEntry]:
        """GTIN -> entry; over a partitioned manifest it reads partitions as asked."""
        return self._inline if self._partitions is None else _Products(self)

    @property
    def build_id(self) -> str:
        """A digest of what was published: the same inputs give the same id."""
        if self._build_id is not None:
            return self._build_id
        entries = [[e.gtin, e.digest] for e in self.entries()]
        return content_digest([self.site_inputs, self.today, entries])

    def to_bytes(self) -> bytes:
        """The whole manifest as one ``manifest.json`` (products inline), for small sites."""
        body = {
            "generator": self.generator,
            "build_id": self.build_id,
            "base_url": self.base_url,
            "today": self.today,
            "site_inputs": self.site_inputs,
            "products": {
                e.gtin: {k: v for k, v in e.to_row().items() if k != "gtin"} for e in self.entries()
            },
        }
        return orjson.dumps(body, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)

    @classmethod
    def from_bytes(cls, data: bytes, *, reader: Reader | None = None) -> Manifest:
        """Read ``manifest.json`` bytes.

        Args:
            data: the root's bytes.
            reader: reads the partitions of a partitioned manifest (site-relative
                paths); without it a partitioned manifest cannot be read.

        Raises:
            PublishError: they are not a gs1ld manifest.
        """
        try:
            body = orjson.loads(data)
            head = (
                _text(body, "generator"),
                _text(body, "base_url"),
                _text(body, "today" if "today" in body else "day"),  # "day" before 0.2
                _text(body, "site_inputs"),
            )
            if "partitions" not in body:
                products = {
                    gtin: ManifestEntry.from_row({"gtin": gtin, **row})
                    for gtin, row in body["products"].items()
                }
                return cls(*head, products)
            if reader is None:
                raise PublishError("a partitioned manifest needs a reader for its partitions")
            depth = body["partition_depth"]
            counts = body["partitions"]
            if not isinstance(depth, int) or not all(
                isinstance(n, int) and len(p) == depth for p, n in counts.items()
            ):
                raise TypeError(f"partitions do not match depth {depth!r}")
            partitions = _Partitions(depth, counts, reader)
            undated = body.get("undated")
            if undated is not None and (type(undated) is not int or undated < 0):
                raise TypeError(f"undated is not a count: {undated!r}")
            return cls(
                *head, partitions=partitions, build_id=_text(body, "build_id"), undated=undated
            )
        except (orjson.JSONDecodeError, LookupError, TypeError, AttributeError) as exc:
            raise PublishError(f"not a gs1ld manifest: {exc!r}") from exc

    @classmethod
    def read(cls, site: str | Path, *, reader: Reader | None = None) -> Manifest:
        """The manifest of the site at ``site`` (its partitions are read as they are needed).

        Args:
            site: the site's directory: a site folder (the build its ``current``
                link names is read, pinned for the later partition reads) or a
                folder of site files.
            reader: reads a site-relative file (default: from ``site`` on the
                local file system); object-storage sites pass their own.

        Raises:
            PublishError: the site has no readable manifest (it is not a gs1ld site).
        """
        if reader is None:
            root = published_root(Path(site))
            if root != Path(site):  # one build, even when a newer one is published meanwhile
                root = Path(os.path.realpath(root))

            def reader(relative: str) -> bytes:
                return (root / relative).read_bytes()

        try:
            data = reader(MANIFEST_FILE)
        except OSError as exc:
            raise PublishError(
                f"{str(site)!r} is not a gs1ld site: cannot read {MANIFEST_FILE} ({exc})"
            ) from exc
        try:
            return cls.from_bytes(data, reader=reader)
        except PublishError as exc:
            raise PublishError(f"{str(site)!r} is not a gs1ld site: {exc}") from exc

    @classmethod
    def read_or_none(cls, site: str | Path, *, reader: Reader | None = None) -> Manifest | None:
        """The manifest of the site at ``site``, or None when it has none gs1ld can read
        (no site yet, or not one a build can reuse): "the manifest or nothing", once."""
        try:
            return cls.read(site, reader=reader)
        except PublishError:
            return None


def _text(body: Mapping[str, Any], key: str) -> str:
    value = body[key]
    if not isinstance(value, str):
        raise TypeError(f"{key} is {value!r}, not a string")
    return value
