// 2-D toy classification sets drawn from the core's seeded generator (see normcore/toy_data.h).
#include "normcore/toy_data.h"

#include <cmath>

#include "random.h"
#include "validate.h"

namespace normcore {
namespace {

constexpr const char* kFn = "toyData";
constexpr double kPi = 3.141592653589793;
constexpr int64_t kMaxPoints = 1 << 22;

struct Point {
  double x, y;
};

// One clean point of class k, from uniform draws; every set spans about [-1.5, 1.5]^2.
Point draw(ToyDataset dataset, int64_t k, Random& rng) {
  switch (dataset) {
    case ToyDataset::kSpirals: {
      // Three arms, each turning 240 degrees as the radius grows from 0.05 to 1.4.
      const double t = rng.uniform();
      const double r = 0.05 + 1.35 * t;
      const double angle = 2 * kPi * k / 3 + 4.2 * t;
      return {r * std::cos(angle), r * std::sin(angle)};
    }
    case ToyDataset::kRings: {
      const double angle = 2 * kPi * rng.uniform();
      const double r = k == 0 ? 0.5 : 1.2;
      return {r * std::cos(angle), r * std::sin(angle)};
    }
    case ToyDataset::kMoons: {
      // scikit-learn's two interleaved half circles, centred.
      const double t = kPi * rng.uniform();
      if (k == 0)
        return {std::cos(t) - 0.5, std::sin(t) - 0.25};
      return {1 - std::cos(t) - 0.5, 0.5 - std::sin(t) - 0.25};
    }
    case ToyDataset::kXor: {
      // Four Gaussian blobs at (+-0.8, +-0.8); class 0 where the signs agree.
      const bool right = rng.uniform() < 0.5;
      const double sx = right ? 1 : -1, sy = k == 0 ? sx : -sx;
      return {0.8 * sx + 0.3 * rng.normal(), 0.8 * sy + 0.3 * rng.normal()};
    }
  }
  return {0, 0};
}

}  // namespace

bool parse_toy_dataset(const std::string& name, ToyDataset* out) {
  static const struct {
    const char* name;
    ToyDataset d;
  } kNames[] = {{"spirals", ToyDataset::kSpirals},
                {"rings", ToyDataset::kRings},
                {"moons", ToyDataset::kMoons},
                {"xor", ToyDataset::kXor}};
  for (const auto& entry : kNames) {
    if (name == entry.name) {
      *out = entry.d;
      return true;
    }
  }
  return false;
}

int64_t toy_classes(ToyDataset dataset) {
  return dataset == ToyDataset::kSpirals ? 3 : 2;
}

Status toy_data(const ToyDataArgs& a, Output x, Output labels) {
  if (a.n < 1 || a.n > kMaxPoints) {
    return Status::Error(std::string(kFn) + ": n is " + std::to_string(a.n) +
                         ", expected a whole number in [1, " + std::to_string(kMaxPoints) + "]");
  }
  if (!std::isfinite(a.noise) || a.noise < 0) {
    return Status::Error(std::string(kFn) + ": noise is " + format_number(a.noise) +
                         ", expected a finite number >= 0");
  }
  NORMCORE_TRY(check_output(kFn, "x", x, 2 * a.n, "2*n", true));
  NORMCORE_TRY(check_output(kFn, "labels", labels, a.n, "n", true));
  const int64_t classes = toy_classes(a.dataset);
  Random rng(a.seed);
  for (int64_t i = 0; i < a.n; ++i) {
    const int64_t k = i % classes;
    Point p = draw(a.dataset, k, rng);
    p.x += a.noise * rng.normal();
    p.y += a.noise * rng.normal();
    if (a.unnormalised)
      p.y = 20 * p.y + 30;
    x.data[2 * i] = static_cast<float>(p.x);
    x.data[2 * i + 1] = static_cast<float>(p.y);
    labels.data[i] = static_cast<float>(k);
  }
  return Status::Ok();
}

}  // namespace normcore
