"""The package as users get it: the public surface and the wheel's bundled data."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

import gs1ld
from support import PROJECT_ROOT


def test_all_is_sorted_and_complete() -> None:
    assert list(gs1ld.__all__) == sorted(gs1ld.__all__)
    public = {name for name in vars(gs1ld) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(gs1ld, name)).__name__ == "module"}
    assert public - modules - set(gs1ld.__all__) == set()
    for name in gs1ld.__all__:
        assert hasattr(gs1ld, name), name


@pytest.mark.slow
def test_wheel_ships_bundled_data(tmp_path: Path) -> None:
    """Build the wheel, install it into a scratch venv, read the data from there.

    Also the page chrome's catalogs: the build hook (hatch_build.py) compiles every
    ``.po`` into a ``.mo`` beside it, and the installed gs1ld reads those.
    """
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("gs1ld-*.whl"))

    scratch = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(scratch)
    python = scratch / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            site,
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # The scratch venv borrows this environment's dependencies, never its gs1ld.
    Path(site, "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    probe = (
        "import gs1ld, gs1ld._resources as r\n"
        "print(gs1ld.__file__)\n"
        "for folder in ('mappings', 'contexts', 'shapes'):\n"
        "    d = r.data_dir(folder)\n"
        "    print(folder, d, sorted(p.name for p in d.iterdir()))\n"
        "from importlib import resources\n"
        "from gs1ld.pages import i18n\n"
        "locales = resources.files('gs1ld.pages').joinpath('locales')\n"
        "print(sorted(p.name for p in locales.iterdir()\n"
        "             if p.joinpath('LC_MESSAGES', 'gs1ld.mo').is_file()))\n"
        "print(i18n.translations('nl').gettext('Ingredients'), i18n.__file__)\n"
    )
    out = subprocess.run(
        [str(python), "-I", "-c", probe], cwd=tmp_path, check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert out[0].startswith(site)
    expected = {
        folder: sorted(p.name for p in (PROJECT_ROOT / folder).iterdir())
        for folder in ("mappings", "contexts", "shapes")
    }
    for line in out[1:4]:
        folder, where, names = line.split(" ", 2)
        assert where.startswith(site), line
        assert ast.literal_eval(names) == expected[folder]
    sources = PROJECT_ROOT / "src/gs1ld/pages/locales"
    catalogs = sorted(p.parent.parent.name for p in sources.glob("*/*/*.po"))
    assert ast.literal_eval(out[4]) == catalogs
    assert not list(sources.glob("*/*/*.mo"))  # compiled into the wheel, not the source tree
    translated, module = out[5].split(" ")
    assert (translated, module.startswith(site)) == ("Ingrediënten", True)
