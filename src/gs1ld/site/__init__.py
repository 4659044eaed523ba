"""Site: building and shipping a whole resolver site.

A build reads a catalog, shuffles its entries by GTIN (:mod:`~gs1ld.site.shuffle`),
stages each product (:mod:`~gs1ld.site.partition`, :mod:`~gs1ld.site.stage`),
keeps one summary row per product (:mod:`~gs1ld.site.rows`), writes the
site-wide files from the rows (:mod:`~gs1ld.site.sitewide`) and publishes the
result to its target: a local folder of builds whose ``current`` link is switched atomically
(:mod:`~gs1ld.site.folder`)
or object storage with one commit point (:mod:`~gs1ld.site.store`).  The work
runs in this process and a worker pool, or on an engine
(:mod:`gs1ld.site.engines`: Dask, Arrow).  What a product's files say comes
from :mod:`gs1ld.publish` and :mod:`gs1ld.pages`; the web-server rules from
:mod:`gs1ld.hosts`.
"""

from gs1ld.site.build import build_site
from gs1ld.site.partition import StagedRow, stage_partition
from gs1ld.site.report import BuildReport, InvalidProduct
from gs1ld.site.store import StoreSite, build_site_to_store

__all__ = [
    "BuildReport",
    "InvalidProduct",
    "StagedRow",
    "StoreSite",
    "build_site",
    "build_site_to_store",
    "stage_partition",
]
