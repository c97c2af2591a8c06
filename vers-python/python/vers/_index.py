"""The vers Index in Python: numpy in, numpy out."""

import os

import jpype
import jpype.nio
import numpy as np

from ._jvm import java


class CorruptIndexError(ValueError):
    """A file that is not a vers index, or is truncated or damaged."""


def _translate(e):
    """The Python error for a Java exception: its message, without the Java stack trace."""
    name = str(e.getClass().getName())
    message = str(e.getMessage()) if e.getMessage() is not None else name
    classes = list(_superclasses(e.getClass()))
    if "io.vers.api.CorruptIndexException" in classes:  # IndexFormatTooNewException too
        return CorruptIndexError(message)
    if name in ("java.nio.file.NoSuchFileException", "java.io.FileNotFoundException"):
        return FileNotFoundError(message)
    if name == "java.util.NoSuchElementException":
        return KeyError(message)
    if name == "io.vers.io.IndexTooLargeForHeapException":
        return MemoryError(message)
    if "java.io.IOException" in classes:
        return OSError(message)
    if name == "java.lang.NullPointerException":
        return TypeError(message)
    if "java.lang.IllegalArgumentException" in classes:
        return ValueError(message)
    return RuntimeError(name + ": " + message)


def _superclasses(cls):
    while cls is not None:
        yield str(cls.getName())
        cls = cls.getSuperclass()


def _call(fn, *args):
    try:
        return fn(*args)
    except jpype.JException as e:
        raise _translate(e) from None


def _matrix(data, dim):
    """data as a C-contiguous float32 array of shape (n, dim), converted at most once."""
    a = np.asarray(data)
    if a.ndim == 1:
        a = a.reshape(1, -1)
    if a.ndim != 2:
        raise ValueError(f"expected a 1-D vector or a 2-D array of vectors, got an array of shape {a.shape}")
    if dim is not None and a.shape[1] != dim:
        raise ValueError(f"vectors have {a.shape[1]} components but the index has dimension {dim}")
    if not np.issubdtype(a.dtype, np.number):
        raise ValueError(f"vectors must be numbers, got dtype {a.dtype}")
    return np.require(a, dtype=np.float32, requirements=["C_CONTIGUOUS", "ALIGNED", "WRITEABLE"])


def _buffer(matrix):
    if matrix.size == 0:
        return java().Bridge.floats(jpype.JClass("java.nio.ByteBuffer").allocateDirect(0))
    return jpype.nio.convertToDirectBuffer(matrix)


def _long_array(values):
    a = np.ascontiguousarray(np.asarray(values, dtype=np.int64).reshape(-1))
    return jpype.JArray(jpype.JLong)(a)


def _java_map(params):
    j = java()
    m = j.HashMap()
    for name, value in params.items():
        if isinstance(value, (bool, np.bool_)):
            m.put(name, j.Boolean(bool(value)))
        elif isinstance(value, (int, np.integer)):
            m.put(name, j.Long(int(value)))
        elif isinstance(value, (float, np.floating)):
            m.put(name, j.Double(float(value)))
        else:
            m.put(name, j.String(str(value)))
    return m


def _threads(num_threads):
    if num_threads is None or num_threads == 0 or num_threads < -1:
        raise ValueError(f"num_threads must be a positive number, or -1 for every core; got {num_threads}")
    return int(num_threads)


def _search_params(knobs, filter):
    j = java()
    if not knobs and filter is None:
        return j.SearchParams.DEFAULT
    m = j.HashMap()
    for name, value in knobs.items():
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"search knob {name} must be a number, got {value!r}")
        m.put(name, j.Double(float(value)))
    allowed = None
    predicate = None
    if filter is not None:
        if callable(filter):
            predicate = jpype.JProxy(j.LongPredicate, dict={"test": lambda id_: bool(filter(int(id_)))})
        else:
            allowed = _long_array(filter)
    return _call(j.Bridge.params, m, allowed, predicate)


