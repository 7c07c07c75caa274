"""Build the sample site for a given moment: items dated so the newest week is the current one.

``build_items`` turns the written stories and templates into dated items (pure and
deterministic for a given ``now``); ``render_site`` turns items into feed documents and
article pages keyed by path.
"""

from __future__ import annotations

import html
import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from importlib import resources
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from newsdesk.clock import to_iso
from newsdesk.sample.outlets import OUTLETS, Outlet, feed_path

WEEKS = 16
TEMPLATED_ITEMS = 360
MAX_USES_PER_TEMPLATE = 6
_SEED = 20261124
_KIND_WEIGHTS = {"ai_ent": 0.4, "ent": 0.4, "ai": 0.2}
_AUTHORS = ("Dana Whitfield", "Marcus Lee", "Sofia Alvarez", "Priya Raman", "Tom Becker", "Aisha Bello", "Jonas Berg")


@dataclass(frozen=True)
class SampleItem:
    """One published item: which outlet, when, what it says, and where it lives."""

    outlet: Outlet
    slug: str
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    published: datetime
    author: str
    kind: str
    story_key: str | None

    @property
    def path(self) -> str:
        return f"/{self.outlet.slug}/news/{self.slug}.html"

    @property
    def guid(self) -> str:
        return f"tag:{self.outlet.slug}.sample.newsdesk,2026:{self.slug}"


def _load(name: str) -> dict[str, Any]:
    return json.loads(resources.files("newsdesk.sample").joinpath(name).read_text(encoding="utf-8"))


def current_week_start(now: datetime) -> datetime:
    """Monday 00:00 UTC of the ISO week that contains ``now``."""
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def build_items(now: datetime) -> list[SampleItem]:
    """Every sample item published up to ``now``, newest week = the week of ``now``."""
    now = now.astimezone(UTC).replace(microsecond=0)
    first_monday = current_week_start(now) - timedelta(weeks=WEEKS - 1)
    outlets = {o.slug: o for o in OUTLETS}
    items = _story_items(_load("stories.json"), outlets, first_monday)
    items += _templated_items(_load("templates.json"), outlets, first_monday)
    return sorted((i for i in items if i.published <= now), key=lambda i: (i.published, i.path))


def _story_items(data: dict[str, Any], outlets: dict[str, Outlet], first_monday: datetime) -> list[SampleItem]:
    items = []
    for story in data["stories"]:
        broke = first_monday + timedelta(weeks=story["week"], days=story["day"], hours=9)
        sentences = _sentences(story["body"])
        for index, (slug, hours, title, summary) in enumerate(story["coverage"]):
            order = sentences if story.get("syndicated") else sentences[index % 2 :] + sentences[: index % 2]
            items.append(
                SampleItem(
                    outlet=outlets[slug],
                    slug=f"{story['key']}-{index}",
                    title=title,
                    summary=summary,
                    paragraphs=(summary, *_group(order)),
                    published=broke + timedelta(hours=hours),
                    author=_AUTHORS[(len(story["key"]) + index) % len(_AUTHORS)],
                    kind="story",
                    story_key=story["key"],
                )
            )
    return items


def _templated_items(data: dict[str, Any], outlets: dict[str, Outlet], first_monday: datetime) -> list[SampleItem]:
    rng = random.Random(_SEED)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for template in data["templates"]:
        by_kind.setdefault(template["kind"], []).append(template)
    kinds = list(_KIND_WEIGHTS)
    seen_titles: set[str] = set()
    uses: dict[str, int] = {}
    items: list[SampleItem] = []
    while len(items) < TEMPLATED_ITEMS:
        kind = rng.choices(kinds, weights=[_KIND_WEIGHTS[k] for k in kinds])[0]
        template = rng.choice(by_kind[kind])
        fills = {name: rng.choice(values) for name, values in data["slots"].items()}
        title = _capitalise(template["title"].format(**fills))
        if title in seen_titles or uses.get(template["title"], 0) >= MAX_USES_PER_TEMPLATE:
            continue
        seen_titles.add(title)
        uses[template["title"]] = uses.get(template["title"], 0) + 1
        week = rng.choices(range(WEEKS), weights=_week_weights(template.get("theme")))[0]
        published = first_monday + timedelta(
            weeks=week, days=rng.randrange(7), hours=rng.randrange(6, 22), minutes=rng.randrange(60)
        )
        summary = template["summary"].format(**fills)
        extra = rng.sample(data["paragraphs"][kind], 3)
        items.append(
            SampleItem(
                outlet=outlets[rng.choice(template["outlets"])],
                slug=f"{_slugify(title)[:60]}-{len(items)}",
                title=title,
                summary=summary,
                paragraphs=(summary, *extra),
                published=published,
                author=rng.choice(_AUTHORS),
                kind=kind,
                story_key=None,
            )
        )
    return items


def _week_weights(theme: str | None) -> list[float]:
    """Themes rise and fall: labour peaks early and late, legal mid-way, technology late."""
    shapes = {
        "labour": lambda w: 1.6 if w < 4 or w > 11 else 0.7,
        "legal": lambda w: 1.8 if 5 <= w <= 10 else 0.6,
        "technology": lambda w: 0.5 + w / 8,
        "business": lambda w: 1.0,
    }
    shape = shapes.get(theme or "", lambda w: 1.0)
    return [shape(w) for w in range(WEEKS)]


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if s.strip()]


