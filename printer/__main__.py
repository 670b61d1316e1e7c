"""``python -m printer`` is ``cherha-print``."""

from printer.cli import main

raise SystemExit(main())
