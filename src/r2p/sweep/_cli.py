"""Bodies of the top-level commands ``r2p sweep`` and ``r2p claims`` (wrapped in ``r2p.cli``)."""

from __future__ import annotations

from pathlib import Path

from r2p._cli_util import console, emit_json, err_console
from r2p.errors import R2PInputError


def sweep_main(
    config: Path | None,
    *,
    workers: int | None,
    scheduler: str | None,
    fresh: bool,
    as_json: bool,
    list_parameters: bool,
    no_progress: bool,
    in_process: bool = False,
) -> None:
    """Run or resume the sweep in ``config``; print where results went and the top Sobol indices."""
    from r2p.sweep import _model
    from r2p.sweep._run import local_cores, run_sweep

    if list_parameters:
        from r2p.sweep import _params

        domains = _params.domains()
        if as_json:
            emit_json(
                {
                    "regimes": _model.regime_names(),
                    "parameters": {
                        k: {
                            "low": d.lo,
                            "high": d.hi,
                            "low_open": d.lo_open,
                            "high_open": d.hi_open,
                            "integer": d.integer,
                        }
                        for k, d in domains.items()
                    },
                }
            )
            return
        console.print("regimes: " + ", ".join(_model.regime_names()))
        console.print("parameters (allowed domain):")
        for k, d in domains.items():
            console.print(f"  {k}  {d}", highlight=False)
        return
    if config is None:
        raise R2PInputError("give a sweep file: r2p sweep CONFIG.yaml (see examples/sweeps/quick.yaml).")
    run = run_sweep(
        config,
        workers=workers,
        scheduler=scheduler,
        fresh=fresh,
        show_progress=not no_progress and not as_json,
        threads=local_cores() if in_process else None,
    )
    if as_json:
        emit_json(run.as_dict())
        return
    skipped = f" ({run.chunks_skipped} already stored, skipped)" if run.chunks_skipped else ""
    console.print(
        f"sweep {run.name}: {run.chunks_run} chunk(s), {run.rows_run} parameter rows run{skipped} "
        f"on {run.where} in {run.seconds:.1f} s → warehouse table {run.table} ({run.warehouse})"
    )
    if run.sobol_rows:
        from r2p.sweep import sweep_sobol

        si = sweep_sobol(run.name)
        sub = si[si["outcome"] == "deaths_civilian__median"].sort_values("ST", ascending=False)
        console.print(f"Sobol indices in table {run.table}_sobol; largest total index of median deaths:")
        for regime, grp in sub.groupby("regime", sort=False):
            t = grp.iloc[0]
            console.print(f"  {regime}: {t['parameter']} ST={t['ST']:.2f}±{t['ST_conf']:.2f}")


def claims_main(
    *,
    sweep: str | None,
    config: Path | None,
    claims: Path | None,
    out: Path | None,
    as_json: bool,
    workers: int | None,
    scheduler: str | None,
    no_progress: bool,
) -> None:
    """Evaluate the claims on a sweep; print shares and write the HTML report."""
    from r2p._cli_util import check_output_path
    from r2p.sweep._api import run_claims
    from r2p.sweep._report import write_claims_report
    from r2p.sweep._run import code_version

    target = check_output_path(out, suffixes=(".html", ".htm")) if out is not None else None
    cfg, results, df = run_claims(
        sweep=sweep,
        config=config,
        claims=claims,
        workers=workers,
        scheduler=scheduler,
        show_progress=not no_progress and not as_json,
    )
    if target is not None:
        write_claims_report(target, cfg, results, df, code_version())
    if as_json:
        emit_json(
            {
                "sweep": cfg.name,
                "report": str(target) if target else None,
                "claims": [r.as_dict() for r in results],
            }
        )
        return
    for r in results:
        if r.status != "evaluated":
            console.print(f"{r.id}: not evaluable — {r.reason}")
            continue
        tops = ", ".join(f"{t['parameter']} (ST {t['ST']:.2f})" for t in r.top_parameters) or "—"
        flip = r.flip or {}
        where = (
            f"flips at {flip['parameter']} ≈ {flip['value']:.3g}"
            if flip.get("value") is not None
            else f"no single flip along {flip.get('parameter')} ({flip.get('crossings', 0)} crossings)"
        )
        console.print(
            f"{r.id}: holds in {r.share:.1%} [{r.ci_low:.1%}, {r.ci_high:.1%}] of {r.n_cases} cases; "
            f"decided by {tops}; {where}"
        )
    if target is not None:
        err_console.print(f"report: {target}")
