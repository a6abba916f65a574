"""The claims report: one self-contained HTML page with a figure per claim (where it flips).

Figures are PNGs embedded as data URIs, so the page can be mailed or archived as one file.
"""

from __future__ import annotations

import base64
import html
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from r2p.sweep._claims import ClaimResult, wide_frame, wilson
from r2p.sweep._config import SweepConfig


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def _summary_figure(results: list[ClaimResult]) -> str | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = [r for r in results if r.status == "evaluated"]
    if not ok:
        return None
    fig, ax = plt.subplots(figsize=(7.5, 0.5 + 0.45 * len(ok)))
    y = np.arange(len(ok))[::-1]
    shares = np.array([r.share for r in ok])
    lo = np.clip(shares - np.array([r.ci_low for r in ok]), 0, 1)
    hi = np.clip(np.array([r.ci_high for r in ok]) - shares, 0, 1)
    ax.barh(y, shares, color=["#3a7" if s >= 0.5 else "#c55" for s in shares], alpha=0.8)
    ax.errorbar(shares, y, xerr=[lo, hi], fmt="none", ecolor="black", capsize=3)
    ax.axvline(0.5, color="grey", lw=0.8, ls="--")
    ax.set_yticks(y, [r.id for r in ok])
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of parameter draws × scenarios where the claim holds (95 % interval)")
    return _png(fig)


def flip_figure(result: ClaimResult, wide: pd.DataFrame, holds_per_draw: pd.Series | None) -> str | None:
    """Return a PNG (base64) of where the claim flips: share vs its top parameter, and the top two."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if result.status != "evaluated" or not result.binned or result.flip is None:
        return None
    key = result.flip["parameter"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
    ax = axes[0]
    mids = [b["mid"] for b in result.binned]
    shares = [b["share"] for b in result.binned]
    cis = [wilson(b["share"] * b["n"], int(b["n"])) for b in result.binned]
    ax.fill_between(mids, [c[0] for c in cis], [c[1] for c in cis], alpha=0.25, color="#37a")
    ax.plot(mids, shares, "o-", color="#37a")
    ax.axhline(0.5, color="grey", lw=0.8, ls="--")
    if result.flip.get("value") is not None:
        ax.axvline(result.flip["value"], color="#c55", lw=1.2)
        ax.annotate(
            f"flips at {result.flip['value']:.3g}", (result.flip["value"], 0.52), color="#c55", fontsize=8
        )
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(key)
    ax.set_ylabel("share where it holds")
    ax.set_title("share by decile of the most influential parameter", fontsize=9)
    ax = axes[1]
    tops = [t["parameter"] for t in result.top_parameters]
    if len(tops) >= 2 and holds_per_draw is not None:
        per = wide.groupby(level="draw_id")[tops[:2]].first().sort_index()
        sc = ax.scatter(
            per[tops[0]],
            per[tops[1]],
            c=holds_per_draw.sort_index().to_numpy(),
            cmap="RdYlGn",
            vmin=0,
            vmax=1,
            s=10,
        )
        fig.colorbar(sc, ax=ax, label="share of scenarios where it holds")
        ax.set_xlabel(tops[0])
        ax.set_ylabel(tops[1])
        ax.set_title("each parameter draw, by the two largest total Sobol indices", fontsize=9)
    else:
        ax.axis("off")
    fig.suptitle(result.id, fontsize=10)
    return _png(fig)


def claims_html(
    cfg: SweepConfig, results: list[ClaimResult], sweep_results: pd.DataFrame, code_version: str
) -> str:
    """Return the claims report as one HTML page (figures embedded)."""
    from r2p.sweep._claims import _parse, holds

    wide = wide_frame(sweep_results, cfg)
    arms = [r.name for r in cfg.regimes]
    draw_ids = wide.index.get_level_values("draw_id").to_numpy()
    parts = []
    for r in results:
        fig = None
        if r.status == "evaluated":
            from r2p.sweep._claims import Claim

            h = holds(
                Claim(id=r.id, title=r.title, source=r.source, holds_if=r.holds_if),
                wide,
                arms,
                cfg.parameter_names,
            )
            per_draw = pd.Series(h.astype(float)).groupby(draw_ids).mean()
            fig = flip_figure(r, wide, per_draw)
        _parse(r.holds_if)
        parts.append(_claim_section(r, fig))
    summary = _summary_figure(results)
    esc = html.escape
    scen = ", ".join(s.label for s in cfg.scenarios)
    head = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>r2p claims — sweep {esc(cfg.name)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}
code{{background:#f3f3f3;padding:0 .2rem}} table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;
padding:.2rem .5rem;font-size:.9rem}} .bad{{color:#a33}} img{{max-width:100%}}
section{{margin-bottom:2rem}}</style>
</head><body>
<h1>The report's claims, put to the test</h1>
<p>Sweep <code>{esc(cfg.name)}</code>: {len(cfg.regimes)} regime arms ({esc(", ".join(arms))}),
scenarios {esc(scen)}, {cfg.rows_per_cell} parameter draws each ({esc(cfg.sampling.method)}),
{cfg.mc_draws} Monte Carlo draws × {cfg.weeks} weeks per draw. Code {esc(code_version)};
written {datetime.now(UTC).isoformat(timespec="seconds")}.</p>
<p>Each claim is a measurable statement evaluated on every scenario × parameter draw. The share is
where it holds; the 95 % Wilson interval counts parameter draws (not scenarios) as independent. The
parameters listed have the largest total Sobol index of the share of scenarios where the claim holds.
These are tests of the report's hypotheses under this model, not verdicts on the report.</p>
"""
    img = f'<img alt="share of each claim" src="data:image/png;base64,{summary}">' if summary else ""
    return head + img + "\n".join(parts) + "</body></html>\n"


