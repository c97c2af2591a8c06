// Native hnswlib baseline for the vers-hnsw benchmark: builds an L2 index from an .fvecs file on N
// threads, then searches every query single-threaded at each ef of a grid and reports recall@k
// against an .ivecs ground truth (ids, nearest first), queries per second and the build time.
//
// Compile (hnswlib headers from Debian's libhnswlib-dev):
//   g++ -O3 -march=native -std=c++17 -pthread -o hnswlib_bench peers/hnswlib_bench.cpp
// Run:
//   ./hnswlib_bench base.fvecs query.fvecs gt.ivecs [M=16] [efConstruction=200] [threads=2]
//       [ef grid=10,20,40,80,120,200,400] [k=10] [seed=100] [space=l2|ip|l2-counted|ip-counted]
// "ip" is hnswlib's inner-product space, hnswlib's way to search by cosine when the vectors are unit
// length. The "-counted" spaces route every distance through a per-thread call counter (one more
// indirect call per distance) to report distances per query; the plain ones time hnswlib as it is.
//
// Output: a header block (build wall and CPU seconds, level-0 bytes per vector, growth of the resident
// set per vector while creating and building the index, mean level-0 degree),
// then one row per ef: recall, queries per wall-clock second and per CPU second of the searching
// thread (a warm-up pass over the queries, then the fastest of at least 5 timed passes and 0.5 s), neighbour-list entries examined and, with a counted space, distances computed per query.

#include <hnswlib/hnswlib.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "vecs.h"

namespace {

std::vector<int> parseGrid(const std::string& text) {
  std::vector<int> grid;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) grid.push_back(std::stoi(item));
  return grid;
}

// Resident set size of this process in bytes, from /proc/self/status.
size_t residentBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
  }
  return 0;
}

double seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// CPU seconds used by the process or the calling thread: on a shared machine these are steadier than
// wall-clock seconds.
double cpuSeconds(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// hnswlib's own (SIMD) kernel behind a per-thread call counter.
thread_local size_t distanceCalls = 0;
hnswlib::DISTFUNC<float> innerKernel = nullptr;

float countedDistance(const void* a, const void* b, const void* dim) {
  distanceCalls++;
  return innerKernel(a, b, dim);
}

class CountingSpace : public hnswlib::SpaceInterface<float> {
 public:
  explicit CountingSpace(hnswlib::SpaceInterface<float>* inner) : inner_(inner) {
    innerKernel = inner_->get_dist_func();
  }
  size_t get_data_size() override { return inner_->get_data_size(); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return countedDistance; }
  void* get_dist_func_param() override { return inner_->get_dist_func_param(); }

 private:
  hnswlib::SpaceInterface<float>* inner_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: %s base.fvecs query.fvecs gt.ivecs [M] [efConstruction] [threads] [ef,ef,...] [k] [seed] [l2|ip|l2-counted|ip-counted]\n",
                 argv[0]);
    return 2;
  }
  size_t m = argc > 4 ? std::stoul(argv[4]) : 16;
  size_t efConstruction = argc > 5 ? std::stoul(argv[5]) : 200;
  size_t threads = argc > 6 ? std::stoul(argv[6]) : 2;
  std::vector<int> grid = parseGrid(argc > 7 ? argv[7] : "10,20,40,80,120,200,400");
  size_t k = argc > 8 ? std::stoul(argv[8]) : 10;
  size_t seed = argc > 9 ? std::stoul(argv[9]) : 100;
  std::string spaceName = argc > 10 ? argv[10] : "l2";
  bool counted = spaceName.size() > 8 && spaceName.compare(spaceName.size() - 8, 8, "-counted") == 0;
  std::string metric = counted ? spaceName.substr(0, spaceName.size() - 8) : spaceName;
  if (metric != "l2" && metric != "ip") throw std::runtime_error("space must be l2, ip, l2-counted or ip-counted");

  size_t n = 0, dim = 0, nq = 0, qdim = 0, ngt = 0, gtk = 0;
  std::vector<float> base = readVecs<float>(argv[1], &n, &dim);
  std::vector<float> queries = readVecs<float>(argv[2], &nq, &qdim);
  std::vector<int32_t> truth = readVecs<int32_t>(argv[3], &ngt, &gtk);
  if (qdim != dim || ngt != nq || gtk < k) throw std::runtime_error("inputs do not match");

  size_t residentBefore = residentBytes();
  hnswlib::L2Space l2(dim);
  hnswlib::InnerProductSpace ip(dim);
  hnswlib::SpaceInterface<float>* plain = metric == "l2" ? static_cast<hnswlib::SpaceInterface<float>*>(&l2) : &ip;
  CountingSpace countingSpace(plain);
  hnswlib::SpaceInterface<float>* space = counted ? &countingSpace : plain;
  hnswlib::HierarchicalNSW<float> index(space, n, m, efConstruction, seed);

  auto buildStart = std::chrono::steady_clock::now();
  double buildCpuStart = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
  // The first point is added alone, as hnswlib's own parallel loader does.
  index.addPoint(base.data(), 0);
  std::atomic<size_t> next(1);
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; t++) {
    workers.emplace_back([&]() {
      for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
        index.addPoint(base.data() + i * dim, i);
      }
    });
  }
  for (auto& w : workers) w.join();
  double buildSeconds = seconds(buildStart);
  double buildCpuSeconds = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - buildCpuStart;

  std::printf("hnswlib 0.6.2  n=%zu dim=%zu queries=%zu M=%zu efConstruction=%zu threads=%zu k=%zu space=%s\n", n,
              dim, nq, m, efConstruction, threads, k, spaceName.c_str());
  std::printf("build_seconds %.3f (cpu %.3f)\n", buildSeconds, buildCpuSeconds);
  std::printf("level0_bytes_per_vector %zu\n", index.size_data_per_element_);
  std::printf("resident_growth_bytes_per_vector %.1f\n", (residentBytes() - residentBefore) / double(n));
  size_t links = 0;
  for (size_t i = 0; i < n; i++) links += index.getListCount(index.get_linklist0(i));
  std::printf("mean_level0_degree %.2f\n", links / double(n));
  std::printf("%6s %8s %10s %10s %12s %12s\n", "ef", "recall", "qps", "cpu_qps", "links/query", "dists/query");
  const int PASSES = 5;
  const double MIN_SECONDS = 0.5;
  double timedSeconds = 0;
  for (int ef : grid) {
    index.setEf(ef);
    long checkedBefore = index.metric_distance_computations;
    std::vector<std::vector<size_t>> found(nq);
    size_t callsBefore = distanceCalls;
    double elapsed = 1e300;
    double cpuElapsed = 1e300;
    double checkedPasses = 0;
    // A warm-up pass, then the fastest of the timed ones (at least PASSES, and at least MIN_SECONDS).
    for (int pass = 0, timed = 0; timed < PASSES || (pass > 0 && timedSeconds < MIN_SECONDS); pass++) {
      auto start = std::chrono::steady_clock::now();
      double cpuStart = cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
      for (size_t q = 0; q < nq; q++) {
        auto result = index.searchKnn(queries.data() + q * dim, k);
        found[q].clear();
        found[q].reserve(k);
        while (!result.empty()) {
          found[q].push_back(result.top().second);
          result.pop();
        }
      }
      double passSeconds = seconds(start);
      double passCpu = cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - cpuStart;
      checkedPasses++;
      if (pass > 0) {
        timed++;
        timedSeconds += passSeconds;
        elapsed = std::min(elapsed, passSeconds);
        cpuElapsed = std::min(cpuElapsed, passCpu);
      }
    }
    timedSeconds = 0;
    double calls = (distanceCalls - callsBefore) / double(nq) / checkedPasses;
    size_t hits = 0;
    for (size_t q = 0; q < nq; q++) {
      std::unordered_set<size_t> expected(truth.begin() + q * gtk, truth.begin() + q * gtk + k);
      for (size_t id : found[q]) hits += expected.count(id);
    }
    double checked = (index.metric_distance_computations - checkedBefore) / double(nq) / checkedPasses;
    std::printf("%6d %8.4f %10.1f %10.1f %12.1f %12.1f\n", ef, hits / double(nq * k), nq / elapsed, nq / cpuElapsed,
                checked, calls);
  }
  return 0;
}
