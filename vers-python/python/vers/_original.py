"""The original vers Python API: one class per algorithm, build_index / search(top_k=) / save_index."""

import json
import os

import numpy as np

from ._index import Index, build, load


class _Original:
    """Shared by HNSW, IVFFlat, LSH and Flat: an index plus, when built from a dict, its keys."""

    algorithm = None

    def __init__(self, metric="l2", **params):
        self._metric = metric
        self._params = params
        self._index = None
        self._keys = None  # position -> key, when built from a mapping

    def build_index(self, embeddings, num_threads=-1):
        """Builds from a 2-D array (ids 0..n-1) or a mapping of key -> vector (the keys become the names
        search returns)."""
        if hasattr(embeddings, "keys") and hasattr(embeddings, "values"):
            self._keys = list(embeddings.keys())
            data = np.stack([np.asarray(v, dtype=np.float32) for v in embeddings.values()]) if self._keys else None
            if data is None:
                raise ValueError("build_index needs at least one vector")
        else:
            self._keys = None
            data = embeddings
        self._index = build(self.algorithm, data, metric=self._metric, num_threads=num_threads, **self._params)
        return self

    def add(self, vector, id):
        """Adds one vector under an int id (or under a key, when the index was built from a mapping)."""
        index = self._require()
        if self._keys is not None and not isinstance(id, (int, np.integer)):
            self._keys.append(id)
            id = len(self._keys) - 1
        index.add(np.asarray(vector), ids=[int(id)])

    def search(self, vector, top_k=10, **knobs):
        """The top_k nearest as a list of (key or id, distance), nearest first."""
        ids, distances = self._require().search(np.asarray(vector), k=top_k, **knobs)
        out = []
        for i, d in zip(ids.tolist(), distances.tolist()):
            if i < 0:
                break
            name = self._keys[i] if self._keys is not None and 0 <= i < len(self._keys) else i
            out.append((name, d))
        return out

    # the original method name
    search_approximate = search

    def save_index(self, path):
        """Saves the index in vers's file format; keys, if any, go beside it in PATH.keys.json."""
        self._require().save(path)
        keys_file = os.fspath(path) + ".keys.json"
        if self._keys is not None:
            with open(keys_file, "w", encoding="utf-8") as f:
                json.dump([str(k) for k in self._keys], f)
        elif os.path.exists(keys_file):
            os.remove(keys_file)

    @classmethod
    def load_index(cls, path):
        """Loads what save_index wrote (from any vers index file of this algorithm)."""
        index = load(path)
        if cls.algorithm is not None and index.algorithm != cls.algorithm:
            raise ValueError(f"{os.fspath(path)} holds a {index.algorithm} index, not {cls.algorithm}; "
                             f"use vers.load()")
        obj = cls.__new__(cls)
        obj._metric = index.metric
        obj._params = index.params
        obj._index = index
        obj._keys = None
        keys_file = os.fspath(path) + ".keys.json"
        if os.path.exists(keys_file):
            with open(keys_file, encoding="utf-8") as f:
                obj._keys = json.load(f)
        return obj

    @property
    def index(self):
        """The vers.Index underneath."""
        return self._require()

    def __len__(self):
        return 0 if self._index is None else len(self._index)

    def _require(self):
        if self._index is None:
            raise ValueError("the index is empty: call build_index(embeddings) first")
        return self._index

    def __repr__(self):
        return f"vers.{type(self).__name__}({self._params}, size={len(self)})"


class HNSW(_Original):
    """``vers.HNSW(ef_construction=100, num_layers=8, ef_search=32, num_neighbours=8)``."""

    algorithm = "hnsw"

    def __init__(self, ef_construction=100, num_layers=8, ef_search=32, num_neighbours=8, metric="l2", **params):
        super().__init__(metric=metric, ef_construction=ef_construction, num_layers=num_layers,
                         ef_search=ef_search, num_neighbours=num_neighbours, **params)


class IVFFlat(_Original):
    """``vers.IVFFlat(num_clusters=..., num_attempts=..., max_iterations=...)``; unset ones use vers's defaults."""

    algorithm = "ivfflat"

    def __init__(self, num_clusters=None, num_attempts=None, max_iterations=None, metric="l2", **params):
        given = {"num_clusters": num_clusters, "num_attempts": num_attempts, "max_iterations": max_iterations}
        super().__init__(metric=metric, **{k: v for k, v in given.items() if v is not None}, **params)


class LSH(_Original):
    """``vers.LSH(num_trees=..., max_node_size=...)``; unset ones use vers's defaults."""

    algorithm = "lsh"

    def __init__(self, num_trees=None, max_node_size=None, metric="l2", **params):
        given = {"num_trees": num_trees, "max_node_size": max_node_size}
        super().__init__(metric=metric, **{k: v for k, v in given.items() if v is not None}, **params)


class Flat(_Original):
    """``vers.Flat()``: exact search."""

    algorithm = "flat"

    def __init__(self, metric="l2"):
        super().__init__(metric=metric)


def load_word_vectors(path, limit=None):
    """Reads a fastText ``.vec`` or GloVe text file into a dict of word -> float32 vector (the first
    ``limit`` words when given). fastText's first line ``COUNT DIMENSION`` is recognised and skipped."""
    out = {}
    dim = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            parts = line.rstrip("\n").rstrip(" ").split(" ")
            if number == 1 and len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
                dim = int(parts[1])
                continue
            if len(parts) < 2:
                continue
            try:
                vector = np.asarray(parts[1:], dtype=np.float32)
            except ValueError:
                raise ValueError(f"{path}:{number}: a component of {parts[0]!r} is not a number") from None
            if dim is None:
                dim = vector.shape[0]
            if vector.shape[0] != dim:
                raise ValueError(f"{path}:{number}: {parts[0]!r} has {vector.shape[0]} components, "
                                 f"the file's vectors have {dim}")
            out[parts[0]] = vector
            if limit is not None and len(out) >= limit:
                break
    return out
