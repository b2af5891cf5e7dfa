"""The built region tables kept on disk, so a new process loads them instead of building them.

Building the tables from ``data/``, pycountry and Babel's CLDR costs about half a second of CPU at
a process's first classification (the English tables, then a little for each teaser language);
loading what an earlier process built costs about a tenth of that. The file is a pickle in the
package's ``__pycache__`` folder (beside Python's own compiled modules, and ignored by git like
them), named for a hash of everything the tables are built from: this package's code and data
files, the Python version and the versions of pycountry and Babel. So a changed input is a
different name, and a stale file is never read.

Always safe to lose: a missing, unreadable or corrupt file means building the tables, as without
it; a folder that cannot be written (a read-only install, ``PYTHONDONTWRITEBYTECODE``) means
building them in every process, as before. Only files this module wrote are read.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

import babel
import pycountry

log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent
FOLDER = PACKAGE / "__pycache__"
PREFIX = "region-tables-"
SUFFIX = ".pickle"

T = TypeVar("T")


@cache
def inputs_digest(package: Path = PACKAGE) -> str:
    """A hash of everything the tables are built from (16 hex digits): the code and data files
    of ``package`` (this one), the Python version and the versions of pycountry and Babel."""
    digest = hashlib.sha256()
    for part in (
        sys.version,
        str(pickle.HIGHEST_PROTOCOL),
        str(getattr(pycountry, "__version__", "")),
        str(babel.__version__),
    ):
        digest.update(part.encode() + b"\0")
    files = sorted([*package.glob("*.py"), *(package / "data").iterdir()])
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def path_for(name: str, folder: Path = FOLDER) -> Path:
    """Where the tables called ``name`` are kept for the current inputs."""
    return folder / f"{PREFIX}{inputs_digest()}-{name}{SUFFIX}"


def load_or_build(name: str, kind: type[T], build: Callable[[], T], folder: Path = FOLDER) -> T:
    """The tables called ``name``: read from their file in ``folder`` when it holds a ``kind``,
    else built (and written there for the next process, where it can be)."""
    try:
        path = path_for(name, folder)
    except OSError:  # the package's files cannot be read: nothing to key a file on
        return build()
    found = _read(path, kind)
    if found is not None:
        return found
    built = build()
    if not sys.dont_write_bytecode:
        _write(path, built)
    return built


def _read(path: Path, kind: type[T]) -> T | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        found = pickle.loads(data)  # noqa: S301 - a file this module wrote, in the package itself
    except Exception:  # a corrupt or truncated file: build the tables instead
        log.debug("region tables: %s is unreadable; building them", path.name)
        return None
    return found if isinstance(found, kind) else None


def _write(path: Path, value: object) -> None:
    """Write atomically (a reader sees the whole file or none); any failure is only skipped."""
    try:
        path.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.chmod(temporary, 0o644)  # readable like the compiled modules beside it
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, RecursionError) as exc:
        log.debug("region tables: cannot keep %s (%s)", path.name, exc)
        return
    _remove_stale(path)


def _remove_stale(kept: Path) -> None:
    """Files of earlier inputs are never read again: remove them (best effort)."""
    current = f"{PREFIX}{inputs_digest()}-"
    for old in kept.parent.glob(f"{PREFIX}*{SUFFIX}"):
        if not old.name.startswith(current):
            try:
                old.unlink(missing_ok=True)
            except OSError:
                return
