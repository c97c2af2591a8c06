// Reading .fvecs and .ivecs files, shared by the native peer harnesses.
#pragma once

#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

// Reads an .fvecs or .ivecs file: each record is an int32 dimension followed by that many 4-byte values.
template <typename T>
inline std::vector<T> readVecs(const std::string& path, size_t* count, size_t* dim) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  in.seekg(0, std::ios::end);
  size_t bytes = static_cast<size_t>(in.tellg());
  in.seekg(0, std::ios::beg);
  int32_t d = 0;
  in.read(reinterpret_cast<char*>(&d), 4);
  if (d <= 0) throw std::runtime_error("bad dimension in " + path);
  size_t record = 4 + 4 * static_cast<size_t>(d);
  if (bytes % record != 0) throw std::runtime_error("truncated file " + path);
  *count = bytes / record;
  *dim = static_cast<size_t>(d);
  std::vector<T> out(*count * *dim);
  in.seekg(0, std::ios::beg);
  for (size_t i = 0; i < *count; i++) {
    int32_t di = 0;
    in.read(reinterpret_cast<char*>(&di), 4);
    if (di != d) throw std::runtime_error("mixed dimensions in " + path);
    in.read(reinterpret_cast<char*>(out.data() + i * *dim), 4 * *dim);
  }
  return out;
}
