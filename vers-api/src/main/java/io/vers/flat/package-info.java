/**
 * The exact index, {@code "flat"}: every search compares the query with every stored vector, or with
 * {@code quantization=sq8} with the 8-bit code of every stored vector. Reach it through
 * {@code Indexes.create("flat", ...)} or {@link io.vers.flat.FlatIndex#create}.
 */
package io.vers.flat;
