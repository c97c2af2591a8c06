/**
 * Vector storage for index implementations: vectors as flat {@code float[]} pages addressed by int
 * ordinals.
 *
 * <p><b>No compatibility promise</b>: part of the implementor kit (see {@code io.vers.spi}).
 */
package io.vers.spi.storage;
