// Layer, instance and group norm: statistics within each sample, so every set is contiguous.
// Instance norm is group norm with one channel per group.
#include <cmath>
#include <vector>

#include "apply.h"
#include "normcore/ops.h"
#include "param.h"
#include "set_stats.h"
#include "validate.h"

namespace normcore {
namespace {

Status check_sample_norm(const char* fn,
                         const NormArgs& a,
                         int64_t affine_size,
                         const char* affine_expr,
                         int64_t sets,
                         const char* sets_expr,
                         const NormResult& out) {
  const int64_t total = a.shape.n * a.shape.c * a.shape.s;
  NORMCORE_TRY(check_input(fn, "x", a.x, total, "n*c*s", true));
  NORMCORE_TRY(check_input(fn, "gamma", a.gamma, affine_size, affine_expr, false));
  NORMCORE_TRY(check_input(fn, "beta", a.beta, affine_size, affine_expr, false));
  NORMCORE_TRY(check_eps(fn, a.eps));
  NORMCORE_TRY(check_output(fn, "y", out.y, total, "n*c*s", true));
  NORMCORE_TRY(check_output(fn, "mean", out.mean, sets, sets_expr, false));
  NORMCORE_TRY(check_output(fn, "var", out.var, sets, sets_expr, false));
  return Status::Ok();
}

// 1 / sqrt(var + eps), or 1 at the centred stage. In double: a tiny eps on a constant set makes it
// overflow float, and group norm folds it with gamma first (gamma 0 must give 0, not 0 * Inf).
double inv_std(const Moments& m, const NormArgs& a) {
  return divides(a.stage) ? 1.0 / std::sqrt(m.var + a.eps) : 1.0;
}

Status grouped_norm(const char* fn,
                    const NormArgs& a,
                    int64_t groups,
                    const char* sets_expr,
                    const NormResult& out) {
  NORMCORE_TRY(check_shape(fn, a.shape));
  NORMCORE_TRY(check_groups(fn, groups, a.shape.c));
  const int64_t n = a.shape.n, c = a.shape.c, s = a.shape.s;
  NORMCORE_TRY(check_sample_norm(fn, a, c, "c", n * groups, sets_expr, out));
  const int64_t per_group = c / groups, len = per_group * s;
  for (int64_t set = 0; set < n * groups; ++set) {
    const int64_t off = set * len;
    const Moments m = set_moments({a.x.data + off, 1, len, len});
    const SplitMean split = split_mean(m.mean);
    // In double: gamma * inv is rounded to float once, so a set of equal values with a tiny eps
    // (inv beyond float's range) and gamma = 0 gives 0, not 0 * Inf = NaN (found by the fuzzer).
    const double inv = divides(a.stage) ? 1.0 / std::sqrt(m.var + a.eps) : 1.0;
    const int64_t first_channel = (set % groups) * per_group;
    for (int64_t k = 0; k < per_group; ++k) {
      const int64_t ch = first_channel + k;
      apply_affine(a.x.data + off + k * s, out.y.data + off + k * s, s, split,
                   static_cast<float>(stage_gamma(a.stage, a.gamma, ch) * inv),
                   stage_beta(a.stage, a.beta, ch));
    }
    put(out.mean, set, m.mean);
    put(out.var, set, m.var);
  }
  return Status::Ok();
}

}  // namespace

Status layer_norm(const NormArgs& a, const NormResult& out) {
  constexpr const char* kFn = "layerNorm";
  NORMCORE_TRY(check_shape(kFn, a.shape));
  const int64_t n = a.shape.n, len = a.shape.c * a.shape.s;
  NORMCORE_TRY(check_sample_norm(kFn, a, len, "c*s", n, "n", out));
  std::vector<float> ones, zeros;
  // An earlier stage than the output ignores the given gamma and beta.
  const bool affine = applies_affine(a.stage);
  const float* gamma = or_default(affine ? a.gamma : Input{}, len, 1.f, &ones);
  const float* beta = or_default(affine ? a.beta : Input{}, len, 0.f, &zeros);
  for (int64_t i = 0; i < n; ++i) {
    const float* x = a.x.data + i * len;
    const Moments m = set_moments({x, 1, len, len});
    apply_elementwise(x, out.y.data + i * len, len, split_mean(m.mean),
                      static_cast<float>(inv_std(m, a)), gamma, beta);
    put(out.mean, i, m.mean);
    put(out.var, i, m.var);
  }
  return Status::Ok();
}

Status instance_norm(const NormArgs& a, const NormResult& out) {
  return grouped_norm("instanceNorm", a, a.shape.c, "n*c", out);
}

Status group_norm(const NormArgs& a, int64_t groups, const NormResult& out) {
  return grouped_norm("groupNorm", a, groups, "n*groups", out);
}

}  // namespace normcore
