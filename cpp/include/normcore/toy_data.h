// Seeded 2-D classification sets for the training lab: one seed gives the same points on every
// engine that runs the same WebAssembly module (the core's own generator and transforms).
#pragma once

#include <cstdint>
#include <string>

#include "normcore/types.h"

namespace normcore {

enum class ToyDataset { kSpirals, kRings, kMoons, kXor };

// Parses "spirals", "rings", "moons", "xor"; false for anything else.
bool parse_toy_dataset(const std::string& name, ToyDataset* out);

// spirals: 3, rings: 2, moons: 2, xor: 2.
int64_t toy_classes(ToyDataset dataset);

struct ToyDataArgs {
  ToyDataset dataset = ToyDataset::kSpirals;
  int64_t n = 0;
  uint64_t seed = 0;
  double noise = 0.1;  // std of Gaussian jitter added to both coordinates
  // Feature 1 becomes 20 * x1 + 30: the badly scaled inputs normalisation is meant to tame.
  bool unnormalised = false;
};

// x: [n, 2] row-major; labels: [n], as floats holding whole numbers, point i of class i % classes.
Status toy_data(const ToyDataArgs& args, Output x, Output labels);

}  // namespace normcore
