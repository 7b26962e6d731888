"""The ``replay`` command line: ``python -m replay.cli``."""

from replay.cli._main import main

raise SystemExit(main())
