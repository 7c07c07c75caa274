"""Dashboard pages: each reads through the store and analysis layers and renders feed text as text."""
