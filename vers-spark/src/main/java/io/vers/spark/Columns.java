package io.vers.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.vers.api.Metric;
import io.vers.spi.Vectors;
import java.util.Arrays;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Checks of the input columns and their conversion: ids to {@code bigint}, features ({@code array<float>},
 * {@code array<double>} or an ML {@code Vector}) to {@code array<float>}. Every message names the
 * parameter and the column, and, for a bad value, the id of its row.
 */
final class Columns {
  private Columns() {}

  /** The column's field, or an exception naming the parameter, the column and the columns there are. */
  static StructField field(StructType schema, String column, String param, String who) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(column)) {
        return f;
      }
    }
    throw new IllegalArgumentException(who + ": " + param + " '" + column + "' is not a column of the dataset; its "
        + "columns are " + Arrays.toString(schema.fieldNames()));
  }

  /** Whether the schema has the column. */
  static boolean has(StructType schema, String column) {
    return Arrays.asList(schema.fieldNames()).contains(column);
  }

  /** Checks that the column holds whole numbers and returns it as {@code bigint}. */
  static Column id(StructType schema, String column, String param, String who) {
    DataType t = field(schema, column, param, who).dataType();
    if (!(t instanceof LongType || t instanceof IntegerType || t instanceof ShortType || t instanceof ByteType)) {
      throw new IllegalArgumentException(who + ": " + param + " '" + column + "' has type " + t.simpleString()
          + "; ids must be bigint (long) or int");
    }
    return col(quoted(column)).cast(DataTypes.LongType);
  }

  /** Checks the features column's type and returns it as {@code array<float>}. */
  static Column features(StructType schema, String column, String param, String who) {
    DataType t = field(schema, column, param, who).dataType();
    Column c = col(quoted(column));
    if (t instanceof ArrayType && ((ArrayType) t).elementType() instanceof FloatType) {
      return c;
    }
    if (t instanceof ArrayType && ((ArrayType) t).elementType() instanceof DoubleType) {
      return c.cast(DataTypes.createArrayType(DataTypes.FloatType, ((ArrayType) t).containsNull()));
    }
    if (t instanceof VectorUDT) {
      return org.apache.spark.ml.functions.vector_to_array(c, "float32");
    }
    throw new IllegalArgumentException(who + ": " + param + " '" + column + "' has type " + t.simpleString()
        + "; features must be array<float>, array<double> or an ML Vector (org.apache.spark.ml.linalg.Vector)");
  }

  /** A boolean column: whether the features array holds a null element (never, for a Vector). */
  static Column hasNullComponent(StructType schema, String column) {
    DataType t = schema.apply(column).dataType();
    if (t instanceof ArrayType && ((ArrayType) t).containsNull()) {
      return expr("exists(" + quoted(column) + ", x -> x is null)");
    }
    return lit(false);
  }

  /** The column's name quoted for Spark SQL: {@code `a.b`}. */
  static String quoted(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  /**
   * Reads the {@code array<float>} at {@code index} of {@code row} into a new array, checking it.
   *
   * @param nullComponent whether the features held a null element
   * @param what how to name the vector: {@code featuresCol 'f' of the item with id 7}
   */
  static float[] floats(Row row, int index, boolean nullComponent, int dimension, Metric metric, String what) {
    if (row.isNullAt(index)) {
      throw new IllegalArgumentException(what + " is null; every row needs a vector");
    }
    if (nullComponent) {
      throw new IllegalArgumentException(what + " has a null component; every component must be a number");
    }
    scala.collection.Seq<Object> seq = row.getSeq(index);
    int n = seq.length();
    if (n != dimension) {
      throw new IllegalArgumentException(what + " has " + n + " components, but the vectors have " + dimension
          + " (the first item's); every vector needs the same dimension");
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (Float) seq.apply(i);
    }
    Vectors.check(v, dimension, metric, what);
    return v;
  }
}
