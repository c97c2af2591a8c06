package io.vers.spark;

import io.vers.api.Index;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition indexes an executor JVM has loaded, each loaded once however many tasks need it (tasks
 * that ask for one being loaded wait for it), by the key {@code directory#build#partition}. Held up to a
 * budget of heap bytes ({@link Index#ramBytesUsed()}), least recently used first out; an index larger
 * than the budget is still loaded for the task that needs it. The budget is the fraction
 * {@code vers.spark.cacheFraction} (a JVM system property, default 0.4) of the maximum heap: the share
 * Spark leaves outside its own storage and execution memory by default.
 */
final class IndexCache {
  private static final Logger LOG = LoggerFactory.getLogger(IndexCache.class);
  private static final IndexCache SHARED = new IndexCache((long) (Runtime.getRuntime().maxMemory()
      * Double.parseDouble(System.getProperty("vers.spark.cacheFraction", "0.4"))));

  /** Loads one index. */
  interface Loader {
    Index load() throws IOException;
  }

  private final long budget;
  private final LinkedHashMap<String, Index> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final ConcurrentHashMap<String, Object> loading = new ConcurrentHashMap<>();
  private long bytes;

  IndexCache(long budget) {
    this.budget = budget;
  }

  static IndexCache shared() {
    return SHARED;
  }

  static String key(String directory, String buildId, int partition) {
    return directory + "#" + buildId + "#" + partition;
  }

  /** The cached index under {@code key}, loading it with {@code loader} if it is not held. */
  Index get(String key, Loader loader) throws IOException {
    Index index = peek(key);
    if (index != null) {
      return index;
    }
    Object lock = loading.computeIfAbsent(key, k -> new Object());
    synchronized (lock) {
      try {
        index = peek(key);
        if (index == null) {
          long start = System.nanoTime();
          index = loader.load();
          LOG.info("vers-spark: loaded {} ({} vectors, {} MB) in {} ms", key, index.size(),
              index.ramBytesUsed() >> 20, (System.nanoTime() - start) / 1_000_000);
          put(key, index);
        }
        return index;
      } finally {
        loading.remove(key, lock);
      }
    }
  }

  synchronized Index peek(String key) {
    return entries.get(key);
  }

  /** Holds {@code index} under {@code key}, evicting the least recently used beyond the budget. */
  synchronized void put(String key, Index index) {
    Index old = entries.put(key, index);
    if (old != null) {
      bytes -= old.ramBytesUsed();
    }
    bytes += index.ramBytesUsed();
    Iterator<Map.Entry<String, Index>> it = entries.entrySet().iterator();
    while (bytes > budget && entries.size() > 1 && it.hasNext()) {
      Map.Entry<String, Index> eldest = it.next();
      if (eldest.getKey().equals(key)) {
        continue;
      }
      bytes -= eldest.getValue().ramBytesUsed();
      it.remove();
      LOG.info("vers-spark: evicted {} from the index cache (budget {} MB)", eldest.getKey(), budget >> 20);
    }
  }

  /** Drops every index whose key starts with {@code prefix}. */
  synchronized void invalidate(String prefix) {
    Iterator<Map.Entry<String, Index>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Index> e = it.next();
      if (e.getKey().startsWith(prefix)) {
        bytes -= e.getValue().ramBytesUsed();
        it.remove();
      }
    }
  }

  synchronized int size() {
    return entries.size();
  }
}
