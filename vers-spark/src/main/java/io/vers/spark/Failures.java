package io.vers.spark;

/**
 * Bad input found inside a Spark task reaches the driver wrapped in a {@code SparkException} whose message
 * starts with the stage and task that failed. {@link #unwrap} gives the caller the task's own exception
 * instead, with its message naming the column and the id.
 */
final class Failures {
  private Failures() {}

  /**
   * The {@link IllegalArgumentException} vers-spark threw in a task, found in the causes of
   * {@code failure} (with {@code failure} as its cause), or {@code failure} itself.
   */
  static RuntimeException unwrap(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException && t != failure && t.getMessage() != null
          && (t.getMessage().startsWith(KnnFit.WHO) || t.getMessage().startsWith(KnnTransform.WHO))) {
        return new IllegalArgumentException(t.getMessage(), failure);
      }
    }
    return Failures.<RuntimeException>sneaky(failure);
  }

  @SuppressWarnings("unchecked")
  private static <X extends Throwable> X sneaky(Throwable t) throws X {
    throw (X) t;
  }
}
