"""Segments of the industry and stakeholders a text is about, by cue phrases and entity kinds."""

from __future__ import annotations

from newsdesk.enrich.entities import Entity
from newsdesk.enrich.lexicon import find_cues
from newsdesk.models import INDUSTRY_SEGMENTS, STAKEHOLDERS

SEGMENT_CUES: dict[str, tuple[str, ...]] = {
    "film": ("film", "films", "movie", "movies", "cinema", "box office", "hollywood", "bollywood", "feature film",
             "screenplay", "screenplays", "director", "filmmaker", "filmmakers", "studio", "studios", "previs"),
    "tv/streaming": ("tv", "television", "series", "streaming", "streamer", "episode", "showrunner", "broadcaster",
                     "subscription", "season"),
    "music": ("music", "song", "songs", "singer", "album", "record label", "labels", "recordings", "musician",
              "musicians", "chart", "charts", "track", "tracks", "band", "concert"),
    "games": ("game", "games", "gaming", "video game", "video games", "gamers", "players", "console", "npc"),
    "publishing": ("book", "books", "novel", "novels", "author", "authors", "publisher of", "publishing",
                   "audiobook", "audiobooks", "comic", "comics", "literary"),
    "advertising": ("ad", "ads", "advert", "advertising", "advertisers", "commercial", "commercials", "campaign",
                    "marketing", "poster", "posters", "brand"),
}
STAKEHOLDER_CUES: dict[str, tuple[str, ...]] = {
    "actors/performers": ("actor", "actors", "actress", "performer", "performers", "extras", "background actors",
                          "stars", "sag-aftra", "equity", "likeness", "digital replica", "digital double"),
    "writers": ("writer", "writers", "screenwriter", "screenwriters", "writers guild", "wga", "authors", "scripts"),
    "vfx/animation artists": ("vfx", "visual effects", "animator", "animators", "animation", "artists", "illustrators",
                              "concept art", "storyboard", "storyboards", "rotoscoping"),
    "voice actors": ("voice actor", "voice actors", "voice performers", "dubbing", "narrator", "narrators",
                     "voice clone", "voice cloning", "synthetic voices"),
    "musicians": ("musician", "musicians", "singer", "singers", "songwriter", "songwriters", "session musicians",
                  "artists' voices"),
    "crew": ("crew", "crews", "stagehands", "iatse", "editors", "cinematographers", "below-the-line"),
}
assert tuple(SEGMENT_CUES) == INDUSTRY_SEGMENTS and tuple(STAKEHOLDER_CUES) == STAKEHOLDERS  # one list of names

_KIND_SEGMENT = {"studio": "film", "streamer": "tv/streaming", "broadcaster": "tv/streaming", "label": "music",
                 "games": "games", "publisher": "publishing"}


def find_segments(text: str, entities: list[Entity]) -> tuple[list[str], dict[str, list[str]]]:
    """The segments and stakeholders named (in a fixed order), and the cues that named each."""
    evidence: dict[str, list[str]] = {}
    for name, cues in {**SEGMENT_CUES, **STAKEHOLDER_CUES}.items():
        hits = find_cues(text, cues)
        if hits:
            evidence[name] = hits[:3]
    for entity in entities:
        segment = _KIND_SEGMENT.get(entity.kind or "")
        if segment:
            evidence.setdefault(segment, []).append(entity.text)
    order = [*SEGMENT_CUES, *STAKEHOLDER_CUES]
    return [name for name in order if name in evidence], evidence
