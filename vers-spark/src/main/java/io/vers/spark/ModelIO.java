package io.vers.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vers.api.Metric;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

/**
 * A saved {@link VersKnnModel}, on any Hadoop file system:
 * <pre>
 * path/metadata.json          format name and version, parameters, partitioning, sizes (written last)
 * path/centroids.fvecs        ivf: one centroid per partition (fvecs: int32 dimension, then the floats)
 * path/partitions/part-00000.vers ...   one vers-io file per non-empty partition
 * </pre>
 * Every file is written through a temporary file renamed into place; the partition files are the normal
 * vers-io format, checksummed, so {@code vers info path/partitions/part-00000.vers} reads one. A reader
 * refuses a newer format version with a message saying so.
 */
final class ModelIO {
  static final String FORMAT = "vers-spark-model";
  static final int FORMAT_VERSION = 1;
  static final String METADATA = "metadata.json";
  static final String CENTROIDS = "centroids.fvecs";
  static final String PARTITIONS = "partitions";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelIO() {}

  /** Writes a model. */
  static final class Writer extends MLWriter {
    private final VersKnnModel model;

    Writer(VersKnnModel model) {
      this.model = model;
    }

    @Override
    public void save(String path) throws IOException {
      Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
      Path target = new Path(path);
      FileSystem fs = target.getFileSystem(conf);
      Path source = new Path(model.state().directory);
      String t = fs.makeQualified(target).toString() + "/";
      if (source.toString().startsWith(t) || source.toString().equals(fs.makeQualified(target).toString())) {
        throw new IllegalArgumentException("VersKnnModel: the model's partition files are under " + path
            + "; save it to another path");
      }
      super.save(path);
    }

    @Override
    public void saveImpl(String path) {
      try {
        write(path);
      } catch (IOException e) {
        throw new UncheckedIOException("VersKnnModel: cannot save to " + path + ": " + e.getMessage(), e);
      }
    }

