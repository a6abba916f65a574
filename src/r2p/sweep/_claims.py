"""Claims as data: measurable statements evaluated on every parameter draw of a sweep.

A claims file (YAML) lists claims; each has an ``id``, a ``title``, the report passage it
comes from, and ``holds_if``: an expression evaluated once per scenario × parameter draw::

    deaths_civilian.median[early_robust] < deaths_civilian.median[status_quo]
      and troop_weeks.mean[early_robust] <= troop_weeks.mean[status_quo]

The expression language is a small, safe subset of Python: ``outcome.stat[arm]`` (an outcome
statistic over Monte Carlo draws under a regime arm of the sweep; ``outcome[arm]`` means the
mean), parameter names such as ``perpetrator.growth`` (the draw's value), numbers, ``+ - * /``, comparisons
(chains allowed), ``and``/``or``/``not``, and ``min``, ``max``, ``abs``.

For each claim r2p reports the share of draws where it holds with a 95 % Wilson interval (on
the number of parameter draws: scenarios of one draw are not independent), the parameters with
the largest total Sobol index of the share of scenarios where it holds, and where it flips:
the value of the most influential parameter at which the share crosses one half.
"""

from __future__ import annotations

import ast
import math
import operator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from r2p.errors import R2PInputError, suggest
from r2p.sweep import _model
from r2p.sweep._config import SweepConfig

_BINOPS: dict[type, Any] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_CMPOPS: dict[type, Any] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_FUNCS: dict[str, Any] = {"min": np.minimum, "max": np.maximum, "abs": np.abs}


