"""What an alert says: one digest per watch and run, grouped by story, as Slack-safe text, plain text,
escaped HTML and structured items (pure)."""

from __future__ import annotations

import html
from typing import Any

from newsdesk.analyse.spikes import Spike
from newsdesk.present.markdown import safe_url
from newsdesk.store.watches import Watch


def slack_escape(text: str) -> str:
    """Text for Slack and Mattermost: &, < and > escaped, so feed text cannot make links or mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _story_groups(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for item in items:
        key = item.get("story_id") or item["id"]
        group = groups.setdefault(key, {"story_id": item.get("story_id"), "title": item.get("story_title") or item["title"],
                                        "event_type": item.get("event_type"), "articles": []})
        group["articles"].append({"id": item["id"], "title": item["title"], "outlet": item["outlet"],
                                  "url": safe_url(item["url"]), "published_at": item["published_at"],
                                  "themes": item["themes"], "sentiment": item["sentiment"]})
    for group in groups.values():
        if len(group["articles"]) == 1:  # one new article: its own headline says it best
            group["title"] = group["articles"][0]["title"]
        group["outlets"] = sorted({a["outlet"] for a in group["articles"]})
        group["themes"] = sorted({t for a in group["articles"] for t in a["themes"]})
        sentiments = [a["sentiment"] for a in group["articles"]]
        group["sentiment"] = max(set(sentiments), key=lambda s: (sentiments.count(s), s))
    return list(groups.values())


def digest(watch: Watch, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The digest of ``items`` (new matches of ``watch``): subject, text (Slack-safe), plain, html, stories."""
    stories = _story_groups(items)
    subject = f"newsdesk: {len(items)} new for '{watch.name}' in {len(stories)} stor{'ies' if len(stories) != 1 else 'y'}"
    plain_lines, slack_lines, html_parts = [subject, ""], [slack_escape(subject), ""], []
    for story in stories:
        meta = (f"{len(story['outlets'])} outlet{'s' * (len(story['outlets']) != 1)} · themes: "
                f"{', '.join(story['themes']) or 'none'} · sentiment: {story['sentiment']}"
                + (f" · event: {story['event_type']}" if story["event_type"] else ""))
        plain_lines += [f"* {story['title']}", f"  {meta}"]
        slack_lines += [f"• *{slack_escape(story['title'])}*", f"  {slack_escape(meta)}"]
        links = []
        for article in story["articles"]:
            plain_lines.append(f"  - {article['outlet']}: {article['title']}" + (f" <{article['url']}>" if article["url"]
                                                                                  else ""))
            label = slack_escape(f"{article['outlet']}: {article['title']}")
            slack_lines.append(f"  - <{article['url']}|{label.replace('|', '¦')}>" if article["url"] else f"  - {label}")
            anchor = html.escape(f"{article['outlet']}: {article['title']}")
            links.append(f'<li><a href="{html.escape(article["url"])}" rel="noopener noreferrer">{anchor}</a></li>'
                         if article["url"] else f"<li>{anchor}</li>")
        html_parts.append(f"<h3>{html.escape(story['title'])}</h3><p>{html.escape(meta)}</p><ul>{''.join(links)}</ul>")
    page = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(subject)}</title></head><body>"
            f"<h2>{html.escape(subject)}</h2><p>Watch: {html.escape(watch.describe())}</p>{''.join(html_parts)}"
            "</body></html>")
    return {"kind": "digest", "watch": watch.name, "subject": subject, "text": "\n".join(slack_lines),
            "plain": "\n".join(plain_lines), "html": page, "stories": stories}


def spike_alert(watch: Watch, spike: Spike) -> dict[str, Any]:
    """The message for a spike: the day's count against the mean of the days before, and the z-score."""
    subject = (f"newsdesk: spike for '{watch.name}': {spike.count} articles on {spike.day} "
               f"(usual {spike.mean:g} a day)")
    detail = (f"{spike.count} matching articles on {spike.day} against a mean of {spike.mean:g} a day over the 14 days "
              f"before (z = {spike.z:g}). Watch: {watch.describe()}.")
    return {"kind": "spike", "watch": watch.name, "subject": subject, "text": slack_escape(f"{subject}\n{detail}"),
            "plain": f"{subject}\n\n{detail}",
            "html": f"<!DOCTYPE html><html><body><h2>{html.escape(subject)}</h2><p>{html.escape(detail)}</p></body></html>",
            "spike": {"day": spike.day, "count": spike.count, "mean": spike.mean, "z": spike.z}}
