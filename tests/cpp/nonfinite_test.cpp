// NaN and Inf inputs: every output of the set that holds one is NaN (statistics too), every other
// set is bitwise what it was without it; batch norm's running statistics likewise per channel.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "harness.h"

namespace reftest {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

bool same_bits(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

struct Layout {
  Op op;
  Shape shape;
  int64_t groups;
};

// Small shapes with tails (sizes not multiples of 4) and sets longer than one 256-float block.
const Layout kLayouts[] = {
    {Op::kBatchNorm, {9, 5, 1}, 0},    {Op::kBatchNorm, {130, 6, 1}, 0},
    {Op::kBatchNorm, {3, 5, 7}, 0},    {Op::kBatchNorm, {2, 3, 300}, 0},
    {Op::kLayerNorm, {3, 5, 7}, 0},    {Op::kLayerNorm, {3, 1, 301}, 0},
    {Op::kInstanceNorm, {3, 5, 7}, 0}, {Op::kInstanceNorm, {2, 3, 300}, 0},
    {Op::kGroupNorm, {3, 6, 7}, 3},    {Op::kGroupNorm, {2, 4, 129}, 2},
    {Op::kRmsNorm, {3, 5, 7}, 0},      {Op::kRmsNorm, {3, 1, 301}, 0},
};

std::vector<int64_t> members(const Layout& l, int64_t k) {
  std::vector<int64_t> m;
  for (int64_t i = 0; i < total_of(l.shape); ++i) {
    if (set_of(l.op, l.shape, l.groups, i) == k)
      m.push_back(i);
  }
  return m;
}

// The per-set statistics of a result, in one list: mean and var, or rms.
std::vector<float> stats_of(const Got& g) {
  std::vector<float> s = g.mean;
  s.insert(s.end(), g.var.begin(), g.var.end());
  s.insert(s.end(), g.rms.begin(), g.rms.end());
  return s;
}

// Checks `poisoned` against `clean`: sets in `bad` all NaN, the rest bitwise unchanged.
void expect_only_sets_nan(const Layout& l,
                          const Got& clean,
                          const Got& poisoned,
                          const std::vector<bool>& bad) {
  ASSERT_TRUE(poisoned.status.ok()) << poisoned.status.message();
  int reported = 0;
  for (int64_t i = 0; i < total_of(l.shape) && reported < 5; ++i) {
    const int64_t k = set_of(l.op, l.shape, l.groups, i);
    if (bad[k] ? std::isnan(poisoned.y[i]) : same_bits(poisoned.y[i], clean.y[i]))
      continue;
    ++reported;
    ADD_FAILURE() << "y at " << where(l.shape, i) << " (set " << k
                  << (bad[k] ? ", poisoned" : ", clean") << "): got " << poisoned.y[i]
                  << ", clean run " << clean.y[i];
  }
  const std::vector<float> s_clean = stats_of(clean), s_bad = stats_of(poisoned);
  const size_t sets = bad.size();
  ASSERT_EQ(s_bad.size() % sets, 0u);
  for (size_t j = 0; j < s_bad.size(); ++j) {
    const size_t k = j % sets;
    if (bad[k]) {
      EXPECT_TRUE(std::isnan(s_bad[j]))
          << "statistic " << j / sets << " of poisoned set " << k << " is " << s_bad[j];
    } else {
      EXPECT_TRUE(same_bits(s_bad[j], s_clean[j])) << "statistic " << j / sets << " of clean set "
                                                   << k << ": " << s_bad[j] << " vs " << s_clean[j];
    }
  }
}

// NaN, +Inf or -Inf as the first, a middle or the last element of one set.
TEST(NonFinite, OneValuePoisonsOnlyItsSet) {
  for (const Layout& l : kLayouts) {
    Rng rng(21);
    const std::vector<float> x = normal_data(rng, total_of(l.shape), 3, 2);
    const std::vector<float> gamma = uniform_data(rng, affine_size(l.op, l.shape), 0.5, 2);
    const std::vector<float> beta = uniform_data(rng, affine_size(l.op, l.shape), -1, 1);
    const Got clean = run_op(l.op, l.shape, l.groups, x, gamma, beta, 1e-5);
    ASSERT_TRUE(clean.status.ok()) << clean.status.message();
    const int64_t sets = set_count(l.op, l.shape, l.groups);
    const int64_t target = sets / 2;  // a set in the middle, so that sets on both sides are checked
    const std::vector<int64_t> set = members(l, target);
    for (float poison : {kNaN, kInf, -kInf}) {
      for (size_t pos : {size_t{0}, set.size() / 2, set.size() - 1}) {
        SCOPED_TRACE(std::string(op_name(l.op)) + " shape " + shape_str(l.shape) + ": " +
                     std::to_string(poison) + " at " + where(l.shape, set[pos]) + " of set " +
                     std::to_string(target));
        std::vector<float> bad_x = x;
        bad_x[set[pos]] = poison;
        const Got got = run_op(l.op, l.shape, l.groups, bad_x, gamma, beta, 1e-5);
        std::vector<bool> bad(sets, false);
        bad[target] = true;
        expect_only_sets_nan(l, clean, got, bad);
      }
    }
  }
}

// +Inf and -Inf in one set (whose sum is NaN), NaN in another, and a whole tensor of NaN.
TEST(NonFinite, SeveralPoisonedSetsAndAllNaN) {
  for (const Layout& l : kLayouts) {
    SCOPED_TRACE(std::string(op_name(l.op)) + " shape " + shape_str(l.shape));
    Rng rng(22);
    const std::vector<float> x = normal_data(rng, total_of(l.shape), -1, 1);
    const Got clean = run_op(l.op, l.shape, l.groups, x, {}, {}, 1e-5);
    const int64_t sets = set_count(l.op, l.shape, l.groups);
    std::vector<bool> bad(sets, false);
    std::vector<float> bad_x = x;
    const std::vector<int64_t> first = members(l, 0), last = members(l, sets - 1);
    bad_x[first.front()] = kInf;
    bad_x[first.back()] = -kInf;
    bad[0] = true;
    if (sets > 2) {
      bad_x[last[last.size() / 2]] = kNaN;
      bad[sets - 1] = true;
    }
    expect_only_sets_nan(l, clean, run_op(l.op, l.shape, l.groups, bad_x, {}, {}, 1e-5), bad);

    const std::vector<float> all_nan(x.size(), kNaN);
    expect_only_sets_nan(l, clean, run_op(l.op, l.shape, l.groups, all_nan, {}, {}, 1e-5),
                         std::vector<bool>(sets, true));
  }
}

// Batch norm training: the poisoned channel's running statistics become NaN, the others are
// bitwise those of the clean run.
TEST(NonFinite, BatchNormRunningStatsOfPoisonedChannelOnly) {
  for (const Shape sh : {Shape{9, 5, 1}, Shape{3, 5, 7}}) {
    for (float poison : {kNaN, kInf, -kInf}) {
      SCOPED_TRACE("shape " + shape_str(sh) + ", " + std::to_string(poison) + " in channel 2");
      Rng rng(23);
      std::vector<float> x = normal_data(rng, total_of(sh), 0, 1);
      const std::vector<float> rm_in = uniform_data(rng, sh.c, -1, 1),
                               rv_in = uniform_data(rng, sh.c, 0.5, 2);
      auto run = [&](const std::vector<float>& input, std::vector<float>* rm,
                     std::vector<float>* rv) {
        std::vector<float> y(input.size());
        rm->assign(sh.c, -7.f);
        rv->assign(sh.c, -7.f);
        ASSERT_TRUE(normcore::batch_norm(batch_norm_args(sh, input).running(rm_in, rv_in),
                                         {out(y), {}, {}, out(*rm), out(*rv)})
                        .ok());
      };
      std::vector<float> rm_clean, rv_clean, rm_bad, rv_bad;
      run(x, &rm_clean, &rv_clean);
      x[(1 * sh.c + 2) * sh.s] = poison;  // sample 1, channel 2, position 0
      run(x, &rm_bad, &rv_bad);
      for (int64_t ch = 0; ch < sh.c; ++ch) {
        if (ch == 2) {
          EXPECT_TRUE(std::isnan(rm_bad[ch])) << rm_bad[ch];
          EXPECT_TRUE(std::isnan(rv_bad[ch])) << rv_bad[ch];
        } else {
          EXPECT_TRUE(same_bits(rm_bad[ch], rm_clean[ch])) << "channel " << ch;
          EXPECT_TRUE(same_bits(rv_bad[ch], rv_clean[ch])) << "channel " << ch;
        }
      }
    }
  }
}

// Inference uses no statistics of x, so (as in PyTorch) a NaN only makes its own output NaN.
TEST(NonFinite, BatchNormInferenceIsElementwise) {
  const Shape sh{4, 3, 5};
  Rng rng(24);
  std::vector<float> x = normal_data(rng, total_of(sh), 0, 1);
  const std::vector<float> rm = uniform_data(rng, sh.c, -1, 1),
                           rv = uniform_data(rng, sh.c, 0.5, 2);
  auto run = [&](const std::vector<float>& input) {
    std::vector<float> y(input.size());
    EXPECT_TRUE(normcore::batch_norm(batch_norm_args(sh, input).running(rm, rv).inference(),
                                     {out(y), {}, {}, {}, {}})
                    .ok());
    return y;
  };
  const std::vector<float> clean = run(x);
  x[17] = kNaN;
  const std::vector<float> y = run(x);
  for (int64_t i = 0; i < total_of(sh); ++i) {
    if (i == 17) {
      EXPECT_TRUE(std::isnan(y[i]));
    } else {
      EXPECT_TRUE(same_bits(y[i], clean[i])) << "at " << where(sh, i);
    }
  }
}

// Puts `extremes` at the start of set 0 of every layout and compares with the reference: values
// near the largest float, whose squares and sums overflow float32 (exercising the kernels'
// scaling), and the smallest subnormal.
void check_extreme_set(const std::vector<float>& extremes) {
  for (const Layout& l : kLayouts) {
    SCOPED_TRACE(std::string(op_name(l.op)) + " shape " + shape_str(l.shape));
    Rng rng(25);
    std::vector<float> x = normal_data(rng, total_of(l.shape), 0, 1);
    const std::vector<int64_t> set0 = members(l, 0);
    if (set0.size() < extremes.size())
      continue;
    for (size_t j = 0; j < extremes.size(); ++j)
      x[set0[j]] = extremes[j];
    const Got got = run_op(l.op, l.shape, l.groups, x, {}, {}, 1e-5);
    ASSERT_TRUE(got.status.ok()) << got.status.message();
    const Reference ref = reference(l.op, l.shape, l.groups, x, {}, {}, 1e-5);
    expect_y_close(l.shape, got.y, ref.y, 1e-4);  // the design's bound; |mean|/std < 1 here
    // The mean and rms are representable; a variance ~FLT_MAX^2 saturates to +Infinity.
    expect_stats_close(l.op, got, ref, 1e-5);
  }
}

// The largest finite floats are not "non-finite": the outputs stay finite and right.
TEST(NonFinite, ExtremeFiniteValuesStayFinite) {
  check_extreme_set({FLT_MAX, FLT_MAX, -FLT_MAX / 4, std::numeric_limits<float>::denorm_min()});
}

// KNOWN BUG, reported, not yet fixed: when a set holds both +FLT_MAX and -FLT_MAX, x - mean
// exceeds float32's range in the output pass (-3.4e38 - 3.8e37 = -inf) and y is -inf where the
// reference is -1.96 (batchNorm [9, 5, 1], channel 0 = {FLT_MAX, -FLT_MAX, FLT_MAX, denorm_min,
// 5 values ~N(0, 1)}; every operation alike). Enable once centring cannot overflow.
TEST(NonFinite, DISABLED_OppositeExtremesInOneSetStayFinite) {
  check_extreme_set({FLT_MAX, -FLT_MAX, FLT_MAX, std::numeric_limits<float>::denorm_min()});
}

}  // namespace
}  // namespace reftest
