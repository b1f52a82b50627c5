// RMS norm: no centring, rms[n] = sqrt(mean(x^2) + eps), gamma per element [c*s], default eps 1e-6.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "harness.h"

namespace reftest {
namespace {

using normcore::RmsNormArgs;

// The default eps is 1e-6: an all-zero sample has rms = sqrt(1e-6) = 1e-3 and y = 0; a sample
// {a, -a} with a = 1e-3 has rms = sqrt(2e-6) and y = +-0.7071 (1.0 with eps = 0).
TEST(RmsNorm, DefaultEpsIsOneEMinus6) {
  const Shape sh{2, 1, 2};
  const std::vector<float> x{0.f, 0.f, 1e-3f, -1e-3f};
  std::vector<float> y(4, NAN), rms(2, NAN);
  RmsNormArgs a;
  a.shape = sh;
  a.x = in(x);
  ASSERT_TRUE(normcore::rms_norm(a, {out(y), out(rms)}).ok());
  const double a2 = static_cast<double>(1e-3f) * 1e-3f;
  EXPECT_NEAR(rms[0], 1e-3, 1e-9);
  EXPECT_EQ(y[0], 0.f);
  EXPECT_EQ(y[1], 0.f);
  EXPECT_NEAR(rms[1], std::sqrt(a2 + 1e-6), 1e-9);
  EXPECT_NEAR(y[2], 1e-3 / std::sqrt(a2 + 1e-6), 1e-6);
  EXPECT_NEAR(y[3], -1e-3 / std::sqrt(a2 + 1e-6), 1e-6);
}

// Without centring, data of mean 5 and std 0.1 maps to ~1 (layer norm would give ~0): a kernel
// that subtracted the mean would be off by ~1.
TEST(RmsNorm, DoesNotCentre) {
  const Shape sh{3, 4, 9};
  Rng rng(51);
  const std::vector<float> x = normal_data(rng, total_of(sh), 5, 0.1);
  const Got got = run_op(Op::kRmsNorm, sh, 0, x, {}, {}, 1e-6);
  ASSERT_TRUE(got.status.ok());
  const Reference ref = reference(Op::kRmsNorm, sh, 0, x, {}, {}, 1e-6);
  expect_y_close(sh, got.y, ref.y, 1e-5);  // outputs ~1: a few float32 roundings
  for (float v : got.y)
    EXPECT_NEAR(v, 1.0, 0.1);
  expect_stats_close(Op::kRmsNorm, got, ref, 1e-5);
}

// gamma is per element of a sample [c*s]: a one-hot gamma keeps exactly one position per sample.
TEST(RmsNorm, GammaIsPerElement) {
  const Shape sh{3, 4, 5};
  const int64_t len = sh.c * sh.s, hot = 7;
  Rng rng(52);
  const std::vector<float> x = normal_data(rng, total_of(sh), 1, 1);
  std::vector<float> gamma(len, 0.f);
  gamma[hot] = -2.f;
  const Got got = run_op(Op::kRmsNorm, sh, 0, x, gamma, {}, 1e-6);
  ASSERT_TRUE(got.status.ok());
  const Reference ref = reference(Op::kRmsNorm, sh, 0, x, {}, {}, 1e-6);
  for (int64_t i = 0; i < total_of(sh); ++i) {
    const double want = i % len == hot ? -2 * ref.y[i] : 0.0;
    EXPECT_NEAR(got.y[i], want, 1e-5) << "at " << where(sh, i);
  }
}

// The rms output is optional and y does not depend on it.
TEST(RmsNorm, RmsOutputIsOptional) {
  const Shape sh{3, 5, 7};
  Rng rng(53);
  const std::vector<float> x = normal_data(rng, total_of(sh), 0, 3);
  const Got full = run_op(Op::kRmsNorm, sh, 0, x, {}, {}, 1e-6);
  std::vector<float> y(x.size(), NAN);
  RmsNormArgs a;
  a.shape = sh;
  a.x = in(x);
  ASSERT_TRUE(normcore::rms_norm(a, {out(y), {}}).ok());
  EXPECT_EQ(y, full.y);
}

}  // namespace
}  // namespace reftest
