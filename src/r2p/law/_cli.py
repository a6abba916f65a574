"""``r2p law``: list, show and validate regimes; list the response ladder."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="The rules as data: regimes, instruments, authority paths.", no_args_is_help=True)


@app.command("regimes")
def regimes_cmd(json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List the shipped regimes.

    Example: r2p law regimes --json
    """
    from r2p._cli_util import console, emit_json
    from r2p.law import regimes

    items = regimes()
    if json:
        emit_json(
            [
                {"name": r.name, "title": r.title, "category": r.category, "summary": r.summary}
                for r in items.values()
            ]
        )
        return
    from rich.table import Table

    table = Table("name", "category", "title", "paths outside the Council")
    for r in items.values():
        table.add_row(r.name, r.category, r.title, ", ".join(p.name for p in r.paths) or "-")
    console.print(table)


@app.command("show")
def show_cmd(
    name: str = typer.Argument(..., help="Regime name or path to a regime YAML file."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show one regime in full.

    Example: r2p law show recommended
    """
    import yaml

    from r2p._cli_util import console, emit_json
    from r2p.law import load_regime

    regime = load_regime(name)
    if json:
        emit_json(regime.model_dump())
    else:
        console.print(yaml.safe_dump(regime.model_dump(), sort_keys=False), highlight=False)


@app.command("validate")
def validate_cmd(
    path: Path = typer.Argument(..., help="A regime YAML file."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Validate a regime file; exit 2 with the field, problem and allowed values if it is bad.

    Example: r2p law validate my_regime.yaml
    """
    from r2p._cli_util import console, emit_json
    from r2p.errors import R2PInputError
    from r2p.law import load_regime

    if path.suffix.lower() not in (".yaml", ".yml"):
        raise R2PInputError(f"regime file {path}: expected a .yaml or .yml file")
    regime = load_regime(path)
    if json:
        emit_json({"valid": True, "name": regime.name, "path": str(path)})
    else:
        console.print(f"{path}: valid regime {regime.name!r} ({regime.title})")


@app.command("instruments")
def instruments_cmd(json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List the response ladder with robustness, troops, lag and Council class.

    Example: r2p law instruments
    """
    from r2p._cli_util import console, emit_json
    from r2p.law import instruments

    items = instruments()
    if json:
        emit_json([i.model_dump() for i in items])
        return
    from rich.table import Table

    table = Table("rung", "name", "council class", "force", "robustness 90%", "troops", "lag (weeks)", "leak")
    for i in items:
        table.add_row(
            str(i.rung),
            i.name,
            i.council_class,
            "yes" if i.force else "",
            f"{i.robustness_90[0]:.2f}-{i.robustness_90[1]:.2f}",
            f"{i.troops:,.0f}",
            f"{i.lag_weeks:g}",
            f"{i.leak:.2f}",
        )
    console.print(table)
