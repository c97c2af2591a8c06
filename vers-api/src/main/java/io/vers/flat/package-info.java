/**
 * The exact index, {@code "flat"}: every search compares the query with every stored vector. Reach it
 * through {@code Indexes.create("flat", ...)} or {@link io.vers.flat.FlatIndex#create}.
 */
package io.vers.flat;
