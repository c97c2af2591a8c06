"""vers: in-memory vector search (HNSW, IVF-Flat, LSH and exact) for Python, on the vers Java library.

    import numpy as np, vers
    data = np.random.rand(10_000, 128).astype(np.float32)
    index = vers.build("hnsw", data, m=16, ef_construction=200)
    ids, distances = index.search(data[:5], k=10)

The JVM starts once, on first use, in this process (through JPype); ``vers.configure()`` before that sets
its options.
"""

from ._index import CorruptIndexError, Index, algorithms, build, load
from ._jvm import configure
from ._original import HNSW, LSH, Flat, IVFFlat, load_word_vectors

__all__ = [
    "CorruptIndexError",
    "Flat",
    "HNSW",
    "IVFFlat",
    "Index",
    "LSH",
    "algorithms",
    "build",
    "configure",
    "load",
    "load_word_vectors",
]
__version__ = "0.1.0"
