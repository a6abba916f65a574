"""Explicit ScenarioInputs for tests and benchmarks (a real code path: users may override every
input).

These are not stand-ins for the Council model: they are a fixed, documented input set so
mechanism tests do not depend on other parts' fitted models. A module of its own (not the
conftest) so that tests and benchmarks can import it whatever other conftest is loaded.
"""

from __future__ import annotations

import numpy as np

from r2p.crisis import ScenarioInputs
from r2p.law import COUNCIL_CLASSES


def make_inputs(
    p_yes_elected: float = 0.8,
    p_yes_p5: float = 0.7,
    p_veto_rus_chn: float = 0.2,
    robustness_slope: float = 0.08,
    closed_state: float = 0.6,
) -> ScenarioInputs:
    """Inputs where support falls and veto risk rises with the draft's robustness."""
    c = len(COUNCIL_CLASSES)
    p_yes = np.zeros((2, c, 15))
    p_veto = np.zeros((2, c, 5))
    for m in range(2):
        for k in range(c):
            drop = robustness_slope * k + (0.0 if m else 0.15)
            p_yes[m, k, 5:] = np.clip(p_yes_elected - drop, 0, 1)
            p_yes[m, k, :3] = np.clip(p_yes_p5 - drop, 0, 1)
            veto = np.clip(p_veto_rus_chn + drop, 0, 0.95)
            p_veto[m, k, 3:] = veto
            p_yes[m, k, 3:5] = np.clip(1 - veto - 0.2, 0, 1) * 0.5
            p_veto[m, k, :3] = 0.01
    return ScenarioInputs(
        target="SDN",
        country="Sudan",
        year=2004,
        region="Sub-Saharan Africa",
        regional_org="AU",
        p_yes=p_yes,
        p_veto=p_veto,
        closed_state=closed_state,
        baseline_risk=0.08,
        risk_rank=3,
        n_countries=160,
    )
