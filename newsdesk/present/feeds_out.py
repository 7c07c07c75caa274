"""Feeds out: a list of articles as Atom 1.0 and as JSON Feed 1.1 (pure; every value escaped by the
XML writer or the JSON encoder, links http(s) only)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from newsdesk.present.markdown import safe_url

ATOM = "http://www.w3.org/2005/Atom"
JSON_FEED = "https://jsonfeed.org/version/1.1"


def item_id(article_id: str) -> str:
    """A stable id for an article in any feed."""
    return f"urn:newsdesk:article:{article_id}"


def _summary(item: dict[str, Any]) -> str:
    return (f"{item['outlet']} · themes: {', '.join(item['themes']) or 'none'} · sentiment: {item['sentiment']}"
            + (f" · story: {item['story_title']}" if item.get("story_title") else ""))


def atom_feed(title: str, feed_id: str, items: list[dict[str, Any]], *, updated: str) -> str:
    """An Atom 1.0 document of ``items`` (newest first)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = items[0]["published_at"] if items else updated
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "newsdesk"
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "newsdesk"
    for item in items:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = item_id(item["id"])
        ET.SubElement(entry, f"{{{ATOM}}}title").text = item["title"]
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = item["published_at"]
        ET.SubElement(entry, f"{{{ATOM}}}published").text = item["published_at"]
        url = safe_url(item["url"])
        if url:
            ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": url})
        ET.SubElement(entry, f"{{{ATOM}}}summary", {"type": "text"}).text = _summary(item)
        for theme in item["themes"]:
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": theme})
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def json_feed(title: str, items: list[dict[str, Any]], *, feed_url: str | None = None) -> str:
    """A JSON Feed 1.1 document of ``items`` (newest first)."""
    feed: dict[str, Any] = {"version": JSON_FEED, "title": title, "items": []}
    if feed_url:
        feed["feed_url"] = feed_url
    for item in items:
        entry: dict[str, Any] = {"id": item_id(item["id"]), "title": item["title"], "content_text": _summary(item),
                                 "date_published": item["published_at"], "tags": list(item["themes"]),
                                 "authors": [{"name": item["outlet"]}]}
        url = safe_url(item["url"])
        if url:
            entry["url"] = url
        feed["items"].append(entry)
    return json.dumps(feed, indent=2, ensure_ascii=False) + "\n"
