"""Notes of passed validations: a data package validated once, by this version of the code, is not validated again.

The full validation (frictionless, shapely, the cross-table checks) takes seconds. `make run` validates while it
sets up (scripts/write_static_files.py), so the first reader of a fresh server does not wait for it; the server
validates only a state of the data files that has no note, in a child process (ui.validate_in_child_process).
Failures are never noted: a broken file is validated, and named, at every start.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from china_bigscience.catalogue import Catalogue, load_catalogue

PACKAGE_DIR = Path(__file__).resolve().parent


def data_files_state(data_dir: Path) -> tuple:
    """What identifies one state of the data package: every file's name, size and modification time.

    Editing, replacing or fixing any data file gives a new state (and so a new validation).
    """
    return tuple(sorted((path.name, path.stat().st_size, path.stat().st_mtime_ns)
                        for path in Path(data_dir).iterdir() if path.is_file()))


def validation_note(data_dir: Path, state: tuple) -> Path:
    """The file that notes a passed validation of this state of the data files by this version of the code
    (any edit to a data file, its size or time, or to the package's code is a new note)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((str(Path(data_dir).resolve()), state)).encode())
    for source in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(source.read_bytes())
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache_home / "china-bigscience" / "validated" / digest.hexdigest()


def passed_before(data_dir: Path, state: tuple) -> bool:
    return validation_note(data_dir, state).exists()


def validate_and_note(data_dir: Path) -> Catalogue:
    """The validated catalogue of ``data_dir`` (raises its DataValidationError); a pass is noted for the files as
    they were when validation began."""
    state = data_files_state(data_dir)
    catalogue = load_catalogue(data_dir)
    note = validation_note(data_dir, state)
    try:
        note.parent.mkdir(parents=True, exist_ok=True)
        note.touch()
    except OSError:  # a read-only home: validated again at the next start
        pass
    return catalogue


def validate_unless_noted(data_dir: Path) -> Catalogue | None:
    """``validate_and_note``, unless this state of the files already passed: then None (nothing is read)."""
    return None if passed_before(data_dir, data_files_state(data_dir)) else validate_and_note(data_dir)
