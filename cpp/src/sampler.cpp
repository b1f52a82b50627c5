// Synthetic mini-batches: a draw per element in row-major order, then a per-channel affine.
#include "normcore/sampler.h"

#include <cmath>
#include <vector>

#include "param.h"
#include "random.h"
#include "validate.h"

namespace normcore {
namespace {

constexpr const char* kFn = "sample";

Status check_param(const char* name, double v, double min, bool min_inclusive) {
  const bool ok = std::isfinite(v) && (min_inclusive ? v >= min : v > min);
  if (ok)
    return Status::Ok();
  return Status::Error(std::string(kFn) + ": " + name + " is " + format_number(v) +
                       ", expected a finite number " + (min_inclusive ? ">= " : "> ") +
                       format_number(min));
}

Status check_finite(const char* name, double v) {
  if (std::isfinite(v))
    return Status::Ok();
  return Status::Error(std::string(kFn) + ": " + name + " is " + format_number(v) +
                       ", expected a finite number");
}

Status check_distribution_params(const SampleArgs& a) {
  switch (a.distribution) {
    case Distribution::kNormal:
      NORMCORE_TRY(check_finite("mean", a.mean));
      return check_param("std", a.std, 0, true);
    case Distribution::kUniform:
      NORMCORE_TRY(check_finite("low", a.low));
      return check_param("high", a.high, a.low, true);
    case Distribution::kLognormal:
      NORMCORE_TRY(check_finite("mu", a.mu));
      return check_param("sigma", a.sigma, 0, true);
    case Distribution::kBimodal:
      NORMCORE_TRY(check_param("separation", a.separation, 0, true));
      return check_param("std", a.std, 0, true);
    case Distribution::kStudentT:
      return check_param("df", a.df, 0, false);
  }
  return Status::Ok();
}

double draw(const SampleArgs& a, Random& rng) {
  switch (a.distribution) {
    case Distribution::kNormal:
      return a.mean + a.std * rng.normal();
    case Distribution::kUniform:
      return a.low + (a.high - a.low) * rng.uniform();
    case Distribution::kLognormal:
      return std::exp(a.mu + a.sigma * rng.normal());
    case Distribution::kBimodal: {
      const double mode = rng.uniform() < 0.5 ? -0.5 * a.separation : 0.5 * a.separation;
      return mode + a.std * rng.normal();
    }
    case Distribution::kStudentT: {
      const double z = rng.normal();
      return z / std::sqrt(2.0 * rng.gamma(0.5 * a.df) / a.df);
    }
  }
  return 0;
}

}  // namespace

bool parse_distribution(const std::string& name, Distribution* out) {
  static const struct {
    const char* name;
    Distribution d;
  } kNames[] = {{"normal", Distribution::kNormal},
                {"uniform", Distribution::kUniform},
                {"lognormal", Distribution::kLognormal},
                {"bimodal", Distribution::kBimodal},
                {"student-t", Distribution::kStudentT}};
  for (const auto& entry : kNames) {
    if (name == entry.name) {
      *out = entry.d;
      return true;
    }
  }
  return false;
}

Status sample(const SampleArgs& a, Output out) {
  NORMCORE_TRY(check_shape(kFn, a.shape));
  const int64_t c = a.shape.c, s = a.shape.s, total = a.shape.n * c * s;
  NORMCORE_TRY(check_distribution_params(a));
  NORMCORE_TRY(check_input(kFn, "offset", a.offset, c, "c", false));
  NORMCORE_TRY(check_input(kFn, "scale", a.scale, c, "c", false));
  NORMCORE_TRY(check_output(kFn, "values", out, total, "n*c*s", true));
  std::vector<float> zeros, ones;
  const float* offset = or_default(a.offset, c, 0.f, &zeros);
  const float* scale = or_default(a.scale, c, 1.f, &ones);
  Random rng(a.seed);
  for (int64_t i = 0; i < total; ++i) {
    const int64_t ch = (i / s) % c;
    out.data[i] = static_cast<float>(offset[ch] + scale[ch] * draw(a, rng));
  }
  return Status::Ok();
}

}  // namespace normcore