    private void write(String path) throws IOException {
      ModelState state = model.state();
      Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
      Path root = new Path(path);
      FileSystem fs = root.getFileSystem(conf);
      Path partitions = new Path(root, PARTITIONS);
      fs.mkdirs(partitions);
      List<Integer> nonEmpty = new ArrayList<>();
      for (int p = 0; p < state.partitions(); p++) {
        if (state.sizes[p] > 0) {
          nonEmpty.add(p);
        }
      }
      if (!nonEmpty.isEmpty()) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sparkSession().sparkContext());
        Broadcast<HadoopConf> hadoop = jsc.broadcast(new HadoopConf(conf));
        String from = state.directory;
        String to = fs.makeQualified(partitions).toString();
        jsc.parallelize(nonEmpty, nonEmpty.size()).foreach(p -> IndexStore.copy(
            new Path(from, IndexStore.fileName(p)), new Path(to, IndexStore.fileName(p)), hadoop.value().get()));
        hadoop.destroy();
      }
      if (state.centroids != null) {
        IndexStore.writeAtomically(fs, new Path(root, CENTROIDS), conf,
            out -> out.write(fvecs(state.centroids, state.dimension)));
      }
      byte[] metadata = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata(model));
      IndexStore.writeAtomically(fs, new Path(root, METADATA), conf, out -> out.write(metadata));
    }
  }

  /** Reads a model. */
  static final class Reader extends MLReader<VersKnnModel> {
    @Override
    public VersKnnModel load(String path) {
      try {
        return read(path);
      } catch (IOException e) {
        throw new UncheckedIOException("VersKnnModel: cannot load " + path + ": " + e.getMessage(), e);
      }
    }

    private VersKnnModel read(String path) throws IOException {
      Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
      Path root = new Path(path);
      FileSystem fs = root.getFileSystem(conf);
      Path metaPath = new Path(root, METADATA);
      if (!fs.exists(metaPath)) {
        throw new IOException(path + " holds no " + METADATA + "; it is not a saved VersKnnModel (or its save did "
            + "not finish)");
      }
      JsonNode meta;
      try (InputStream in = fs.open(metaPath)) {
        meta = JSON.readTree(in);
      }
      if (!FORMAT.equals(meta.path("format").asText())) {
        throw new IOException(metaPath + " is not the metadata of a VersKnnModel (format '"
            + meta.path("format").asText() + "')");
      }
      int version = meta.path("formatVersion").asInt(-1);
      if (version < 1 || version > FORMAT_VERSION) {
        throw new IOException(path + " was written in format version " + version + " of " + FORMAT + "; this "
            + "vers-spark reads versions 1 to " + FORMAT_VERSION
            + (version > FORMAT_VERSION ? ": use a newer vers-spark" : ""));
      }
      JsonNode m = meta.path("model");
      int dimension = m.path("dimension").asInt();
      ArrayNode parts = (ArrayNode) m.path("partitions");
      int n = parts.size();
      long[] sizes = new long[n];
      long[] replicas = new long[n];
      long[] ram = new long[n];
      long[] bytes = new long[n];
      for (int p = 0; p < n; p++) {
        JsonNode part = parts.get(p);
        sizes[p] = part.path("size").asLong();
        replicas[p] = part.path("replicas").asLong();
        ram[p] = part.path("ramBytes").asLong();
        bytes[p] = part.path("fileBytes").asLong();
      }
      float[] centroids = null;
      if (m.path("partitioning").asText().equals("ivf")) {
        try (InputStream in = fs.open(new Path(root, CENTROIDS))) {
          centroids = readFvecs(in.readAllBytes(), dimension, n, path);
        }
      }
      Map<String, String> algorithmParams = new TreeMap<>();
      m.path("algorithmParams").fields().forEachRemaining(e -> algorithmParams.put(e.getKey(), e.getValue().asText()));
      double replicaBound = m.path("replicaBound").isTextual() ? Double.POSITIVE_INFINITY
          : m.path("replicaBound").asDouble();
      ModelState state = new ModelState(m.path("buildId").asText(), fs.makeQualified(new Path(root, PARTITIONS))
          .toString(), dimension, Metric.valueOf(m.path("metric").asText()), m.path("algorithm").asText(),
          StringMapParam.copyOf(algorithmParams), m.path("partitioning").asText(), centroids, replicaBound,
          m.path("trainedCells").asInt(), m.path("splitCells").asInt(),
          m.path("splitInto").asInt(), m.path("items").asLong(), sizes, replicas, ram, bytes,
          m.path("buildSeconds").asDouble());
      VersKnnModel model = new VersKnnModel(meta.path("uid").asText(), state);
      Iterator<Map.Entry<String, JsonNode>> params = meta.path("paramMap").fields();
      while (params.hasNext()) {
        Map.Entry<String, JsonNode> e = params.next();
        if (model.hasParam(e.getKey())) {
          setParam(model, model.getParam(e.getKey()), e.getValue().toString());
        }
      }
      return model;
    }

    @SuppressWarnings("unchecked")
    private static <T> void setParam(VersKnnModel model, Param<T> param, String json) {
      model.set(new ParamPair<>(param, param.jsonDecode(json)));
    }
  }

  private static ObjectNode metadata(VersKnnModel model) throws IOException {
    ModelState s = model.state();
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("formatVersion", FORMAT_VERSION);
    root.put("class", VersKnnModel.class.getName());
    root.put("uid", model.uid());
    root.put("timestamp", System.currentTimeMillis());
    root.put("sparkVersion", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    ObjectNode params = root.putObject("paramMap");
    for (ParamPair<?> pair : model.extractParamMap().toList()) {
      if (model.isSet(pair.param())) {
        params.set(pair.param().name(), JSON.readTree(encode(pair)));
      }
    }
    ObjectNode m = root.putObject("model");
    m.put("buildId", s.buildId);
    m.put("dimension", s.dimension);
    m.put("metric", s.metric.name());
    m.put("algorithm", s.algorithm);
    ObjectNode ap = m.putObject("algorithmParams");
    s.algorithmParams.forEach(ap::put);
    m.put("partitioning", s.partitioning);
    if (Double.isInfinite(s.replicaBound)) {
      m.put("replicaBound", "Infinity");
    } else {
      m.put("replicaBound", s.replicaBound);
    }
    m.put("trainedCells", s.trainedCells);
    m.put("splitCells", s.splitCells);
    m.put("splitInto", s.splitInto);
    m.put("items", s.items);
    m.put("buildSeconds", s.buildSeconds);
    ArrayNode parts = m.putArray("partitions");
    for (int p = 0; p < s.partitions(); p++) {
      ObjectNode part = parts.addObject();
      part.put("file", s.sizes[p] > 0 ? PARTITIONS + "/" + IndexStore.fileName(p) : null);
      part.put("size", s.sizes[p]);
      part.put("replicas", s.replicas[p]);
      part.put("ramBytes", s.ramBytes[p]);
      part.put("fileBytes", s.fileBytes[p]);
    }
    return root;
  }

  @SuppressWarnings("unchecked")
  private static <T> String encode(ParamPair<T> pair) {
    return pair.param().jsonEncode(pair.value());
  }

  static byte[] fvecs(float[] rows, int dimension) {
    int n = rows.length / dimension;
    ByteBuffer buf = ByteBuffer.allocate(n * (4 + 4 * dimension)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      buf.putInt(dimension);
      for (int j = 0; j < dimension; j++) {
        buf.putFloat(rows[i * dimension + j]);
      }
    }
    return buf.array();
  }

  static float[] readFvecs(byte[] bytes, int dimension, int rows, String path) throws IOException {
    if (bytes.length != rows * (4 + 4 * dimension)) {
      throw new IOException(path + "/" + CENTROIDS + " has " + bytes.length + " bytes; " + rows + " centroids of "
          + "dimension " + dimension + " need " + rows * (4 + 4 * dimension));
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[rows * dimension];
    for (int i = 0; i < rows; i++) {
      int d = buf.getInt();
      if (d != dimension) {
        throw new IOException(path + "/" + CENTROIDS + ": centroid " + i + " has dimension " + d + ", not "
            + dimension);
      }
      for (int j = 0; j < dimension; j++) {
        out[i * dimension + j] = buf.getFloat();
      }
    }
    return out;
  }
}
