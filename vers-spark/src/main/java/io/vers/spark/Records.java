package io.vers.spark;

import java.io.Serializable;
import org.apache.spark.sql.Row;

/**
 * What travels through Spark's shuffles: items on their way to their partition, queries on their way to
 * the partitions they visit, the query rows on their way to where their answers are merged, and partial
 * answers. Plain serializable classes, for Java serialization or Spark's Kryo alike.
 */
final class Records {
  private Records() {}

  /** An item and whether this copy is the replica in its second-nearest cell. */
  static final class Item implements Serializable {
    private static final long serialVersionUID = 1L;
    final long id;
    final float[] vector;
    final boolean replica;

    Item(long id, float[] vector, boolean replica) {
      this.id = id;
      this.vector = vector;
      this.replica = replica;
    }
  }

  /**
   * A query sent to one partition: its key (the input partition in the high 24 bits, its position there
   * in the low 40), the id the self-join leaves out (when {@code exclude}), and its vector.
   */
  static final class Route implements Serializable {
    private static final long serialVersionUID = 1L;
    final long key;
    final boolean exclude;
    final long selfId;
    final float[] vector;

    Route(long key, boolean exclude, long selfId, float[] vector) {
      this.key = key;
      this.exclude = exclude;
      this.selfId = selfId;
      this.vector = vector;
    }
  }

  /** A query row as it came in, held until its answer is merged. */
  static final class Held implements Serializable {
    private static final long serialVersionUID = 1L;
    final long key;
    final Row row;

    Held(long key, Row row) {
      this.key = key;
      this.row = row;
    }
  }

  /** One partition's answer to one query, nearest first. */
  static final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;
    final long key;
    final long[] ids;
    final float[] distances;

    Partial(long key, long[] ids, float[] distances) {
      this.key = key;
      this.ids = ids;
      this.distances = distances;
    }
  }

  /** What building one partition produced. */
  static final class Built implements Serializable {
    private static final long serialVersionUID = 1L;
    final int partition;
    final int size;
    final int replicas;
    final long ramBytes;
    final long fileBytes;
    final long millis;

    Built(int partition, int size, int replicas, long ramBytes, long fileBytes, long millis) {
      this.partition = partition;
      this.size = size;
      this.replicas = replicas;
      this.ramBytes = ramBytes;
      this.fileBytes = fileBytes;
      this.millis = millis;
    }
  }

  /** The key of the {@code position}-th row of input partition {@code partition}. */
  static long key(int partition, long position) {
    return ((long) partition << 40) | position;
  }

  /** The input partition of a key, where its answer is merged. */
  static int partitionOf(long key) {
    return (int) (key >>> 40);
  }
}
