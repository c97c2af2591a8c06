/**
 * The implementor kit: building blocks that the algorithm modules of vers share (id maps, the index
 * lock, candidate queues, visited sets, the batch runner, knob resolution, recall calibration, argument
 * checks). Vector storage is in {@code io.vers.spi.storage}, distance kernels in {@code io.vers.spi.simd}.
 *
 * <p><b>No compatibility promise.</b> These types are public only so that algorithm modules can use them;
 * they may change in any release. Applications use {@code io.vers.api} alone.
 */
package io.vers.spi;
