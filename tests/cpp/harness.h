// Test plumbing shared by the suites: a seeded generator of test data (independent of the core's
// own sampler), one call that runs any of the five operations on std::vectors, and comparisons
// against the float64 reference that print where the worst element is.
#pragma once

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "normcore/ops.h"
#include "reference.h"

namespace reftest {

// splitmix64 with Box-Muller: fully specified, so a seed gives the same data with any standard
// library.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  double normal() {
    const double r = std::sqrt(-2.0 * std::log(1.0 - uniform()));
    return r * std::cos(6.283185307179586 * uniform());
  }

 private:
  uint64_t state_;
};

inline std::vector<float> normal_data(Rng& rng, int64_t count, double mean, double std) {
  std::vector<float> v(static_cast<size_t>(count));
  for (float& f : v)
    f = static_cast<float>(mean + std * rng.normal());
  return v;
}

inline std::vector<float> uniform_data(Rng& rng, int64_t count, double lo, double hi) {
  std::vector<float> v(static_cast<size_t>(count));
  for (float& f : v)
    f = static_cast<float>(rng.uniform(lo, hi));
  return v;
}

inline std::string shape_str(const Shape& sh) {
  std::ostringstream os;
  os << "[" << sh.n << ", " << sh.c << ", " << sh.s << "]";
  return os.str();
}

// "flat i = [sample, channel, position]".
inline std::string where(const Shape& sh, int64_t i) {
  std::ostringstream os;
  os << "flat " << i << " = [" << i / (sh.c * sh.s) << ", " << (i / sh.s) % sh.c << ", " << i % sh.s
     << "]";
  return os.str();
}

inline normcore::Input in(const std::vector<float>& v) {
  if (v.empty())
    return {};
  return {v.data(), static_cast<int64_t>(v.size())};
}
inline normcore::Output out(std::vector<float>& v) {
  return {v.data(), static_cast<int64_t>(v.size())};
}

// Batch norm arguments, named option by option instead of field by field:
//   batch_norm_args(sh, x).running(rm, rv).momentum(0.3).inference()
// The vectors must outlive the call (the arguments point into them).
class BatchNormArgsBuilder {
 public:
  BatchNormArgsBuilder(const Shape& sh, const std::vector<float>& x) {
    a_.shape = sh;
    a_.x = in(x);
  }
  BatchNormArgsBuilder& affine(const std::vector<float>& gamma, const std::vector<float>& beta) {
    a_.gamma = in(gamma);
    a_.beta = in(beta);
    return *this;
  }
  BatchNormArgsBuilder& running(const std::vector<float>& mean, const std::vector<float>& var) {
    a_.running_mean = in(mean);
    a_.running_var = in(var);
    return *this;
  }
  BatchNormArgsBuilder& eps(double eps) {
    a_.eps = eps;
    return *this;
  }
  BatchNormArgsBuilder& momentum(double momentum) {
    a_.momentum = momentum;
    return *this;
  }
  BatchNormArgsBuilder& training(bool training) {
    a_.training = training;
    return *this;
  }
  BatchNormArgsBuilder& inference() { return training(false); }
  operator const normcore::BatchNormArgs&() const { return a_; }
  const normcore::BatchNormArgs& args() const { return a_; }

 private:
  normcore::BatchNormArgs a_;
};

inline BatchNormArgsBuilder batch_norm_args(const Shape& sh, const std::vector<float>& x) {
  return BatchNormArgsBuilder(sh, x);
}

struct Got {
  normcore::Status status = normcore::Status::Ok();
  std::vector<float> y, mean, var, rms;
};

// Runs one operation (batch norm in training mode, default momentum) with every output requested.
// Empty gamma/beta are omitted. rms norm ignores beta.
inline Got run_op(Op op,
                  const Shape& sh,
                  int64_t groups,
                  const std::vector<float>& x,
                  const std::vector<float>& gamma,
                  const std::vector<float>& beta,
                  double eps) {
  Got g;
  const int64_t sets = set_count(op, sh, groups);
  g.y.assign(static_cast<size_t>(total_of(sh)), NAN);
  if (op == Op::kRmsNorm) {
    g.rms.assign(static_cast<size_t>(sets), NAN);
    normcore::RmsNormArgs a;
    a.shape = sh;
    a.x = in(x);
    a.gamma = in(gamma);
    a.eps = eps;
    g.status = normcore::rms_norm(a, {out(g.y), out(g.rms)});
    return g;
  }
  g.mean.assign(static_cast<size_t>(sets), NAN);
  g.var.assign(static_cast<size_t>(sets), NAN);
  if (op == Op::kBatchNorm) {
    g.status = normcore::batch_norm(batch_norm_args(sh, x).affine(gamma, beta).eps(eps),
                                    {out(g.y), out(g.mean), out(g.var), {}, {}});
    return g;
  }
  normcore::NormArgs a;
  a.shape = sh;
  a.x = in(x);
  a.gamma = in(gamma);
  a.beta = in(beta);
  a.eps = eps;
  const normcore::NormResult r{out(g.y), out(g.mean), out(g.var)};
  if (op == Op::kLayerNorm)
    g.status = normcore::layer_norm(a, r);
  if (op == Op::kInstanceNorm)
    g.status = normcore::instance_norm(a, r);
  if (op == Op::kGroupNorm)
    g.status = normcore::group_norm(a, groups, r);
  return g;
}

