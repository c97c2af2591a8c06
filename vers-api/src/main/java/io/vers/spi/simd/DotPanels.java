package io.vers.spi.simd;

/**
 * Dot products of a few rows with a panel of {@link #width()} vectors stored component-major (component
 * {@code i} of panel vector {@code j} at {@code panel + i * width + j}), for ranking many centroids
 * against many queries. Every (row, vector) product is one fused multiply-add chain over the components
 * in ascending order, whatever the panel or row group, so one row gets the scores a group of rows would
 * and the scalar twin gets the same bits. Get one from {@link Kernels#dotPanels()}. Stateless.
 */
public abstract class DotPanels {
  DotPanels() {}

  /** {@return the vectors in one panel} */
  public abstract int width();

  /** {@return the rows {@link #dot} takes per call} */
  public abstract int rows();

  /**
   * Sets {@code out[r * width() + j]} to the dot product of row {@code r} ({@code rows} from
   * {@code offsets[r]}) with vector {@code j} of the panel at {@code panels[panelOffset ..]}, for
   * {@link #rows()} rows, over {@code dim} components.
   */
  public abstract void dot(float[] rows, int[] offsets, float[] panels, int panelOffset, int dim, float[] out);

  /**
   * Sets {@code out[j * width() + c]} to the dot product of {@code row[rowOffset ..]} with vector
   * {@code c} of the panel at {@code panels[p_j ..]}, for four panels (offsets may repeat), over
   * {@code dim} components: one query ranking the centroids, with the products {@link #dot} computes.
   */
  public abstract void dot1(float[] row, int rowOffset, float[] panels, int p0, int p1, int p2, int p3, int dim,
      float[] out);

  /** The scalar twin: the same fused multiply-add chains, one product at a time. */
  static final class Scalar extends DotPanels {
    private final int width;
    private final int rows;

    Scalar(int width, int rows) {
      this.width = width;
      this.rows = rows;
    }

    @Override
    public int width() {
      return width;
    }

    @Override
    public int rows() {
      return rows;
    }

    @Override
    public void dot(float[] rowData, int[] offsets, float[] panels, int panelOffset, int dim, float[] out) {
      for (int r = 0; r < rows; r++) {
        product(rowData, offsets[r], panels, panelOffset, dim, out, r * width);
      }
    }

    @Override
    public void dot1(float[] row, int rowOffset, float[] panels, int p0, int p1, int p2, int p3, int dim,
        float[] out) {
      product(row, rowOffset, panels, p0, dim, out, 0);
      product(row, rowOffset, panels, p1, dim, out, width);
      product(row, rowOffset, panels, p2, dim, out, 2 * width);
      product(row, rowOffset, panels, p3, dim, out, 3 * width);
    }

    private void product(float[] row, int rowOffset, float[] panels, int panel, int dim, float[] out, int outOffset) {
      for (int j = 0; j < width; j++) {
        float s = 0f;
        for (int i = 0, at = panel + j; i < dim; i++, at += width) {
          s = Math.fma(row[rowOffset + i], panels[at], s);
        }
        out[outOffset + j] = s;
      }
    }
  }
}
