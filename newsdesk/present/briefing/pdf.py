"""The briefing's HTML as PDF, through WeasyPrint, with a fetcher that fetches nothing remote.

Only ``data:`` URLs (the embedded charts) are read; every other URL is refused and recorded,
so a hostile link or image in a feed can never make the renderer reach the network or a file.
"""

from __future__ import annotations

from newsdesk.errors import NewsdeskError

INSTALL_HINT = ("PDF needs WeasyPrint and the Pango library: pip install 'newsdesk[pdf]' and, on Debian, "
                "apt-get install libpango-1.0-0 libpangoft2-1.0-0")


class PdfUnavailable(NewsdeskError):
    """WeasyPrint or its system libraries are missing."""


def _weasyprint():  # noqa: ANN202 (the module, imported late because it loads system libraries)
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(f"briefing: cannot write PDF ({exc}). {INSTALL_HINT}") from exc
    return weasyprint


def embedded_only_fetcher():  # noqa: ANN201 (a weasyprint.URLFetcher; its class exists only after import)
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and refuses (and records in ``.refused``) the rest."""
    weasyprint = _weasyprint()

    class EmbeddedOnly(weasyprint.URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("data",), allow_redirects=False)
            self.served: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict | None = None):  # noqa: ANN201
            if not url.lower().startswith("data:"):
                self.refused.append(url)
                raise ValueError(f"newsdesk briefings fetch nothing remote: refused {url[:80]}")
            self.served.append(url[:40])
            return super().fetch(url, headers)

    return EmbeddedOnly()


def render_pdf(html: str, fetcher=None) -> bytes:  # noqa: ANN001
    """PDF bytes of a briefing page; ``fetcher`` defaults to a fresh embedded-only fetcher."""
    weasyprint = _weasyprint()
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher or embedded_only_fetcher()).write_pdf()
