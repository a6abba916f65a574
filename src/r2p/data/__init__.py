"""r2p.data: the shipped real datasets, their checksums and provenance, and the DuckDB warehouse.

Public names:
- ``build_warehouse`` / ``ensure_warehouse``: build the warehouse (atomic, idempotent).
- ``connect``, ``read_table``, ``query``, ``write_table``: read it, and store derived tables
  (``connect``/``write_table`` can wait a bounded time for another process's lock).
- ``countries`` → ``CountryIndex`` with ``resolve(name_or_code) -> Country``; ``resolve_country``.
- ``cached_pickle(path, build)``: a locked, atomic disk cache every part uses for fitted models.
- ``data_dir``, ``home_dir``, ``default_warehouse_path``: where things live.
- ``DATASETS``: the registry of shipped files.
"""

from r2p.data._cache import cached_pickle, file_lock, save_pickle
from r2p.data._crosswalk import Country, CountryIndex
from r2p.data._paths import data_dir, default_warehouse_path, home_dir
from r2p.data._sources import DATASETS, Dataset
from r2p.data._warehouse import (
    BuildReport,
    build_warehouse,
    connect,
    countries,
    ensure_warehouse,
    query,
    read_table,
    table_rows,
    write_table,
)


def resolve_country(query_: str | int) -> Country:
    """Return the ``Country`` for an ISO3/ISO2/COW code or a name; ``R2PInputError`` if unknown."""
    return countries().resolve(query_)


__all__ = [
    "DATASETS",
    "BuildReport",
    "Country",
    "CountryIndex",
    "Dataset",
    "build_warehouse",
    "cached_pickle",
    "connect",
    "countries",
    "data_dir",
    "default_warehouse_path",
    "ensure_warehouse",
    "file_lock",
    "home_dir",
    "query",
    "read_table",
    "resolve_country",
    "save_pickle",
    "table_rows",
    "write_table",
]
