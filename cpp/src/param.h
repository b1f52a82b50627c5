// Optional array parameters: the caller's array, or the operation's default filled in.
#pragma once

#include <cstdint>
#include <vector>

#include "normcore/types.h"

namespace normcore {

// The given array, or `size` copies of `fill` held in `storage`.
inline const float* or_default(const Input& in,
                               int64_t size,
                               float fill,
                               std::vector<float>* storage) {
  if (in.given())
    return in.data;
  storage->assign(static_cast<size_t>(size), fill);
  return storage->data();
}

// Element i of an optional per-channel array, or the default when it was omitted.
inline float value_or(const Input& in, int64_t i, float fallback) {
  return in.given() ? in.data[i] : fallback;
}

// Writes one statistic into an optional output.
inline void put(const Output& out, int64_t i, double v) {
  if (out.data)
    out.data[i] = static_cast<float>(v);
}

}  // namespace normcore
