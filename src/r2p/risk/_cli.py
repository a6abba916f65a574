"""``r2p risk``: backtest, forecast and report commands."""

from __future__ import annotations

from pathlib import Path

import typer

from r2p._cli_util import atomic_write_text, check_output_path, console, emit_json, progress

app = typer.Typer(help="Early warning: mass-killing onset risk, backtests and forecasts.",
                  no_args_is_help=True)


def _pooled(metrics: dict) -> dict:
    return {k: v for k, v in metrics.items()}


@app.command("backtest")
def backtest_cmd(
    out: Path = typer.Option(..., "--out", help="CSV file for one row per scored country-year."),
    model: str | None = typer.Option(None, "--model", help="Model name (default: r2p's best)."),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
) -> None:
    """Run the 31-refit fully-out-of-sample backtest and write its table as CSV.

    Example: r2p risk backtest --model elastic_net --out backtest.csv --json
    """
    from r2p.risk._protocol import backtest, resolve_model

    name = resolve_model(model)
    path = check_output_path(out, suffixes=(".csv",))
    with progress(enabled=not as_json) as bar:
        task = bar.add_task(f"backtest {name}", total=31)
        result = backtest(name, progress=lambda done, total: bar.update(task, completed=done, total=total))
    atomic_write_text(path, result.table.to_csv(index=False))
    m = result.metrics
    if as_json:
        emit_json(_pooled(m))
        return
    console.print(f"{name}: AUC {m['auc']:.3f}  Brier {m['brier']:.5f}  log loss {m['log_loss']:.4f}  "
                  f"onsets in top 10/20/30: {m['top10']}/{m['top20']}/{m['top30']} of {m['n_onsets']}")
    console.print(f"wrote {path}")


@app.command("forecast")
def forecast_cmd(
    base_year: int = typer.Option(2024, "--base-year", help="Last year of data the forecast may use."),
    top: int = typer.Option(30, "--top", min=1, help="How many countries to show."),
    model: str | None = typer.Option(None, "--model", help="Model name (default: r2p's best)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Rank every country by its risk of a mass-killing onset in the next two years.

    Example: r2p risk forecast --base-year 2024 --top 20
    """
    from rich.table import Table

    from r2p.risk._protocol import forecast

    frame = forecast(base_year, model).head(top)
    if as_json:
        emit_json([{**{k: v for k, v in row.items() if k != "drivers_detail"},
                    "drivers": [{"feature": f, "label": lab, "value": val, "contribution": c}
                                for f, lab, val, c in row["drivers_detail"]]}
                   for row in frame.to_dict(orient="records")])
        return
    table = Table(title=f"Risk of mass-killing onset in {base_year + 1}–{base_year + 2} "
                        f"(data to {base_year})")
    for col in ("rank", "country", "2-year", "1-year", "change", "top drivers"):
        table.add_column(col)
    for r in frame.itertuples(index=False):
        change = "" if r.change != r.change else f"{100 * r.change:+.1f}"
        table.add_row(str(r.rank), r.country, f"{100 * r.risk_2y:.1f}%", f"{100 * r.risk_1y:.1f}%", change,
                      r.drivers)
    console.print(table)


@app.command("report")
def report_cmd(
    out: Path = typer.Option(..., "--out",
                             help="Folder for reliability.png, recall_by_year.html, index.html."),
    model: str | None = typer.Option(None, "--model", help="Model name (default: r2p's best)."),
    as_json: bool = typer.Option(False, "--json", help="Print the written paths as JSON."),
) -> None:
    """Write a backtest report: reliability plot (PNG) and per-year recall table (HTML).

    Example: r2p risk report --out out/risk-report
    """
    import os

    from r2p.errors import R2PInputError
    from r2p.risk._protocol import backtest, resolve_model
    from r2p.risk._report import write_report

    name = resolve_model(model)
    out = out.expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise R2PInputError(f"--out {out} exists and is not a folder.")
    parent = out if out.exists() else out.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise R2PInputError(f"--out {out}: folder {parent} does not exist or is not writable.")
    with progress(enabled=not as_json) as bar:
        task = bar.add_task(f"backtest {name}", total=31)
        result = backtest(name, progress=lambda done, total: bar.update(task, completed=done, total=total))
    paths = write_report(result, out)
    if as_json:
        emit_json({"model": name, "files": [str(p) for p in paths]})
        return
    for p in paths:
        console.print(f"wrote {p}")
