"""Load spaCy once: the configured model, else the packaged small English model, else rules only."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsdesk.enrich.versions import FALLBACK_SPACY_MODELS as FALLBACK_MODELS

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)
_KEEP = {"tok2vec", "ner"}  # all we use of a statistical pipeline: entities


@dataclass(frozen=True)
class LoadedNLP:
    """A spaCy pipeline and what it is: the model's name, or None when running on rules only."""

    nlp: Language
    model: str | None
    notice: str | None = None


def load_nlp(preferred: str | None = None) -> LoadedNLP:
    """The first model that loads among ``preferred`` and the fallbacks; a blank pipeline otherwise.

    Nothing is downloaded: models come from installed packages only.
    """
    import spacy  # here, not at import: `newsdesk enrich` with nothing to do never needs it

    candidates = [name for name in (preferred, *FALLBACK_MODELS) if name]
    for name in dict.fromkeys(candidates):
        try:
            nlp = spacy.load(name, exclude=[])
        except OSError:
            continue
        disabled = [pipe for pipe in nlp.pipe_names if pipe not in _KEEP]
        for pipe in disabled:
            nlp.disable_pipe(pipe)
        return LoadedNLP(nlp, name)
    notice = (f"enrich: no spaCy model found (tried {', '.join(dict.fromkeys(candidates))}); "
              "entities come from the gazetteer only")
    log.info(notice)
    return LoadedNLP(spacy.blank("en"), None, notice)
