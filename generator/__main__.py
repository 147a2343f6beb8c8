"""``python -m generator`` is ``amoor``."""

from .cli.commands import main

main()
