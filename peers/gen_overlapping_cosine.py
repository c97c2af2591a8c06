"""A data set hard in the way text embeddings are, for the HNSW and LSH comparisons with the native peers.

100,000 x 256 unit vectors (cosine) in 200 clusters of uneven size that overlap (the spread within a
cluster is comparable to the distance between cluster centres) on a 24-dimensional subspace (99% of the
variance) plus isotropic noise; 1,000 queries from the same distribution; the exact top 100 by inner
product (FAISS IndexFlatIP). Writes base.fvecs, query.fvecs and gt.ivecs into the directory given
(default: the current one). Deterministic.

    /usr/bin/python3 peers/gen_overlapping_cosine.py /tmp/cos100k
"""
import os
import sys

import faiss
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261130)
n, nq, d, rank, clusters = 100_000, 1_000, 256, 24, 200
projection = rng.standard_normal((rank, d)).astype(np.float32)
centres = rng.standard_normal((clusters, rank)).astype(np.float32)
weights = rng.dirichlet(np.full(clusters, 0.5))


def draw(m):
    labels = rng.choice(clusters, size=m, p=weights)
    latent = centres[labels] + 0.8 * rng.standard_normal((m, rank)).astype(np.float32)
    x = latent @ projection + 0.6 * rng.standard_normal((m, d)).astype(np.float32)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def write_vecs(path, a, dtype):
    rows = np.empty((a.shape[0], a.shape[1] + 1), dtype=np.int32)
    rows[:, 0] = a.shape[1]
    rows[:, 1:] = a.astype(dtype).view(np.int32)
    rows.tofile(path)


base, queries = draw(n), draw(nq)
write_vecs(os.path.join(out, "base.fvecs"), base, np.float32)
write_vecs(os.path.join(out, "query.fvecs"), queries, np.float32)
exact = faiss.IndexFlatIP(d)
exact.add(base)
sims, ids = exact.search(queries, 100)
write_vecs(os.path.join(out, "gt.ivecs"), ids.astype(np.int32), np.int32)
print(f"mean similarity of the 1st / 10th / 100th neighbour: {sims[:, 0].mean():.3f} / {sims[:, 9].mean():.3f} / "
      f"{sims[:, 99].mean():.3f}")
sample = base[:20000] - base[:20000].mean(0)
variance = np.linalg.svd(sample, compute_uv=False) ** 2
print(f"variance in the top {rank} principal components: {variance[:rank].sum() / variance.sum():.3f}")