class Claim(BaseModel):
    """One claim: an id, a title, its source passage and the expression that says when it holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    source: str = ""
    holds_if: str

    @field_validator("holds_if")
    @classmethod
    def _parses(cls, v: str) -> str:
        tree = _parse(v)
        _check_nodes(tree)
        return v


class ClaimsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    claims: list[Claim] = Field(min_length=1)


def _parse(expr: str) -> ast.Expression:
    try:
        return ast.parse(" ".join(expr.split()), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"not a valid expression: {exc.msg} in {expr!r}") from None


_ALLOWED = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.BinOp,
    ast.Compare,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Attribute,
    ast.Subscript,
    ast.Constant,
    *_BINOPS,
    *_CMPOPS,
)


def _check_nodes(tree: ast.AST) -> None:
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ValueError(
                f"{type(node).__name__} is not allowed in a claim expression; use outcome.stat[arm], "
                "parameter names, numbers, + - * /, comparisons, and/or/not, min/max/abs"
            )
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in _FUNCS):
            raise ValueError("only min(), max() and abs() may be called in a claim expression")
        if isinstance(node, ast.Subscript):
            _ref(node)
        if isinstance(node, ast.Attribute):
            if node.attr.startswith("_"):
                raise ValueError(f"attribute {node.attr!r} is not allowed in a claim expression")
            if not isinstance(node.value, (ast.Name, ast.Attribute)):
                raise ValueError("expected outcome.stat[arm] or a dotted parameter name")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise ValueError(f"constant {node.value!r} is not a number")


def metric_refs(expr: str) -> list[tuple[str, str, str]]:
    """Return the ``(outcome, stat, arm)`` references of a claim expression."""
    refs = []
    for node in ast.walk(_parse(expr)):
        if isinstance(node, ast.Subscript):
            refs.append(_ref(node))
    return refs


def _ref(node: ast.Subscript) -> tuple[str, str, str]:
    val, sl = node.value, node.slice
    if not isinstance(sl, ast.Name):
        raise ValueError("the arm in outcome.stat[arm] must be a regime arm name")
    if isinstance(val, ast.Attribute) and isinstance(val.value, ast.Name):
        return val.value.id, val.attr, sl.id
    if isinstance(val, ast.Name):
        return val.id, "mean", sl.id
    raise ValueError("expected outcome.stat[arm] or outcome[arm]")


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    raise ValueError("a parameter name must be a dotted name such as perpetrator.growth")


def parse_claims(text: str, source: str = "<claims>") -> list[Claim]:
    """Return the claims in YAML ``text``; ``R2PInputError`` names the claim and field.

    Outcome and statistic names are checked against the model's outcomes.
    """
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise R2PInputError(f"claims file {source}: not valid YAML: {exc}") from exc
    try:
        claims = ClaimsFile.model_validate(raw).claims
    except ValidationError as exc:
        parts = []
        for e in exc.errors():
            loc = ".".join(str(x) for x in e["loc"])
            parts.append(f"field '{loc}': {str(e['msg']).removeprefix('Value error, ')}")
        raise R2PInputError(f"claims file {source}: " + "; ".join(parts)) from exc
    ids = [c.id for c in claims]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise R2PInputError(f"claims file {source}: claim ids must be unique; repeated: {', '.join(dup)}")
    for c in claims:
        for outcome, stat, _ in metric_refs(c.holds_if):
            if outcome not in _model.OUTCOMES:
                raise R2PInputError(
                    f"claims file {source}: claim {c.id!r}: unknown outcome {outcome!r}; known: "
                    f"{', '.join(_model.OUTCOMES)}." + suggest(outcome, _model.OUTCOMES)
                )
            if stat not in _model.STATS:
                raise R2PInputError(
                    f"claims file {source}: claim {c.id!r}: unknown statistic {stat!r} of "
                    f"{outcome}; known: {', '.join(_model.STATS)}." + suggest(stat, _model.STATS)
                )
    return claims


def load_claims(path: Path | str | None = None) -> list[Claim]:
    """Return the claims in ``path`` (YAML), or the shipped claims of the report when None."""
    if path is None:
        text = resources.files("r2p.sweep").joinpath("report_claims.yaml").read_text("utf-8")
        return parse_claims(text, "shipped report_claims.yaml")
    path = Path(path)
    if not path.is_file():
        raise R2PInputError(f"claims file {path} does not exist.")
    return parse_claims(path.read_text(encoding="utf-8"), str(path))


# ----------------------------------------------------------------------------- evaluation


class _Unevaluable(Exception):
    pass


def wide_frame(results: pd.DataFrame, cfg: SweepConfig) -> pd.DataFrame:
    """Return one row per (scenario, draw_id) with ``<outcome>__<stat>__<arm>`` and parameter columns."""
    outcomes = _model.outcome_columns()
    wide = results.pivot_table(
        index=["scenario", "draw_id"], columns="regime", values=outcomes, aggfunc="first"
    )
    wide.columns = [f"{o}__{arm}" for o, arm in wide.columns]
    params = results.drop_duplicates(["scenario", "draw_id"]).set_index(["scenario", "draw_id"])[
        cfg.parameter_names
    ]
    return wide.join(params).sort_index()


def _eval(node: ast.AST, frame: pd.DataFrame, arms: list[str], params: list[str]) -> Any:
    if isinstance(node, ast.Expression):
        return _eval(node.body, frame, arms, params)
    if isinstance(node, ast.Constant):
        return float(node.value)  # type: ignore[arg-type]  # numbers only (_check_nodes)
    if isinstance(node, ast.Subscript):
        outcome, stat, arm = _ref(node)
        if arm not in arms:
            raise _Unevaluable(
                f"the sweep has no regime arm {arm!r} (arms: {', '.join(arms)})." + suggest(arm, arms)
            )
        return frame[f"{outcome}__{stat}__{arm}"].to_numpy(dtype=float)
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = _dotted(node)
        if name not in params:
            raise _Unevaluable(
                f"{name!r} is not a parameter of the sweep (parameters: {', '.join(params)})."
                + suggest(name, params)
            )
        return frame[name].to_numpy(dtype=float)
    if isinstance(node, ast.BinOp):
        return _BINOPS[type(node.op)](
            _eval(node.left, frame, arms, params), _eval(node.right, frame, arms, params)
        )
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, frame, arms, params)
        return np.logical_not(v) if isinstance(node.op, ast.Not) else -v
    if isinstance(node, ast.BoolOp):
        vals = [np.asarray(_eval(v, frame, arms, params), dtype=bool) for v in node.values]
        fn = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        out = vals[0]
        for v in vals[1:]:
            out = fn(out, v)
        return out
    if isinstance(node, ast.Compare):
        left = _eval(node.left, frame, arms, params)
        result: Any = True
        for op, comp in zip(node.ops, node.comparators, strict=True):
            right = _eval(comp, frame, arms, params)
            result = np.logical_and(result, _CMPOPS[type(op)](left, right))
            left = right
        return result
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        args = [_eval(a, frame, arms, params) for a in node.args]
        fn = _FUNCS[node.func.id]
        if fn is np.abs:
            return fn(*args)
        out = args[0]
        for a in args[1:]:
            out = fn(out, a)
        return out
    raise _Unevaluable(f"cannot evaluate {type(node).__name__}")


def holds(claim: Claim, wide: pd.DataFrame, arms: list[str], params: list[str]) -> np.ndarray:
    """Return a boolean per row of ``wide`` (scenario × draw): does the claim hold there?"""
    value = _eval(_parse(claim.holds_if), wide, arms, params)
    arr = np.broadcast_to(np.asarray(value), (len(wide),))
    if arr.dtype != bool:
        raise R2PInputError(
            f"claim {claim.id!r}: holds_if must be a comparison or a combination of "
            "comparisons, not a number."
        )
    return arr.copy()


def wilson(successes: float, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Return the Wilson score interval (95 % by default) of a proportion ``successes / n``."""
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))


