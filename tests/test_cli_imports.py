"""Commands start fast: the everyday ones never import the machine-learning stack."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pipelines.brief import last_complete_week

HEAVY = ("sklearn", "spacy", "skops", "trafilatura")
PROBE = """
import sys
from newsdesk.cli import main
sys.argv = ["newsdesk", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY_NAMES))
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
""".replace("HEAVY_NAMES", repr(HEAVY))


@pytest.mark.parametrize("args", [["--help"], ["status"], ["info"], ["search", "replica"],
                                  ["briefing", "--format", "json"], ["watch", "list"]])
def test_everyday_commands_do_not_import_the_machine_learning_stack(demo_db, args):
    if args[0] == "briefing":
        args = [*args, "--week", last_complete_week()]
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "NEWSDESK_DB": str(demo_db)})
    assert "HEAVY=" in done.stderr, done.stderr[-2000:]
    assert done.stderr.rsplit("HEAVY=", 1)[1].strip() == "", f"newsdesk {' '.join(args)} imported {done.stderr}"
    if args[0] == "briefing":
        assert json.loads(done.stdout)["week"] == last_complete_week()


def test_info_is_instant_and_checks_integrity_only_when_asked(demo_db):
    from click.testing import CliRunner

    from newsdesk.cli import cli

    env = {"NEWSDESK_DB": str(demo_db)}
    quick = CliRunner().invoke(cli, ["info"], obj={}, env=env)
    checked = CliRunner().invoke(cli, ["info", "--check"], obj={}, env=env)
    assert quick.exit_code == checked.exit_code == 0
    assert "integrity not checked (--check)" in quick.output  # reading every page takes ~20 s at 1M articles
    assert "integrity ok" in checked.output
