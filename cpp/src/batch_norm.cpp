// Batch norm: statistics per channel over N and S; PyTorch's running-statistics update.
#include <cmath>
#include <vector>

#include "apply.h"
#include "normcore/ops.h"
#include "param.h"
#include "scratch.h"
#include "set_stats.h"
#include "validate.h"

namespace normcore {
namespace {

constexpr const char* kFn = "batchNorm";

Status check_batch_norm(const BatchNormArgs& a, const BatchNormResult& out) {
  NORMCORE_TRY(check_shape(kFn, a.shape));
  const int64_t c = a.shape.c, total = a.shape.n * a.shape.c * a.shape.s;
  NORMCORE_TRY(check_input(kFn, "x", a.x, total, "n*c*s", true));
  NORMCORE_TRY(check_input(kFn, "gamma", a.gamma, c, "c", false));
  NORMCORE_TRY(check_input(kFn, "beta", a.beta, c, "c", false));
  NORMCORE_TRY(check_input(kFn, "runningMean", a.running_mean, c, "c", false));
  NORMCORE_TRY(check_input(kFn, "runningVar", a.running_var, c, "c", false));
  NORMCORE_TRY(check_eps(kFn, a.eps));
  NORMCORE_TRY(check_momentum(kFn, a.momentum));
  if (a.training && a.shape.n * a.shape.s == 1) {
    return Status::Error(std::string(kFn) +
                         ": training needs more than one value per channel, got n*s = 1 "
                         "(use a larger batch, or training: false to use the running statistics)");
  }
  NORMCORE_TRY(check_output(kFn, "y", out.y, total, "n*c*s", true));
  NORMCORE_TRY(check_output(kFn, "mean", out.mean, c, "c", false));
  NORMCORE_TRY(check_output(kFn, "var", out.var, c, "c", false));
  NORMCORE_TRY(check_output(kFn, "runningMean", out.running_mean, c, "c", false));
  NORMCORE_TRY(check_output(kFn, "runningVar", out.running_var, c, "c", false));
  return Status::Ok();
}

void batch_moments(const BatchNormArgs& a, Moments* stats) {
  const int64_t n = a.shape.n, c = a.shape.c, s = a.shape.s;
  if (s == 1) {
    column_moments(a.x.data, n, c, stats);
    return;
  }
  for (int64_t ch = 0; ch < c; ++ch)
    stats[ch] = set_moments({a.x.data + ch * s, n, s, c * s});
}

}  // namespace

Status batch_norm(const BatchNormArgs& a, const BatchNormResult& out) {
  NORMCORE_TRY(check_batch_norm(a, out));
  const int64_t n = a.shape.n, c = a.shape.c, s = a.shape.s;

  thread_local std::vector<Moments> kept_stats;
  thread_local std::vector<float> kept_per_channel;
  Scratch<Moments> stats_scratch(&kept_stats, c, Moments{0, 0});
  Moments* stats = stats_scratch.data();
  if (a.training) {
    batch_moments(a, stats);
  } else {
    for (int64_t ch = 0; ch < c; ++ch)
      stats[ch] = {value_or(a.running_mean, ch, 0), value_or(a.running_var, ch, 1)};
  }

  // Per channel: the split mean, scale = gamma / sqrt(var + eps) and shift = beta, in one block
  // (an earlier stage: no gamma or beta, and for the centred stage no division).
  Scratch<float> per_channel(&kept_per_channel, 4 * c, 0.f);
  float *hi = per_channel.data(), *lo = hi + c, *scale = lo + c, *shift = scale + c;
  for (int64_t ch = 0; ch < c; ++ch) {
    const SplitMean m = split_mean(stats[ch].mean);
    hi[ch] = m.hi;
    lo[ch] = m.lo;
    const double divisor = divides(a.stage) ? std::sqrt(stats[ch].var + a.eps) : 1.0;
    scale[ch] = static_cast<float>(stage_gamma(a.stage, a.gamma, ch) / divisor);
    shift[ch] = stage_beta(a.stage, a.beta, ch);
  }
  if (s == 1) {
    apply_columns(a.x.data, out.y.data, n, c, hi, lo, scale, shift);
  } else {
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t ch = 0; ch < c; ++ch) {
        const int64_t off = (i * c + ch) * s;
        apply_affine(a.x.data + off, out.y.data + off, s, {hi[ch], lo[ch]}, scale[ch], shift[ch]);
      }
    }
  }

  // PyTorch's convention: the running variance takes the unbiased batch variance.
  const double m = a.momentum, count = static_cast<double>(n * s);
  const double unbias = count / (count - 1);
  for (int64_t ch = 0; ch < c; ++ch) {
    put(out.mean, ch, stats[ch].mean);
    put(out.var, ch, stats[ch].var);
    const double rm = value_or(a.running_mean, ch, 0), rv = value_or(a.running_var, ch, 1);
    put(out.running_mean, ch, a.training ? (1 - m) * rm + m * stats[ch].mean : rm);
    put(out.running_var, ch, a.training ? (1 - m) * rv + m * stats[ch].var * unbias : rv);
  }
  return Status::Ok();
}

}  // namespace normcore
