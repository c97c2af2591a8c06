package io.vers.api;

/**
 * One search hit: the caller's id and its distance to the query under the index's {@link Metric}.
 * Smaller distances are closer.
 */
public record SearchResult(long id, float distance) {}
