package io.vers.spark;

import com.carrotsearch.hppc.LongObjectHashMap;
import io.vers.api.BatchResults;
import io.vers.api.Index;
import io.vers.api.SearchParams;
import io.vers.spark.Records.Held;
import io.vers.spark.Records.Partial;
import io.vers.spark.Records.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Tuple2;

/** The executor side of {@link KnnTransform}'s three stages. */
final class QueryStages {
  private QueryStages() {}

  /** Stage 1: each query row to its merge slot, its vector to the partitions it visits. */
  static final class Route implements Function2<Integer, Iterator<Row>, Iterator<Tuple2<Integer, Object>>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<QueryPlan> plan;

    Route(Broadcast<QueryPlan> plan) {
      this.plan = plan;
    }

    @Override
    public Iterator<Tuple2<Integer, Object>> call(Integer input, Iterator<Row> rows) {
      QueryPlan p = plan.value();
      int[] probes = new int[p.partitions];
      float[] distances = new float[p.partitions];
      float[] scratch = new float[p.dimension];
      int slot = p.partitions + input;
      ArrayDeque<Tuple2<Integer, Object>> pending = new ArrayDeque<>();
      return new Iterator<>() {
        long position;

        @Override
        public boolean hasNext() {
          while (pending.isEmpty() && rows.hasNext()) {
            route(rows.next());
          }
          return !pending.isEmpty();
        }

        @Override
        public Tuple2<Integer, Object> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return pending.poll();
        }

        private void route(Row row) {
          long key = Records.key(input, position++);
          int c = p.columns;
          boolean hasId = p.hasQueryId && !row.isNullAt(c + 2);
          long queryId = hasId ? row.getLong(c + 2) : 0;
          String what = KnnTransform.WHO + ": featuresCol '" + p.featuresCol + "' of the query "
              + (hasId ? "with " + p.queryIdCol + " " + queryId : "in row " + (position - 1) + " of input partition "
              + input);
          float[] vector = Columns.floats(row, c, !row.isNullAt(c + 1) && row.getBoolean(c + 1), p.dimension,
              p.metric, what);
          Object[] values = new Object[c];
          for (int i = 0; i < c; i++) {
            values[i] = row.get(i);
          }
          pending.add(new Tuple2<>(slot, new Held(key, RowFactory.create(values))));
          Records.Route route = new Records.Route(key, p.excludeSelf && hasId, queryId, vector);
          if (p.router == null) {
            for (int t = 0; t < p.partitions; t++) {
              if (p.sizes[t] > 0) {
                pending.add(new Tuple2<>(t, route));
              }
            }
          } else {
            int n = p.router.probe(vector, p.probe, p.sizes, probes, distances, scratch);
            for (int i = 0; i < n; i++) {
              pending.add(new Tuple2<>(probes[i], route));
            }
          }
        }
      };
    }
  }

  /** Stage 2: one partition's index answers its queries, a block at a time. */
  static final class Search
      implements Function2<Integer, Iterator<Tuple2<Integer, Object>>, Iterator<Tuple2<Integer, Partial>>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<QueryPlan> plan;
    private final Broadcast<HadoopConf> hadoop;

    Search(Broadcast<QueryPlan> plan, Broadcast<HadoopConf> hadoop) {
      this.plan = plan;
      this.hadoop = hadoop;
    }

    @Override
    public Iterator<Tuple2<Integer, Partial>> call(Integer partition, Iterator<Tuple2<Integer, Object>> records) {
      QueryPlan p = plan.value();
      if (!records.hasNext() || p.sizes[partition] == 0) {
        return Collections.emptyIterator();
      }
      Index index;
      try {
        index = IndexCache.shared().get(IndexCache.key(p.directory, p.buildId, partition),
            () -> IndexStore.load(new Path(p.directory, IndexStore.fileName(partition)), hadoop.value().get()));
      } catch (IOException e) {
        throw new UncheckedIOException("vers-spark: cannot load partition " + partition + " from " + p.directory
            + ": " + e.getMessage(), e);
      }
      SearchParams params = p.searchParams();
      int d = p.dimension;
      int kk = p.excludeSelf ? p.k + 1 : p.k;
      int block = p.blockSize;
      float[] vectors = new float[block * d];
      Records.Route[] routes = new Records.Route[block];
      ArrayDeque<Tuple2<Integer, Partial>> pending = new ArrayDeque<>();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          while (pending.isEmpty() && records.hasNext()) {
            searchBlock();
          }
          return !pending.isEmpty();
        }

        @Override
        public Tuple2<Integer, Partial> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return pending.poll();
        }

        private void searchBlock() {
          int count = 0;
          while (count < block && records.hasNext()) {
            Records.Route r = (Records.Route) records.next()._2();
            System.arraycopy(r.vector, 0, vectors, count * d, d);
            routes[count++] = r;
          }
          float[] input = count == block ? vectors : java.util.Arrays.copyOf(vectors, count * d);
          BatchResults results = index.searchBatch(input, count, kk, params, p.threads);
          for (int q = 0; q < count; q++) {
            Records.Route r = routes[q];
            int n = results.size(q);
            long[] ids = new long[Math.min(n, p.k)];
            float[] dist = new float[ids.length];
            int kept = 0;
            for (int j = 0; j < n && kept < ids.length; j++) {
              long id = results.id(q, j);
              if (r.exclude && id == r.selfId) {
                continue;
              }
              ids[kept] = id;
              dist[kept++] = results.distance(q, j);
            }
            if (kept < ids.length) {
              ids = java.util.Arrays.copyOf(ids, kept);
              dist = java.util.Arrays.copyOf(dist, kept);
            }
            pending.add(new Tuple2<>(Records.partitionOf(r.key), new Partial(r.key, ids, dist)));
            routes[q] = null;
          }
        }
      };
    }
  }

  /** Stage 3: every held row of one input partition, with the global top k of its answers. */
  static final class Merge implements FlatMapFunction2<Iterator<Tuple2<Integer, Object>>,
      Iterator<Tuple2<Integer, Partial>>, Row> {
    private static final long serialVersionUID = 1L;
    private static final Object[] NONE = new Object[0];
    private final Broadcast<QueryPlan> plan;

    Merge(Broadcast<QueryPlan> plan) {
      this.plan = plan;
    }

    @Override
    public Iterator<Row> call(Iterator<Tuple2<Integer, Object>> held, Iterator<Tuple2<Integer, Partial>> answers) {
      QueryPlan p = plan.value();
      LongObjectHashMap<TopK> merged = new LongObjectHashMap<>();
      while (answers.hasNext()) {
        Partial a = answers.next()._2();
        TopK top = merged.get(a.key);
        if (top == null) {
          top = new TopK(p.k);
          merged.put(a.key, top);
        }
        top.offerAll(a.ids, a.distances, a.ids.length);
      }
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return held.hasNext();
        }

        @Override
        public Row next() {
          Held h = (Held) held.next()._2();
          TopK top = merged.remove(h.key);
          Object[] neighbours = NONE;
          if (top != null) {
            neighbours = new Object[top.size()];
            for (int i = 0; i < neighbours.length; i++) {
              neighbours[i] = RowFactory.create(top.id(i), top.distance(i));
            }
          }
          int c = h.row.length();
          Object[] values = new Object[c + 1];
          for (int i = 0; i < c; i++) {
            values[i] = h.row.get(i);
          }
          values[c] = neighbours;
          return RowFactory.create(values);
        }
      };
    }
  }
}