// Largest |got - ref|; a NaN or Inf in got where ref is finite counts as infinitely wrong.
struct MaxError {
  double value = 0;
  int64_t index = -1;
};
inline MaxError max_abs_error(const std::vector<float>& got, const std::vector<double>& ref) {
  MaxError e;
  for (size_t i = 0; i < got.size(); ++i) {
    double d = std::fabs(static_cast<double>(got[i]) - ref[i]);
    if (std::isnan(d))
      d = std::numeric_limits<double>::infinity();
    if (d > e.value || e.index < 0)
      e = {d, static_cast<int64_t>(i)};
  }
  return e;
}

inline double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double d : v)
    m = std::fmax(m, std::fabs(d));
  return m;
}

inline void expect_y_close(const Shape& sh,
                           const std::vector<float>& got,
                           const std::vector<double>& ref,
                           double tol) {
  ASSERT_EQ(got.size(), ref.size());
  const MaxError e = max_abs_error(got, ref);
  if (e.index < 0)
    return;
  EXPECT_LE(e.value, tol) << "max |y - y_ref| at " << where(sh, e.index) << ": y = " << got[e.index]
                          << ", y_ref = " << ref[e.index];
}

// One float32 spacing at |ref| (a float32 output cannot be closer; tiny variances are subnormal).
inline double float_spacing(double ref) {
  const float f = std::fabs(static_cast<float>(ref));
  if (std::isinf(f))
    return 0;
  return static_cast<double>(std::nextafter(f, std::numeric_limits<float>::infinity())) - f;
}

// |got - ref| <= tol_abs plus one float32 spacing; a reference beyond float32's range must come
// back as the infinity of its sign (the float32 output saturates).
inline bool stat_close(float got, double ref, double tol_abs) {
  const float rounded = static_cast<float>(ref);
  if (std::isinf(rounded))
    return got == rounded;
  return std::fabs(static_cast<double>(got) - ref) <= tol_abs + float_spacing(ref);
}

// Statistics vs the reference. mean: within rel * (|mean| + std), since a mean near zero can only
// be as exact as the spread it is measured against; var and rms: within rel * themselves.
inline void expect_stats_close(Op op, const Got& got, const Reference& ref, double rel) {
  int failures = 0;
  if (op == Op::kRmsNorm) {
    ASSERT_EQ(got.rms.size(), ref.rms.size());
    for (size_t k = 0; k < ref.rms.size() && failures < 5; ++k) {
      if (stat_close(got.rms[k], ref.rms[k], rel * ref.rms[k]))
        continue;
      ++failures;
      ADD_FAILURE() << "rms of set " << k << ": got " << got.rms[k] << ", reference " << ref.rms[k];
    }
    return;
  }
  ASSERT_EQ(got.mean.size(), ref.mean.size());
  ASSERT_EQ(got.var.size(), ref.var.size());
  for (size_t k = 0; k < ref.mean.size() && failures < 5; ++k) {
    const double scale = std::fabs(ref.mean[k]) + std::sqrt(ref.var[k]);
    if (!stat_close(got.mean[k], ref.mean[k], rel * scale)) {
      ++failures;
      ADD_FAILURE() << "mean of set " << k << ": got " << got.mean[k] << ", reference "
                    << ref.mean[k] << " (std " << std::sqrt(ref.var[k]) << ")";
    }
    if (!stat_close(got.var[k], ref.var[k], rel * ref.var[k])) {
      ++failures;
      ADD_FAILURE() << "var of set " << k << ": got " << got.var[k] << ", reference " << ref.var[k];
    }
  }
}

}  // namespace reftest
