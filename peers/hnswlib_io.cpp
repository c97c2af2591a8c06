// Native hnswlib baseline for `vers io`: builds an L2 index from an .fvecs file on N threads (or loads a
// saved hnswlib index), then times saveIndex and loadIndex, as `vers io` times IndexIO.save and load.
//
// Compile (hnswlib headers from Debian's libhnswlib-dev):
//   g++ -O3 -march=native -std=c++17 -pthread -o hnswlib_io peers/hnswlib_io.cpp
// Run:
//   ./hnswlib_io base.fvecs DIR [M=16] [efConstruction=200] [threads=2] [rounds=3]
//   ./hnswlib_io --index FILE DIM DIR [rounds=3]
//
// Each save writes DIR/hnswlib-io.bin with hnswlib's saveIndex (a plain std::ofstream), then forces it
// to the device with fsync, timed separately, since IndexIO.save includes that. Each load reads it back
// with loadIndex. MB/s are of file bytes, as in `vers io`. The file is left in DIR after a build, for
// later runs with --index, and removed after a run with --index.

#include <fcntl.h>
#include <hnswlib/hnswlib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "vecs.h"

namespace {

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void fsyncFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0 || fsync(fd) != 0) throw std::runtime_error("cannot fsync " + path);
  close(fd);
}

size_t fileSize(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  return static_cast<size_t>(in.tellg());
}

}  // namespace

int main(int argc, char** argv) {
  try {
    bool given = argc >= 4 && std::string(argv[1]) == "--index";
    if (argc < 3 || (given && argc < 5)) {
      std::fprintf(stderr, "usage: %s base.fvecs DIR [M] [efC] [threads] [rounds] | --index FILE DIM DIR [rounds]\n",
                   argv[0]);
      return 2;
    }
    size_t dim = 0;
    std::string dir;
    int rounds = 3;
    hnswlib::L2Space* space = nullptr;
    hnswlib::HierarchicalNSW<float>* index = nullptr;
    if (given) {
      dim = std::stoul(argv[3]);
      dir = argv[4];
      if (argc > 5) rounds = std::stoi(argv[5]);
      space = new hnswlib::L2Space(dim);
      auto start = std::chrono::steady_clock::now();
      index = new hnswlib::HierarchicalNSW<float>(space, argv[2]);
      double s = seconds(start);
      size_t bytes = fileSize(argv[2]);
      std::printf("loaded %s (%zu bytes) in %.3f s = %.0f MB/s, the first load in this process: %zu x %zu\n",
                  argv[2], bytes, s, bytes / 1e6 / s, static_cast<size_t>(index->cur_element_count), dim);
    } else {
      dir = argv[2];
      size_t m = argc > 3 ? std::stoul(argv[3]) : 16;
      size_t efc = argc > 4 ? std::stoul(argv[4]) : 200;
      int threads = argc > 5 ? std::stoi(argv[5]) : 2;
      if (argc > 6) rounds = std::stoi(argv[6]);
      size_t n = 0;
      std::vector<float> base = readVecs<float>(argv[1], &n, &dim);
      space = new hnswlib::L2Space(dim);
      index = new hnswlib::HierarchicalNSW<float>(space, n, m, efc, 100);
      auto start = std::chrono::steady_clock::now();
      std::atomic<size_t> next(0);
      std::vector<std::thread> workers;
      for (int t = 0; t < threads; t++) {
        workers.emplace_back([&] {
          for (size_t i = next++; i < n; i = next++) index->addPoint(base.data() + i * dim, i);
        });
      }
      for (auto& w : workers) w.join();
      std::printf("built hnswlib over %zu vectors of dimension %zu (M=%zu, efConstruction=%zu) in %.1f s\n", n, dim,
                  m, efc, seconds(start));
    }
    std::string file = dir + "/hnswlib-io.bin";
    for (int r = 1; r <= rounds; r++) {
      auto start = std::chrono::steady_clock::now();
      index->saveIndex(file);
      double write = seconds(start);
      fsyncFile(file);
      double total = seconds(start);
      size_t bytes = fileSize(file);
      std::printf("save %d   %.3f s  %7.0f MB/s   (saveIndex %.3f s = %.0f MB/s, then fsync)\n", r, total,
                  bytes / 1e6 / total, write, bytes / 1e6 / write);
    }
    size_t bytes = fileSize(file);
    delete index;
    for (int r = 1; r <= rounds; r++) {
      auto start = std::chrono::steady_clock::now();
      auto* loaded = new hnswlib::HierarchicalNSW<float>(space, file);
      double s = seconds(start);
      std::printf("load %d   %.3f s  %7.0f MB/s\n", r, s, bytes / 1e6 / s);
      delete loaded;
    }
    std::printf("file %zu bytes\n", bytes);
    if (given) std::remove(file.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hnswlib_io: %s\n", e.what());
    return 1;
  }
}
