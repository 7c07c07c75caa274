"""Rebuild the classifiers shipped in the package from the seed set.

    python -m newsdesk.enrich.build
"""

from __future__ import annotations

from newsdesk.enrich.enricher import bundled_model_path
from pipelines.train import build_bundled_model


def main() -> None:
    """Train on the seed set's training part and write newsdesk/enrich/models/classifiers.skops."""
    models = build_bundled_model()
    path = bundled_model_path()
    models.save(path)
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB), version {models.version}")


if __name__ == "__main__":
    main()
