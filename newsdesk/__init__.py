"""newsdesk: track how AI is reshaping the entertainment industry.

The public surface is small: load settings, open the store, crawl.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]


def _import_sqlite_utils_without_pandas() -> None:
    """sqlite-utils imports pandas when it is installed, only to map pandas' Timestamp type, which newsdesk
    never stores: a fifth of a second at the start of every command. Import it once with pandas hidden
    (pandas itself stays importable, and is imported as usual by the dashboard)."""
    import sys

    if "sqlite_utils" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # makes `import pandas` raise ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["pandas"]


_import_sqlite_utils_without_pandas()
