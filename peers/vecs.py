"""Shared by the FAISS harnesses: fvecs/ivecs reading and recall@k by distance (ties count)."""

import sys

import numpy as np


def read_vecs(path, dtype):
    raw = np.fromfile(path, dtype=np.int32)
    dim = raw[0]
    rows = raw.reshape(-1, dim + 1)
    if not (rows[:, 0] == dim).all():
        sys.exit(f"{path}: not a uniform fvecs/ivecs file")
    return np.ascontiguousarray(rows[:, 1:]).view(dtype)


def recall_at(base, queries, gt, found, k):
    hits = 0
    for q in range(len(queries)):
        truth = base[gt[q, :k]] - queries[q]
        kth = float(np.max(np.einsum("ij,ij->i", truth, truth, dtype=np.float64)))
        ids = found[q][found[q] >= 0]
        got = base[ids] - queries[q]
        dist = np.einsum("ij,ij->i", got, got, dtype=np.float64)
        hits += int(np.count_nonzero(dist <= kth + 1e-4 * max(1.0, kth)))
    return hits / (k * len(queries))
