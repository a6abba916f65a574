"""Write docs/commands.md: every r2p command with its help text, options and example.

Run: .venv/bin/python scripts/gen_command_docs.py   (tests/test_cli_docs.py checks it is current)
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from r2p.cli import app

OUT = Path(__file__).resolve().parents[1] / "docs" / "commands.md"


def _walk(cmd, path):  # type: ignore[no-untyped-def]
    sub = getattr(cmd, "commands", None)
    if sub:
        for name in sorted(sub):
            yield from _walk(sub[name], [*path, name])
    else:
        yield path, cmd


def render() -> str:
    """Return the Markdown listing of every command."""
    root = typer.main.get_command(app)
    lines = ["# r2p commands", "",
             "Generated from the command line itself by `scripts/gen_command_docs.py`; "
             "`r2p COMMAND --help` shows the same.", "",
             "Exit codes: 0 success, 1 failure, 2 bad input.", ""]
    for path, cmd in _walk(root, ["r2p"]):
        lines.append(f"## `{' '.join(path)}`")
        lines.append("")
        help_text = (cmd.help or "").strip()
        lines.append(help_text)
        lines.append("")
        params = [p for p in cmd.params if p.name != "help"]
        if params:
            lines.append("| argument / option | help |")
            lines.append("|---|---|")
            for p in params:
                flags = ", ".join(getattr(p, "opts", [])) or p.name
                if p.param_type_name == "argument":
                    flags = (p.metavar or p.name).upper()
                text = (getattr(p, "help", "") or "").replace("|", "\\|")
                lines.append(f"| `{flags}` | {text} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {OUT}\n")
