"""``python -m generator`` is ``amoor``."""

from .cli import main

main()
