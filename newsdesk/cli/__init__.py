"""The ``newsdesk`` command, one module per group of commands: arguments → library call → one line on error.

Importing the package registers every command on ``cli``.
"""

from newsdesk.cli import (  # noqa: F401 (importing a module registers its commands)
    alerts,
    analysis,
    articles,
    backfill,
    crawling,
    reports,
    service,
    sources,
    understanding,
    users,
    workspace,
)
from newsdesk.cli.base import cli, main

__all__ = ["cli", "main"]