@dataclass
class ClaimResult:
    """A claim evaluated on a sweep."""

    id: str
    title: str
    source: str
    holds_if: str
    status: str  # "evaluated" or "not evaluable"
    reason: str = ""
    share: float = math.nan
    ci_low: float = math.nan
    ci_high: float = math.nan
    n_draws: int = 0
    n_cases: int = 0
    share_by_scenario: dict[str, float] = field(default_factory=dict)
    top_parameters: list[dict[str, Any]] = field(default_factory=list)
    flip: dict[str, Any] | None = None
    binned: list[dict[str, float]] = field(default_factory=list)
    figure: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (for JSON)."""
        return dict(self.__dict__)


def _binned_share(x: np.ndarray, h: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    edges = np.unique(np.quantile(x, np.linspace(0, 1, bins + 1)))
    if len(edges) < 2:
        return []
    idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
    out = []
    for b in range(len(edges) - 1):
        m = idx == b
        if m.any():
            out.append(
                {
                    "low": float(edges[b]),
                    "high": float(edges[b + 1]),
                    "mid": float(np.median(x[m])),
                    "share": float(h[m].mean()),
                    "n": int(m.sum()),
                }
            )
    return out


def _crossings(binned: list[dict[str, float]]) -> list[float]:
    """Parameter values where the binned share crosses one half (linear interpolation)."""
    out = []
    for a, b in zip(binned, binned[1:], strict=False):
        if (a["share"] - 0.5) * (b["share"] - 0.5) < 0:
            t = (0.5 - a["share"]) / (b["share"] - a["share"])
            out.append(float(a["mid"] + t * (b["mid"] - a["mid"])))
    return out


def evaluate_claims(
    claims: list[Claim], cfg: SweepConfig, results: pd.DataFrame, top: int = 3
) -> list[ClaimResult]:
    """Evaluate ``claims`` on a sweep's results; return one ``ClaimResult`` per claim.

    A claim naming a regime arm or parameter the sweep lacks comes back "not evaluable" with
    the reason (other claims are still evaluated).
    """
    from r2p.sweep._sobol import sobol_of

    wide = wide_frame(results, cfg)
    arms = [r.name for r in cfg.regimes]
    params = cfg.parameter_names
    draw_ids = wide.index.get_level_values("draw_id").to_numpy()
    scen = wide.index.get_level_values("scenario").to_numpy()
    n_draws = int(len(np.unique(draw_ids)))
    out: list[ClaimResult] = []
    for c in claims:
        res = ClaimResult(c.id, c.title, c.source, " ".join(c.holds_if.split()), "evaluated")
        try:
            h = holds(c, wide, arms, params)
        except _Unevaluable as exc:
            res.status, res.reason = "not evaluable", str(exc)
            out.append(res)
            continue
        res.n_draws, res.n_cases = n_draws, len(h)
        res.share = float(h.mean())
        res.ci_low, res.ci_high = wilson(res.share * n_draws, n_draws)
        res.share_by_scenario = {str(s): float(h[scen == s].mean()) for s in np.unique(scen)}
        per_draw = pd.Series(h.astype(float)).groupby(draw_ids).mean().sort_index()
        if cfg.sampling.method == "saltelli" and len(per_draw) == cfg.rows_per_cell:
            si = sobol_of(per_draw.to_numpy(), params, seed=cfg.seed).sort_values("ST", ascending=False)
            res.top_parameters = [
                {
                    "parameter": str(r.parameter),
                    "ST": float(r.ST),
                    "ST_conf": float(r.ST_conf),
                    "S1": float(r.S1),
                    "S1_conf": float(r.S1_conf),
                }
                for r in si.head(top).itertuples()
                if r.ST > 0
            ]
        key = (
            res.top_parameters[0]["parameter"]
            if res.top_parameters and res.top_parameters[0]["ST"] > 0
            else params[0]
        )
        pvals = wide.groupby(level="draw_id")[key].first().sort_index().to_numpy()
        res.binned = _binned_share(pvals, per_draw.to_numpy())
        cross = _crossings(res.binned)
        # One crossing is a flip point; several mean the share wanders around one half (noise or
        # a non-monotone dependence): reported as such, not as a single threshold.
        res.flip = {"parameter": key, "value": cross[0] if len(cross) == 1 else None, "crossings": len(cross)}
        out.append(res)
    return out
