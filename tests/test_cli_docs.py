"""The command line is documented: every command has an example, and docs/commands.md is current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import typer

from r2p.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _load_generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_command_docs", ROOT / "scripts/gen_command_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_command_has_an_example_and_json_or_output() -> None:
    gen = _load_generator()
    missing = []
    for path, cmd in gen._walk(typer.main.get_command(app), ["r2p"]):
        if "Example:" not in (cmd.help or ""):
            missing.append(" ".join(path))
    assert missing == []


def test_commands_doc_is_current() -> None:
    gen = _load_generator()
    current = (ROOT / "docs/commands.md").read_text(encoding="utf-8")
    assert current == gen.render(), "run: .venv/bin/python scripts/gen_command_docs.py"
