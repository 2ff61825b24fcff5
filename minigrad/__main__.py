"""``python -m minigrad ...`` runs the ``minigrad`` command."""

from .cli import main

main()