def _claim_section(r: ClaimResult, fig: str | None) -> str:
    esc = html.escape
    if r.status != "evaluated":
        return (
            f'<section><h2>{esc(r.id)}</h2><p>{esc(r.title)}</p><p class="bad">Not evaluable on this '
            f"sweep: {esc(r.reason)}</p></section>"
        )
    tops = "".join(
        f"<tr><td>{esc(t['parameter'])}</td><td>{t['ST']:.3f} ± {t['ST_conf']:.3f}</td>"
        f"<td>{t['S1']:.3f} ± {t['S1_conf']:.3f}</td></tr>"
        for t in r.top_parameters
    )
    flip = r.flip or {}
    flip_txt = (
        f"its share crosses one half at {flip['parameter']} ≈ {flip['value']:.4g}"
        if flip.get("value") is not None
        else f"no single flip along {flip.get('parameter', '—')}: its share crosses one half "
        f"{flip.get('crossings', 0)} time(s)"
    )
    by_scen = ", ".join(f"{esc(k)} {v:.0%}" for k, v in r.share_by_scenario.items())
    table = (
        f"<table><tr><th>parameter</th><th>total Sobol index</th><th>first-order</th></tr>{tops}</table>"
        if tops
        else "<p>(no Sobol indices: the sweep is not a Saltelli design)</p>"
    )
    img = f'<img alt="where {esc(r.id)} flips" src="data:image/png;base64,{fig}">' if fig else ""
    return f"""<section><h2>{esc(r.id)}: {r.share:.1%} [{r.ci_low:.1%}, {r.ci_high:.1%}]</h2>
<p>{esc(r.title)}</p><p><small>{esc(r.source)}</small></p>
<p>Holds if <code>{esc(r.holds_if)}</code> — in {r.share:.1%} of {r.n_cases} scenario × draw cases
({r.n_draws} parameter draws); by scenario: {by_scen}. Where it flips: {esc(flip_txt)}.</p>
{table}{img}</section>"""


def write_claims_report(
    path: Path, cfg: SweepConfig, results: list[ClaimResult], sweep_results: pd.DataFrame, code_version: str
) -> Path:
    """Write the claims report HTML to ``path`` atomically; return the path."""
    from r2p._cli_util import atomic_write_text

    atomic_write_text(path, claims_html(cfg, results, sweep_results, code_version))
    return path
