// Batch norm beyond the per-set numerics: PyTorch's running statistics over many steps, momentum
// 0 and 1, inference mode, defaults, and running statistics updated in place.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "harness.h"

namespace reftest {
namespace {

using normcore::batch_norm;

bool same_bits(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// Each running value is a float32 rounding of the recurrence, re-read every step; the recurrence
// contracts by (1 - momentum) per step, so rounding stays within a few float32 ulps (~1e-6).
constexpr double kRunningRel = 1e-5;

// A fixed population per channel; every step draws a fresh mini-batch from it.
struct Population {
  std::vector<double> mean{3, -10, 100};
  std::vector<double> std{1, 2, 0.5};
  std::vector<float> draw(Rng& rng, const Shape& sh) const {
    std::vector<float> x(static_cast<size_t>(total_of(sh)));
    for (size_t i = 0; i < x.size(); ++i) {
      const int64_t ch = (static_cast<int64_t>(i) / sh.s) % sh.c;
      x[i] = static_cast<float>(mean[ch] + std[ch] * rng.normal());
    }
    return x;
  }
};

struct RunningCase {
  Shape shape;
  double momentum;
  int steps;
};

// Training steps with the running statistics updated in place (outputs aliasing inputs, as an
// animation loop does), against the float64 recurrence with the unbiased factor M/(M-1), M = n*s.
TEST(BatchNormRunning, FollowsTheRecurrenceAndConvergesToThePopulation) {
  const RunningCase cases[] = {
      {{256, 3, 1}, 0.1, 200},  // column kernel, M = 256
      {{16, 3, 16}, 0.1, 200},  // row kernel, M = 256
      {{4, 3, 3}, 0.5, 30},     // M = 12: the unbiased factor 12/11 is far from 1
  };
  const Population pop;
  for (const RunningCase& rc : cases) {
    const Shape& sh = rc.shape;
    SCOPED_TRACE("shape " + shape_str(sh) + ", momentum " + std::to_string(rc.momentum));
    const int64_t m_count = sh.n * sh.s;
    Rng rng(31);
    std::vector<float> running_mean, running_var;  // omitted on the first step: 0 and 1
    std::vector<double> ref_mean(sh.c, 0.0), ref_var(sh.c, 1.0);
    for (int step = 0; step < rc.steps; ++step) {
      const std::vector<float> x = pop.draw(rng, sh);
      std::vector<float> y(x.size()), rm_out(sh.c), rv_out(sh.c);
      BatchNormArgsBuilder a = batch_norm_args(sh, x).momentum(rc.momentum);
      normcore::BatchNormResult r{out(y), {}, {}, out(rm_out), out(rv_out)};
      if (step > 0) {
        a.running(running_mean, running_var);
        r.running_mean = out(running_mean);
        r.running_var = out(running_var);
      }
      ASSERT_TRUE(batch_norm(a, r).ok());
      if (step == 0) {
        running_mean = rm_out;
        running_var = rv_out;
      }
      reference_running_update(&ref_mean, &ref_var,
                               reference(Op::kBatchNorm, sh, 0, x, {}, {}, 1e-5), m_count,
                               rc.momentum);
      for (int64_t ch = 0; ch < sh.c; ++ch) {
        ASSERT_TRUE(
            stat_close(running_mean[ch], ref_mean[ch], kRunningRel * std::fabs(ref_mean[ch])))
            << "step " << step << " channel " << ch << ": running mean " << running_mean[ch]
            << ", reference " << ref_mean[ch];
        ASSERT_TRUE(stat_close(running_var[ch], ref_var[ch], kRunningRel * ref_var[ch]))
            << "step " << step << " channel " << ch << ": running var " << running_var[ch]
            << ", reference " << ref_var[ch];
      }
    }
    if (rc.steps < 200)
      continue;
    // After 200 steps the start (0, 1) has decayed by 0.9^200; what is left is the moving
    // average's noise: sd ~0.23 sigma/sqrt(M) = 0.014 sigma for the mean and ~0.02 sigma^2 for the
    // variance at M = 256, so 0.1 is about 5 sd. (A missing M/(M-1), 0.4% at M = 256, is the
    // recurrence check's job; this one catches a wrong weighting or a channel mix-up.)
    for (int64_t ch = 0; ch < sh.c; ++ch) {
      const double sd = pop.std[ch], var = sd * sd;
      EXPECT_NEAR(running_mean[ch], pop.mean[ch], 0.1 * sd) << "channel " << ch;
      EXPECT_NEAR(running_var[ch], var, 0.1 * var) << "channel " << ch;
    }
  }
}

// Runs one training step with given running statistics and returns every output.
struct StepResult {
  std::vector<float> y, mean, var, running_mean, running_var;
};
StepResult step(const Shape& sh,
                const std::vector<float>& x,
                const std::vector<float>& rm,
                const std::vector<float>& rv,
                double momentum,
                bool training) {
  StepResult s;
  s.y.assign(x.size(), NAN);
  s.mean.assign(sh.c, NAN);
  s.var.assign(sh.c, NAN);
  s.running_mean.assign(sh.c, NAN);
  s.running_var.assign(sh.c, NAN);
  const normcore::Status st =
      batch_norm(batch_norm_args(sh, x).running(rm, rv).momentum(momentum).training(training),
                 {out(s.y), out(s.mean), out(s.var), out(s.running_mean), out(s.running_var)});
  EXPECT_TRUE(st.ok()) << st.message();
  return s;
}

TEST(BatchNormRunning, MomentumZeroLeavesThemUnchanged) {
  const Shape sh{6, 5, 3};
  Rng rng(32);
  const std::vector<float> x = normal_data(rng, total_of(sh), 2, 3);
  const std::vector<float> rm = uniform_data(rng, sh.c, -1, 1),
                           rv = uniform_data(rng, sh.c, 0.5, 2);
  const StepResult s = step(sh, x, rm, rv, 0.0, true);
  for (int64_t ch = 0; ch < sh.c; ++ch) {
    EXPECT_TRUE(same_bits(s.running_mean[ch], rm[ch]))
        << "channel " << ch << ": " << s.running_mean[ch];
    EXPECT_TRUE(same_bits(s.running_var[ch], rv[ch]))
        << "channel " << ch << ": " << s.running_var[ch];
  }
}

TEST(BatchNormRunning, MomentumOneReplacesThem) {
  for (const Shape sh : {Shape{6, 5, 3}, Shape{7, 5, 1}}) {
    SCOPED_TRACE("shape " + shape_str(sh));
    Rng rng(33);
    const std::vector<float> x = normal_data(rng, total_of(sh), 2, 3);
    const std::vector<float> rm = uniform_data(rng, sh.c, -1, 1),
                             rv = uniform_data(rng, sh.c, 0.5, 2);
    const StepResult s = step(sh, x, rm, rv, 1.0, true);
    const Reference ref = reference(Op::kBatchNorm, sh, 0, x, {}, {}, 1e-5);
    const double m = static_cast<double>(sh.n * sh.s);
    for (int64_t ch = 0; ch < sh.c; ++ch) {
      // 1e-6: one float32 rounding of the statistic (batch stats themselves are checked elsewhere).
      EXPECT_TRUE(stat_close(s.running_mean[ch], ref.mean[ch], 1e-6 * std::fabs(ref.mean[ch])))
          << "channel " << ch << ": " << s.running_mean[ch] << " vs " << ref.mean[ch];
      EXPECT_TRUE(stat_close(s.running_var[ch], ref.var[ch] * m / (m - 1), 1e-6 * ref.var[ch]))
          << "channel " << ch << ": " << s.running_var[ch] << " vs " << ref.var[ch] * m / (m - 1);
    }
  }
}

// Omitted running statistics start at mean 0 and var 1; momentum defaults to 0.1.
TEST(BatchNormRunning, DefaultsAreZeroOneAndMomentumPointOne) {
  const Shape sh{5, 3, 2};
  Rng rng(34);
  const std::vector<float> x = normal_data(rng, total_of(sh), 4, 2);
  std::vector<float> y(x.size()), rm(sh.c), rv(sh.c);
  ASSERT_TRUE(batch_norm(batch_norm_args(sh, x), {out(y), {}, {}, out(rm), out(rv)}).ok());
  const Reference ref = reference(Op::kBatchNorm, sh, 0, x, {}, {}, 1e-5);
  for (int64_t ch = 0; ch < sh.c; ++ch) {
    const double want_mean = 0.1 * ref.mean[ch], want_var = 0.9 + 0.1 * ref.var[ch] * 10 / 9;
    EXPECT_TRUE(stat_close(rm[ch], want_mean, 1e-6 * std::fabs(want_mean)))
        << rm[ch] << " vs " << want_mean;
    EXPECT_TRUE(stat_close(rv[ch], want_var, 1e-6 * want_var)) << rv[ch] << " vs " << want_var;
  }
}

// Updating in place (output arrays = input arrays) gives what separate arrays give.
TEST(BatchNormRunning, InPlaceUpdateEqualsSeparateOutputs) {
  const Shape sh{9, 7, 1};
  Rng rng(35);
  const std::vector<float> x = normal_data(rng, total_of(sh), 0, 1);
  const std::vector<float> rm = uniform_data(rng, sh.c, -1, 1),
                           rv = uniform_data(rng, sh.c, 0.5, 2);
  const StepResult separate = step(sh, x, rm, rv, 0.3, true);
  std::vector<float> rm_io = rm, rv_io = rv, y(x.size());
  ASSERT_TRUE(batch_norm(batch_norm_args(sh, x).running(rm_io, rv_io).momentum(0.3),
                         {out(y), {}, {}, out(rm_io), out(rv_io)})
                  .ok());
  for (int64_t ch = 0; ch < sh.c; ++ch) {
    EXPECT_TRUE(same_bits(rm_io[ch], separate.running_mean[ch])) << "channel " << ch;
    EXPECT_TRUE(same_bits(rv_io[ch], separate.running_var[ch])) << "channel " << ch;
  }
}

// Inference normalises with the running statistics, echoes them as mean/var, returns them
// unchanged (whatever the momentum), and accepts a single value per channel.
TEST(BatchNormInference, UsesAndEchoesTheRunningStatistics) {
  for (const Shape sh : {Shape{5, 4, 3}, Shape{7, 5, 1}, Shape{1, 4, 1}, Shape{1, 9, 1}}) {
    SCOPED_TRACE("shape " + shape_str(sh));
    Rng rng(36);
    const std::vector<float> x = normal_data(rng, total_of(sh), 1, 2);
    const std::vector<float> rm = uniform_data(rng, sh.c, -1, 1),
                             rv = uniform_data(rng, sh.c, 0.5, 2);
    const std::vector<float> gamma = uniform_data(rng, sh.c, -2, 2),
                             beta = uniform_data(rng, sh.c, -1, 1);
    std::vector<float> y(x.size(), NAN), mean(sh.c, NAN), var(sh.c, NAN), rm_out(sh.c, NAN),
        rv_out(sh.c, NAN);
    const normcore::Status st = batch_norm(
        batch_norm_args(sh, x).affine(gamma, beta).running(rm, rv).inference().momentum(0.5),
        {out(y), out(mean), out(var), out(rm_out), out(rv_out)});
    ASSERT_TRUE(st.ok()) << st.message();
    // A single centring and scaling of values below ~20: a few float32 roundings, far under 1e-5.
    expect_y_close(sh, y, reference_inference(sh, x, gamma, beta, rm, rv, 1e-5), 1e-5);
    for (int64_t ch = 0; ch < sh.c; ++ch) {
      EXPECT_TRUE(same_bits(mean[ch], rm[ch])) << "mean echo, channel " << ch;
      EXPECT_TRUE(same_bits(var[ch], rv[ch])) << "var echo, channel " << ch;
      EXPECT_TRUE(same_bits(rm_out[ch], rm[ch])) << "running mean, channel " << ch;
      EXPECT_TRUE(same_bits(rv_out[ch], rv[ch])) << "running var, channel " << ch;
    }
  }
}

// Inference without running statistics uses mean 0 and var 1: y = x / sqrt(1 + eps).
TEST(BatchNormInference, OmittedRunningStatisticsAreZeroAndOne) {
  const Shape sh{3, 5, 2};
  Rng rng(37);
  const std::vector<float> x = normal_data(rng, total_of(sh), 1, 2);
  std::vector<float> y(x.size(), NAN);
  ASSERT_TRUE(batch_norm(batch_norm_args(sh, x).inference(), {out(y), {}, {}, {}, {}}).ok());
  expect_y_close(sh, y, reference_inference(sh, x, {}, {}, {}, {}, 1e-5), 1e-5);
}

// The default eps is 1e-5 and the default mode training: a channel {-a, a} with a = 1e-3 has
// var 1e-6, so y = a / sqrt(1e-6 + 1e-5) = 0.3015..., far from the 1.0 of eps = 0.
TEST(BatchNormDefaults, EpsIsOneEMinus5AndTrainingIsOn) {
  const Shape sh{2, 1, 1};
  const std::vector<float> x{-1e-3f, 1e-3f};
  std::vector<float> y(2, NAN), mean(1, NAN), var(1, NAN);
  ASSERT_TRUE(batch_norm(batch_norm_args(sh, x), {out(y), out(mean), out(var), {}, {}}).ok());
  const double want = 1e-3 / std::sqrt(static_cast<double>(1e-3f) * 1e-3f + 1e-5);
  EXPECT_NEAR(y[1], want, 1e-6);
  EXPECT_NEAR(y[0], -want, 1e-6);
  EXPECT_EQ(mean[0], 0.f);
  EXPECT_NEAR(var[0], 1e-6, 1e-12);
}

}  // namespace
}  // namespace reftest
