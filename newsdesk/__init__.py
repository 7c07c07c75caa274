"""newsdesk: track how AI is reshaping the entertainment industry.

The public surface is small: load settings, open the store, crawl.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
