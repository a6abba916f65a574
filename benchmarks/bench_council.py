"""Benchmarks of r2p.council: warm prediction latency and the veto backtest's skill.

Each figure is printed beside a baseline measured in the same run:
- warm ``CouncilModel.outlook`` latency vs the cold path (fit + history replay for a
  new ``as_of`` date, the work a warm call avoids);
- Brier score of the veto backtest (train ≤ 2010, score 2011–2025) vs the constant
  base rate and vs "the member that vetoed on this topic before vetoes again".
"""

from __future__ import annotations

import datetime as dt
import time


def run() -> list[dict]:
    from r2p.council import load_model, run_backtest
    from r2p.council._model import _MODELS

    results: list[dict] = []
    # cold: a fresh as-of date never seen in this process (disk cache may hold it: clear memory only)
    as_of = dt.date(2016, 7, 1)
    _MODELS.pop(as_of.isoformat(), None)
    started, cpu = time.perf_counter(), time.process_time()
    model = load_model(as_of)
    model.outlook("SYR", 2016)
    cold = time.perf_counter() - started
    cold_cpu = time.process_time() - cpu
    started = time.perf_counter()
    n = 20
    for _ in range(n):
        model.outlook("SYR", 2016)
    warm = (time.perf_counter() - started) / n
    results.append({"name": "council outlook, warm (SYR 2016, 6 instruments)", "value": warm, "unit": "s",
                    "baseline_name": "load_model(as_of) + first outlook", "baseline_value": cold,
                    "ratio": cold / warm, "goal": "< 1 s warm", "met": warm < 1.0,
                    "cold_cpu_seconds": cold_cpu})
    bt = run_backtest(2010).metrics
    results.append({"name": "veto backtest Brier (train<=2010, 2011-2025)", "value": bt["brier_model"],
                    "unit": "Brier", "baseline_name": "constant base rate",
                    "baseline_value": bt["brier_base_rate"],
                    "ratio": bt["brier_base_rate"] / bt["brier_model"],
                    "goal": "skill >= 0.20 (ratio >= 1.25)",
                    "met": bt["brier_skill_vs_base_rate"] >= 0.20})
    results.append({"name": "veto backtest Brier vs repeat-veto baseline", "value": bt["brier_model"],
                    "unit": "Brier", "baseline_name": "member that vetoed on topic before",
                    "baseline_value": bt["brier_repeat_veto"],
                    "ratio": bt["brier_repeat_veto"] / bt["brier_model"], "goal": "ratio > 1",
                    "met": bt["brier_model"] < bt["brier_repeat_veto"]})
    results.append({"name": "veto backtest Brier vs its logistic half alone", "value": bt["brier_model"],
                    "unit": "Brier", "baseline_name": "logistic regression alone (council-14 style)",
                    "baseline_value": bt["brier_logistic_only"],
                    "ratio": bt["brier_logistic_only"] / bt["brier_model"]})
    results.append({"name": "veto backtest AUC", "value": bt["auc_model"], "unit": "AUC",
                    "baseline_name": "repeat-veto baseline AUC", "baseline_value": bt["auc_repeat_veto"],
                    "ratio": bt["auc_model"] / bt["auc_repeat_veto"]})
    return results
