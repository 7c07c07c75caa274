"""The weekly briefing: gathered once (content), written as Markdown, HTML, PDF and JSON, and emailed."""
