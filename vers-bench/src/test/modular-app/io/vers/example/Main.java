package io.vers.example;

import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.io.IndexIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds, searches, saves and loads every algorithm it finds; prints one line per algorithm. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    System.out.println("api-module " + describe(Index.class.getModule()));
    System.out.println("algorithms " + String.join(",", Indexes.available()));
    Path dir = Files.createTempDirectory("vers-modular");
    for (String name : Indexes.available()) {
      Index index = Indexes.create(name, 8, Metric.L2);
      for (int i = 0; i < 300; i++) {
        index.add(i, vector(i));
      }
      List<SearchResult> nearest = index.search(vector(17), 3, SearchParams.DEFAULT);
      Path file = dir.resolve(name + ".vers");
      IndexIO.save(index, file);
      Index loaded = IndexIO.load(file);
      List<SearchResult> again = loaded.search(vector(17), 3, SearchParams.DEFAULT);
      System.out.println("index " + name + " " + describe(index.getClass().getModule()) + " nearest "
          + nearest.get(0).id() + " reloaded-equal " + nearest.equals(again));
      Files.delete(file);
    }
    Files.delete(dir);
  }

  private static String describe(Module module) {
    return module.getName() + (module.getDescriptor().isAutomatic() ? " automatic" : " explicit");
  }

  private static float[] vector(int i) {
    float[] v = new float[8];
    for (int j = 0; j < v.length; j++) {
      v[j] = (float) Math.sin(i * 7.1 + j * 1.3) + (i % 5);
    }
    return v;
  }
}