def algorithms():
    """Every algorithm available, by name, with its build parameters and search knobs.

    Returns a dict: name -> {"description": ..., "parameters": {name: default}, "search_knobs": {name: default}}.
    """
    j = java()
    out = {}
    for name in j.Indexes.available():
        provider = j.Indexes.provider(name)

        def specs(lst):
            return {str(s.name()): (None if s.defaultValue() is None else _py(s.defaultValue())) for s in lst}

        out[str(name)] = {
            "description": str(provider.description()),
            "parameters": specs(provider.parameters()),
            "search_knobs": specs(provider.searchParameters()),
        }
    return out


def _py(value):
    s = str(value)
    for convert in (int, float):
        try:
            return convert(s)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(s.lower(), s)


class Index:
    """A vers index: ``Index(algorithm, dim, metric="l2", **params)``.

    algorithm: "hnsw", "ivfflat", "lsh" or "flat" (see ``vers.algorithms()``); metric: "l2" (squared
    Euclidean), "cosine" (1 - cosine similarity) or "dot" (also "ip": minus the inner product); params:
    the algorithm's build parameters by name, for example ``m=16, ef_construction=200``.
    """

    def __init__(self, algorithm, dim, metric="l2", **params):
        j = java()
        self._j = _call(j.Indexes.create, algorithm, int(dim), _call(j.Metric.parse, metric), _java_map(params))
        self._next_id = None

    @classmethod
    def _wrap(cls, jindex):
        index = cls.__new__(cls)
        index._j = jindex
        index._next_id = None
        return index

    # ------------------------------------------------------------------ properties

    @property
    def algorithm(self):
        return str(self._j.algorithm())

    @property
    def dim(self):
        return int(self._j.dimension())

    @property
    def metric(self):
        return str(self._j.metric().name()).lower()

    @property
    def params(self):
        return {str(k): _py(v) for k, v in self._j.parameters().items()}

    @property
    def memory_bytes(self):
        return int(self._j.ramBytesUsed())

    @property
    def java_index(self):
        """The Java ``io.vers.api.Index`` behind this object."""
        return self._j

    def __len__(self):
        return int(self._j.size())

    def __contains__(self, id_):
        return bool(self._j.contains(int(id_)))

    def __repr__(self):
        params = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return (f"vers.Index({self.algorithm!r}, dim={self.dim}, metric={self.metric!r}, size={len(self)}"
                + (f", {params}" if params else "") + ")")

    # ------------------------------------------------------------------ writes

    def add(self, data, ids=None, num_threads=-1):
        """Adds vectors (a 1-D vector or a 2-D array, any float dtype or layout); ids default to consecutive
        integers after the largest id so far. An id already stored is replaced. Returns the ids."""
        matrix = _matrix(data, self.dim)
        n = matrix.shape[0]
        if ids is None:
            if self._next_id is None:
                self._next_id = int(java().Bridge.maxId(self._j)) + 1
            ids = np.arange(self._next_id, self._next_id + n, dtype=np.int64)
        else:
            ids = np.asarray(ids, dtype=np.int64).reshape(-1)
            if ids.shape[0] != n:
                raise ValueError(f"{ids.shape[0]} ids for {n} vectors; pass one id per vector")
        _call(java().Bridge.add, self._j, _long_array(ids), _buffer(matrix), _threads(num_threads))
        if n:
            top = int(ids.max()) + 1
            self._next_id = top if self._next_id is None else max(self._next_id, top)
        return ids

    def remove(self, ids):
        """Removes ids (one or many); returns how many were stored."""
        return int(_call(java().Bridge.remove, self._j, _long_array(np.atleast_1d(ids))))

    # ------------------------------------------------------------------ reads

    def get(self, ids):
        """The stored vectors of ids: shape (dim,) for one id, (n, dim) for many. Under cosine they are the
        unit-length copies the index holds. Raises KeyError for an id that is not stored."""
        one = np.ndim(ids) == 0
        flat = np.asarray(_call(java().Bridge.vectors, self._j, _long_array(np.atleast_1d(ids))), dtype=np.float32)
        out = flat.reshape(-1, self.dim)
        return out[0] if one else out

    def ids(self):
        """The ids stored, as int64, in no particular order."""
        return np.asarray(_call(java().Bridge.ids, self._j), dtype=np.int64)

    # ------------------------------------------------------------------ searches

    def search(self, queries, k=10, num_threads=-1, filter=None, **knobs):
        """The k nearest stored vectors of each query: ``(ids, distances)`` as int64 and float32 arrays of
        shape (n, k), or (k,) for a 1-D query, nearest first, padded with -1 and inf.

        knobs: the algorithm's search knobs by name (``ef=``, ``nprobe=``, ``search_k=``) or
        ``target_recall=0.95``; filter: an array of allowed ids, or a callable taking an id.
        """
        one = np.ndim(queries) == 1
        matrix = _matrix(queries, self.dim)
        params = _search_params(knobs, filter)
        batch = _call(java().Bridge.search, self._j, _buffer(matrix), matrix.shape[0], int(k), params,
                      _threads(num_threads))
        ids = np.asarray(batch.ids(), dtype=np.int64).reshape(-1, int(k))
        distances = np.asarray(batch.distances(), dtype=np.float32).reshape(-1, int(k))
        return (ids[0], distances[0]) if one else (ids, distances)

    def knn_query(self, data, k=1, num_threads=-1, filter=None):
        """hnswlib's ``knn_query``: ``(labels, distances)``, both of shape (n, k)."""
        matrix = _matrix(data, self.dim)
        return self.search(matrix, k=k, num_threads=num_threads, filter=filter)

    def range_search(self, query, max_distance, limit=2**31 - 1, filter=None, **knobs):
        """The stored vectors within max_distance of one query, nearest first, at most limit:
        ``(ids, distances)``."""
        matrix = _matrix(query, self.dim)
        if matrix.shape[0] != 1:
            raise ValueError("range_search takes one query; call it once per query")
        result = _call(java().Bridge.range, self._j, _buffer(matrix), float(max_distance), int(limit),
                       _search_params(knobs, filter))
        return np.asarray(result[0], dtype=np.int64), np.asarray(result[1], dtype=np.float32)

    def calibration(self, k=10):
        """The measured recall@k for each value of the index's search knob: a list of (value, recall)."""
        table = _call(self._j.calibration, int(k))
        return [(int(p.value()), float(p.recall())) for p in table.points()]

    # ------------------------------------------------------------------ files

    def save(self, path):
        """Saves to path in vers's file format (the same files Java's IndexIO reads and writes)."""
        j = java()
        # absolute: the JVM resolves relative paths against its own start directory, not Python's
        _call(j.IndexIO.save, self._j, j.Path.of(os.path.abspath(os.fspath(path)), []))

    def __reduce__(self):
        j = java()
        out = j.ByteArrayOutputStream()
        _call(j.IndexIO.save, self._j, out)
        return (_from_bytes, (bytes(out.toByteArray()),))


