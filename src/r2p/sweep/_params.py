"""The parameters a sweep may vary, their allowed domains, and how a row of values is applied.

Names are dotted paths into the simulator's own data types, and the domains are read from
those types' declared bounds (so they cannot drift from the model):

- ``perpetrator.<field>``: a ``r2p.crisis.Perpetrator`` field (growth, resolve, capacity …);
- ``scenario.<field>``: a numeric ``r2p.crisis.Scenario`` field (detection_weeks …);
- ``regime.<section>.<field>``: a numeric ``r2p.law.Regime`` field (council.deliberation_weeks,
  council.veto_threat_cost, council.extra_members, detection.lag_factor …);
- ``regime.council.restraint.<P5>``: that permanent member's veto-restraint compliance;
- ``regime.paths.<field>``: the field of every alternative authority path of the regime
  (political_will, decision_weeks, extra_decision_weeks, signal …);
- ``inputs.veto_scale``: multiplies every P5 member's veto propensity (expected vetoes).

Integer fields take the sampled value rounded to the nearest integer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Domain:
    """Allowed values of a parameter: ``lo``..``hi`` with open/closed ends; ``integer`` rounds."""

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False

    def contains(self, lo: float, hi: float) -> bool:
        """True if every value in [lo, hi] is allowed."""
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return False
        ok_lo = lo > self.lo if self.lo_open else lo >= self.lo
        ok_hi = hi < self.hi if self.hi_open else hi <= self.hi
        return ok_lo and ok_hi

    def __str__(self) -> str:
        kind = "integer " if self.integer else ""
        return f"{kind}{'(' if self.lo_open else '['}{self.lo:g}, {self.hi:g}{')' if self.hi_open else ']'}"


def _field_domain(field: Any) -> Domain | None:
    ann = field.annotation
    if ann not in (float, int):
        return None
    lo, hi, lo_open, hi_open = -math.inf, math.inf, False, False
    for m in field.metadata:
        if getattr(m, "ge", None) is not None:
            lo = float(m.ge)
        if getattr(m, "gt", None) is not None:
            lo, lo_open = float(m.gt), True
        if getattr(m, "le", None) is not None:
            hi = float(m.le)
        if getattr(m, "lt", None) is not None:
            hi, hi_open = float(m.lt), True
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return None
    return Domain(lo, hi, lo_open, hi_open, integer=ann is int)


# Scenario fields are a dataclass checked in __post_init__; their ranges as documented there.
_SCENARIO = {
    "detection_weeks": Domain(0.0, 260.0),
    "intervener_interest": Domain(0.0, 1.0),
    "necessity_deaths": Domain(0.0, 1e10),
}
VETO_SCALE = Domain(0.0, 5.0)


@cache
def domains() -> dict[str, Domain]:
    """``{parameter name: Domain}`` of every parameter a sweep may vary."""
    from r2p.crisis import Perpetrator
    from r2p.law import P5, PathRule, Regime

    out: dict[str, Domain] = {}
    for name, f in Perpetrator.model_fields.items():
        d = _field_domain(f)
        if d:
            out[f"perpetrator.{name}"] = d
    out.update({f"scenario.{k}": v for k, v in _SCENARIO.items()})
    for section in ("detection", "council", "capacity", "criteria"):
        model = Regime.model_fields[section].annotation
        for name, f in model.model_fields.items():  # type: ignore[union-attr]
            d = _field_domain(f)
            if d:
                out[f"regime.{section}.{name}"] = d
    for member in P5:
        out[f"regime.council.restraint.{member}"] = Domain(0.0, 1.0)
    for name, f in PathRule.model_fields.items():
        d = _field_domain(f)
        if d:
            out[f"regime.paths.{name}"] = d
    out["inputs.veto_scale"] = VETO_SCALE
    return out


def split(values: dict[str, float]) -> tuple[dict[str, float], dict[str, float], dict[str, float], float]:
    """Split a row of parameter values into (perpetrator, scenario, regime, veto_scale) parts.

    Integer parameters are rounded; names are stripped of their prefix.
    """
    dom = domains()
    perp: dict[str, float] = {}
    scen: dict[str, float] = {}
    regime: dict[str, float] = {}
    veto_scale = 1.0
    for name, v in values.items():
        value: float = float(v)
        if dom[name].integer:
            value = int(round(value))
        head, _, rest = name.partition(".")
        if head == "perpetrator":
            perp[rest] = value
        elif head == "scenario":
            scen[rest] = value
        elif head == "regime":
            regime[rest] = value
        else:
            veto_scale = value
    return perp, scen, regime, veto_scale


def apply_to_regime_dict(data: dict[str, Any], overrides: dict[str, float]) -> dict[str, Any]:
    """Return a copy of a regime mapping with ``section.field`` / ``paths.field`` values set."""
    import copy

    out = copy.deepcopy(data)
    for key, value in overrides.items():
        parts = key.split(".")
        if parts[0] == "paths":
            for path in out.get("paths", []):
                path[parts[1]] = value
            continue
        node = out
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
    return out


def scale_vetoes(inputs: Any, scale: float) -> Any:
    """Return scenario inputs with every P5 member's veto propensity multiplied by ``scale``.

    Above 1 the added veto mass comes from the member's non-yes share first, then from yes (as
    ``ScenarioInputs.with_veto``); below 1 the freed mass goes to abstention, not to yes.
    """
    if scale == 1.0:
        return inputs
    import dataclasses

    from r2p.law import P5

    p5 = len(P5)
    veto = np.array(inputs.p_veto)
    yes = np.array(inputs.p_yes)
    target = np.clip(veto * scale, 0.0, 1.0)
    if scale > 1.0:
        # ScenarioInputs.with_veto for every permanent member at once (each touches its own column)
        free = 1.0 - yes[:, :, :p5] - veto
        extra = np.maximum(target - veto, 0.0)
        from_yes = np.maximum(extra - free, 0.0)
        yes[:, :, :p5] = np.maximum(yes[:, :, :p5] - from_yes, 0.0)
        veto = np.minimum(np.maximum(veto, target), 1.0 - yes[:, :, :p5])
    else:
        veto = target
    return dataclasses.replace(inputs, p_yes=yes, p_veto=veto)
