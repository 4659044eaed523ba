"""``python -m gs1ld``: the same as the ``gs1ld`` command."""

from gs1ld.cli import main

raise SystemExit(main())
