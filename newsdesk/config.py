"""Settings: bundled defaults overlaid by the user's ``newsdesk.toml``.

The file is found, in order, from ``--config PATH``, the ``NEWSDESK_CONFIG``
environment variable, or ``newsdesk.toml`` in the working directory; with none
of them the defaults apply. ``NEWSDESK_DB`` overrides ``[store] path``.

Every key is declared once below, with its type, default and help text; the
README's configuration reference and ``newsdesk config`` are made from these
declarations, and anything not declared is rejected with the key and the file.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from newsdesk import __version__
from newsdesk.errors import ConfigError
from newsdesk.models import BUILTIN_THEMES, ThemeDefinition

CONFIG_FILENAME = "newsdesk.toml"
ENV_CONFIG = "NEWSDESK_CONFIG"
ENV_DB = "NEWSDESK_DB"


def _key(default: Any, help: str) -> Any:
    """Declare a setting with its default and one line of help."""
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata={"help": help})
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class StoreSettings:
    """Where the SQLite database lives."""

    path: str = _key("newsdesk.db", "SQLite database file; relative paths are relative to the config file's folder")


@dataclass(frozen=True)
class FetchSettings:
    """How feeds and article pages are fetched."""

    user_agent: str = _key("", "User-Agent header; empty means 'newsdesk/VERSION (+contact_url)'")
    contact_url: str = _key(
        "https://github.com/newsdesk-project/newsdesk", "URL that site owners can reach us at, sent in the User-Agent"
    )
    concurrency: int = _key(16, "requests in flight at once, over all hosts")
    per_host_concurrency: int = _key(2, "requests in flight at once to one host")
    timeout: float = _key(30.0, "wall-clock deadline for one request, in seconds, body included")
    connect_timeout: float = _key(10.0, "deadline for opening a connection, in seconds")
    max_body_bytes: int = _key(10_000_000, "largest body accepted, counted after decompression")
    max_redirects: int = _key(5, "redirects followed before giving up")
    allow_private_networks: bool = _key(
        False, "allow feeds on loopback, private, link-local and other non-public addresses"
    )
    full_text: bool = _key(False, "fetch each article's page and extract its text, unless a source says otherwise")
    min_interval_minutes: int = _key(15, "never fetch one source more often than this")
    adaptive_polling: bool = _key(True, "poll each source as often as it publishes (a week / its items last week)")
    max_interval_minutes: int = _key(1440, "adaptive polling: poll every source at least this often")
    max_retry_after_minutes: int = _key(360, "longest Retry-After honoured; longer requests are capped to this")
    backoff_base_minutes: int = _key(5, "delay after a first failure; doubled after each further one")
    backoff_max_minutes: int = _key(720, "longest backoff delay")
    park_after_failures: int = _key(3, "consecutive failures after which a source is parked until 'sources retry'")

    def effective_user_agent(self) -> str:
        """The User-Agent actually sent."""
        return self.user_agent or f"newsdesk/{__version__} (+{self.contact_url})"


@dataclass(frozen=True)
class EnrichSettings:
    """How articles are understood."""

    spacy_model: str = _key("en_core_web_sm", "spaCy model to load; the packaged small English model and rules-only are the fallbacks")
    model_path: str = _key("", "classifier file (.skops); empty means the one 'newsdesk train' installed, else the bundled one")


@dataclass(frozen=True)
class BriefingSettings:
    """What the weekly briefing contains and where copies are written."""

    top_stories: int = _key(5, "stories in the briefing's top list")
    stories_per_theme: int = _key(3, "stories listed in each theme's section")
    out_dir: str = _key("briefings", "folder (beside the config file) where scheduled briefings are written")


@dataclass(frozen=True)
class EmailSettings:
    """How 'newsdesk briefing --email' sends the briefing (HTML body, PDF attached)."""

    host: str = _key("", "SMTP server; empty means email is not set up")
    port: int = _key(587, "SMTP port (587 for STARTTLS, 465 for TLS, 25 for neither)")
    security: str = _key("starttls", "'starttls', 'tls' or 'none'")
    user: str = _key("", "SMTP user name; empty means no login")
    allow_insecure_auth: bool = _key(False, "with security = 'none', send the user name and password unencrypted")
    password_env: str = _key("NEWSDESK_SMTP_PASSWORD", "environment variable holding the SMTP password")
    sender: str = _key("", "From address")
    to: list[str] = _key([], "recipient addresses")
    timeout: float = _key(30.0, "seconds to wait for the SMTP server")


@dataclass(frozen=True)
class ScheduleSettings:
    """When 'newsdesk schedule' runs each job (cron expressions, in the machine's local time)."""

    crawl: str = _key("*/30 * * * *", "crawl due sources, then enrich and analyse what is new")
    briefing: str = _key("0 7 * * mon", "write last week's briefing into [briefing] out_dir")
    retrain: str = _key("", "retrain from corrections; empty means never")
    email_briefing: bool = _key(False, "also email the scheduled briefing ([briefing.email] must be set up)")
    timezone: str = _key("", "time zone of the cron expressions, like 'Europe/London'; empty means the machine's")


@dataclass(frozen=True)
class FeedsSettings:
    """Feeds out: Atom and JSON Feed files per watch and per theme, for any feed reader."""

    out_dir: str = _key("", "folder (beside the config file) the scheduled crawl rewrites them in; empty means none")


@dataclass(frozen=True)
class ScaleSettings:
    """Where backfill and 'enrich --all --workers' run their tasks."""

    scheduler: str = _key("", "address of a Dask scheduler, like tcp://10.0.0.5:8786; empty means a LocalCluster here")
    workers: int = _key(0, "worker processes of that LocalCluster; 0 means one per CPU core")


_SECTIONS: dict[str, type] = {"store": StoreSettings, "fetch": FetchSettings, "enrich": EnrichSettings,
                              "briefing": BriefingSettings, "briefing.email": EmailSettings,
                              "schedule": ScheduleSettings, "feeds": FeedsSettings, "scale": ScaleSettings}
_ATTRIBUTES = {"briefing.email": "email"}  # section -> Settings attribute, where they differ


@dataclass(frozen=True)
class Settings:
    """All settings, one frozen object passed down explicitly."""

    store: StoreSettings = field(default_factory=StoreSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    enrich: EnrichSettings = field(default_factory=EnrichSettings)
    briefing: BriefingSettings = field(default_factory=BriefingSettings)
    email: EmailSettings = field(default_factory=EmailSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    feeds: FeedsSettings = field(default_factory=FeedsSettings)
    scale: ScaleSettings = field(default_factory=ScaleSettings)
    themes: tuple[ThemeDefinition, ...] = ()
    source_file: Path | None = None

    @property
    def db_path(self) -> Path:
        """The database file, after NEWSDESK_DB and the config file's folder are applied."""
        override = os.environ.get(ENV_DB)
        if override:
            return Path(override)
        path = Path(self.store.path).expanduser()
        if not path.is_absolute() and self.source_file is not None:
            return self.source_file.parent / path
        return path

    def beside_config(self, path: str) -> Path:
        """A configured path, relative to the config file's folder when it is relative."""
        resolved = Path(path).expanduser()
        if not resolved.is_absolute() and self.source_file is not None:
            return self.source_file.parent / resolved
        return resolved

    @property
    def trained_model_path(self) -> Path:
        """Where 'newsdesk train' installs its model: beside the database."""
        return self.db_path.parent / "newsdesk-models" / "classifiers.skops"

    @property
    def model_path(self) -> Path | None:
        """The classifier file to load: configured, else trained, else None for the bundled one."""
        if self.enrich.model_path:
            path = Path(self.enrich.model_path).expanduser()
            return path if path.is_absolute() or self.source_file is None else self.source_file.parent / path
        return self.trained_model_path if self.trained_model_path.is_file() else None

    def replace(self, section: str, **changes: Any) -> Settings:
        """A copy with some keys of one section changed."""
        new_section = dataclasses.replace(getattr(self, section), **changes)
        return dataclasses.replace(self, **{section: new_section})


@dataclass(frozen=True)
class KeyDoc:
    """One documented key: section, name, TOML type, default and help."""

    section: str
    name: str
    type_name: str
    default: Any
    help: str


def documented_keys() -> list[KeyDoc]:
    """Every configuration key with its type, default and help, in file order."""
    docs = []
    for section, cls in _SECTIONS.items():
        hints = get_type_hints(cls)
        for f in dataclasses.fields(cls):
            default = f.default_factory() if f.default is dataclasses.MISSING else f.default  # type: ignore[misc]
            docs.append(KeyDoc(section, f.name, _type_name(hints[f.name]), default, f.metadata["help"]))
    return docs


def find_config_file(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The config file to read, or None when there is none to read."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"config: file not found: {path}")
        return path
    from_env = os.environ.get(ENV_CONFIG)
    if from_env:
        path = Path(from_env)
        if not path.is_file():
            raise ConfigError(f"config: file named by {ENV_CONFIG} not found: {path}")
        return path
    local = Path.cwd() / CONFIG_FILENAME
    return local if local.is_file() else None


def load_settings(explicit: str | os.PathLike[str] | None = None) -> Settings:
    """Read the config file (if any) over the defaults and validate it."""
    path = find_config_file(explicit)
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config: {path} is not valid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config: cannot read {path}: {exc}") from exc
    return settings_from_dict(data, source_file=path)


def settings_from_dict(data: dict[str, Any], *, source_file: Path | None = None) -> Settings:
    """Validate a parsed TOML document and build Settings from it."""
    where = str(source_file) if source_file else "<config>"
    sections: dict[str, Any] = {}
    data = dict(data)
    themes = _themes(data.pop("themes", {}), where)
    for section, values in _flatten_subsections(data).items():
        cls = _SECTIONS.get(section)
        if cls is None:
            known = ", ".join(f"[{name}]" for name in _SECTIONS)
            raise ConfigError(f"config: unknown section [{section}] in {where} (known: {known})")
        if not isinstance(values, dict):
            raise ConfigError(f"config: '{section}' in {where} must be a table, like [{section}]")
        sections[_ATTRIBUTES.get(section, section)] = _build_section(section, cls, values, where)
    return Settings(**sections, themes=themes, source_file=source_file)


_THEME_NAME = re.compile(r"^[a-z][a-z0-9-]{1,30}$")
_THEME_KEYS = {"description": str, "phrases": list, "examples": list}


def _themes(tables: Any, where: str) -> tuple[ThemeDefinition, ...]:
    """``[themes.NAME]`` tables: description (required), phrases and examples (lists of strings)."""
    if not isinstance(tables, dict):
        raise ConfigError(f"config: 'themes' in {where} must hold tables like [themes.dubbing]")
    themes = []
    for name, table in tables.items():
        label = f"[themes.{name}]"
        if not _THEME_NAME.match(name):
            raise ConfigError(f"config: {label} in {where}: a theme name is 2-31 lower-case letters, digits or '-'")
        if name in BUILTIN_THEMES:
            raise ConfigError(f"config: {label} in {where}: '{name}' is built in; give your theme another name")
        if not isinstance(table, dict):
            raise ConfigError(f"config: {label} in {where} must be a table")
        for key, value in table.items():
            expected = _THEME_KEYS.get(key)
            if expected is None:
                raise ConfigError(f"config: unknown key '{key}' in {label} in {where} "
                                  f"(known: {', '.join(_THEME_KEYS)})")
            if not isinstance(value, expected) or (expected is list and not all(isinstance(v, str) for v in value)):
                raise ConfigError(f"config: '{key}' in {label} in {where} must be "
                                  f"{'a string' if expected is str else 'a list of strings'}")
        if not table.get("description"):
            raise ConfigError(f"config: {label} in {where} needs a description")
        if not table.get("phrases") and not table.get("examples"):
            raise ConfigError(f"config: {label} in {where} needs seed phrases or examples (or both)")
        themes.append(ThemeDefinition(name, table["description"], tuple(table.get("phrases", ())),
                                      tuple(table.get("examples", ()))))
    return tuple(themes)


def _flatten_subsections(data: dict[str, Any]) -> dict[str, Any]:
    """``{"briefing": {"email": {...}}}`` -> ``{"briefing": {...}, "briefing.email": {...}}``."""
    flat: dict[str, Any] = {}
    for section, values in data.items():
        if isinstance(values, dict):
            values = dict(values)
            for key in [k for k in values if f"{section}.{k}" in _SECTIONS and isinstance(values[k], dict)]:
                flat[f"{section}.{key}"] = values.pop(key)
        flat[section] = values
    return flat


def _build_section(section: str, cls: type, values: dict[str, Any], where: str) -> Any:
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    for key, value in values.items():
        if key not in names:
            raise ConfigError(
                f"config: unknown key '{section}.{key}' in {where} (known: {', '.join(sorted(names))})"
            )
        expected = hints[key]
        if not _type_ok(value, expected):
            raise ConfigError(
                f"config: '{section}.{key}' in {where} must be {_type_name(expected)}, "
                f"not {type(value).__name__} {value!r}"
            )
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            raise ConfigError(f"config: '{section}.{key}' in {where} must not be negative, got {value}")
    coerced = {k: float(v) if hints[k] is float else v for k, v in values.items()}
    return cls(**coerced)


def _type_ok(value: Any, expected: Any) -> bool:
    if expected is bool:
        return isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected is str:
        return isinstance(value, str)
    if getattr(expected, "__origin__", None) is list:
        (item,) = expected.__args__
        return isinstance(value, list) and all(_type_ok(v, item) for v in value)
    return False


def _type_name(expected: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    if expected in names:
        return names[expected]
    if getattr(expected, "__origin__", None) is list:
        return f"a list of {_type_name(expected.__args__[0]).split(' ', 1)[1]}s"
    return str(expected)
