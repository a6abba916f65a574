"""``r2p simulate``: compare regimes on one crisis (a top-level command, registered in r2p.cli)."""

from __future__ import annotations

from typing import Any

PROGRESS_THRESHOLD = 2_000_000  # crisis-weeks above which a progress bar is shown


def run_simulate(
    target: str,
    year: int,
    regime: str,
    draws: int,
    weeks: int,
    seed: int,
    json: bool,
    crime: str = "genocide",
    pretext: bool = False,
) -> None:
    """Validate the input, run the simulation and print the comparison table (or JSON)."""
    from r2p._cli_util import console, emit_json, progress
    from r2p.crisis._scenario import CRIMES, Scenario, check_weeks
    from r2p.crisis._simulate import check_draws, resolve_regimes, simulate
    from r2p.errors import R2PInputError, suggest

    regimes = resolve_regimes([r.strip() for r in regime.split(",") if r.strip()] or ["all"])
    weeks = check_weeks(weeks)
    if crime not in CRIMES:
        raise R2PInputError(
            f"scenario.crime: {crime!r} is not an R2P crime.{suggest(crime, CRIMES)} "
            f"Allowed: {', '.join(CRIMES)}"
        )
    draws = check_draws(draws, len(regimes))
    scenario = Scenario.for_country(target, year, crime=crime, trigger_holds=not pretext, horizon_weeks=weeks)
    total = draws * weeks * len(regimes)
    with progress(enabled=total >= PROGRESS_THRESHOLD and not json) as bar:
        task = bar.add_task("simulating crisis-weeks", total=total)
        result = simulate(scenario, regimes, draws, weeks, seed=seed, progress=lambda k: bar.advance(task, k))
    inputs = scenario.inputs
    header: dict[str, Any] = {
        "target": inputs.target,
        "country": inputs.country,
        "year": inputs.year,
        "region": inputs.region,
        "regional_org": inputs.regional_org,
        "baseline_risk_1y": inputs.baseline_risk,
        "crime": crime,
        "trigger_holds": not pretext,
        "draws": draws,
        "weeks": weeks,
        "seed": seed,
        "inputs_source": inputs.source,
    }
    if json:
        emit_json(
            {
                "scenario": header,
                "summary": result.summary.to_dict(orient="records"),
                "instruments": result.instruments.to_dict(orient="records"),
                "table": result.table().to_dict(orient="records"),
            }
        )
        return
    from rich.table import Table

    console.print(
        f"[bold]{inputs.country}[/] ({inputs.target}) {inputs.year}: {crime.replace('_', ' ')}"
        f"{' (pretext: no trigger holds)' if pretext else ''}; {draws:,} draws x {weeks} weeks, "
        f"seed {seed}; regional organisation {inputs.regional_org}; 1-year risk "
        f"{inputs.baseline_risk:.3f}",
        highlight=False,
    )
    wide = result.table().set_index("regime")
    table = Table("metric", *wide.index, title="Regime comparison (means unless stated)")

    def num(v: float, fmt: str = "{:,.0f}") -> str:
        return "-" if v != v else fmt.format(v)

    rows = [
        ("deaths", "deaths_mean", "{:,.0f}"),
        ("deaths p05", "deaths_p05", "{:,.0f}"),
        ("deaths p95", "deaths_p95", "{:,.0f}"),
        ("wks to coercion (median)", "weeks_to_coercion_median", "{:.0f}"),
        ("wks to protection (median)", "weeks_to_protection_median", "{:.0f}"),
        ("force used", "share_force", "{:.0%}"),
        ("abuse (pretext force)", "share_abuse", "{:.0%}"),
        ("force withheld", "share_force_withheld", "{:.0%}"),
        ("legitimacy: Western", "legitimacy_western", "{:.2f}"),
        ("legitimacy: Russia-China", "legitimacy_russia_china", "{:.2f}"),
        ("legitimacy: NAM/G77", "legitimacy_nam_g77", "{:.2f}"),
        ("legitimacy: regional org", "legitimacy_regional", "{:.2f}"),
        ("coordination", "coordination", "{:.2f}"),
        ("troop-weeks (thousands)", "troop_weeks_mean", "{:,.0f}"),
        ("Council erosion", "council_erosion_mean", "{:.3f}"),
    ]
    for label, col, fmt in rows:
        scale = 1e-3 if col == "troop_weeks_mean" else 1.0
        table.add_row(label, *(num(float(v) * scale, fmt) for v in wide[col]))
    table.add_row("modal highest (authority)", *(str(v).replace(" (", "\n(") for v in wide["modal_highest"]))
    width = console.width
    if not console.is_terminal:  # pipes and files: room for six regimes side by side
        console.width = max(width, 130)
    try:
        console.print(table)
    finally:
        console.width = width
