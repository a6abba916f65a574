"""The model registry: name → factory of a fresh, unfitted estimator."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from r2p.risk._features import EWP_PREDICTORS
from r2p.risk._models import BaseRate, Blend, ElasticNetEWP, GradientBoosting, OnsetLastYear

#: Registry name → zero-argument factory returning an unfitted estimator.
MODELS: dict[str, Callable[[], Any]] = {
    "base_rate": BaseRate,
    "onset_last_year": OnsetLastYear,
    "elastic_net": ElasticNetEWP,
    "elastic_net_plus": partial(ElasticNetEWP, feature_set="ewp+derived"),
    "gbm": GradientBoosting,
    "blend": Blend,
    "blend_ewp_linear": partial(Blend, linear_columns=len(EWP_PREDICTORS)),
    "blend_cv": partial(Blend, weight=None),
    "elastic_net_context": partial(ElasticNetEWP, feature_set="ewp+derived+context"),
    "blend_context": partial(Blend, feature_set="ewp+derived+context"),
}

#: The model r2p uses when none is named: the best by the held-out protocol (docs/risk.md).
DEFAULT_MODEL = "blend"
