"""Entities: a domain gazetteer as a spaCy EntityRuler, plus statistical NER when a model is loaded.

Every gazetteer entry has a canonical id (``union:sag-aftra``), so "Screen Actors Guild" and
"SAG-AFTRA" are one entity. Names the statistical model finds that the gazetteer lacks get an
id from their own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc

_NER_LABELS = {"ORG": "org", "PERSON": "person", "LAW": "law", "PRODUCT": "product", "WORK_OF_ART": None}


@dataclass(frozen=True)
class GazetteerEntry:
    """One known entity: canonical id and name, type, narrower kind, and the names it goes by."""

    id: str
    name: str
    type: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Entity:
    """An entity found in a text: as written, its type, canonical id and name, and narrower kind."""

    text: str
    label: str
    id: str
    name: str
    kind: str | None = None


def slug(text: str) -> str:
    """A readable id part: lower case, '+' spelled out ('Disney+' is not 'Disney'), other runs to '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("+", " plus")).strip("-")


def load_gazetteer() -> list[GazetteerEntry]:
    """Every entry of the bundled gazetteer."""
    text = resources.files("newsdesk.enrich").joinpath("data", "gazetteer.tsv").read_text(encoding="utf-8")
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind_type, name, aliases, kind = (line.split("\t") + ["", ""])[:4]
        names = tuple(a.strip() for a in aliases.split(";") if a.strip())
        entries.append(GazetteerEntry(f"{kind_type}:{slug(name)}", name, kind_type, kind or kind_type, names))
    return entries


def add_gazetteer(nlp: Language, entries: list[GazetteerEntry]) -> None:
    """Add an EntityRuler with every name and alias, ahead of any statistical NER."""
    options = {"overwrite_ents": True, "phrase_matcher_attr": "ORTH"}
    ruler = nlp.add_pipe("entity_ruler", before="ner" if "ner" in nlp.pipe_names else None, config=options)
    patterns = []
    for entry in entries:
        for name in (entry.name, *entry.aliases):
            patterns.append({"label": entry.type, "pattern": name, "id": entry.id})
            if name.upper() != name and len(name) > 3:
                patterns.append({"label": entry.type, "pattern": name.upper(), "id": entry.id})
    ruler.add_patterns(patterns)


def entities_of(doc: Doc, known: dict[str, GazetteerEntry]) -> list[Entity]:
    """The distinct entities of a processed text, in order of appearance."""
    found: dict[str, Entity] = {}
    for ent in doc.ents:
        entry = known.get(ent.ent_id_) if ent.ent_id_ else None
        if entry is not None:
            entity = Entity(ent.text, entry.type, entry.id, entry.name, entry.kind)
        else:
            label = _NER_LABELS.get(ent.label_)
            if label is None or len(ent.text) < 3:
                continue
            entity = Entity(ent.text, label, f"{label}:{slug(ent.text)}", ent.text)
        found.setdefault(entity.id, entity)
    return list(found.values())
