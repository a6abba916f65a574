"""The brief's figures, drawn with matplotlib (Agg) from the collected numbers as SVG text.

SVG text is converted to paths (no font dependency) and the output is deterministic (fixed
hash salt, no date), so the same numbers give the same bytes.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any

#: Colours: one per regime, in the order the regimes are listed (colour-blind-safe Okabe–Ito).
PALETTE = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442")


#: Style of every figure, applied only while drawing (``rc_context``) so other parts' plots are untouched.
STYLE: dict[str, Any] = {
    "svg.fonttype": "path", "svg.hashsalt": "r2p-brief", "font.size": 8,
    "axes.spines.top": False, "axes.spines.right": False, "axes.titlesize": 8.5,
    "axes.titleweight": "bold",
}
# pyplot keeps global state: the dashboard may write two briefs at once from different threads.
_LOCK = threading.Lock()


def _svg(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _drawing(draw: Callable[[Any], Any]) -> str:
    """Run ``draw(pyplot)`` (which returns a figure) under the brief's style and the lock; return SVG."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    style: Any = STYLE  # matplotlib types rc keys as literals
    with _LOCK, matplotlib.rc_context(style):
        return _svg(draw(plt))


def risk_trend_svg(risk: dict[str, Any], country: str) -> str:
    """Return an SVG line chart of the two-year risk by base year, with the current forecast marked."""
    return _drawing(lambda plt: _risk_trend(plt, risk, country))


def _risk_trend(plt: Any, risk: dict[str, Any], country: str) -> Any:
    fig, ax = plt.subplots(figsize=(3.3, 1.9))
    hist = risk["history"]
    if hist:
        ax.plot([h[0] for h in hist], [100 * h[1] for h in hist], color="#0072B2", lw=1.2,
                label="backtest forecast (data to that year)")
    ax.plot([risk["base_year"]], [100 * risk["risk_2y"]], "o", color="#D55E00", ms=5,
            label=f"forecast from {risk['base_year']} data")
    ax.set_ylabel("2-year risk of onset (%)")
    ax.set_xlabel("base year of the forecast")
    ax.set_ylim(bottom=0)
    ax.set_title(f"{country}: risk of a new state-led mass killing")
    ax.legend(frameon=False, fontsize=6.5, loc="upper left")
    return fig


def regimes_svg(table: list[dict[str, Any]], titles: dict[str, str]) -> str:
    """Return an SVG panel comparing regimes: deaths (mean, 90 % interval), weeks to first coercion and to
    protection (medians; the share of runs protected within the horizon written beside), legitimacy by
    bloc and coordination (means, 0–1)."""
    return _drawing(lambda plt: _regimes(plt, table))


def _regimes(plt: Any, table: list[dict[str, Any]]) -> Any:
    names = [row["regime"] for row in table]
    y = list(range(len(names)))[::-1]
    labels = [n.replace("_", " ") for n in names]
    fig, axes = plt.subplots(1, 4, figsize=(7.3, 0.36 * len(names) + 1.0), sharey=True,
                             gridspec_kw={"width_ratios": [1.25, 1.1, 1.1, 0.7]})
    colour = [PALETTE[i % len(PALETTE)] for i in range(len(names))]

    ax = axes[0]
    for i, row in enumerate(table):
        mean, lo, hi = row["deaths_civilian_mean"], row["deaths_civilian_p05"], row["deaths_civilian_p95"]
        ax.plot([lo, hi], [y[i], y[i]], color=colour[i], lw=1.5)
        ax.plot([mean], [y[i]], "o", color=colour[i], ms=4)
    ax.set_title("Civilian deaths")
    ax.set_xlabel("● mean  — 90 % interval", fontsize=6.5)
    ax.set_yticks(y, labels)
    ax.xaxis.set_major_formatter(
        plt.FuncFormatter(lambda v, _: f"{v / 1000:,.0f}k" if v >= 1000 else f"{v:,.0f}"))
    ax.set_xlim(left=0)

    ax = axes[1]
    for i, row in enumerate(table):
        c = row.get("weeks_to_first_coercion_median")
        if c is not None:
            ax.plot([c], [y[i]], "s", color=colour[i], ms=4, mfc="white")
        p = row.get("weeks_to_protection_median")
        if p is not None:
            ax.plot([p], [y[i]], "o", color=colour[i], ms=4)
            share = row.get("weeks_to_protection_share") or 0.0
            ax.annotate(f"{100 * share:.0f}%", (p, y[i]), xytext=(4, -1), textcoords="offset points",
                        fontsize=5.5, color="#555", va="center")
    ax.set_title("Weeks from onset")
    ax.set_xlabel("medians: □ first coercion\n● protection (% of runs reaching it)", fontsize=6.5)
    ax.set_xlim(left=0)
    ax.margins(x=0.18)

    ax = axes[2]
    blocs = (("legitimacy_western", "^", 0.24), ("legitimacy_russia_china", "v", 0.08),
             ("legitimacy_nam_g77", "s", -0.08), ("legitimacy_regional", "D", -0.24))
    for i, row in enumerate(table):
        for key, marker, dy in blocs:
            v = row.get(f"{key}_mean")
            if v is not None:
                fill = "white" if dy < 0 else colour[i]
                ax.plot([v], [y[i] + dy], marker, color=colour[i], ms=3.2, mfc=fill)
    ax.set_title("Legitimacy (0–1)")
    ax.set_xlabel("▲ Western ▼ Russia–China\n□ NAM/G77 ◇ regional", fontsize=6.5)
    ax.set_xlim(-0.02, 1.05)

    ax = axes[3]
    for i, row in enumerate(table):
        c = row.get("coordination_index_mean")
        if c is not None:
            ax.barh([y[i]], [c], color=colour[i], height=0.5)
    ax.set_title("Coordination (0–1)")
    ax.set_xlim(0, 1.0)
    fig.tight_layout(w_pad=0.6)
    return fig
