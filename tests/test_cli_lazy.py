"""``r2p <part> …`` imports that part's commands only, so a warm command starts fast."""

from __future__ import annotations

import json
import subprocess
import sys

_PROBE = """
import json, sys
sys.argv = ["r2p", *sys.argv[1:]]
from r2p.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("r2p."))))
"""


def _modules_after(*args: str) -> set[str]:
    res = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    return set(json.loads(res.stdout.strip().splitlines()[-1]))


def test_a_part_command_imports_only_that_part() -> None:
    loaded = _modules_after("council", "--help")
    assert "r2p.council._cli" in loaded
    assert not {m for m in loaded if m.startswith(("r2p.risk", "r2p.cases", "r2p.law", "r2p.sweep"))}


def test_root_help_lists_every_part() -> None:
    res = subprocess.run([sys.executable, "-m", "r2p.cli", "--help"], capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr
    for name in ("data", "council", "law", "risk", "cases", "simulate", "sweep", "brief", "serve"):
        assert f" {name} " in res.stdout


def test_unknown_command_suggests_a_part() -> None:
    res = subprocess.run([sys.executable, "-m", "r2p.cli", "councl"], capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 2
    assert "council" in res.stderr
