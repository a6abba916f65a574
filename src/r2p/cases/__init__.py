"""r2p.cases: the historical case library, its schema, timelines and (later) validation.

Public names: ``Case``, ``OnsetCase`` (fields known at onset), ``library()``, ``get_case(id)``,
``truth()``, ``load_case_file``, ``load_case_dir``, ``timeline(case)``, ``first_steps(case)``,
``months_between``, ``store_library()``.
"""

from r2p.cases._library import CaseLoadFailure, get_case, library, load_case_dir, load_case_file, truth
from r2p.cases._schema import CRIME_TYPES, EVENT_INSTRUMENTS, Case, Event, OnsetCase, Vote
from r2p.cases._store import library_tables, store_library
from r2p.cases._timeline import FirstSteps, first_steps, months_between, timeline

__all__ = [
    "CRIME_TYPES",
    "EVENT_INSTRUMENTS",
    "Case",
    "CaseLoadFailure",
    "Event",
    "FirstSteps",
    "OnsetCase",
    "Vote",
    "first_steps",
    "get_case",
    "library",
    "library_tables",
    "load_case_dir",
    "load_case_file",
    "months_between",
    "store_library",
    "timeline",
    "truth",
]
