package io.vers.bench.harness;

/**
 * The batched throughput of one search configuration: every query in one {@code searchBatch} call.
 *
 * @param threads the threads of the multi-threaded call ({@code --batch-threads})
 * @param recall recall@k of the batch's answers, computed as for one query per call
 * @param qpsOneThread queries per second of one call on one thread: the queries over the fastest call
 * @param qps queries per second of one call on {@code threads} threads
 */
public record BatchMeasurement(int threads, double recall, double qpsOneThread, double qps) {}
