#!/usr/bin/python3
"""FAISS 8-bit scalar quantization peers for vers' sq8: IndexHNSWSQ and IndexIVFScalarQuantizer.

Both quantize with FAISS's QT_8bit (one range per dimension, learned by train()), the setting vers' sq8
compares with. IndexHNSWSQ is built with the same M and efConstruction as vers' hnsw (16 and 200 unless
given) and searched over --ef; IndexIVFScalarQuantizer with --nlist lists (default 4 * sqrt(n), as vers'
ivfflat) over --nprobe. Every search is one call over all queries on one thread (the fastest of --repeat
calls), the strongest honest setting of the peer; builds use --build-threads OpenMP threads. Per recall
target, the fastest configuration reaching it is printed last.

Run with the interpreter that has FAISS (Debian's python3-faiss), not a pyenv python:

  /usr/bin/python3 peers/faiss_sq.py --base /tmp/fmnist/base.fvecs --queries /tmp/fmnist/query.fvecs \
      --gt /tmp/fmnist/gt.ivecs [--index hnsw,ivf] [--ef 16,32,64,128,256] [--nprobe 1,2,4,8,16,32,64]

Inputs: fvecs and ivecs as in the other peers; recall@k counts ties (see vecs.py). Output: a line per
configuration, tab-separated: index, knob, value, recall, qps, build_s, bytes_per_vector (FAISS's own
one byte per component, plus 4 bytes per level-0 link slot for HNSW, plus the 8-byte id for IVF).
"""
import argparse
import math
import time

import numpy as np
import faiss

from vecs import read_vecs, recall_at


def timed_search(index, queries, k, repeat):
    index.search(queries[: min(200, len(queries))], k)  # warm up
    best, found = None, None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        _, found = index.search(queries, k)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return found, len(queries) / best


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--gt", required=True)
    p.add_argument("--index", default="hnsw,ivf")
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--ef-construction", type=int, default=200)
    p.add_argument("--ef", default="10,16,24,32,48,64,96,128,192,256,384,512")
    p.add_argument("--nlist", type=int, default=0, help="lists (0: 4 * sqrt(n))")
    p.add_argument("--nprobe", default="1,2,4,6,8,12,16,24,32,48,64,96,128")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--nq", type=int, default=0, help="use the first NQ queries (0: all)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--build-threads", type=int, default=2)
    p.add_argument("--targets", default="0.9,0.95,0.99")
    args = p.parse_args()

    base = read_vecs(args.base, np.float32)
    queries = read_vecs(args.queries, np.float32)
    gt = read_vecs(args.gt, np.int32)
    if args.nq:
        queries, gt = queries[: args.nq], gt[: args.nq]
    n, d = base.shape
    k = args.k
    print(f"# faiss {faiss.__version__}, n={n}, d={d}, nq={len(queries)}, k={k}, QT_8bit, one search call over all"
          f" queries on one thread, fastest of {args.repeat}; build on {args.build_threads} threads", flush=True)
    print("index\tknob\tvalue\trecall\tqps\tbuild_s\tbytes_per_vector", flush=True)
    rows = []
    for kind in args.index.split(","):
        faiss.omp_set_num_threads(args.build_threads)
        start = time.perf_counter()
        if kind == "hnsw":
            index = faiss.IndexHNSWSQ(d, faiss.ScalarQuantizer.QT_8bit, args.m)
            index.hnsw.efConstruction = args.ef_construction
            knob, values = "ef", [int(x) for x in args.ef.split(",")]
            per_vector = d + 4 * 2 * args.m
        else:
            nlist = args.nlist or int(4 * math.sqrt(n))
            quantizer = faiss.IndexFlatL2(d)
            index = faiss.IndexIVFScalarQuantizer(quantizer, d, nlist, faiss.ScalarQuantizer.QT_8bit)
            knob, values = "nprobe", [int(x) for x in args.nprobe.split(",")]
            per_vector = d + 8
        index.train(base)
        index.add(base)
        build = time.perf_counter() - start
        faiss.omp_set_num_threads(1)
        for value in values:
            if kind == "hnsw":
                index.hnsw.efSearch = value
            else:
                index.nprobe = value
            found, qps = timed_search(index, queries, k, args.repeat)
            r = recall_at(base, queries, gt, found, k)
            rows.append((kind, knob, value, r, qps))
            print(f"{kind}\t{knob}\t{value}\t{r:.4f}\t{qps:.0f}\t{build:.2f}\t{per_vector}", flush=True)
        del index
    for kind in args.index.split(","):
        for target in [float(x) for x in args.targets.split(",")]:
            reaching = [row for row in rows if row[0] == kind and row[3] >= target]
            if reaching:
                _, knob, value, r, qps = max(reaching, key=lambda row: row[4])
                print(f"# {kind} best at recall {target}: {knob}={value} recall={r:.4f} qps={qps:.0f}", flush=True)
            else:
                print(f"# {kind} best at recall {target}: no configuration reaches it", flush=True)


if __name__ == "__main__":
    main()
