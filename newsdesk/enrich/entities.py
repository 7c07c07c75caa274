"""Entities: a domain gazetteer as a spaCy EntityRuler, plus statistical NER when a model is loaded.

Every gazetteer entry has a canonical id (``union:sag-aftra``), so "Screen Actors Guild" and
"SAG-AFTRA" are one entity. Names the statistical model finds that the gazetteer lacks get an
id from their own text.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
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


@dataclass(frozen=True)
class EntityRules:
    """Words never taken for a name on their own, and names whose meaning depends on the context."""

    not_names: frozenset[str]
    leading_words: frozenset[str]
    ambiguous: dict[str, list[tuple[str, frozenset[str]]]]  # name as written -> [(entity id, cue words)]


@cache
def load_entity_rules() -> EntityRules:
    """The bundled rules (data/entity_rules.toml)."""
    data = tomllib.loads(resources.files("newsdesk.enrich").joinpath("data", "entity_rules.toml")
                         .read_text(encoding="utf-8"))
    ambiguous: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for rule in data.get("ambiguous", []):
        ambiguous.setdefault(rule["name"], []).append((rule["means"], frozenset(rule["when"])))
    return EntityRules(frozenset(n.lower() for n in data.get("not_names", [])),
                       frozenset(w.lower() for w in data.get("leading_words", [])), ambiguous)


_LEADING = re.compile(r"^[\"'‘’“”«(\[{,;:\-–—\s]+")
_TRAILING = re.compile(r"(?:['’]s)?[\"'‘’“”»,;:\-–—\s]+$|['’]s$")  # keeps "Bros." and "Disney+"
_WORD = re.compile(r"[a-z][a-z'-]*")


def clean_name(text: str) -> str:
    """A name without the quotes, possessive or punctuation a model left on its edges ("Drift Kings'")."""
    return _TRAILING.sub("", _LEADING.sub("", text))


_POSSESSIVE_INSIDE = re.compile(r"['’]s\s")


def is_name(text: str, label: str, rules: EntityRules) -> bool:
    """Whether a span the statistical model found reads like a name of its kind.

    Not: lower-case words, common words and roles, spans with digits, handles, entities, line breaks
    or a possessive inside ("James's TV"), sentences ("Watch Ed and ..."), short all-capital words the gazetteer does not
    know (time zones, hardware, "BST", "RAM"), or one-word persons ("Folge", "Usenet").
    """
    words = text.split()
    return (len(text) >= 3 and text[0].isupper() and text.lower() not in rules.not_names
            and not any(ch.isdigit() or ch in "@&\n" for ch in text) and not _POSSESSIVE_INSIDE.search(text + " ")
            and words[0].lower() not in rules.leading_words and not (text.isupper() and len(text) <= 4)
            and (label != "person" or len(words) >= 2))


_OPENING_QUOTES = "'‘“\""
_CLOSING_QUOTES = "'’”\""


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands between quotes (the closing one may be inside the span)."""
    before = text[start - 1] if start > 0 else ""
    inner = text[start:end].rstrip()
    after = inner[-1] if inner[-1:] in _CLOSING_QUOTES else (text[end] if end < len(text) else "")
    return bool(before) and before in _OPENING_QUOTES and bool(after) and after in _CLOSING_QUOTES


def entities_of(doc: Doc, known: dict[str, GazetteerEntry]) -> list[Entity]:
    """The distinct entities of a processed text, in order of appearance.

    Gazetteer names whose meaning depends on the context (Universal: the studio, or the music group in
    a story about songs) are resolved by the text's words; names from the statistical model are
    trimmed of stray punctuation and dropped when they are common words or roles ("VFX", "android").
    """
    rules = load_entity_rules()
    words: frozenset[str] | None = None
    found: dict[str, Entity] = {}
    for ent in doc.ents:
        entry = known.get(ent.ent_id_) if ent.ent_id_ else None
        if entry is not None:
            if ent.text in rules.ambiguous:
                words = words if words is not None else frozenset(_WORD.findall(doc.text.lower()))
                entry = next((known[means] for means, cues in rules.ambiguous[ent.text]
                              if means in known and cues & words), entry)
            entity = Entity(ent.text, entry.type, entry.id, entry.name, entry.kind)
        else:
            label = _NER_LABELS.get(ent.label_)
            name = clean_name(ent.text)
            if label is None or not is_name(name, label, rules) or _quoted(doc.text, ent.start_char, ent.end_char):
                continue  # a quoted span is a title ('Drift Kings'), not an organisation or a person
            entity = Entity(name, label, f"{label}:{slug(name)}", name)
        found.setdefault(entity.id, entity)
    return list(found.values())
