#!/usr/bin/python3
"""FAISS IndexFlatL2 peer benchmark for vers's exact (flat) batch search: queries per second of one
search call over a whole batch of queries, the shape FAISS computes with one BLAS sgemm per block.

Run with the interpreter that has FAISS (Debian's python3-faiss), not a pyenv python:

  /usr/bin/python3 peers/faiss_flat.py --idx /usr/share/datasets/fashion-mnist [--nq 1000] [--k 10] \
      [--threads 1,2] [--runs 5]
  /usr/bin/python3 peers/faiss_flat.py --base base.fvecs --queries query.fvecs [...]

Inputs: either Fashion-MNIST's IDX files (60,000 training images as base, the first NQ test images as
queries, pixels 0..255 as floats, as `vers bench --dataset fashion-mnist` reads them), or fvecs files (per
vector: int32 little-endian dimension, then that many float32).
Output: one line per thread count, tab-separated: threads, nq, k, the median wall-clock seconds of one
search call over all NQ queries, the queries per second that gives, the median process CPU seconds of a
call divided by its wall-clock seconds (about the number of cores busy: above 1 with threads=1 means
BLAS ran threads of its own), and each run's seconds.

faiss.omp_set_num_threads sets FAISS's OpenMP threads only; Debian's OpenBLAS (libopenblas0-pthread)
keeps a thread pool of its own for the sgemm of a batch. For a one-thread figure, also set
OPENBLAS_NUM_THREADS=1 in the environment (the --threads list then applies to FAISS's OpenMP threads).
"""
import argparse
import gzip
import os
import statistics
import time

import numpy as np
import faiss

from vecs import read_vecs


def read_idx_images(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, count, rows, cols = np.frombuffer(raw[:16], dtype=">i4")
    if magic != 2051:
        raise SystemExit(f"{path}: not an IDX image file (magic {magic})")
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16, count=count * rows * cols)
    return pixels.reshape(count, rows * cols).astype(np.float32)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--idx", help="folder with train-images-idx3-ubyte.gz and t10k-images-idx3-ubyte.gz")
    p.add_argument("--base")
    p.add_argument("--queries")
    p.add_argument("--nq", type=int, default=1000)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--threads", default="1,2", help="comma-separated OpenMP thread counts")
    p.add_argument("--runs", type=int, default=5, help="timed calls per thread count (median reported)")
    args = p.parse_args()
    if args.idx:
        base = read_idx_images(os.path.join(args.idx, "train-images-idx3-ubyte.gz"))
        queries = read_idx_images(os.path.join(args.idx, "t10k-images-idx3-ubyte.gz"))
    elif args.base and args.queries:
        base = read_vecs(args.base, np.float32)
        queries = read_vecs(args.queries, np.float32)
    else:
        raise SystemExit("pass --idx DIR, or --base and --queries")
    queries = np.ascontiguousarray(queries[: args.nq])
    n, d = base.shape
    index = faiss.IndexFlatL2(d)
    index.add(base)
    print(f"# faiss {faiss.__version__}, IndexFlatL2, n={n}, d={d}, nq={len(queries)}, k={args.k}, "
          f"one search call per run", flush=True)
    print(f"# OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}", flush=True)
    print("threads\tnq\tk\tmedian_s\tqps\tcores\truns_s", flush=True)
    for threads in [int(t) for t in args.threads.split(",")]:
        faiss.omp_set_num_threads(threads)
        index.search(queries, args.k)  # warm-up
        times = []
        cores = []
        for _ in range(args.runs):
            cpu = time.process_time()
            start = time.perf_counter()
            index.search(queries, args.k)
            times.append(time.perf_counter() - start)
            cores.append((time.process_time() - cpu) / times[-1])
        med = statistics.median(times)
        print(f"{threads}\t{len(queries)}\t{args.k}\t{med:.3f}\t{len(queries) / med:.0f}\t"
              f"{statistics.median(cores):.2f}\t" + ",".join(f"{t:.3f}" for t in times), flush=True)


if __name__ == "__main__":
    main()
