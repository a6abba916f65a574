"""Every part exports only its public names, and each of them exists."""

from __future__ import annotations

import importlib

import pytest

import r2p.cases
import r2p.data

PARTS = ("data", "risk", "council", "law", "crisis", "cases", "sweep", "report", "web")


@pytest.mark.parametrize("part", PARTS)
def test_every_exported_name_exists_and_no_private_name_is_exported(part: str) -> None:
    module = importlib.import_module(f"r2p.{part}")
    names = list(module.__all__)
    assert names, f"r2p.{part} exports nothing"
    assert all(hasattr(module, n) for n in names)
    assert not [n for n in names if n.startswith("_")]


def test_data_names() -> None:
    assert set(r2p.data.__all__) == {
        "DATASETS", "BuildReport", "Country", "CountryIndex", "Dataset", "build_warehouse",
        "cached_pickle", "connect", "countries", "data_dir", "default_warehouse_path",
        "ensure_warehouse", "file_lock", "home_dir", "query", "read_table", "resolve_country",
        "save_pickle", "table_rows", "write_table",
    }


def test_cases_library_names_are_kept() -> None:
    assert set(r2p.cases.__all__) >= {
        "Case", "OnsetCase", "library", "get_case", "truth", "load_case_file", "load_case_dir",
        "timeline", "first_steps", "months_between", "store_library",
    }
