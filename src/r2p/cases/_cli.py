"""``r2p cases``: the historical case library."""

from __future__ import annotations

import sys
from pathlib import Path

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


_PROTOCOL_HELP = ("Calibration protocol: 'loo' (every library case except the one predicted) or 'past' "
                  "(only cases whose 24-month window closed before its onset).")


def _progress_printer(enabled: bool):  # type: ignore[no-untyped-def]
    from r2p._cli_util import err_console

    if not enabled:
        return None
    return lambda what: err_console.print(f"[dim]library calibration: {what}[/]", highlight=False)


@app.command("predict")
def predict(
    cases_dir: Path = typer.Option(..., "--cases", help="Folder of case files (*.yaml)."),
    out: Path = typer.Option(..., "--out", help="CSV file to write (one row per case)."),
    protocol: str = typer.Option("loo", "--protocol", help=_PROTOCOL_HELP),
    json_out: bool = typer.Option(False, "--json", help="Also print the predictions (and failures) as JSON."),
) -> None:
    """Predict the four outcomes of each case as of its onset (veto, art. 41 measure, force).

    Reads only id, target_state, onset_date, crime_types and perpetrator. Writes id, p_veto_24m,
    p_coercive_12m, p_force_authorized_24m, p_force_unauthorized_24m and missing_inputs (flags of
    inputs missing for that date). A malformed file or unknown target is reported by name and the
    other cases still run; the CSV then holds the cases that could be predicted and the exit code is 2.
    The first run builds the library calibration (a few minutes; cached).

    Example: r2p cases predict --cases data/cases/cases --out predictions.csv
    """
    from r2p._cli_util import EXIT_BAD_INPUT, atomic_write_text, check_output_path, err_console
    from r2p.cases._library import load_case_dir
    from r2p.cases._schema import OnsetCase
    from r2p.cases._validate import PredictFailure, predict_cases

    path = check_output_path(out, suffixes=(".csv",))
    cases, load_failures = load_case_dir(cases_dir, OnsetCase)
    preds = predict_cases(cases, protocol=protocol, progress=_progress_printer(not json_out))
    failures = [PredictFailure(f.source, f.error) for f in load_failures] + preds.failures
    cols = ["id", "p_veto_24m", "p_coercive_12m", "p_force_authorized_24m", "p_force_unauthorized_24m",
            "missing_inputs"]
    if len(preds.table):
        atomic_write_text(path, preds.table[cols].to_csv(index=False, float_format="%.4f"))
    if json_out:
        emit_json({"out": str(path) if len(preds.table) else None, "protocol": protocol,
                   "predictions": preds.table.to_dict(orient="records"),
                   "failures": [f.__dict__ for f in failures]})
    else:
        table = Table("case", "P(veto 24m)", "P(art.41 12m)", "P(force auth. 24m)", "P(force unauth. 24m)",
                      "missing inputs", title=f"As-of predictions ({protocol})")
        for r in preds.table[cols].itertuples(index=False):
            table.add_row(r.id, *(f"{v:.2f}" for v in r[1:5]), r.missing_inputs or "–")
        console.print(table)
        if len(preds.table):
            console.print(f"wrote {len(preds.table)} case(s) to {path}")
    for f in failures:
        err_console.print(f"[bold red]failed:[/] {f.source}: {f.error}", highlight=False)
    if failures:
        if not len(preds.table):
            err_console.print("no case could be predicted; nothing written.")
        # sys.exit, not typer.Exit: r2p.cli.main runs Typer with standalone_mode=False, which
        # turns typer.Exit into a return value and would lose the code.
        sys.exit(EXIT_BAD_INPUT)


@app.command("validate")
def validate_cmd(
    protocol: str = typer.Option("loo", "--protocol", help=_PROTOCOL_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Score the as-of predictions on the library: Brier vs the base rate and an era baseline.

    Each case is predicted from its onset fields with everything fitted without it: the simulator's
    parameters and shrinkage, and the outcome layer (veto record for the veto outcome; a small
    statistical model blended with the simulator for the others). Prints per-outcome scores, the
    per-case table and the timing fit (with bootstrap intervals). The first run builds the
    calibration (minutes; cached).

    Example: r2p cases validate
    """
    from r2p.cases._predict import OUTCOMES
    from r2p.cases._validate import validate

    res = validate(protocol=protocol, progress=_progress_printer(not json_out))
    if json_out:
        emit_json(res.to_dict())
        return
    t = Table("outcome", "n", "yes", "Brier r2p", "base rate (LOO)", "era baseline", "raw simulator",
              "r2p vs base", "goal ≥30%", title=f"Brier scores, as of onset ({protocol})")
    for s in res.scores.itertuples(index=False):
        t.add_row(s.outcome, str(s.n), str(s.positives), f"{s.brier_r2p:.4f}", f"{s.brier_base_rate:.4f}",
                  f"{s.brier_era_baseline:.4f}", f"{s.brier_simulator_raw:.4f}",
                  f"{s.improvement_vs_base:+.0%}",
                  "met" if s.goal_met else "not met")
    console.print(t)
    ct = Table("case", "onset", *(o.replace("_", " ") for o in OUTCOMES), "missing inputs",
               title="Per case: happened (0/1) | r2p | base rate")
    for r in res.cases.to_dict(orient="records"):
        ct.add_row(r["id"], r["onset"], *(f"{r[f'y_{o}']} | {r[f'p_{o}']:.2f} | {r[f'base_{o}']:.2f}"
                                          for o in OUTCOMES), r["missing_inputs"] or "–")
    console.print(ct)
    tf = res.timing["fitted_on_all_cases"]
    console.print("Timing calibration (all cases; bootstrap 90% interval over cases): " + "; ".join(
        f"{k} {v['estimate']:g} [{v['p05']:g}, {v['p95']:g}]" for k, v in tf.items()), highlight=False)
    console.print(f"Footprint log-likelihood out of sample: {res.timing['loglik_out_of_sample']:.1f} "
                  f"(shipped parameters: {res.timing['loglik_shipped']:.1f})", highlight=False)