def _group(sentences: list[str], size: int = 2) -> list[str]:
    return [" ".join(sentences[i : i + size]) for i in range(0, len(sentences), size)]


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def render_site(items: list[SampleItem], base_url: str) -> dict[str, tuple[str, bytes]]:
    """Every path on the sample server → (content type, body)."""
    base_url = base_url.rstrip("/")
    site: dict[str, tuple[str, bytes]] = {}
    for outlet in OUTLETS:
        own = sorted((i for i in items if i.outlet == outlet), key=lambda i: i.published, reverse=True)
        renderer = {"rss": _rss, "atom": _atom, "json": _json_feed}[outlet.format]
        content_type = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
        site[feed_path(outlet)] = (f"{content_type[outlet.format]}; charset=utf-8", renderer(outlet, own, base_url).encode())
        for item in own:
            site[item.path] = ("text/html; charset=utf-8", _page(item, base_url).encode())
    site["/robots.txt"] = ("text/plain; charset=utf-8", b"User-agent: *\nAllow: /\n")
    return site


def _as_html_text(text: str) -> str:
    """Plain text written as HTML, then escaped again for the XML element that carries it."""
    return xml_escape(html.escape(text, quote=False))


def _rss(outlet: Outlet, items: list[SampleItem], base: str) -> str:
    entries = "".join(
        f"""
    <item>
      <title>{_as_html_text(i.title)}</title>
      <link>{xml_escape(base + i.path)}</link>
      <guid isPermaLink="false">{xml_escape(i.guid)}</guid>
      <pubDate>{format_datetime(i.published, usegmt=True)}</pubDate>
      <dc:creator>{xml_escape(i.author)}</dc:creator>
      <description>{_as_html_text(i.summary)}</description>
    </item>"""
        for i in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>{xml_escape(outlet.name)}</title>
    <link>{base}/{outlet.slug}/</link>
    <description>Sample news about {xml_escape(outlet.beat)}, written for the newsdesk demo.</description>
    <language>en</language>{entries}
  </channel>
</rss>
"""


def _atom(outlet: Outlet, items: list[SampleItem], base: str) -> str:
    updated = to_iso(items[0].published) if items else "2026-01-01T00:00:00Z"
    entries = "".join(
        f"""
  <entry>
    <title type="html">{_as_html_text(i.title)}</title>
    <link rel="alternate" href="{xml_escape(base + i.path)}"/>
    <id>{xml_escape(i.guid)}</id>
    <published>{to_iso(i.published)}</published>
    <updated>{to_iso(i.published)}</updated>
    <author><name>{xml_escape(i.author)}</name></author>
    <summary type="html">{_as_html_text(i.summary)}</summary>
  </entry>"""
        for i in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{xml_escape(outlet.name)}</title>
  <subtitle>Sample news about {xml_escape(outlet.beat)}, written for the newsdesk demo.</subtitle>
  <link rel="alternate" href="{base}/{outlet.slug}/"/>
  <link rel="self" href="{base}{feed_path(outlet)}"/>
  <id>tag:{outlet.slug}.sample.newsdesk,2026:feed</id>
  <updated>{updated}</updated>{entries}
</feed>
"""


def _json_feed(outlet: Outlet, items: list[SampleItem], base: str) -> str:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet.name,
        "home_page_url": f"{base}/{outlet.slug}/",
        "feed_url": f"{base}{feed_path(outlet)}",
        "description": f"Sample news about {outlet.beat}, written for the newsdesk demo.",
        "items": [
            {
                "id": i.guid,
                "url": base + i.path,
                "title": i.title,
                "summary": i.summary,
                "content_text": "\n\n".join(i.paragraphs),
                "date_published": to_iso(i.published),
                "authors": [{"name": i.author}],
            }
            for i in items
        ],
    }
    return json.dumps(doc, indent=1, ensure_ascii=False)


def _page(item: SampleItem, base: str) -> str:
    paragraphs = "\n".join(f"      <p>{html.escape(p)}</p>" for p in item.paragraphs)
    title = html.escape(item.title)
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | {html.escape(item.outlet.name)}</title>
  <meta name="author" content="{html.escape(item.author)}">
  <meta property="article:published_time" content="{to_iso(item.published)}">
  <link rel="canonical" href="{html.escape(base + item.path)}">
</head>
<body>
  <header><a href="/{item.outlet.slug}/">{html.escape(item.outlet.name)}</a>
    <nav><a href="#">Film</a> <a href="#">TV</a> <a href="#">Music</a> <a href="#">Games</a> <a href="#">Newsletter</a></nav>
  </header>
  <main>
    <article>
      <h1>{title}</h1>
      <p class="byline">By {html.escape(item.author)}, {item.published.strftime("%d %B %Y")}</p>
{paragraphs}
    </article>
    <aside><h2>Most read</h2><ul><li>Subscribe to our newsletter</li><li>Awards season calendar</li></ul></aside>
  </main>
  <footer>Sample content written for the newsdesk demo. Not real reporting.</footer>
</body>
</html>
"""
