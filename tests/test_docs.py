"""The README documents every command, every config key, and the two quick-start commands."""

import re
from pathlib import Path

import click

from newsdesk.cli import cli
from newsdesk.config import documented_keys

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def _commands(group: click.Group, prefix: str = "newsdesk") -> list[str]:
    names = []
    for name, command in group.commands.items():
        full = f"{prefix} {name}"
        names.extend(_commands(command, full) if isinstance(command, click.Group) else [full])
    return names


def test_every_command_is_in_the_readme_and_has_help():
    for command in _commands(cli):
        assert command in README, f"{command} is not documented in README.md"
    for name, command in cli.commands.items():
        assert command.help, f"newsdesk {name} has no help text"


def test_every_config_key_is_in_the_reference_with_its_default():
    for key in documented_keys():
        row = next((line for line in README.splitlines() if line.startswith(f"| `[{key.section}] {key.name}`")), None)
        assert row is not None, f"[{key.section}] {key.name} missing from README"
        default = str(key.default).lower() if isinstance(key.default, bool) else str(key.default)
        assert default in row, f"README default for {key.name} differs from the code ({default})"


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert commands[1] in ci.splitlines()
