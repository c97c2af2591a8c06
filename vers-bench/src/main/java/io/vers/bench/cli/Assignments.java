package io.vers.bench.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Parses {@code NAME=VALUE} and {@code ALGORITHM.NAME=VALUE} options. Stateless. */
final class Assignments {
  private Assignments() {}

  /** {@code NAME=VALUE} items by name, in order. */
  static Map<String, String> parse(List<String> items, String option) {
    Map<String, String> out = new LinkedHashMap<>();
    if (items == null) {
      return out;
    }
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0 || eq == item.length() - 1) {
        throw new IllegalArgumentException(option + " '" + item + "' is not NAME=VALUE, for example " + option
            + " ef=64");
      }
      String name = item.substring(0, eq).trim();
      if (out.put(name, item.substring(eq + 1).trim()) != null) {
        throw new IllegalArgumentException(option + " " + name + " is given twice; give it once");
      }
    }
    return out;
  }

  /** {@code ALGORITHM.NAME=VALUE} items: per algorithm (lowercase), name to value, in order. */
  static Map<String, Map<String, String>> parseQualified(List<String> items, String option) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    if (items == null) {
      return out;
    }
    for (String item : items) {
      int eq = item.indexOf('=');
      int dot = item.indexOf('.');
      if (eq <= 0 || dot <= 0 || dot > eq - 2 || eq == item.length() - 1) {
        throw new IllegalArgumentException(option + " '" + item + "' is not ALGORITHM.NAME=VALUE, for example "
            + option + " hnsw.M=32");
      }
      String algorithm = item.substring(0, dot).trim().toLowerCase(Locale.ROOT);
      String name = item.substring(dot + 1, eq).trim();
      Map<String, String> params = out.computeIfAbsent(algorithm, a -> new LinkedHashMap<>());
      if (params.put(name, item.substring(eq + 1).trim()) != null) {
        throw new IllegalArgumentException(option + " " + algorithm + "." + name + " is given twice; give it once");
      }
    }
    return out;
  }

  /** A knob value: a whole number of at least 1. */
  static int positiveInt(String option, String name, String value) {
    try {
      int v = Integer.parseInt(value.trim());
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new IllegalArgumentException(option + " " + name + "=" + value + ": the value must be a whole number of"
        + " at least 1");
  }

  /** A knob value: a finite number (whether it must be whole, and its range, the algorithm decides). */
  static double number(String option, String name, String value) {
    try {
      double v = Double.parseDouble(value.trim());
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new IllegalArgumentException(option + " " + name + "=" + value + ": the value must be a number");
  }

  /** A thread count option's value: all cores when not given, else at least 1. */
  static int threads(String option, Integer value) {
    if (value == null) {
      return Runtime.getRuntime().availableProcessors();
    }
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be at least 1, got " + value);
    }
    return value;
  }
}
