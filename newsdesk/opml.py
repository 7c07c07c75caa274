"""OPML subscription lists: read safely (no DTDs, entities or external references), write plainly."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import defusedxml
import defusedxml.ElementTree as SafeET

from newsdesk.errors import SourceError
from newsdesk.models import Source


@dataclass(frozen=True)
class Subscription:
    """One feed listed in an OPML file."""

    url: str
    name: str
    tags: list[str] = field(default_factory=list)
    site_url: str | None = None


def read_opml(data: bytes, *, where: str = "OPML") -> list[Subscription]:
    """Every feed outline in an OPML document; folders and ``category`` become tags."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise SourceError(f"opml: {where} was refused: it declares a DTD or entities ({type(exc).__name__})") from exc
    except ET.ParseError as exc:
        raise SourceError(f"opml: {where} is not well-formed XML: {exc}") from exc
    if root.tag.lower() != "opml":
        raise SourceError(f"opml: {where} is XML but its root element is <{root.tag}>, not <opml>")
    body = root.find("body")
    if body is None:
        raise SourceError(f"opml: {where} has no <body> element")
    found: list[Subscription] = []
    _walk(body, [], found)
    return found


def _walk(element: ET.Element, folders: list[str], found: list[Subscription]) -> None:
    for outline in element.findall("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        label = (outline.get("title") or outline.get("text") or "").strip()
        if url:
            categories = [c.strip().strip("/") for c in (outline.get("category") or "").split(",")]
            tags = sorted({*folders, *(c for c in categories if c)})
            found.append(Subscription(url=url, name=label or url, tags=tags, site_url=outline.get("htmlUrl")))
        else:
            _walk(outline, [*folders, label] if label else folders, found)


def write_opml(sources: list[Source], *, title: str = "newsdesk sources") -> bytes:
    """An OPML 2.0 document listing the sources, with their tags as categories."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for source in sources:
        attributes = {"type": "rss", "text": source.name, "title": source.name, "xmlUrl": source.url}
        if source.site_url:
            attributes["htmlUrl"] = source.site_url
        if source.tags:
            attributes["category"] = ",".join(source.tags)
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
