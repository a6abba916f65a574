"""``r2p council``: predict the Council's votes on a target, and backtest the veto model."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from r2p._cli_util import atomic_write_text, check_output_path, console, emit_json
from r2p.errors import R2PInputError

app = typer.Typer(help="The Security Council as a voting body: votes, vetoes and what can pass.",
                  no_args_is_help=True)


def _parse_restraint(items: list[str]) -> dict[str, float]:
    from r2p.council._composition import P5
    from r2p.council._priors import RESTRAINT_PRESETS
    from r2p.errors import suggest

    out: dict[str, float] = {}
    for item in items:
        if "=" not in item:
            if item in RESTRAINT_PRESETS:
                out.update(RESTRAINT_PRESETS[item])
                continue
            raise R2PInputError(f"--restraint {item!r}: expected MEMBER=VALUE (e.g. RUS=0.5) or a preset "
                                f"({', '.join(RESTRAINT_PRESETS)})." + suggest(item, RESTRAINT_PRESETS))
        key, _, value = item.partition("=")
        code = key.strip().upper()
        if code not in P5:
            from r2p.data import resolve_country

            try:
                code = resolve_country(key.strip()).iso3
            except R2PInputError:
                raise R2PInputError(f"--restraint member {key!r} is not a permanent member {P5}.") from None
            if code not in P5:
                raise R2PInputError(f"--restraint member {key!r} ({code}) is not a permanent member {P5}.")
        try:
            out[code] = float(value)
        except ValueError:
            raise R2PInputError(f"--restraint {item!r}: value must be a number in [0, 1].") from None
    return out


@app.command("predict")
def predict(
    target: str = typer.Option(..., "--target", help="Target state (ISO3, ISO2, COW code or name)."),
    year: int = typer.Option(..., "--year", help="Year of the draft (1946–2025)."),
    instrument: str = typer.Option("all", "--instrument", help="One instrument, or 'all'."),
    restraint: list[str] = typer.Option([], "--restraint",
                                        help="MEMBER=VALUE in [0,1] (repeatable) or a preset name."),
    manifest: bool | None = typer.Option(None, "--manifest/--not-manifest",
                                         help="Override EWP's ongoing-mass-killing flag."),
    json_out: bool = typer.Option(False, "--json", help="Print the outlook as JSON."),
) -> None:
    """Per-member vote probabilities, pass and veto probabilities, strongest passable instrument.

    Example: r2p council predict --target SYR --year 2016 --restraint RUS=0.5
    """
    from r2p.council import INSTRUMENTS, load_model
    from r2p.council._model import check_instruments

    names = list(INSTRUMENTS) if instrument == "all" else check_instruments([instrument])
    model = load_model()
    out = model.outlook(target, year, manifest=manifest, restraint=_parse_restraint(restraint))
    drafts = [d for d in out.drafts if d.instrument in names]
    votes = out.votes[out.votes["instrument"].isin(names)]
    if json_out:
        payload = out.to_dict()
        payload["drafts"] = [d.__dict__ for d in drafts]
        payload["votes"] = votes.to_dict(orient="records")
        emit_json(payload)
        return
    console.print(f"[bold]{out.target} {out.year}[/]  atrocities manifest: {out.manifest}  "
                  f"strongest passable: {out.strongest_passable}  expected rounds: {out.expected_rounds:.2f}")
    t = Table("instrument", "P(pass)", "P(veto)", "P(short of 9)")
    for d in drafts:
        t.add_row(d.instrument, f"{d.p_pass:.3f}", f"{d.p_veto:.3f}", f"{d.p_short_of_nine:.3f}")
    console.print(t)
    for name in names:
        v = votes[votes["instrument"] == name]
        vt = Table("member", "seat", "yes", "abstain", "no", "veto", title=name)
        for r in v.itertuples(index=False):
            vt.add_row(r.member, r.seat, f"{r.p_yes:.3f}", f"{r.p_abstain:.3f}", f"{r.p_no:.3f}",
                       f"{r.p_veto:.3f}" if r.seat == "permanent" else "")
        console.print(vt)


@app.command("backtest")
def backtest(
    train_until: int = typer.Option(..., "--train-until", help="Last year of the first training window."),
    out: Path = typer.Option(..., "--out", help="CSV file for the per-(draft, P5 member) predictions."),
    json_out: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
) -> None:
    """Score every draft after TRAIN_UNTIL from everything dated before it (P5 vetoes).

    The result is cached under $R2P_HOME/cache/council (keyed by the data and the model version), so a
    re-run, or the dashboard's track record, reads it back at once.

    Example: r2p council backtest --train-until 2010 --out veto_backtest.csv
    """
    from r2p.council import veto_backtest

    path = check_output_path(out, suffixes=(".csv",))
    result = veto_backtest(train_until)
    atomic_write_text(path, result.rows.to_csv(index=False))
    if json_out:
        emit_json({"out": str(path), **result.metrics})
        return
    t = Table("metric", "value")
    for k, v in result.metrics.items():
        t.add_row(k, f"{v:.4f}" if isinstance(v, float) and not float(v).is_integer() else f"{v:g}")
    console.print(t)
    console.print(f"wrote {len(result.rows):,} rows to {path}")
