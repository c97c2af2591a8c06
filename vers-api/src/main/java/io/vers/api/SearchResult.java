package io.vers.api;

/**
 * One search hit: the caller's id and its distance to the query under the index's {@link Metric}.
 * Smaller distances are closer.
 *
 * @param id the id the vector was stored under
 * @param distance the distance to the query, in the units of the index's metric (squared for
 *     {@link Metric#L2}, negative inner product for {@link Metric#DOT})
 */
public record SearchResult(long id, float distance) {}
