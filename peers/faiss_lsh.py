#!/usr/bin/python3
"""FAISS IndexLSH peer benchmark for vers-lsh: recall@k, single-thread QPS, build seconds.

The peer is FAISS's classic LSH: IndexLSH with a random rotation and sign bits (rotate_data=True,
train_thresholds=False), whose Hamming-nearest candidates are re-ranked by exact L2 distance
(IndexRefineFlat, k_factor = candidates per result). The strongest honest setting of the peer, as its
users run it: every query in ONE search call on one thread, the bits (128 to 512) and the re-rank pool
(20 to 500 candidates) swept, then the pool bisected where each recall target is crossed, the fastest of
--repeat calls counted. --per-query times one call per query
instead (what an interactive service does).

Run with the interpreter that has FAISS (Debian's python3-faiss), not a pyenv python:

  /usr/bin/python3 peers/faiss_lsh.py --base /tmp/fmnist/base.fvecs --queries /tmp/fmnist/query.fvecs \
      --gt /tmp/fmnist/gt.ivecs [--nbits 128,256,512] [--pool 20,50,100,200,500] [--nq 2000] [--k 10]

--normalize scales base and queries to unit length first (cosine data: L2 on unit vectors ranks as cosine).

Inputs: fvecs (per vector: int32 little-endian dimension, then that many float32) and ivecs (per query:
int32 count, then the exact nearest base ordinals, nearest first). Recall counts a returned id when its
true distance is at most the k-th true distance (ties count), as ann-benchmarks does.
Output: one line per configuration, tab-separated: nbits, k_factor, candidates, recall, qps (wall clock),
cpu_qps (queries per second of process CPU time, steadier on a shared machine), build_s; then, per recall
target, the fastest configuration reaching it.
"""
import argparse
import sys
import time

import numpy as np
import faiss

from vecs import read_vecs, recall_at


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--gt", required=True)
    p.add_argument("--nbits", default="128,256,512")
    p.add_argument("--pool", default="20,50,100,200,500", help="re-rank candidates (k_factor = pool / k)")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--nq", type=int, default=0, help="use the first NQ queries (0: all)")
    p.add_argument("--repeat", type=int, default=3, help="timed calls (batched) or passes (--per-query); fastest")
    p.add_argument("--per-query", action="store_true", help="one search call per query instead of one in all")
    p.add_argument("--normalize", action="store_true", help="unit-length base and queries (cosine data)")
    p.add_argument("--targets", default="0.9,0.95")
    args = p.parse_args()

    faiss.omp_set_num_threads(1)
    base = read_vecs(args.base, np.float32)
    queries = read_vecs(args.queries, np.float32)
    gt = read_vecs(args.gt, np.int32)
    if args.nq:
        queries, gt = queries[: args.nq], gt[: args.nq]
    if args.normalize:
        base = base / np.maximum(np.linalg.norm(base, axis=1, keepdims=True), 1e-30)
        queries = queries / np.maximum(np.linalg.norm(queries, axis=1, keepdims=True), 1e-30)
    n, d = base.shape
    k = args.k
    nq = len(queries)
    mode = "one query per call" if args.per_query else "all queries in one call"
    print(f"# faiss {faiss.__version__}, n={n}, d={d}, nq={nq}, k={k}, one thread, {mode}, fastest of "
          f"{args.repeat}", flush=True)
    print("nbits\tk_factor\tcandidates\trecall\tqps\tcpu_qps\tbuild_s", flush=True)
    rows = []
    targets = [float(x) for x in args.targets.split(",")]
    for nbits in [int(x) for x in args.nbits.split(",")]:
        start = time.perf_counter()
        lsh = faiss.IndexLSH(d, nbits, True, False)
        index = faiss.IndexRefineFlat(lsh)
        index.train(base)
        index.add(base)
        build = time.perf_counter() - start
        measured = {}  # k_factor -> recall, for this number of bits

        def measure(kf):
            index.k_factor = kf
            index.search(queries[: min(200, nq)], k)  # warm up
            best, best_cpu, found = None, None, None
            for _ in range(max(1, args.repeat)):
                start = time.perf_counter()
                cpu_start = time.process_time()
                if args.per_query:
                    found = np.empty((nq, k), dtype=np.int64)
                    for i in range(nq):
                        _, found[i] = index.search(queries[i : i + 1], k)
                else:
                    _, found = index.search(queries, k)
                elapsed = time.perf_counter() - start
                cpu = time.process_time() - cpu_start
                best = elapsed if best is None else min(best, elapsed)
                best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
            r = recall_at(base, queries, gt, found, k)
            measured[kf] = r
            rows.append((nbits, kf, r, nq / best))
            print(f"{nbits}\t{kf}\t{kf * k}\t{r:.4f}\t{nq / best:.0f}\t{nq / best_cpu:.0f}\t{build:.2f}", flush=True)

        for pool in [int(x) for x in args.pool.split(",")]:
            kf = max(1, round(pool / k))
            if kf not in measured:
                measure(kf)
        # As vers bench does: bisect the pool between the largest that misses a target and the smallest that
        # reaches it, until they are within an eighth of each other, so the grid's steps do not decide.
        for target in targets:
            for _ in range(4):
                reached = min((kf for kf, r in measured.items() if r >= target), default=None)
                below = max((kf for kf, r in measured.items() if r < target and reached is not None and kf < reached),
                            default=None)
                if reached is None or below is None or reached - below <= max(1, below // 8):
                    break
                measure((below + reached) // 2)
        del index, lsh
    for target in targets:
        reaching = [row for row in rows if row[2] >= target]
        if reaching:
            nbits, kf, r, qps = max(reaching, key=lambda row: row[3])
            print(f"# best at recall {target}: nbits={nbits} k_factor={kf} recall={r:.4f} qps={qps:.0f}", flush=True)
        else:
            print(f"# best at recall {target}: none of the configurations reaches it", flush=True)


if __name__ == "__main__":
    main()
