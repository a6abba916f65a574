"""r2p.sweep: parameter sweeps over regimes × scenarios × parameters, Sobol sensitivity, and claims.

Public names:
- ``SweepConfig``, ``load_sweep_config``, ``parse_sweep_config``: the validated sweep file.
- ``run_sweep`` → ``SweepRun``: run or resume a sweep (in-process, ``workers=N`` or ``scheduler=``);
  results in the warehouse table ``sweep_<name>``, Sobol indices in ``sweep_<name>_sobol``.
- ``read_sweep``, ``list_sweeps``, ``sweep_sobol``: stored results, catalog and Sobol indices.
- ``sample_parameters``, ``plan_chunks``: the parameter rows and chunk plan of a config.
- ``Claim``, ``ClaimResult``, ``load_claims``, ``parse_claims``, ``evaluate_claims``,
  ``run_claims``, ``write_claims_report``: the report's claims as data, tested on a sweep.

See docs/sweep.md.
"""

from r2p.sweep._api import list_sweeps, read_sweep, run_claims, sweep_sobol
from r2p.sweep._claims import Claim, ClaimResult, evaluate_claims, load_claims, parse_claims
from r2p.sweep._config import SweepConfig, load_sweep_config, parse_sweep_config, sample_parameters
from r2p.sweep._report import write_claims_report
from r2p.sweep._run import SweepRun, plan_chunks, run_sweep

__all__ = [
    "Claim",
    "ClaimResult",
    "SweepConfig",
    "SweepRun",
    "evaluate_claims",
    "list_sweeps",
    "load_claims",
    "load_sweep_config",
    "parse_claims",
    "parse_sweep_config",
    "plan_chunks",
    "read_sweep",
    "run_claims",
    "run_sweep",
    "sample_parameters",
    "sweep_sobol",
    "write_claims_report",
]
