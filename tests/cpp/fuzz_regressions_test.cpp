// Regressions for what the fuzzer (fuzz/normcore_fuzzer.cpp) found, so that ctest keeps them fixed
// without a fuzzing run.
#include <gtest/gtest.h>

#include <cfloat>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "normcore/ops.h"
#include "validate.h"

namespace {

using normcore::format_number;

// Error messages print numbers with format_number. Below ~1e-290 it used to divide by a
// power of ten that had underflowed: -5e-324 printed as "--.9223372036854775808e-324".
TEST(FuzzRegressions, FormatNumberOfSubnormalAndTinyValues) {
  EXPECT_EQ(format_number(-std::numeric_limits<double>::denorm_min()), "-4.94065646e-324");
  EXPECT_EQ(format_number(1e-310), "1e-310");
  EXPECT_EQ(format_number(DBL_MIN), "2.22507386e-308");
  EXPECT_EQ(format_number(1e-300), "1e-300");
  EXPECT_EQ(format_number(1.5e-5), "0.000015");
  for (double v : {5e-324, 3e-320, 1.234567891e-305, 9.99999999e-291, 1.00000001e-290}) {
    const std::string text = format_number(v);
    EXPECT_NEAR(std::strtod(text.c_str(), nullptr) / v, 1.0, 5e-9) << v << " -> " << text;
  }
  normcore::NormArgs a;
  a.shape = {1, 2, 1};
  const std::vector<float> x = {1, 2};
  std::vector<float> y(2);
  a.x = {x.data(), 2};
  a.eps = -std::numeric_limits<double>::denorm_min();
  EXPECT_EQ(normcore::layer_norm(a, {{y.data(), 2}, {}, {}}).message(),
            "layerNorm: eps is -4.94065646e-324, expected a finite number >= 0");
}

// A set whose float32 block sums overflow (values near FLT_MAX) used to be shifted by 0, so its
// variance came from E[x^2] - E[x]^2 with ~1e-7 relative error on x^2 ~ 1e77: a constant set of
// 3e38 reported var = Inf. Batch norm with s = 1 takes the column kernel, the others the set one.
TEST(FuzzRegressions, ConstantSetNearFloatMaxHasZeroVariance) {
  for (float value : {3e38f, -FLT_MAX, 2e38f}) {
    const std::vector<float> x(24, value), beta = {0.5f, -0.5f};
    std::vector<float> y(24), mean(2), var(2);
    normcore::BatchNormArgs bn;
    bn.shape = {12, 2, 1};
    bn.x = {x.data(), 24};
    bn.beta = {beta.data(), 2};
    ASSERT_TRUE(
        normcore::batch_norm(bn, {{y.data(), 24}, {mean.data(), 2}, {var.data(), 2}, {}, {}}).ok());
    for (int c = 0; c < 2; ++c) {
      EXPECT_EQ(mean[c], value);
      EXPECT_EQ(var[c], 0.f);
    }
    for (int i = 0; i < 24; ++i)
      EXPECT_EQ(y[i], beta[i % 2]) << "at " << i;

    normcore::NormArgs ln;
    ln.shape = {2, 3, 4};
    ln.x = {x.data(), 24};
    ASSERT_TRUE(normcore::layer_norm(ln, {{y.data(), 24}, {mean.data(), 2}, {var.data(), 2}}).ok());
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(mean[i], value);
      EXPECT_EQ(var[i], 0.f);
    }
    for (float v : y)
      EXPECT_EQ(v, 0.f);
  }
}

// Group and instance norm fold gamma * 1/sqrt(var + eps) per channel. With a constant set and a
// tiny eps the inverse overflows float: rounded to float before the fold (the stage option's first
// version) it became Inf, and gamma 0 then gave 0 * Inf = NaN instead of beta.
TEST(FuzzRegressions, GroupNormTinyEpsConstantSetWithZeroGamma) {
  const std::vector<float> x(8, 2.5f), gamma = {0.f, 0.f}, beta = {0.25f, -1.f};
  std::vector<float> y(8), mean(2), var(2);
  normcore::NormArgs a;
  a.shape = {1, 2, 4};
  a.x = {x.data(), 8};
  a.gamma = {gamma.data(), 2};
  a.beta = {beta.data(), 2};
  a.eps = 1e-80;
  ASSERT_TRUE(normcore::group_norm(a, 2, {{y.data(), 8}, {mean.data(), 2}, {var.data(), 2}}).ok());
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(y[i], beta[i / 4]) << "at " << i;
  ASSERT_TRUE(normcore::instance_norm(a, {{y.data(), 8}, {mean.data(), 2}, {var.data(), 2}}).ok());
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(y[i], beta[i / 4]) << "at " << i;
}
}  // namespace
