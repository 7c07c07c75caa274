"""Pure normalisation: canonical URLs, UTC dates, clean text, stable ids."""
