"""``python -m printer`` is ``cherha-print``."""

from .cli import main

raise SystemExit(main())
