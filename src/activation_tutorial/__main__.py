"""Allow `python -m activation_tutorial`."""

from .cli import main

raise SystemExit(main())