def _from_bytes(data):
    j = java()
    return Index._wrap(_call(j.IndexIO.load, j.ByteArrayInputStream(jpype.JArray(jpype.JByte)(data))))


def load(path):
    """Loads an index saved by ``Index.save`` or by Java's ``IndexIO.save``."""
    j = java()
    path = os.path.abspath(os.fspath(path))
    if not os.path.exists(path):
        raise FileNotFoundError(f"no such file: {path}")
    return Index._wrap(_call(j.IndexIO.load, j.Path.of(path, [])))


def build(algorithm, data, ids=None, metric="l2", num_threads=-1, **params):
    """An index built from data (2-D); algorithms that train (ivfflat) learn from it. ids default to
    0..n-1."""
    matrix = _matrix(data, None)
    n, dim = matrix.shape
    ids = np.arange(n, dtype=np.int64) if ids is None else np.asarray(ids, dtype=np.int64).reshape(-1)
    if ids.shape[0] != n:
        raise ValueError(f"{ids.shape[0]} ids for {n} vectors; pass one id per vector")
    j = java()
    jindex = _call(j.Bridge.build, algorithm, int(dim), metric, _java_map(params), _long_array(ids), _buffer(matrix),
                   _threads(num_threads))
    index = Index._wrap(jindex)
    index._next_id = int(ids.max()) + 1 if n else 0
    return index
