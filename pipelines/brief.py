"""The briefing job: gather a week's briefing, write it in every format, store it, optionally email it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from newsdesk.analyse.weeks import week_of
from newsdesk.clock import to_iso, utc_now
from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError
from newsdesk.models import BUILTIN_THEMES
from newsdesk.present.briefing.content import gather_briefing, to_json
from newsdesk.present.briefing.html import render_html
from newsdesk.present.briefing.markdown import render_markdown
from newsdesk.store.briefings import save_briefing

FORMATS = ("md", "html", "pdf", "json")


@dataclass(frozen=True)
class Briefing:
    """One week's briefing in its text formats (PDF is made on demand from the HTML)."""

    week: str
    theme: str | None
    markdown: str
    html: str
    json: str
    articles: int

    def text(self, fmt: str) -> str:
        """The Markdown, HTML or JSON text."""
        return {"md": self.markdown, "html": self.html, "json": self.json}[fmt]

    def file_name(self, fmt: str) -> str:
        """newsdesk-2026-W47.md, or newsdesk-2026-W47-labour.md for one theme."""
        return f"newsdesk-{self.week}{'-' + self.theme if self.theme else ''}.{fmt}"


def last_complete_week(now: datetime | None = None) -> str:
    """The ISO week before the current one."""
    return week_of((now or utc_now()) - timedelta(weeks=1))


def theme_named(settings: Settings, name: str) -> str:
    """The theme called ``name`` in any letter case ("Labour" is labour), or a clear error listing them."""
    themes = BUILTIN_THEMES + tuple(t.name for t in settings.themes)
    for theme in themes:
        if theme.lower() == name.strip().lower():
            return theme
    raise NewsdeskError(f"briefing: no theme called {name!r} (one of {', '.join(themes)})")


def make_briefing(settings: Settings, db: Database, week: str, *, theme: str | None = None,
                  save: bool = True, refuse_empty: bool = False) -> Briefing:
    """Gather and render a week's briefing; store it so the dashboard lists it.

    With ``refuse_empty`` a week without a single relevant article is an error, and nothing is stored.
    """
    theme = theme_named(settings, theme) if theme else None
    content = gather_briefing(db, week, theme=theme, top_stories=settings.briefing.top_stories,
                              stories_per_theme=settings.briefing.stories_per_theme,
                              themes=BUILTIN_THEMES + tuple(t.name for t in settings.themes))
    if refuse_empty and not content["headline"]["articles"]["now"]:
        scope = f" about {theme}" if theme else ""
        raise NewsdeskError(f"briefing: no relevant article{scope} was published in {week}; nothing written "
                            "(check the week, or run 'newsdesk crawl' and 'newsdesk enrich' first)")
    briefing = Briefing(week, theme, render_markdown(content), render_html(content), to_json(content),
                        content["headline"]["articles"]["now"] or 0)
    if save:
        save_briefing(db, week=week, theme=theme, generated_at=to_iso(utc_now()),
                      model_version=", ".join(content["methodology"]["model_versions"]),
                      markdown=briefing.markdown, html=briefing.html, json_text=briefing.json)
    return briefing


def write_formats(briefing: Briefing, folder: Path, formats: tuple[str, ...] = ("md", "html", "json")) -> list[Path]:
    """Write the briefing into ``folder`` in each format; returns the files written."""
    from newsdesk.present.briefing.pdf import render_pdf

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = folder / briefing.file_name(fmt)
        if fmt == "pdf":
            path.write_bytes(render_pdf(briefing.html))
        else:
            path.write_text(briefing.text(fmt), encoding="utf-8")
        written.append(path)
    return written


def email_briefing(settings: Settings, briefing: Briefing) -> list[str]:
    """Send the briefing (HTML body, PDF attached when it can be made); returns the recipients."""
    from newsdesk.present.briefing.mail import build_message, send
    from newsdesk.present.briefing.pdf import PdfUnavailable, render_pdf

    try:
        pdf: bytes | None = render_pdf(briefing.html)
    except PdfUnavailable:
        pdf = None
    scope = f" ({briefing.theme})" if briefing.theme else ""
    message = build_message(settings.email, subject=f"AI in entertainment: weekly briefing {briefing.week}{scope}",
                            text=briefing.markdown, html=briefing.html, pdf=pdf,
                            pdf_name=briefing.file_name("pdf"))
    send(settings.email, message)
    return list(settings.email.to)
