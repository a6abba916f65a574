"""Crisis simulator benchmarks (issue 4), all measured in the same run:

1. throughput: crisis-weeks simulated per CPU-second (one core; NumPy is single-threaded
   here) by ``r2p.crisis.simulate`` end to end (DataFrames and summary included), over all six
   shipped regimes — goal >= 5 million;
2. speed against a per-agent peer of the same model on Mesa 3.3 (``benchmarks/mesa_peer``),
   same scenario and regime — goal >= 100x;
3. agreement: both engines' mean civilian deaths with their Monte Carlo standard errors;
   they agree when |difference| <= 3 standard errors of the difference.

Scenario: Sudan 2004 from the real inputs (``r2p.council`` votes, ``r2p.risk`` baseline
risk) when those parts are available, otherwise the fixed inputs of ``tests/crisis``
(reported in each row's ``scenario`` field).
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

R2P_DRAWS = 100_000
PEER_DRAWS = 3_000
WEEKS = 52
PEER_REGIME = "recommended"


def _scenario():  # type: ignore[no-untyped-def]
    from r2p.crisis import Scenario, council_available, scenario_inputs

    if council_available():
        return Scenario(inputs=scenario_inputs("SDN", 2004), horizon_weeks=WEEKS), "SDN 2004 (real inputs)"
    sys.path.insert(0, str(HERE.parent / "tests" / "crisis"))
    from crisis_inputs import make_inputs  # type: ignore[import-not-found]

    return Scenario(inputs=make_inputs(), horizon_weeks=WEEKS), "tests/crisis fixed inputs"


def run() -> list[dict]:
    from mesa_peer import run_peer
    from r2p.crisis import simulate
    from r2p.law import REGIME_NAMES

    scenario, label = _scenario()
    simulate(scenario, "status_quo", draws=1000, seed=0)  # warm-up (imports, caches)

    cpu = wall = 0.0
    per_regime = {}
    for regime in REGIME_NAMES:
        c0, w0 = time.process_time(), time.perf_counter()
        result = simulate(scenario, regime, draws=R2P_DRAWS, weeks=WEEKS, seed=2026)
        dc, dw = time.process_time() - c0, time.perf_counter() - w0
        cpu += dc
        wall += dw
        per_regime[regime] = (result, dc)
    total_cw = R2P_DRAWS * WEEKS * len(REGIME_NAMES)
    rate = total_cw / cpu

    result, r2p_cpu = per_regime[PEER_REGIME]
    r2p_rate = R2P_DRAWS * WEEKS / r2p_cpu
    deaths = result.summary.set_index("metric").loc["deaths_civilian"]
    peer = run_peer(scenario, PEER_REGIME, PEER_DRAWS, WEEKS, seed=2026)
    peer_rate = peer["crisis_weeks"] / peer["cpu_seconds"]
    diff_se = math.sqrt(float(deaths["se"]) ** 2 + peer["se_deaths"] ** 2)
    z = (float(deaths["mean"]) - peer["mean_deaths"]) / diff_se

    return [
        {
            "name": "r2p crisis-weeks per CPU-second (6 regimes, end to end)",
            "value": rate,
            "unit": "crisis-weeks/s/core",
            "baseline_name": "goal",
            "baseline_value": 5e6,
            "ratio": rate / 5e6,
            "goal": ">= 5e6",
            "met": rate >= 5e6,
            "wall_rate": total_cw / wall,
            "draws_per_regime": R2P_DRAWS,
            "weeks": WEEKS,
            "scenario": label,
        },
        {
            "name": f"r2p vs Mesa 3.3 per-agent peer speed ({PEER_REGIME})",
            "value": r2p_rate,
            "unit": "crisis-weeks/s/core",
            "baseline_name": "Mesa peer",
            "baseline_value": peer_rate,
            "ratio": r2p_rate / peer_rate,
            "goal": ">= 100x",
            "met": r2p_rate / peer_rate >= 100,
            "scenario": label,
        },
        {
            "name": f"mean civilian deaths r2p vs Mesa peer ({PEER_REGIME})",
            "value": float(deaths["mean"]),
            "unit": "deaths",
            "baseline_name": "Mesa peer",
            "baseline_value": peer["mean_deaths"],
            "ratio": float(deaths["mean"]) / peer["mean_deaths"],
            "goal": "|diff| <= 3 SE",
            "met": abs(z) <= 3.0,
            "se_r2p": float(deaths["se"]),
            "se_mesa": peer["se_deaths"],
            "z": z,
            "draws_r2p": R2P_DRAWS,
            "draws_mesa": PEER_DRAWS,
            "scenario": label,
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
