"""Write a file atomically, with the permissions the user's umask asks for.

``tempfile.mkstemp`` creates files with mode 0600 whatever the umask, which
leaves converted or pulled files unreadable by the web server or the team. The
temporary file here is created with mode 0666, so the kernel applies the umask
exactly as ``open()`` would, and then renamed into place.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place.

    A reader sees the old file or the new one, never half of it; a failed write
    leaves no temporary file behind. The file's mode is ``0666 & ~umask``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        # opened inside the try: Ctrl-C may land the moment the call returns, before
        # any statement after it, and the file is there by then
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except FileExistsError:  # the name is another writer's: not ours to remove
        raise
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
