/**
 * The application API of vers: everything an application needs to build, search, save and monitor a
 * vector index, and nothing else.
 *
 * <p>Start with {@link io.vers.api.Indexes}, which finds the algorithms on the class path by name:
 *
 * <pre>{@code
 * Index index = Indexes.create("hnsw", 128, Metric.COSINE);
 * index.add(42L, vector);
 * List<SearchResult> nearest = index.search(query, 10, SearchParams.DEFAULT);
 * }</pre>
 *
 * <p>Many queries at once go through {@link io.vers.api.Index#searchBatch}; a recall to aim for instead
 * of an algorithm's knobs through {@link io.vers.api.SearchParams.Builder#targetRecall}; live recall
 * through {@link io.vers.api.RecallMonitor}. Saving and loading is in the {@code vers-io} module
 * ({@code io.vers.io.IndexIO}).
 *
 * <p>Bad arguments throw {@link java.lang.IllegalArgumentException} subclasses named for the problem
 * ({@link io.vers.api.DimensionMismatchException}, {@link io.vers.api.InvalidVectorException},
 * {@link io.vers.api.IllegalParameterException}, {@link io.vers.api.UnknownAlgorithmException}); a
 * {@code null} argument throws {@link java.lang.NullPointerException}. Public signatures use JDK types
 * only.
 *
 * <p>Algorithm implementations use the kit in {@code io.vers.spi}, which is not part of this API.
 */
package io.vers.api;
