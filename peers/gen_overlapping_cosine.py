"""A data set hard in the way text embeddings are, for the HNSW and LSH comparisons with the native peers.

100,000 x 256 unit vectors (cosine) in 200 clusters of uneven size that overlap (the spread within a
cluster is comparable to the distance between cluster centres) on a 24-dimensional subspace (99% of the
variance) plus isotropic noise; 1,000 queries from the same distribution; the exact top 100 by inner
product (FAISS IndexFlatIP). Writes base.fvecs, query.fvecs and gt.ivecs into the directory given
(default: the current one). Deterministic. The options change the shape; the second set of the README's
LSH comparison is `--n 200000 --dim 128 --rank 16 --clusters 300 --seed 7`.

    /usr/bin/python3 peers/gen_overlapping_cosine.py /tmp/cos100k
"""
import argparse
import os

import faiss
import numpy as np

parser = argparse.ArgumentParser(description="overlapping low-rank clusters of unit vectors, with ground truth")
parser.add_argument("out", nargs="?", default=".")
parser.add_argument("--n", type=int, default=100_000, help="base vectors")
parser.add_argument("--dim", type=int, default=256)
parser.add_argument("--rank", type=int, default=24, help="dimension of the subspace the clusters lie on")
parser.add_argument("--clusters", type=int, default=200)
parser.add_argument("--seed", type=int, default=20261130)
args = parser.parse_args()
out = args.out
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(args.seed)
n, nq, d, rank, clusters = args.n, 1_000, args.dim, args.rank, args.clusters
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
