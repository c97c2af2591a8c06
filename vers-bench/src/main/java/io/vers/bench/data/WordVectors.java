package io.vers.bench.data;

import com.google.common.base.Preconditions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Words and their vectors, as read from a fastText {@code .vec} or GloVe text file: word {@code i} has
 * vector {@code i}. Immutable after construction (the arrays are not copied: do not change them).
 */
public final class WordVectors {
  private final List<String> words;
  private final float[][] vectors;
  private final Map<String, Integer> index;

  public WordVectors(List<String> words, float[][] vectors) {
    Preconditions.checkArgument(words.size() == vectors.length, "%s words but %s vectors", words.size(),
        vectors.length);
    this.words = List.copyOf(words);
    this.vectors = vectors;
    this.index = new HashMap<>(words.size() * 2);
    for (int i = 0; i < words.size(); i++) {
      index.putIfAbsent(words.get(i), i);
    }
  }

  public List<String> words() {
    return words;
  }

  public float[][] vectors() {
    return vectors;
  }

  public int size() {
    return vectors.length;
  }

  /** The dimension of the vectors, or 0 when there are none. */
  public int dimension() {
    return vectors.length == 0 ? 0 : vectors[0].length;
  }

  /** The position of the first occurrence of {@code word} (case-sensitive). */
  public OptionalInt indexOf(String word) {
    Integer i = index.get(word);
    return i == null ? OptionalInt.empty() : OptionalInt.of(i);
  }
}
