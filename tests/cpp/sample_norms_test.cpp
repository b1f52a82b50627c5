// Layer, instance and group norm: which values form a set and where each statistic goes,
// how the three relate, the affine layouts, optional outputs and the default eps.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "harness.h"

namespace reftest {
namespace {

using normcore::NormArgs;

// Two runs of the same mathematics through different paths: float32 rounding only.
constexpr double kSameMathTol = 1e-6;

void expect_all_near(const std::vector<float>& a,
                     const std::vector<float>& b,
                     double tol,
                     const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_NEAR(a[i], b[i], tol * std::fmax(1.0, std::fabs(b[i]))) << what << " at " << i;
  }
}

// Each (sample, group) gets its own offset 100*i + 10*g: the mean output must list them sample by
// sample, group by group (mean[i*groups + g]), and the variance must not mix groups.
TEST(SampleNorms, StatisticsAreOrderedSampleThenGroup) {
  struct Layout {
    Op op;
    Shape shape;
    int64_t groups;  // the number of sets per sample
  };
  const Layout layouts[] = {{Op::kGroupNorm, {3, 6, 5}, 3},
                            {Op::kGroupNorm, {2, 8, 3}, 2},
                            {Op::kInstanceNorm, {3, 5, 7}, 5},
                            {Op::kLayerNorm, {4, 3, 5}, 1}};
  for (const Layout& l : layouts) {
    SCOPED_TRACE(std::string(op_name(l.op)) + " shape " + shape_str(l.shape));
    const Shape& sh = l.shape;
    Rng rng(41);
    std::vector<float> x(static_cast<size_t>(total_of(sh)));
    const int64_t per_group = sh.c / l.groups;
    for (int64_t i = 0; i < total_of(sh); ++i) {
      const int64_t sample = i / (sh.c * sh.s), g = ((i / sh.s) % sh.c) / per_group;
      x[i] = static_cast<float>(100 * sample + 10 * g + 0.5 * rng.normal());
    }
    const Got got = run_op(l.op, sh, l.groups, x, {}, {}, 1e-5);
    ASSERT_TRUE(got.status.ok()) << got.status.message();
    ASSERT_EQ(got.mean.size(), static_cast<size_t>(sh.n * l.groups));
    for (int64_t i = 0; i < sh.n; ++i) {
      for (int64_t g = 0; g < l.groups; ++g) {
        // Sample means of >= 15 values with sd 0.5 stay well within 1 of the offset; the variance
        // would be ~25 or more if two groups were mixed.
        EXPECT_NEAR(got.mean[i * l.groups + g], 100 * i + 10 * g, 1.0)
            << "sample " << i << " group " << g;
        EXPECT_LT(got.var[i * l.groups + g], 1.0) << "sample " << i << " group " << g;
      }
    }
  }
}

// Instance norm is group norm with one channel per group.
TEST(SampleNorms, InstanceNormIsGroupNormWithGroupsEqualToC) {
  for (const Shape sh : {Shape{3, 5, 7}, Shape{2, 8, 1}, Shape{2, 3, 33}}) {
    SCOPED_TRACE("shape " + shape_str(sh));
    Rng rng(42);
    const std::vector<float> x = normal_data(rng, total_of(sh), 2, 3);
    const std::vector<float> gamma = uniform_data(rng, sh.c, -2, 2),
                             beta = uniform_data(rng, sh.c, -1, 1);
    const Got inst = run_op(Op::kInstanceNorm, sh, 0, x, gamma, beta, 1e-5);
    const Got group = run_op(Op::kGroupNorm, sh, sh.c, x, gamma, beta, 1e-5);
    ASSERT_TRUE(inst.status.ok() && group.status.ok());
    expect_all_near(inst.y, group.y, kSameMathTol, "y");
    expect_all_near(inst.mean, group.mean, kSameMathTol, "mean");
    expect_all_near(inst.var, group.var, kSameMathTol, "var");
  }
}

// Group norm with one group normalises the whole sample, as layer norm does; layer norm's
// per-element gamma [c*s] then equals group norm's per-channel gamma [c] repeated over s.
TEST(SampleNorms, GroupNormWithOneGroupIsLayerNorm) {
  for (const Shape sh : {Shape{3, 5, 7}, Shape{2, 8, 1}, Shape{4, 3, 33}}) {
    SCOPED_TRACE("shape " + shape_str(sh));
    Rng rng(43);
    const std::vector<float> x = normal_data(rng, total_of(sh), -1, 2);
    const std::vector<float> gamma = uniform_data(rng, sh.c, -2, 2),
                             beta = uniform_data(rng, sh.c, -1, 1);
    std::vector<float> gamma_cs, beta_cs;
    for (int64_t ch = 0; ch < sh.c; ++ch) {
      gamma_cs.insert(gamma_cs.end(), static_cast<size_t>(sh.s), gamma[ch]);
      beta_cs.insert(beta_cs.end(), static_cast<size_t>(sh.s), beta[ch]);
    }
    const Got group = run_op(Op::kGroupNorm, sh, 1, x, gamma, beta, 1e-5);
    const Got layer = run_op(Op::kLayerNorm, sh, 0, x, gamma_cs, beta_cs, 1e-5);
    ASSERT_TRUE(group.status.ok() && layer.status.ok());
    expect_all_near(group.y, layer.y, 4 * kSameMathTol, "y");  // |gamma| <= 2, |y| up to ~4
    expect_all_near(group.mean, layer.mean, kSameMathTol, "mean");
    expect_all_near(group.var, layer.var, kSameMathTol, "var");
  }
}

// Layer norm's gamma and beta are per element of a sample: a one-hot gamma keeps exactly one
// position of every sample, and beta shifts each position on its own.
TEST(SampleNorms, LayerNormAffineIsPerElement) {
  const Shape sh{3, 4, 5};
  const int64_t len = sh.c * sh.s, hot = 13;  // channel 2, position 3
  Rng rng(44);
  const std::vector<float> x = normal_data(rng, total_of(sh), 0, 1);
  std::vector<float> gamma(len, 0.f), beta(len);
  gamma[hot] = 1.f;
  for (int64_t j = 0; j < len; ++j)
    beta[j] = static_cast<float>(j);
  const Got got = run_op(Op::kLayerNorm, sh, 0, x, gamma, beta, 1e-5);
  ASSERT_TRUE(got.status.ok());
  const Reference ref = reference(Op::kLayerNorm, sh, 0, x, {}, {}, 1e-5);
  for (int64_t i = 0; i < total_of(sh); ++i) {
    const int64_t j = i % len;
    const double want = j == hot ? ref.y[i] + j : j;
    EXPECT_NEAR(got.y[i], want, 1e-5) << "at " << where(sh, i);
  }
}

// mean and var outputs are optional; y does not depend on whether they are asked for.
TEST(SampleNorms, StatisticOutputsAreOptional) {
  const Shape sh{3, 6, 5};
  Rng rng(45);
  const std::vector<float> x = normal_data(rng, total_of(sh), 1, 2);
  for (Op op : {Op::kLayerNorm, Op::kInstanceNorm, Op::kGroupNorm}) {
    SCOPED_TRACE(op_name(op));
    const Got full = run_op(op, sh, 2, x, {}, {}, 1e-5);
    std::vector<float> y(x.size(), NAN);
    NormArgs a;
    a.shape = sh;
    a.x = in(x);
    normcore::Status st = normcore::Status::Ok();
    if (op == Op::kLayerNorm)
      st = normcore::layer_norm(a, {out(y), {}, {}});
    if (op == Op::kInstanceNorm)
      st = normcore::instance_norm(a, {out(y), {}, {}});
    if (op == Op::kGroupNorm)
      st = normcore::group_norm(a, 2, {out(y), {}, {}});
    ASSERT_TRUE(st.ok()) << st.message();
    EXPECT_EQ(y, full.y);
  }
}

// The default eps is 1e-5: a set {-a, a} with a = 1e-3 gives y = a / sqrt(1e-6 + 1e-5) = 0.3015.
TEST(SampleNorms, DefaultEpsIsOneEMinus5) {
  const Shape sh{1, 2, 1};
  const std::vector<float> x{-1e-3f, 1e-3f};
  const double want = 1e-3 / std::sqrt(static_cast<double>(1e-3f) * 1e-3f + 1e-5);
  for (Op op : {Op::kLayerNorm, Op::kGroupNorm}) {
    SCOPED_TRACE(op_name(op));
    std::vector<float> y(2, NAN);
    NormArgs a;
    a.shape = sh;
    a.x = in(x);
    const normcore::Status st = op == Op::kLayerNorm ? normcore::layer_norm(a, {out(y), {}, {}})
                                                     : normcore::group_norm(a, 1, {out(y), {}, {}});
    ASSERT_TRUE(st.ok()) << st.message();
    EXPECT_NEAR(y[1], want, 1e-6);
    EXPECT_NEAR(y[0], -want, 1e-6);
  }
  // Instance norm needs two positions per channel for the same set.
  std::vector<float> y(2, NAN);
  NormArgs a;
  a.shape = {1, 1, 2};
  a.x = in(x);
  ASSERT_TRUE(normcore::instance_norm(a, {out(y), {}, {}}).ok());
  EXPECT_NEAR(y[1], want, 1e-6);
}

}  // namespace
}  // namespace reftest
