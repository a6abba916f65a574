"""Checksum verification of the shipped datasets against ``data/checksums.sha256``."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from r2p.data._paths import data_dir
from r2p.errors import R2PDataError

CHECKSUM_FILE = "checksums.sha256"


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 digest of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=4)
def expected_checksums(root: Path | None = None) -> dict[str, str]:
    """Return ``{relative path: sha256}`` as listed in ``checksums.sha256`` under ``root``."""
    root = root or data_dir()
    listing = root / CHECKSUM_FILE
    if not listing.is_file():
        raise R2PDataError(
            f"checksum list {listing} is missing; restore it from the r2p repository (data/{CHECKSUM_FILE})."
        )
    out: dict[str, str] = {}
    for line in listing.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, rel = line.split(None, 1)
            out[rel.strip().lstrip("*")] = digest
    return out


def verify(rel_path: str, root: Path | None = None) -> Path:
    """Check one shipped file against its listed checksum; return its absolute path.

    Raises ``R2PDataError`` naming the file when it is missing, unlisted or altered.
    """
    root = root or data_dir()
    path = root / rel_path
    expected = expected_checksums(root).get(rel_path)
    if expected is None:
        raise R2PDataError(f"data file {rel_path} is not listed in {root / CHECKSUM_FILE}.")
    if not path.is_file():
        raise R2PDataError(
            f"data file {path} is missing. Restore it from the r2p repository "
            f"(git checkout -- data/{rel_path}) or set R2P_DATA_DIR to a complete copy."
        )
    actual = sha256_of(path)
    if actual != expected:
        raise R2PDataError(
            f"data file {path} is corrupt or altered: sha256 {actual[:12]}… but "
            f"{CHECKSUM_FILE} lists {expected[:12]}…. Restore it (git checkout -- data/{rel_path})."
        )
    return path
