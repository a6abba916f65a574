"""``r2p brief``: the command-line body (the Typer wrapper lives in ``r2p.cli``)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

STEPS = 5  # risk, Council, simulation, analogues, rendering (see r2p.report._collect.collect)


def run_brief(country: str, year: int, regimes: list[str] | None, fmt: str, out: Path, draws: int, seed: int,
              as_json: bool) -> None:
    """Write the brief, showing progress on standard error once the input is valid; print where it went
    (or every number as JSON)."""
    from r2p._cli_util import console, emit_json, progress
    from r2p.report._write import write_brief

    specs = [s.strip() for r in (regimes or []) for s in r.split(",") if s.strip()] or None
    with ExitStack() as stack:
        state: dict[str, Any] = {}

        def step(what: str) -> None:
            if "bar" not in state:  # the input was valid: show the bar from the first step on
                bar = stack.enter_context(progress(enabled=not as_json))
                state["bar"], state["task"] = bar, bar.add_task(what, total=STEPS)
            else:
                state["bar"].advance(state["task"])
                state["bar"].update(state["task"], description=what)

        result = write_brief(country, year, regimes=specs, formats=fmt, out_dir=out, draws=draws, seed=seed,
                             step=step)
        if "bar" in state:
            state["bar"].update(state["task"], completed=STEPS, description="brief written")
    if as_json:
        emit_json({"paths": {k: str(v) for k, v in result.paths.items()}, "numbers": result.numbers})
        return
    n = result.numbers
    pages = f", {n['pdf_pages']} pages" if "pdf_pages" in n else ""
    risk = n["risk"]
    console.print(f"[bold]{n['country']['name']}[/], data through {n['year']}: two-year risk "
                  f"{100 * risk['risk_2y']:.1f}% (rank {risk['rank']} of {risk['n_countries']}){pages}",
                  highlight=False)
    for kind, path in result.paths.items():
        console.print(f"  {kind}: {path}", highlight=False)
    console.print(f"  reproduce: {result.reproduce}", highlight=False)
