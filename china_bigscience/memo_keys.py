"""Content keys for the dashboard's memoised chart calls (``ui.cached_chart``): equal content, equal key.

Streamlit-free, so the keys are tested without a server. A loaded catalogue and the province
GeoJSON are the same objects on every rerun: they are digested once per object, not per rerun.
"""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from dataclasses import fields

import numpy as np
import pandas as pd

from china_bigscience.catalogue import Catalogue


def memo_key(value: object) -> str:
    """A stable key for a memoised function's argument: equal content gives an equal key, different content
    (including the same rows in another order) a different one. The catalogue and the province GeoJSON are
    keyed by their content too, digested once per object (``digest_once``), not on every rerun."""
    digest = hashlib.blake2b(digest_size=16)
    _feed(digest, value)
    return digest.hexdigest()


def _feed(digest, value: object) -> None:
    table_digest = _catalogue_table_digest(value)
    if table_digest is not None:
        # A table of a loaded catalogue (ni, sources...) is the same object on every rerun: digested once.
        digest.update(table_digest.encode())
    elif isinstance(value, (pd.DataFrame, pd.Series)):
        columns = list(value.columns) if isinstance(value, pd.DataFrame) else [value.name]
        dtypes = list(value.dtypes.astype(str)) if isinstance(value, pd.DataFrame) else [str(value.dtype)]
        digest.update(repr((type(value).__name__, value.shape, columns, dtypes)).encode())
        digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())  # row order counts
    elif isinstance(value, Catalogue) or (isinstance(value, dict) and value.get("type") == "FeatureCollection"):
        digest.update(digest_once(value).encode())
    elif isinstance(value, np.ndarray):
        digest.update(repr((value.dtype.str, value.shape)).encode() + value.tobytes())
    elif isinstance(value, (list, tuple)):
        digest.update(f"{type(value).__name__}[{len(value)}]".encode())
        for item in value:
            _feed(digest, item)
    elif isinstance(value, dict):
        digest.update(f"dict[{len(value)}]".encode())
        for key, item in value.items():
            digest.update(repr(key).encode())
            _feed(digest, item)
    else:
        # Numbers, strings, None, ranges and the small frozen dataclasses (FacilityFilter, SizeMeasure):
        # their repr shows every field.
        digest.update(f"{type(value).__qualname__}:{value!r}".encode())


_digests: dict[int, tuple[object, str]] = {}
_digests_lock = threading.Lock()
# The tables of the catalogues digested so far, by identity (each kept referenced, so its id is not reused).
_table_digests: dict[int, tuple[pd.DataFrame, str]] = {}


# Tables derived from the catalogue (a run's selected facilities, a memoised table), digested once when made and
# looked up by identity for as long as they live: a weak reference, so a table the app drops frees its entry (and
# the entry goes before its id can be reused).
_derived_digests: dict[int, tuple[weakref.ref, str]] = {}


def _catalogue_table_digest(value: object) -> str | None:
    if not isinstance(value, pd.DataFrame):
        return None
    with _digests_lock:
        entry = _table_digests.get(id(value))
        if entry is not None and entry[0] is value:
            return entry[1]
        derived = _derived_digests.get(id(value))
    return derived[1] if derived is not None and derived[0]() is value else None


def remember_content_digest(table: pd.DataFrame) -> pd.DataFrame:
    """``table``, its content digested now and looked up by identity in later keys (the caller must not modify it)."""
    if _catalogue_table_digest(table) is not None:
        # Known already (a catalogue's table in a memoised result, a result met again): no second digest, and no
        # second finaliser on a table that may live as long as the server.
        return table
    digest = hashlib.blake2b(digest_size=16)
    _feed(digest, table)
    with _digests_lock:
        _derived_digests[id(table)] = (weakref.ref(table), digest.hexdigest())
    weakref.finalize(table, _forget_derived, id(table))
    return table


def _forget_derived(table_id: int) -> None:
    # No lock here: the garbage collector can run this callback in a thread that already holds _digests_lock (it
    # did, and the lock, not re-entrant, hung the test run). One dict.pop is atomic; it runs before the id is freed.
    _derived_digests.pop(table_id, None)


def digest_once(value: Catalogue | dict) -> str:
    """The content digest of a catalogue or a GeoJSON, kept with a reference to it (so its id cannot be reused)."""
    with _digests_lock:
        entry = _digests.get(id(value))
        if entry is not None and entry[0] is value:
            return entry[1]
    digest = hashlib.blake2b(digest_size=16)
    if isinstance(value, Catalogue):
        for table in fields(value):
            item = getattr(value, table.name)
            if isinstance(item, pd.DataFrame):
                table_digest = hashlib.blake2b(digest_size=16)
                _feed(table_digest, item)
                with _digests_lock:
                    _table_digests[id(item)] = (item, table_digest.hexdigest())
                digest.update(table_digest.hexdigest().encode())
        digest.update(json.dumps(value.descriptor, sort_keys=True, default=str).encode())
        digest.update(str(value.data_dir).encode())
    else:
        digest.update(json.dumps(value, sort_keys=True, default=str).encode())
    with _digests_lock:
        while len(_digests) >= 8:  # a few catalogues at most (tests and benchmarks load several)
            _digests.pop(next(iter(_digests)))
        while len(_table_digests) > 8 * 16:  # and their tables
            _table_digests.pop(next(iter(_table_digests)))
        _digests[id(value)] = (value, digest.hexdigest())
    return _digests[id(value)][1]
