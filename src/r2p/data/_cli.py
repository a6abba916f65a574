"""``r2p data``: build, inspect and verify the warehouse."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from r2p._cli_util import console, emit_json, progress

app = typer.Typer(help="Build and inspect the DuckDB warehouse of real datasets.", no_args_is_help=True)


@app.command("build")
def build(
    warehouse: Path | None = typer.Option(None, help="Warehouse file (default: $R2P_HOME/warehouse.duckdb)."),
    force: bool = typer.Option(False, help="Rebuild even if the warehouse is up to date."),
    json_out: bool = typer.Option(False, "--json", help="Print the build report as JSON."),
) -> None:
    """Verify checksums and load every shipped dataset into the warehouse.

    Example: r2p data build --force
    """
    from r2p.data import build_warehouse

    with progress(enabled=not json_out) as bar:
        task = bar.add_task("building warehouse", total=None)

        def step(name: str, i: int, n: int) -> None:
            bar.update(task, description=f"loading {name}", completed=i, total=n)

        report = build_warehouse(warehouse, force=force, on_step=step)
        bar.update(task, completed=1, total=1, description="warehouse ready")
    if json_out:
        emit_json({"path": report.path, "rebuilt": report.rebuilt, "seconds": report.seconds,
                   "rows": report.rows})
        return
    state = "built" if report.rebuilt else "already up to date"
    console.print(f"Warehouse {state}: {report.path} ({len(report.rows)} tables, "
                  f"{sum(report.rows.values()):,} rows)")


@app.command("info")
def info(
    warehouse: Path | None = typer.Option(None, help="Warehouse file."),
    json_out: bool = typer.Option(False, "--json", help="Print provenance as JSON."),
) -> None:
    """Show each table's source, version, checksum and rows.

    Example: r2p data info --json
    """
    from r2p.data import query

    prov = query("SELECT table_name, rel_path, source, sha256, rows FROM provenance "
                 "WHERE table_name <> 'case_documents' ORDER BY table_name", path=warehouse)
    if json_out:
        emit_json(prov.to_dict(orient="records"))
        return
    table = Table("table", "file", "source@commit", "sha256", "rows")
    for r in prov.itertuples(index=False):
        table.add_row(r.table_name, r.rel_path, r.source, r.sha256[:12] + "…", f"{r.rows:,}")
    console.print(table)


@app.command("verify")
def verify_cmd(json_out: bool = typer.Option(False, "--json", help="Print the result as JSON.")) -> None:
    """Check every shipped data file against data/checksums.sha256 (exit 2 on a mismatch).

    Example: r2p data verify --json
    """
    from r2p.data._checksums import expected_checksums, verify

    listed = expected_checksums()
    for rel in listed:
        verify(rel)
    if json_out:
        emit_json({"files_checked": len(listed), "all_match": True})
        return
    console.print(f"All {len(listed)} shipped files match their checksums.")


@app.command("country")
def country(
    query_: str = typer.Argument(..., metavar="NAME_OR_CODE", help="ISO3/ISO2/COW code or a name."),
    json_out: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Resolve a country name or code through the crosswalk.

    Example: r2p data country "Burma/Myanmar"
    """
    from dataclasses import asdict

    from r2p.data import resolve_country

    c = resolve_country(query_)
    if json_out:
        emit_json(asdict(c))
    else:
        console.print(f"{c.iso3}  {c.name}  (COW {c.ccode}, EWP name {c.ewp_name!r}, region {c.region})")
