"""Benchmark of vers from Python: call overhead against Java, and HNSW against hnswlib.

    python3 -m vers.bench --dataset sift5k --sift-dir ../shared/datasets
    python3 -m vers.bench --dataset fashion-mnist --queries 1000

Measures, on one index:
  * ``index.search(Q, k)`` on all queries against the same batch called from Java directly (``searchBatch``
    on a Java float[][] built beforehand), both on one thread;
  * a Python loop of one-query ``search`` calls: the cost per call above Java's own time per query;
  * vers ``hnsw`` against hnswlib (if importable), same M and ef_construction, each built on
    ``--build-threads`` threads and searched with ``knn_query`` over all queries in one call on one thread,
    over a ladder of ef: recall@k, QPS, and the best QPS at recall >= 0.95 and >= 0.99.
Times are wall-clock: per configuration, the best of ``--repeat`` rounds of calls lasting at least a
quarter of a second each.
"""

import argparse
import gzip
import os
import time

import numpy as np

import vers
from vers._jvm import java
import jpype


def read_vecs(path, dtype):
    raw = np.fromfile(path, dtype=np.int32)
    dim = raw[0]
    return np.ascontiguousarray(raw.reshape(-1, dim + 1)[:, 1:]).view(dtype)


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    n, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(data[16:], dtype=np.uint8).reshape(n, rows * cols).astype(np.float32)


def load(args):
    if args.dataset == "sift5k":
        d = args.sift_dir
        if not os.path.isfile(os.path.join(d, "sift5k.base.fvecs")):
            raise SystemExit(f"sift5k not found: {os.path.abspath(d)} has no sift5k.base.fvecs; "
                             "give its directory with --sift-dir DIR")
        return read_vecs(os.path.join(d, "sift5k.base.fvecs"), np.float32), \
            read_vecs(os.path.join(d, "sift5k.query.fvecs"), np.float32)
    if args.dataset == "fashion-mnist":
        d = "/usr/share/datasets/fashion-mnist"
        return read_idx(os.path.join(d, "train-images-idx3-ubyte.gz")), \
            read_idx(os.path.join(d, "t10k-images-idx3-ubyte.gz"))
    raise SystemExit(f"unknown dataset {args.dataset}; use sift5k or fashion-mnist")


def recall(found_d, true_d):
    kth = true_d[:, -1:]
    return float((found_d <= kth + 1e-4 * np.maximum(1, np.abs(kth))).sum() / true_d.size)


def best_time(fn, repeat, min_seconds=0.25):
    """The best over ``repeat`` rounds of the mean seconds per call, each round calling ``fn`` until at
    least ``min_seconds`` have passed (after one untimed call, for the JIT)."""
    result = fn()
    best = float("inf")
    for _ in range(repeat):
        calls = 0
        start = time.perf_counter()
        while True:
            result = fn()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_seconds:
                break
        best = min(best, elapsed / calls)
    return best, result


def exact_distances(base, queries, k):
    out = np.empty((len(queries), k), dtype=np.float64)
    b64 = base.astype(np.float64)
    norms = (b64 ** 2).sum(1)
    for s in range(0, len(queries), 256):
        q = queries[s:s + 256].astype(np.float64)
        d = norms[None, :] - 2 * q @ b64.T + (q ** 2).sum(1)[:, None]
        out[s:s + 256] = np.sort(np.partition(d, k, axis=1)[:, :k], axis=1)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", default="sift5k")
    p.add_argument("--sift-dir", default=os.path.join("..", "shared", "datasets"))
    p.add_argument("--queries", type=int, default=1000)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--ef-construction", type=int, default=200)
    p.add_argument("--build-threads", type=int, default=2)
    p.add_argument("--ef", default="10,16,24,32,48,64,96,128,192,256")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()

    base, queries = load(args)
    queries = np.ascontiguousarray(queries[: args.queries])
    k = args.k
    true_d = exact_distances(base, queries, k)
    print(f"# {args.dataset}: {base.shape[0]} x {base.shape[1]}, {len(queries)} queries, k={k}; "
          f"M={args.m}, ef_construction={args.ef_construction}, build on {args.build_threads} threads; "
          f"search on one thread; best of {args.repeat}", flush=True)

    start = time.perf_counter()
    index = vers.build("hnsw", base, m=args.m, ef_construction=args.ef_construction, num_threads=args.build_threads)
    build_s = time.perf_counter() - start
    print(f"vers hnsw build: {build_s:.2f} s", flush=True)

    # --- overhead: Python batch vs Java batch, Python loop vs Java per query
    jq = jpype.JArray(jpype.JFloat, 2)(queries)
    params = java().SearchParams.DEFAULT
    index.search(queries, k=k, num_threads=1)
    java_s, _ = best_time(lambda: index.java_index.searchBatch(jq, k, params, 1), args.repeat)
    py_s, _ = best_time(lambda: index.search(queries, k=k, num_threads=1), args.repeat)
    loop_s, _ = best_time(lambda: [index.search(q, k=k, num_threads=1) for q in queries], args.repeat)
    n = len(queries)
    print(f"batch from Java: {n / java_s:,.0f} QPS; from Python: {n / py_s:,.0f} QPS "
          f"({py_s / java_s:.3f}x the Java time)")
    print(f"one query per Python call: {1e6 * loop_s / n:.1f} us per call, "
          f"{1e6 * (loop_s - java_s) / n:.1f} us above Java's time per query", flush=True)

    # --- against hnswlib
    rows = []
    for ef in [int(x) for x in args.ef.split(",")]:
        t, (_, d) = best_time(lambda: index.search(queries, k=k, num_threads=1, ef=ef), args.repeat)
        rows.append(("vers", ef, recall(d, true_d), n / t))
    try:
        import hnswlib
    except ImportError:
        hnswlib = None
        print("hnswlib is not importable: no comparison")
    if hnswlib is not None:
        h = hnswlib.Index(space="l2", dim=base.shape[1])
        start = time.perf_counter()
        h.init_index(max_elements=base.shape[0], M=args.m, ef_construction=args.ef_construction, random_seed=100)
        h.set_num_threads(args.build_threads)
        h.add_items(base, np.arange(base.shape[0]))
        print(f"hnswlib build: {time.perf_counter() - start:.2f} s", flush=True)
        h.set_num_threads(1)
        for ef in [int(x) for x in args.ef.split(",")]:
            h.set_ef(max(ef, k))
            t, (_, d) = best_time(lambda: h.knn_query(queries, k=k, num_threads=1), args.repeat)
            rows.append(("hnswlib", ef, recall(d, true_d), n / t))
    print("library\tef\trecall\tqps")
    for lib, ef, r, qps in rows:
        print(f"{lib}\t{ef}\t{r:.4f}\t{qps:,.0f}")
    for target in (0.95, 0.99):
        best = {}
        for lib, _, r, qps in rows:
            if r >= target:
                best[lib] = max(best.get(lib, 0), qps)
        line = ", ".join(f"{lib} {qps:,.0f}" for lib, qps in best.items()) or "neither reached it"
        ratio = (f" ({best['vers'] / best['hnswlib']:.2f}x)" if "vers" in best and "hnswlib" in best else "")
        print(f"QPS at recall >= {target}: {line}{ratio}")


if __name__ == "__main__":
    main()
