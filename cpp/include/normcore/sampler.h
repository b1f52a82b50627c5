// Seeded sampling of synthetic activations: one seed gives the same values on every engine
// that runs the same WebAssembly module (the generator and all transforms are our own code).
#pragma once

#include <cstdint>
#include <string>

#include "normcore/types.h"

namespace normcore {

enum class Distribution { kNormal, kUniform, kLognormal, kBimodal, kStudentT };

// Parses "normal", "uniform", "lognormal", "bimodal", "student-t"; false for anything else.
bool parse_distribution(const std::string& name, Distribution* out);

struct SampleArgs {
  Distribution distribution = Distribution::kNormal;
  Shape shape;
  uint64_t seed = 0;
  // Distribution parameters; each distribution reads only its own.
  double mean = 0, std = 1;  // normal; bimodal reads std as each mode's spread
  double low = 0, high = 1;  // uniform
  double mu = 0, sigma = 1;  // lognormal: exp(mu + sigma * z)
  double separation = 4;     // bimodal: modes at +-separation/2
  double df = 3;             // student-t degrees of freedom
  // Per-channel affine applied after the draw: value = offset[c] + scale[c] * draw.
  Input offset;  // [c], omitted: zeros
  Input scale;   // [c], omitted: ones
};

Status sample(const SampleArgs& args, Output out);

}  // namespace normcore
