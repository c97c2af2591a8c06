package io.vers.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How recall@k grows with an index's search knob, measured by the index on its own data: a sample of
 * stored vectors used as queries, each with its exact neighbours found by a full scan (the query's own
 * entry left out, so that a stored vector finding itself does not inflate the figure), searched at each
 * step of a ladder of knob values. {@link SearchParams.Builder#targetRecall} picks the smallest knob
 * value whose measured recall reaches the target. Immutable.
 *
 * <pre>{@code
 * Calibration table = index.calibration(10);
 * for (Calibration.Point p : table.points()) {
 *   System.out.println(table.knob().orElse("exact") + "=" + p.value() + " recall@10 " + p.recall());
 * }
 * }</pre>
 *
 * @param knob the knob the ladder varies ({@code ef}, {@code nprobe}, {@code searchK}); empty for an
 *     exact index, whose recall is always 1
 * @param k the result count the recall is measured at
 * @param queries the number of sample queries
 * @param indexSize the number of vectors stored when the table was measured
 * @param points the ladder, by increasing knob value, with recall never decreasing along it
 */
public record Calibration(Optional<String> knob, int k, int queries, int indexSize, List<Point> points) {
  /**
   * One step of the ladder: a knob value and the mean recall@k measured with it.
   *
   * @param value the knob value; 0 in an exact index's table
   * @param recall the mean recall@k over the sample queries, in {@code [0, 1]}
   */
  public record Point(int value, double recall) {}

  /**
   * Copies {@code points}.
   *
   * @param knob the knob the ladder varies; empty for an exact index
   * @param k the result count the recall is measured at
   * @param queries the number of sample queries
   * @param indexSize the number of vectors stored when the table was measured
   * @param points the ladder, by increasing knob value
   * @throws NullPointerException if {@code knob} or {@code points} is null
   */
  public Calibration {
    Objects.requireNonNull(knob, "knob");
    points = List.copyOf(points);
  }

  /**
   * The table of an exact index: recall 1 with no knob.
   *
   * @param k the result count the table is for
   * @param indexSize the number of vectors stored
   * @return a one-point table: knob value 0, recall 1
   */
  public static Calibration exact(int k, int indexSize) {
    return new Calibration(Optional.empty(), k, 0, indexSize, List.of(new Point(0, 1.0)));
  }

  /**
   * The smallest knob value whose recall reaches {@code targetRecall}, or the largest value measured
   * when none does; empty for an exact index.
   *
   * @param targetRecall the recall@k wanted, in {@code (0, 1]}
   * @return the knob value to search with, or empty for an exact index or an empty ladder
   */
  public OptionalInt valueFor(double targetRecall) {
    if (knob.isEmpty() || points.isEmpty()) {
      return OptionalInt.empty();
    }
    for (Point p : points) {
      if (p.recall() >= targetRecall) {
        return OptionalInt.of(p.value());
      }
    }
    return OptionalInt.of(points.get(points.size() - 1).value());
  }

  /**
   * The recall measured at the largest knob value: the most this table says the index can give.
   *
   * @return the last point's recall, in {@code [0, 1]}; 0 for an empty ladder
   */
  public double bestRecall() {
    return points.isEmpty() ? 0 : points.get(points.size() - 1).recall();
  }
}
