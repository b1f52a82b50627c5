// Backward passes: every gradient against the long double chain rule and against central finite
// differences in double, over a table of shapes, groups, eps and gamma; NaN sets; argument errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "backward_reference.h"
#include "harness.h"
#include "normcore/backward.h"

namespace {

using normcore::BackwardResult;
using normcore::Shape;
using normcore::Status;
using reftest::Op;

struct Case {
  Op op;
  Shape shape;
  int64_t groups;  // group norm only
  double eps;
  bool with_gamma;
  double mean, std;  // of x
  bool finite_diff;  // small enough for O(total^2) finite differences
};

std::string describe(const Case& k) {
  return std::string(reftest::op_name(k.op)) + " " + reftest::shape_str(k.shape) +
         " groups=" + std::to_string(k.groups) + " eps=" + std::to_string(k.eps) +
         (k.with_gamma ? " gamma" : " no gamma") + " mean=" + std::to_string(k.mean);
}

struct Got {
  Status status = Status::Ok();
  std::vector<float> dx, dgamma, dbeta;
};

Got run_backward(const Case& k,
                 const std::vector<float>& dy,
                 const std::vector<float>& x,
                 const std::vector<float>& gamma) {
  Got g;
  const int64_t affine = reftest::affine_size(k.op, k.shape);
  g.dx.assign(reftest::total_of(k.shape), NAN);
  g.dgamma.assign(affine, NAN);
  g.dbeta.assign(k.op == Op::kRmsNorm ? 0 : affine, NAN);
  const BackwardResult out{reftest::out(g.dx), reftest::out(g.dgamma),
                           k.op == Op::kRmsNorm ? normcore::Output{} : reftest::out(g.dbeta)};
  if (k.op == Op::kBatchNorm) {
    normcore::BatchNormBackwardArgs a;
    a.shape = k.shape;
    a.dy = reftest::in(dy);
    a.x = reftest::in(x);
    a.gamma = reftest::in(gamma);
    a.eps = k.eps;
    g.status = normcore::batch_norm_backward(a, out);
    return g;
  }
  normcore::NormBackwardArgs a;
  a.shape = k.shape;
  a.dy = reftest::in(dy);
  a.x = reftest::in(x);
  a.gamma = reftest::in(gamma);
  a.eps = k.eps;
  switch (k.op) {
    case Op::kLayerNorm:
      g.status = normcore::layer_norm_backward(a, out);
      break;
    case Op::kInstanceNorm:
      g.status = normcore::instance_norm_backward(a, out);
      break;
    case Op::kGroupNorm:
      g.status = normcore::group_norm_backward(a, k.groups, out);
      break;
    default:
      g.status = normcore::rms_norm_backward(a, out);
  }
  return g;
}

// max |g - ref| <= tol * max(1, max |ref|), with the worst element named.
void expect_gradient(const std::string& what,
                     const std::vector<float>& got,
                     const std::vector<double>& ref,
                     double tol) {
  ASSERT_EQ(got.size(), ref.size()) << what;
  const reftest::MaxError e = reftest::max_abs_error(got, ref);
  if (e.index < 0)
    return;
  const double bound = tol * std::max(1.0, reftest::max_abs(ref));
  EXPECT_LE(e.value, bound) << what << " at " << e.index << ": got " << got[e.index]
                            << ", reference " << ref[e.index];
}

// One case's inputs, drawn in a fixed order from `rng`: x, then dy, then gamma if the case has it.
struct Inputs {
  std::vector<float> x, dy, gamma;
};

Inputs draw_inputs(const Case& k, reftest::Rng& rng) {
  const int64_t total = reftest::total_of(k.shape), affine = reftest::affine_size(k.op, k.shape);
  Inputs in;
  in.x = reftest::normal_data(rng, total, k.mean, k.std);
  in.dy = reftest::normal_data(rng, total, 0.2, 1);
  if (k.with_gamma)
    in.gamma = reftest::normal_data(rng, affine, 1, 0.5);
  return in;
}

// Runs the case's backward pass and holds dx, dgamma and (but for RMS norm) dbeta to the
// long-double chain rule within `tol`; returns what the core gave.
Got expect_reference(const Case& k, const Inputs& in, double tol) {
  const Got got = run_backward(k, in.dy, in.x, in.gamma);
  EXPECT_TRUE(got.status.ok()) << got.status.message();
  const reftest::Gradients ref =
      reftest::reference_backward(k.op, k.shape, k.groups, in.dy, in.x, in.gamma, k.eps);
  expect_gradient("dx vs reference", got.dx, ref.dx, tol);
  expect_gradient("dgamma vs reference", got.dgamma, ref.dgamma, tol);
  if (k.op != Op::kRmsNorm)
    expect_gradient("dbeta vs reference", got.dbeta, ref.dbeta, tol);
  return got;
}

std::vector<Case> cases() {
  const double e = 1e-5, r = 1e-6;
  return {
      // Shapes around the 4-lane width, s > 1, groups, eps and gamma given or omitted: checked
      // by finite differences as well.
      {Op::kBatchNorm, {2, 1, 1}, 1, e, true, 0, 1, true},
      {Op::kBatchNorm, {5, 3, 1}, 1, e, true, 0.5, 2, true},
      {Op::kBatchNorm, {7, 9, 1}, 1, 1e-3, false, -3, 1, true},
      {Op::kBatchNorm, {3, 4, 5}, 1, e, true, 2, 0.5, true},
      {Op::kLayerNorm, {3, 5, 1}, 1, e, true, 1, 1, true},
      {Op::kLayerNorm, {4, 3, 3}, 1, 0.1, false, 0, 3, true},
      {Op::kLayerNorm, {2, 9, 1}, 1, e, true, 10, 1, true},
      {Op::kInstanceNorm, {2, 3, 7}, 1, e, true, 0, 1, true},
      {Op::kInstanceNorm, {3, 2, 4}, 1, 1e-2, false, 5, 2, true},
      {Op::kGroupNorm, {2, 6, 3}, 3, e, true, 0, 1, true},
      {Op::kGroupNorm, {3, 8, 1}, 2, e, true, -1, 2, true},
      {Op::kGroupNorm, {2, 4, 5}, 4, 1e-3, false, 0, 1, true},
      {Op::kRmsNorm, {3, 5, 1}, 1, r, true, 0, 1, true},
      {Op::kRmsNorm, {2, 4, 3}, 1, 1e-2, false, 1, 1, true},
      {Op::kRmsNorm, {4, 9, 1}, 1, r, true, 0.3, 0.2, true},
      // Larger sets (past the 256-value blocks of the statistics) and a large mean: reference only.
      {Op::kBatchNorm, {300, 5, 1}, 1, e, true, 0, 1, false},
      {Op::kBatchNorm, {33, 6, 17}, 1, e, true, 100, 2, false},
      {Op::kBatchNorm, {64, 32, 1}, 1, e, false, 1000, 10, false},
      {Op::kLayerNorm, {5, 257, 3}, 1, e, true, -50, 1, false},
      {Op::kInstanceNorm, {3, 4, 513}, 1, e, true, 7, 0.1, false},
      {Op::kGroupNorm, {4, 12, 33}, 4, e, true, 0, 1, false},
      {Op::kGroupNorm, {2, 16, 65}, 16, e, false, 3, 1, false},
      {Op::kRmsNorm, {6, 129, 5}, 1, r, true, 2, 1, false},
  };
}

TEST(Backward, MatchesLongDoubleChainRuleAndFiniteDifferences) {
  uint64_t seed = 1;
  for (const Case& k : cases()) {
    SCOPED_TRACE(describe(k));
    reftest::Rng rng(seed++);
    const Inputs in = draw_inputs(k, rng);
    const Got got = expect_reference(k, in, 1e-4);
    if (!k.finite_diff || !got.status.ok())
      continue;
    const std::vector<float>&x = in.x, &dy = in.dy, &gamma = in.gamma;
    const double h = 1e-5;
    expect_gradient("dx vs finite differences", got.dx,
                    reftest::finite_differences(k.op, k.shape, k.groups, dy, x, gamma, k.eps, 0, h),
                    1e-4);
    expect_gradient("dgamma vs finite differences", got.dgamma,
                    reftest::finite_differences(k.op, k.shape, k.groups, dy, x, gamma, k.eps, 1, h),
                    1e-4);
    if (k.op != Op::kRmsNorm) {
      expect_gradient(
          "dbeta vs finite differences", got.dbeta,
          reftest::finite_differences(k.op, k.shape, k.groups, dy, x, gamma, k.eps, 2, h), 1e-4);
    }
  }
}

// The reference itself must be a gradient: a check that would pass with any formula is no check.
TEST(Backward, ReferenceAgreesWithFiniteDifferences) {
  reftest::Rng rng(99);
  const Shape sh{4, 6, 2};
  const std::vector<float> x = reftest::normal_data(rng, 48, 1, 2);
  const std::vector<float> dy = reftest::normal_data(rng, 48, 0, 1);
  const std::vector<float> gamma = reftest::normal_data(rng, 6, 1, 0.3);
  const reftest::Gradients ref =
      reftest::reference_backward(Op::kGroupNorm, sh, 3, dy, x, gamma, 1e-5);
  const std::vector<double> fd =
      reftest::finite_differences(Op::kGroupNorm, sh, 3, dy, x, gamma, 1e-5, 0, 1e-5);
  for (size_t i = 0; i < fd.size(); ++i)
    EXPECT_NEAR(ref.dx[i], fd[i], 1e-6) << i;
}

TEST(Backward, BatchNormInferenceTreatsRunningStatisticsAsConstants) {
  reftest::Rng rng(5);
  const Shape sh{3, 4, 2};
  const std::vector<float> x = reftest::normal_data(rng, 24, 2, 3);
  const std::vector<float> dy = reftest::normal_data(rng, 24, 0, 1);
  const std::vector<float> gamma = reftest::normal_data(rng, 4, 1, 0.5);
  const std::vector<float> rm = {0.5f, -1.f, 2.f, 0.f}, rv = {1.5f, 0.25f, 4.f, 1.f};
  std::vector<float> dx(24), dgamma(4), dbeta(4);
  normcore::BatchNormBackwardArgs a;
  a.shape = sh;
  a.dy = reftest::in(dy);
  a.x = reftest::in(x);
  a.gamma = reftest::in(gamma);
  a.running_mean = reftest::in(rm);
  a.running_var = reftest::in(rv);
  a.training = false;
  ASSERT_TRUE(normcore::batch_norm_backward(
                  a, {reftest::out(dx), reftest::out(dgamma), reftest::out(dbeta)})
                  .ok());
  std::vector<double> ref_dx(24), ref_dgamma(4, 0), ref_dbeta(4, 0);
  for (int i = 0; i < 24; ++i) {
    const int ch = (i / 2) % 4;
    const double inv = 1 / std::sqrt(static_cast<double>(rv[ch]) + 1e-5);
    ref_dx[i] = dy[i] * gamma[ch] * inv;
    ref_dgamma[ch] += dy[i] * (x[i] - rm[ch]) * inv;
    ref_dbeta[ch] += dy[i];
  }
  expect_gradient("dx", dx, ref_dx, 1e-6);
  expect_gradient("dgamma", dgamma, ref_dgamma, 1e-6);
  expect_gradient("dbeta", dbeta, ref_dbeta, 1e-6);
}

TEST(Backward, NonFiniteSetGivesNaNAndLeavesOtherSetsAlone) {
  const Case k{Op::kLayerNorm, {3, 4, 1}, 1, 1e-5, false, 0, 1, false};
  reftest::Rng rng(3);
  std::vector<float> x = reftest::normal_data(rng, 12, 0, 1);
  std::vector<float> dy = reftest::normal_data(rng, 12, 0, 1);
  x[1] = INFINITY;  // sample 0
  dy[9] = NAN;      // sample 2
  const Got got = run_backward(k, dy, x, {});
  ASSERT_TRUE(got.status.ok());
  const reftest::Gradients ref = reftest::reference_backward(k.op, k.shape, 1, dy, x, {}, 1e-5);
  for (int i = 0; i < 12; ++i) {
    if (i < 4 || i >= 8)
      EXPECT_TRUE(std::isnan(got.dx[i])) << i;
    else
      EXPECT_NEAR(got.dx[i], ref.dx[i], 1e-5) << i;
  }
}

// Index of the first value of every set: the first of the 16 values the shift is sampled from.
std::vector<int64_t> first_of_each_set(const Case& k) {
  const Shape& sh = k.shape;
  std::vector<int64_t> firsts;
  if (k.op == Op::kBatchNorm) {
    for (int64_t ch = 0; ch < sh.c; ++ch)
      firsts.push_back(ch * sh.s);  // sample 0
    return firsts;
  }
  const int64_t sets = k.op == Op::kGroupNorm      ? sh.n * k.groups
                       : k.op == Op::kInstanceNorm ? sh.n * sh.c
                                                   : sh.n;
  const int64_t len = reftest::total_of(sh) / sets;
  for (int64_t set = 0; set < sets; ++set)
    firsts.push_back(set * len);
  return firsts;
}

// The backward takes a set's statistics and its gradient sums in one pass of sums shifted by a
// sampled estimate of the mean, and falls back to the three-pass statistics plus one more pass
// when the shifted sums fail their test. Both paths are held to the reference, far tighter than
// the table above: mean/std = 1e4 (the shift is close, the one pass holds; a missing correction
// for shift != mean would be off by about 1e-1), an outlier 1e4 std away as the first sampled
// value of every set (the shift lands far from the mean: fallback), and values near 1e-18 with
// eps = 1e-40 (mean squares below the test's 1e-30: fallback; there the statistics set dx).
TEST(Backward, BothStatisticsPathsMeetTheReference) {
  const std::vector<Case> shapes = {
      {Op::kBatchNorm, {300, 5, 1}, 1, 0, true, 0, 0, false},
      {Op::kBatchNorm, {33, 6, 17}, 1, 0, true, 0, 0, false},
      {Op::kLayerNorm, {5, 257, 3}, 1, 0, true, 0, 0, false},
      {Op::kInstanceNorm, {3, 4, 65}, 1, 0, false, 0, 0, false},
      {Op::kGroupNorm, {4, 12, 33}, 4, 0, true, 0, 0, false},
      {Op::kRmsNorm, {6, 129, 5}, 1, 0, true, 0, 0, false},
  };
  enum Family { kOffset, kOutlierFirst, kTiny };
  uint64_t seed = 100;
  for (const Family family : {kOffset, kOutlierFirst, kTiny}) {
    for (Case k : shapes) {
      k.mean = family == kOffset ? 1e4 : 0;
      k.std = family == kTiny ? 1e-18 : 1;
      k.eps = family == kTiny ? 1e-40 : 1e-5;
      SCOPED_TRACE(describe(k) + (family == kOffset         ? " offset 1e4"
                                  : family == kOutlierFirst ? " outlier first"
                                                            : " values near 1e-18"));
      reftest::Rng rng(seed++);
      Inputs in = draw_inputs(k, rng);
      if (family == kOutlierFirst) {
        for (const int64_t i : first_of_each_set(k))
          in.x[i] = 1e4f;
      }
      expect_reference(k, in, 1e-6);
    }
  }
}

TEST(Backward, RejectsBadArgumentsNamingThem) {
  std::vector<float> x(12, 1.f), dy(12, 1.f), short_dy(10, 1.f), dx(12), d4(4), d3(3);
  normcore::BatchNormBackwardArgs b;
  b.shape = {3, 4, 1};
  b.x = reftest::in(x);
  b.dy = reftest::in(short_dy);
  EXPECT_EQ(normcore::batch_norm_backward(b, {reftest::out(dx), {}, {}}).message(),
            "batchNormBackward: dy has 10 values, expected n*c*s = 12");
  b.dy = reftest::in(dy);
  b.shape = {1, 12, 1};
  EXPECT_NE(normcore::batch_norm_backward(b, {reftest::out(dx), {}, {}})
                .message()
                .find("batchNormBackward: training needs more than one value per channel"),
            std::string::npos);
  b.shape = {3, 4, 1};
  EXPECT_EQ(normcore::batch_norm_backward(b, {reftest::out(dx), reftest::out(d3), {}}).message(),
            "batchNormBackward: output dgamma has 3 values, expected c = 4");
  b.eps = -1;
  EXPECT_EQ(normcore::batch_norm_backward(b, {reftest::out(dx), {}, {}}).message(),
            "batchNormBackward: eps is -1, expected a finite number >= 0");

  normcore::NormBackwardArgs a;
  a.shape = {3, 4, 1};
  a.x = reftest::in(x);
  EXPECT_EQ(normcore::layer_norm_backward(a, {reftest::out(dx), {}, {}}).message(),
            "layerNormBackward: dy is missing, expected n*c*s = 12 values");
  a.dy = reftest::in(dy);
  EXPECT_EQ(normcore::group_norm_backward(a, 3, {reftest::out(dx), {}, {}}).message(),
            "groupNormBackward: groups is 3, expected a divisor of c = 4");
  a.gamma = reftest::in(d3);
  EXPECT_EQ(normcore::instance_norm_backward(a, {reftest::out(dx), {}, {}}).message(),
            "instanceNormBackward: gamma has 3 values, expected c = 4");
  a.gamma = {};
  EXPECT_EQ(normcore::rms_norm_backward(a, {reftest::out(dx), {}, reftest::out(d4)}).message(),
            "rmsNormBackward: output dbeta was given, but RMS norm has no beta");
  a.shape = {3, 0, 1};
  EXPECT_EQ(normcore::rms_norm_backward(a, {reftest::out(dx), {}, {}}).message(),
            "rmsNormBackward: c is 0, expected a whole number >= 1");
}

}  // namespace
