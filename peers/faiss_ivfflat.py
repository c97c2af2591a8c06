#!/usr/bin/python3
"""FAISS IndexIVFFlat peer benchmark for vers-ivfflat: recall@k, single-thread QPS, build seconds.

The peer is FAISS's IndexIVFFlat over an IndexFlat coarse quantizer with FAISS's defaults (k-means:
10 iterations, one attempt, at most 256 training points per list, random initial centroids). Training
and adding run on --build-threads OpenMP threads (BLAS included). Searches run on one thread, one query
per call; --batched also times the whole query set in one call on one thread (best of --repeat calls).

Run with the interpreter that has FAISS (Debian's python3-faiss), not a pyenv python:

  /usr/bin/python3 peers/faiss_ivfflat.py --base /tmp/fmnist/base.fvecs --queries /tmp/fmnist/query.fvecs \
      --gt /tmp/fmnist/gt.ivecs --nlist 979 --nprobe 1,2,4,8,16,32,64 [--nq 2000] [--k 10] \
      [--build-threads 2] [--metric l2|ip] [--batched] [--repeat 1]

Inputs: fvecs (per vector: int32 little-endian dimension, then that many float32) and ivecs (per query:
int32 count, then the exact nearest base ordinals, nearest first). Recall counts a returned id when its
true distance is at most the k-th true distance (ties count), as ann-benchmarks does.
Output: a build line (train, add and total seconds, and the process CPU seconds they took), then one
line per nprobe, tab-separated: nprobe, recall, qps (one query per call, wall clock), qps_cpu (the same
queries per second of process CPU time, steadier on a shared machine), and batched qps with --batched.
"""
import argparse
import sys
import time

import numpy as np
import faiss

from vecs import read_vecs, recall_at


def build(base, nlist, metric, threads):
    faiss.omp_set_num_threads(threads)
    d = base.shape[1]
    cpu = time.process_time()
    start = time.perf_counter()
    if metric == "ip":
        quantizer = faiss.IndexFlatIP(d)
        index = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
    else:
        quantizer = faiss.IndexFlatL2(d)
        index = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_L2)
    index.train(base)
    trained = time.perf_counter()
    index.add(base)
    done = time.perf_counter()
    return index, trained - start, done - trained, time.process_time() - cpu


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--gt", required=True)
    p.add_argument("--nlist", type=int, default=0, help="lists (0: 4 * sqrt(n))")
    p.add_argument("--nprobe", default="1,2,4,8,16,32,64")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--nq", type=int, default=0, help="use the first NQ queries (0: all)")
    p.add_argument("--warmup", type=int, default=200, help="queries run before timing each nprobe")
    p.add_argument("--build-threads", type=int, default=2)
    p.add_argument("--metric", choices=["l2", "ip"], default="l2")
    p.add_argument("--batched", action="store_true", help="also time all queries in one call (one thread)")
    p.add_argument("--repeat", type=int, default=1, help="timed passes per nprobe; the best is reported")
    args = p.parse_args()

    base = read_vecs(args.base, np.float32)
    queries = read_vecs(args.queries, np.float32)
    gt = read_vecs(args.gt, np.int32)
    if args.nq:
        queries, gt = queries[: args.nq], gt[: args.nq]
    n, d = base.shape
    k = args.k
    nlist = args.nlist or int(round(4 * np.sqrt(n)))
    print(f"# faiss {faiss.__version__}, n={n}, d={d}, nq={len(queries)}, k={k}, nlist={nlist}, "
          f"build on {args.build_threads} threads, search on one thread, one query per call", flush=True)

    index, train_s, add_s, cpu_s = build(base, nlist, args.metric, args.build_threads)
    sizes = np.array([index.invlists.list_size(i) for i in range(nlist)])
    print(f"build\ttrain_s={train_s:.2f}\tadd_s={add_s:.2f}\ttotal_s={train_s + add_s:.2f}\tcpu_s={cpu_s:.2f}\t"
          f"empty_lists={int((sizes == 0).sum())}\tlargest_list={int(sizes.max())}", flush=True)

    faiss.omp_set_num_threads(1)
    print("nprobe\trecall\tqps\tqps_cpu" + ("\tbatched_qps" if args.batched else ""), flush=True)
    for nprobe in [int(x) for x in args.nprobe.split(",")]:
        index.nprobe = nprobe
        for i in range(min(args.warmup, len(queries))):
            index.search(queries[i : i + 1], k)
        found = np.empty((len(queries), k), dtype=np.int64)
        best = best_cpu = float("inf")
        for _ in range(args.repeat):
            cpu = time.process_time()
            start = time.perf_counter()
            for i in range(len(queries)):
                _, found[i] = index.search(queries[i : i + 1], k)
            best = min(best, time.perf_counter() - start)
            best_cpu = min(best_cpu, time.process_time() - cpu)
        r = recall_at(base, queries, gt, found, k)
        line = f"{nprobe}\t{r:.4f}\t{len(queries) / best:.0f}\t{len(queries) / best_cpu:.0f}"
        if args.batched:
            best_batch = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                index.search(queries, k)
                best_batch = min(best_batch, time.perf_counter() - start)
            line += f"\t{len(queries) / best_batch:.0f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
