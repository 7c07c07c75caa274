"""The jobs: each chains library stages (fetch → parse → normalise → store → ...)."""
