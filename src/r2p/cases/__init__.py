"""r2p.cases: the historical case library, its schema, timelines and (later) validation.

Public names: ``Case``, ``OnsetCase`` (fields known at onset), ``library()``, ``get_case(id)``,
``truth()``, ``load_case_file``, ``load_case_dir``, ``timeline(case)``, ``first_steps(case)``,
``months_between``, ``store_library()``.

As-of predictions and validation (docs/cases.md): ``predict_cases(cases)`` → ``Predictions``
(the four outcome probabilities per case: the crisis simulator run on inputs dated before the
case's onset, calibrated on the library without that case, then the outcome layer — the veto
record before onset for ``veto_24m``, a small statistical model blended in for the others); ``validate()`` →
``Validation`` (Brier scores against the base rate and an era baseline, per-case table, timing
fit); ``case_inputs(case)`` → ``CaseInputs`` (the as-of inputs and their missing-data flags);
``SimParams`` (the calibrated simulator parameters).
"""

from r2p.cases._features import CaseInputs, case_inputs
from r2p.cases._library import CaseLoadFailure, get_case, library, load_case_dir, load_case_file, truth
from r2p.cases._predict import OUTCOMES, SimParams
from r2p.cases._schema import CRIME_TYPES, EVENT_INSTRUMENTS, Case, Event, OnsetCase, Vote
from r2p.cases._store import library_tables, store_library
from r2p.cases._timeline import FirstSteps, first_steps, months_between, timeline
from r2p.cases._validate import Predictions, Validation, predict_cases, validate

__all__ = [
    "CRIME_TYPES",
    "EVENT_INSTRUMENTS",
    "OUTCOMES",
    "Case",
    "CaseInputs",
    "CaseLoadFailure",
    "Event",
    "FirstSteps",
    "OnsetCase",
    "Predictions",
    "SimParams",
    "Validation",
    "Vote",
    "case_inputs",
    "first_steps",
    "get_case",
    "library",
    "library_tables",
    "load_case_dir",
    "load_case_file",
    "months_between",
    "predict_cases",
    "store_library",
    "timeline",
    "truth",
    "validate",
]
