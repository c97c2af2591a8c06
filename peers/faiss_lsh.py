#!/usr/bin/python3
"""FAISS IndexLSH peer benchmark for vers-lsh: recall@k, single-thread QPS, build seconds.

The peer is FAISS's classic LSH: IndexLSH with a random rotation and sign bits (rotate_data=True,
train_thresholds=False), whose Hamming-nearest candidates are re-ranked by exact L2 distance
(IndexRefineFlat, k_factor = candidates per result). Searches run on one thread, one query per call.

Run with the interpreter that has FAISS (Debian's python3-faiss), not a pyenv python:

  /usr/bin/python3 peers/faiss_lsh.py --base /tmp/fmnist/base.fvecs --queries /tmp/fmnist/query.fvecs \
      --gt /tmp/fmnist/gt.ivecs --nbits 512,1024 --kfactor 16,32,64,128 [--nq 2000] [--k 10]

Inputs: fvecs (per vector: int32 little-endian dimension, then that many float32) and ivecs (per query:
int32 count, then the exact nearest base ordinals, nearest first). Recall counts a returned id when its
true distance is at most the k-th true distance (ties count), as ann-benchmarks does.
Output: one line per configuration, tab-separated: nbits, k_factor, candidates, recall, qps (wall clock),
cpu_qps (queries per second of process CPU time, steadier on a shared machine), build_s.
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
    p.add_argument("--nbits", default="512,1024")
    p.add_argument("--kfactor", default="16,32,64,128")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--nq", type=int, default=0, help="use the first NQ queries (0: all)")
    p.add_argument("--warmup", type=int, default=200, help="queries run before timing")
    args = p.parse_args()

    faiss.omp_set_num_threads(1)
    base = read_vecs(args.base, np.float32)
    queries = read_vecs(args.queries, np.float32)
    gt = read_vecs(args.gt, np.int32)
    if args.nq:
        queries, gt = queries[: args.nq], gt[: args.nq]
    n, d = base.shape
    k = args.k
    print(f"# faiss {faiss.__version__}, n={n}, d={d}, nq={len(queries)}, k={k}, one thread, one query per call",
          flush=True)
    print("nbits\tk_factor\tcandidates\trecall\tqps\tcpu_qps\tbuild_s", flush=True)
    for nbits in [int(x) for x in args.nbits.split(",")]:
        start = time.perf_counter()
        lsh = faiss.IndexLSH(d, nbits, True, False)
        index = faiss.IndexRefineFlat(lsh)
        index.train(base)
        index.add(base)
        build = time.perf_counter() - start
        for kf in [int(x) for x in args.kfactor.split(",")]:
            index.k_factor = kf
            for i in range(min(args.warmup, len(queries))):
                index.search(queries[i : i + 1], k)
            found = np.empty((len(queries), k), dtype=np.int64)
            start = time.perf_counter()
            cpu_start = time.process_time()
            for i in range(len(queries)):
                _, found[i] = index.search(queries[i : i + 1], k)
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu_start
            r = recall_at(base, queries, gt, found, k)
            nq = len(queries)
            print(f"{nbits}\t{kf}\t{kf * k}\t{r:.4f}\t{nq / elapsed:.0f}\t{nq / cpu:.0f}\t{build:.2f}", flush=True)
        del index, lsh


if __name__ == "__main__":
    main()
