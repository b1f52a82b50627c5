// The accuracy families of DESIGN.md ("Accuracy"), with gamma = 1 and beta = 0: large |mean|/std,
// 65,536 values per set, an outlier, a constant set, and tiny and huge scales.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "harness.h"

namespace reftest {
namespace {

// Statistics: 1e-5 relative, as in random_shapes_test (see expect_stats_close for the scales).
constexpr double kStatRel = 1e-5;
// The design's bounds on max |y - y_ref| for unit-scale outputs.
constexpr double kTolRatio100 = 1e-4;  // |mean|/std <= 100
constexpr double kTolRatio1e4 = 1e-3;  // |mean|/std <= 1e4

struct Family {
  const char* label;
  Op op;
  Shape shape;
  int64_t groups;
  double mean, std;  // every set is drawn from normal(mean, std)
  double eps;
  double tol;
};

// Sets of 65,536 values: batch norm [65536, 2] (column kernel) and [16, 4, 4096] (row kernel),
// layer norm c*s = 65536, instance norm s = 65536, group norm 4 channels x 16384.
const Family kFamilies[] = {
    {"centred", Op::kBatchNorm, {65536, 2, 1}, 0, 0, 1, 1e-5, kTolRatio100},
    {"ratio100", Op::kBatchNorm, {65536, 2, 1}, 0, 100, 1, 1e-5, kTolRatio100},
    {"ratio1e4", Op::kBatchNorm, {65536, 2, 1}, 0, 1e4, 1, 1e-5, kTolRatio1e4},
    {"ratio1e4_std0p1", Op::kBatchNorm, {65536, 2, 1}, 0, -1e3, 0.1, 1e-5, kTolRatio1e4},
    {"ratio100", Op::kBatchNorm, {16, 4, 4096}, 0, -100, 1, 1e-5, kTolRatio100},
    {"ratio1e4", Op::kBatchNorm, {16, 4, 4096}, 0, 1e4, 1, 1e-5, kTolRatio1e4},
    {"ratio1e4_std100", Op::kBatchNorm, {16, 4, 4096}, 0, 1e6, 100, 1e-5, kTolRatio1e4},
    {"ratio100", Op::kLayerNorm, {2, 256, 256}, 0, 100, 1, 1e-5, kTolRatio100},
    {"ratio1e4", Op::kLayerNorm, {2, 256, 256}, 0, 1e4, 1, 1e-5, kTolRatio1e4},
    {"ratio1e4_flat", Op::kLayerNorm, {2, 65536, 1}, 0, -1e4, 1, 1e-5, kTolRatio1e4},
    {"ratio100", Op::kInstanceNorm, {1, 2, 65536}, 0, 100, 1, 1e-5, kTolRatio100},
    {"ratio1e4", Op::kInstanceNorm, {1, 2, 65536}, 0, 1e4, 1, 1e-5, kTolRatio1e4},
    {"ratio100", Op::kGroupNorm, {2, 8, 16384}, 2, 100, 1, 1e-5, kTolRatio100},
    {"ratio1e4", Op::kGroupNorm, {2, 8, 16384}, 2, 1e4, 1, 1e-5, kTolRatio1e4},
    // RMS norm does not centre; a float32 running sum of squares near 1e8 would lose it.
    {"mean1e4", Op::kRmsNorm, {2, 256, 256}, 0, 1e4, 1, 1e-6, kTolRatio100},
    {"centred", Op::kRmsNorm, {2, 256, 256}, 0, 0, 1, 1e-6, kTolRatio100},
    // Tiny scales: with eps = 0 the 1e-20 spread itself is normalised to unit outputs; with the
    // default eps the outputs are ~3e-18 and the tolerance scales with them (see below).
    {"tiny_eps0", Op::kBatchNorm, {4096, 2, 1}, 0, 1e-19, 1e-20, 0.0, kTolRatio100},
    {"tiny", Op::kBatchNorm, {4096, 2, 1}, 0, 1e-19, 1e-20, 1e-5, kTolRatio100},
    {"tiny_eps0", Op::kBatchNorm, {8, 2, 512}, 0, 1e-19, 1e-20, 0.0, kTolRatio100},
    {"tiny_eps0", Op::kLayerNorm, {2, 64, 64}, 0, 1e-19, 1e-20, 0.0, kTolRatio100},
    {"tiny", Op::kLayerNorm, {2, 64, 64}, 0, 1e-19, 1e-20, 1e-5, kTolRatio100},
    {"tiny_eps0", Op::kInstanceNorm, {2, 2, 4096}, 0, 1e-19, 1e-20, 0.0, kTolRatio100},
    {"tiny_eps0", Op::kGroupNorm, {2, 4, 1024}, 2, 1e-19, 1e-20, 0.0, kTolRatio100},
    {"tiny_eps0", Op::kRmsNorm, {2, 64, 64}, 0, 1e-19, 1e-20, 0.0, kTolRatio100},
    {"tiny", Op::kRmsNorm, {2, 64, 64}, 0, 1e-19, 1e-20, 1e-6, kTolRatio100},
    // Huge scales: std 1e15 around 1e16, and values ~1e30 (whose variance, ~1e58, is beyond
    // float32: the var output must then be +Infinity, while y stays exact).
    {"huge", Op::kBatchNorm, {4096, 2, 1}, 0, 1e16, 1e15, 1e-5, kTolRatio100},
    {"huge", Op::kBatchNorm, {8, 2, 512}, 0, 1e16, 1e15, 1e-5, kTolRatio100},
    {"huge", Op::kLayerNorm, {2, 64, 64}, 0, 1e16, 1e15, 1e-5, kTolRatio100},
    {"huge", Op::kInstanceNorm, {2, 2, 4096}, 0, 1e16, 1e15, 1e-5, kTolRatio100},
    {"huge", Op::kGroupNorm, {2, 4, 1024}, 2, 1e16, 1e15, 1e-5, kTolRatio100},
    {"huge", Op::kRmsNorm, {2, 64, 64}, 0, 1e16, 1e15, 1e-6, kTolRatio100},
    {"values1e30", Op::kBatchNorm, {4096, 2, 1}, 0, 1e30, 1e29, 1e-5, kTolRatio100},
    {"values1e30", Op::kBatchNorm, {8, 2, 512}, 0, -1e30, 1e29, 1e-5, kTolRatio100},
    {"values1e30", Op::kLayerNorm, {2, 64, 64}, 0, 0, 1e30, 1e-5, kTolRatio100},
    {"values1e30", Op::kGroupNorm, {2, 4, 1024}, 2, 1e30, 1e29, 1e-5, kTolRatio100},
    {"values1e30", Op::kRmsNorm, {2, 64, 64}, 0, 1e30, 1e29, 1e-6, kTolRatio100},
};

void PrintTo(const Family& f, std::ostream* os) {
  *os << op_name(f.op) << " " << f.label << " " << shape_str(f.shape) << " groups " << f.groups
      << " mean " << f.mean << " std " << f.std << " eps " << f.eps << " tol " << f.tol;
}

std::string family_name(const testing::TestParamInfo<Family>& info) {
  const Family& f = info.param;
  return std::to_string(info.index) + "_" + op_name(f.op) + "_" + f.label + "_" +
         std::to_string(f.shape.n) + "x" + std::to_string(f.shape.c) + "x" +
         std::to_string(f.shape.s);
}

double rms_of(const std::vector<double>& v) {
  long double s = 0;
  for (double d : v)
    s += static_cast<long double>(d) * d;
  return static_cast<double>(std::sqrt(s / v.size()));
}

class AccuracyFamilies : public testing::TestWithParam<Family> {};

TEST_P(AccuracyFamilies, WithinTheDesignBound) {
  const Family& f = GetParam();
  SCOPED_TRACE(std::string(op_name(f.op)) + " " + f.label + " shape " + shape_str(f.shape) +
               " mean " + std::to_string(f.mean) + " std " + std::to_string(f.std));
  Rng rng(77 + f.shape.n + f.shape.s);
  const std::vector<float> x = normal_data(rng, total_of(f.shape), f.mean, f.std);
  const Got got = run_op(f.op, f.shape, f.groups, x, {}, {}, f.eps);
  ASSERT_TRUE(got.status.ok()) << got.status.message();
  const Reference ref = reference(f.op, f.shape, f.groups, x, {}, {}, f.eps);
  // The bound is for unit-scale outputs (rms(y_ref) ~ 1); when eps dominates a tiny variance the
  // outputs are ~1e-18 and are held to the same accuracy relative to their own scale.
  const double y_scale = rms_of(ref.y);
  ASSERT_GT(y_scale, 0);
  expect_y_close(f.shape, got.y, ref.y, f.tol * std::fmin(1.0, y_scale));
  expect_stats_close(f.op, got, ref, kStatRel);
}

INSTANTIATE_TEST_SUITE_P(Design, AccuracyFamilies, testing::ValuesIn(kFamilies), family_name);

// The flat indices of set `k`, in order.
std::vector<int64_t> members(Op op, const Shape& sh, int64_t groups, int64_t k) {
  std::vector<int64_t> m;
  for (int64_t i = 0; i < total_of(sh); ++i) {
    if (set_of(op, sh, groups, i) == k)
      m.push_back(i);
  }
  return m;
}

struct Layout {
  Op op;
  Shape shape;
  int64_t groups;
};

const Layout kLargeLayouts[] = {
    {Op::kBatchNorm, {65536, 2, 1}, 0}, {Op::kBatchNorm, {16, 4, 4096}, 0},
    {Op::kLayerNorm, {2, 256, 256}, 0}, {Op::kInstanceNorm, {1, 2, 65536}, 0},
    {Op::kGroupNorm, {2, 8, 16384}, 2}, {Op::kRmsNorm, {2, 256, 256}, 0},
};

// One value 1e4 std away from the rest of its set (the trap of shifting by the set's first value),
// placed first, in the middle and last of the set; data normal(10, 1), so |mean|/std stays small.
TEST(Accuracy, OutlierFirstMiddleOrLastInItsSet) {
  for (const Layout& l : kLargeLayouts) {
    Rng rng(5);
    const std::vector<float> clean = normal_data(rng, total_of(l.shape), 10, 1);
    const std::vector<int64_t> set0 = members(l.op, l.shape, l.groups, 0);
    for (int64_t pos : {int64_t{0}, static_cast<int64_t>(set0.size() / 2) + 1,
                        static_cast<int64_t>(set0.size()) - 1}) {
      const int64_t i = set0[pos];
      SCOPED_TRACE(std::string(op_name(l.op)) + " shape " + shape_str(l.shape) +
                   ", outlier 1e4 at " + where(l.shape, i) + ", position " + std::to_string(pos) +
                   " of its set");
      std::vector<float> x = clean;
      x[i] = 10 + 1e4f;
      const Got got = run_op(l.op, l.shape, l.groups, x, {}, {}, 1e-5);
      ASSERT_TRUE(got.status.ok()) << got.status.message();
      const Reference ref = reference(l.op, l.shape, l.groups, x, {}, {}, 1e-5);
      expect_y_close(l.shape, got.y, ref.y, kTolRatio100);
      expect_stats_close(l.op, got, ref, kStatRel);
    }
  }
}

// A constant set has variance 0: y = beta (within 1e-6), mean = the constant, var ~ 0; the other
// sets are random. Shapes have tails (not multiples of 4) and sizes past the kernels' blocks.
TEST(Accuracy, ConstantSetGivesBeta) {
  const Layout layouts[] = {
      {Op::kBatchNorm, {300, 5, 1}, 0}, {Op::kBatchNorm, {3, 5, 301}, 0},
      {Op::kLayerNorm, {3, 5, 207}, 0}, {Op::kInstanceNorm, {3, 5, 7}, 0},
      {Op::kGroupNorm, {3, 6, 70}, 3},
  };
  const float constants[] = {0.f, 3.7f, -123.456f, 10000.5f, 1e20f, -1e-20f};
  for (const Layout& l : layouts) {
    for (float value : constants) {
      SCOPED_TRACE(std::string(op_name(l.op)) + " shape " + shape_str(l.shape) +
                   ", set 0 constant " + std::to_string(value) + " (" +
                   std::to_string(static_cast<double>(value)) + ")");
      Rng rng(9);
      std::vector<float> x = normal_data(rng, total_of(l.shape), 1, 2);
      const std::vector<int64_t> set0 = members(l.op, l.shape, l.groups, 0);
      for (int64_t i : set0)
        x[i] = value;
      const std::vector<float> gamma = uniform_data(rng, affine_size(l.op, l.shape), 0.5, 2);
      const std::vector<float> beta = uniform_data(rng, affine_size(l.op, l.shape), -1, 1);
      const Got got = run_op(l.op, l.shape, l.groups, x, gamma, beta, 1e-5);
      ASSERT_TRUE(got.status.ok()) << got.status.message();
      for (int64_t i : set0) {
        ASSERT_NEAR(got.y[i], beta[affine_of(l.op, l.shape, i)], 1e-6)
            << "at " << where(l.shape, i);
      }
      EXPECT_EQ(got.mean[0], value);
      // Below float32 resolution of the constant: std <= 1e-6 |value| (exactly 0 for value 0).
      EXPECT_GE(got.var[0], 0);
      EXPECT_LE(got.var[0], 1e-12 * static_cast<double>(value) * value);
      // The random sets are still right.
      const Reference ref = reference(l.op, l.shape, l.groups, x, gamma, beta, 1e-5);
      expect_y_close(l.shape, got.y, ref.y, 2 * kTolRatio100);  // |gamma| <= 2
    }
  }
}

// RMS norm of a constant sample is gamma * x / sqrt(x^2 + eps): the reference, not a special case.
TEST(Accuracy, RmsNormOfConstantSample) {
  const Shape sh{2, 5, 7};
  for (float value : {0.f, 3.7f, -1e4f, 1e-20f, 1e20f}) {
    SCOPED_TRACE("constant " + std::to_string(value));
    const std::vector<float> x(static_cast<size_t>(total_of(sh)), value);
    const Got got = run_op(Op::kRmsNorm, sh, 0, x, {}, {}, 1e-6);
    ASSERT_TRUE(got.status.ok()) << got.status.message();
    const Reference ref = reference(Op::kRmsNorm, sh, 0, x, {}, {}, 1e-6);
    expect_y_close(sh, got.y, ref.y, kTolRatio100);
    expect_stats_close(Op::kRmsNorm, got, ref, kStatRel);
  }
}

}  // namespace
}  // namespace reftest
