"""r2p.risk: early warning of state-led mass-killing onset, on the Early Warning Project's protocol.

Public names:
- ``MODELS`` (registry name → estimator factory) and ``DEFAULT_MODEL``.
- ``backtest(model=None, *, progress=None) -> BacktestResult``: the 31-refit fully-out-of-sample
  backtest (1994–2024 onsets) with its table and metrics.
- ``forecast(base_year, model=None) -> DataFrame``: every country's 1- and 2-year risk "as of" a year.
- ``country_risk(iso3, base_year, model=None) -> CountryRisk``: one country's risk, drivers and history.
- ``BacktestResult``, ``CountryRisk``, ``Driver``: the result types.
- ``MODEL_VERSION``: changes whenever model outputs may change (for dependants' caches).
"""

from r2p.risk._protocol import CODE_VERSION as MODEL_VERSION
from r2p.risk._protocol import BacktestResult, CountryRisk, Driver, backtest, country_risk, forecast
from r2p.risk._registry import DEFAULT_MODEL, MODELS

__all__ = [
    "DEFAULT_MODEL",
    "MODELS",
    "MODEL_VERSION",
    "BacktestResult",
    "CountryRisk",
    "Driver",
    "backtest",
    "country_risk",
    "forecast",
]
