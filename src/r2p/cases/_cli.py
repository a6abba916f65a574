"""``r2p cases``: the historical case library."""

from __future__ import annotations

import pandas as pd
import typer
from rich.table import Table

from r2p._cli_util import console, emit_json

app = typer.Typer(help="The historical case library: list, show, validate.", no_args_is_help=True)


@app.command("list")
def list_cases(json_out: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List the library's cases with onset and months to the first Council steps.

    Example: r2p cases list
    """
    from r2p.cases._store import library_tables

    cases, _ = library_tables()
    cols = ["id", "target_state", "onset_date", "perpetrator", "deaths_best", "first_unsc_action_month",
            "first_unsc_coercive_month", "first_force_month", "first_veto_month", "confidence"]
    if json_out:
        emit_json(cases[cols].to_dict(orient="records"))
        return
    table = Table("case", "target", "onset", "perpetrator", "deaths", "1st UNSC", "1st art.41",
                  "1st force", "1st veto", "confidence", title="Months from onset to first step")
    for r in cases[cols].itertuples(index=False):
        table.add_row(*["–" if v is None or v is pd.NA else str(v) for v in r])
    console.print(table)


@app.command("show")
def show(
    case_id: str = typer.Argument(..., metavar="ID", help="Case id, e.g. rwanda-1994."),
    json_out: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show a case's timeline: events by instrument and actor, Council votes and vetoes.

    Example: r2p cases show rwanda-1994
    """
    from r2p.cases._library import get_case
    from r2p.cases._timeline import first_steps, timeline

    case = get_case(case_id)
    tl = timeline(case)
    fs = first_steps(case)
    if json_out:
        emit_json({"id": case.id, "name": case.name, "target_state": case.target_state,
                   "onset_date": case.onset_date, "first_steps": fs.__dict__,
                   "events": tl.drop(columns=["description"]).to_dict(orient="records")})
        return
    console.print(f"[bold]{case.name}[/] ({case.target_state}), onset {case.onset_date}, "
                  f"perpetrator {case.perpetrator}, deaths {case.deaths.best_estimate or 'n/a'}")
    table = Table("date", "month", "actor", "instrument", "vote", "legal basis")
    for r in tl.itertuples(index=False):
        mark = " [red](veto)[/]" if r.vetoed else ""
        table.add_row(r.date, str(r.month), r.actor, r.instrument + ("?" if r.uncertain else ""),
                      r.vote + mark, r.legal_basis[:60])
    console.print(table)
    console.print(f"First Council action: month {fs.first_unsc_action}; first art. 41 measure: "
                  f"{fs.first_unsc_coercive}; first force: {fs.first_force}; first veto: {fs.first_veto}")
