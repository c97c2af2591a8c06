/**
 * The soak test behind {@code vers soak}: writers, readers and periodic saves and loads of one index
 * for as long as asked, with every read checked against invariants ({@link io.vers.bench.soak.SoakRun}).
 */
package io.vers.bench.soak;
