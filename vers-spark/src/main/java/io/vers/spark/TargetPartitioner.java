package io.vers.spark;

import org.apache.spark.Partitioner;

/** Sends a record keyed by an {@code Integer} partition number to that partition. */
final class TargetPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;

  private final int partitions;

  TargetPartitioner(int partitions) {
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    return (Integer) key;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TargetPartitioner && ((TargetPartitioner) other).partitions == partitions;
  }

  @Override
  public int hashCode() {
    return partitions;
  }
}
