"""All SQL lives here: opening the database, migrations, and one module per table."""

from newsdesk.store.db import open_db

__all__ = ["open_db"]
