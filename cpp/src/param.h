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

// An earlier stage than the output applies neither γ nor β; the centred stage does not divide.
inline bool applies_affine(Stage stage) {
  return stage == Stage::kOutput;
}
inline bool divides(Stage stage) {
  return stage != Stage::kCentred;
}
// γ (or the multiplier's default 1) and β (or 0) as the stage uses them.
inline float stage_gamma(Stage stage, const Input& gamma, int64_t i) {
  return applies_affine(stage) ? value_or(gamma, i, 1) : 1.f;
}
inline float stage_beta(Stage stage, const Input& beta, int64_t i) {
  return applies_affine(stage) ? value_or(beta, i, 0) : 0.f;
}

// Writes one statistic into an optional output.
inline void put(const Output& out, int64_t i, double v) {
  if (out.data)
    out.data[i] = static_cast<float>(v);
}

}  // namespace normcore
