"""Hatch build hook: compile the page chrome's message catalogs into the wheel.

The repository keeps only the translators' ``.po`` files
(``src/gs1ld/pages/locales/{language}/LC_MESSAGES/gs1ld.po``); the wheel also
carries each compiled ``gs1ld.mo`` beside its ``.po``, so an installed gs1ld
loads its catalogs without compiling them (a source checkout compiles the
``.po`` in memory instead: see ``gs1ld.pages.i18n.translations``).  The ``.mo``
files are written to a scratch folder, never into the source tree.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALES = Path("src/gs1ld/pages/locales")
PACKAGED = "gs1ld/pages/locales"


class CompileCatalogsHook(BuildHookInterface):  # type: ignore[type-arg]  # generic in hatchling
    """Compile every ``.po`` under ``LOCALES`` to a ``.mo`` the wheel includes."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._scratch = Path(tempfile.mkdtemp(prefix="gs1ld-mo-"))
        root = Path(self.root)
        for po in sorted((root / LOCALES).glob("*/LC_MESSAGES/*.po")):
            relative = po.relative_to(root / LOCALES).with_suffix(".mo")
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=relative.parts[0])
            if catalog.fuzzy:
                raise ValueError(f"{po}: the catalog is marked fuzzy; review it first")
            target = self._scratch / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                write_mo(out, catalog)
            build_data["force_include"][str(target)] = f"{PACKAGED}/{relative.as_posix()}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        shutil.rmtree(self._scratch, ignore_errors=True)
