// Backward passes of the five normalisations (see normcore/backward.h).
//
// With xhat = (x - mean) * inv, inv = 1/sqrt(var + eps), and g = dy * gamma, the gradient of a
// set of M values is dx = inv * (g - mean(g) - xhat * mean(g * xhat)) (RMS norm: no mean(g) term,
// xhat = x * inv). Per element everything is computed in double from the float32 inputs, so xhat
// loses nothing to the cancellation in x - mean; the only float rounding is the final dx. Scalar
// code on purpose: the SIMD and scalar WebAssembly builds then agree bit for bit.
#include "normcore/backward.h"

#include <cmath>
#include <vector>

#include "set_stats.h"
#include "validate.h"

namespace normcore {
namespace {

// Where one set's values live: `count` runs of `len` values, `stride` apart from `offset`; element
// i of a run uses gamma[gamma_base + i / gamma_div] (and adds into that entry's dgamma, dbeta).
struct SetLayout {
  int64_t offset, count, len, stride;
  int64_t gamma_base, gamma_div;
};

// What every set's pass needs; dgamma/dbeta accumulate in double across sets.
struct Pass {
  const float* dy;
  const float* x;
  const float* gamma;  // nullptr: ones
  float* dx;
  double* dgamma;
  double* dbeta;
  double eps;
  bool centre;  // false for RMS norm
};

void backward_set(const Pass& p, const SetLayout& s, const Moments& m) {
  const double mean = p.centre ? m.mean : 0.0;
  const double inv = 1.0 / std::sqrt(m.var + p.eps);
  const double count = static_cast<double>(s.count * s.len);
  double sum_g = 0, sum_gx = 0;
  for (int64_t r = 0; r < s.count; ++r) {
    const int64_t base = s.offset + r * s.stride;
    for (int64_t i = 0; i < s.len; ++i) {
      const int64_t gi = s.gamma_base + i / s.gamma_div;
      const double d = p.dy[base + i];
      const double xhat = (p.x[base + i] - mean) * inv;
      const double g = p.gamma ? d * p.gamma[gi] : d;
      sum_g += g;
      sum_gx += g * xhat;
      p.dgamma[gi] += d * xhat;
      p.dbeta[gi] += d;
    }
  }
  const double mean_g = p.centre ? sum_g / count : 0.0;
  const double mean_gx = sum_gx / count;
  // A non-finite dy poisons the whole set, as it would in autograd's sums.
  const bool poisoned = !std::isfinite(sum_g) || !std::isfinite(sum_gx);
  for (int64_t r = 0; r < s.count; ++r) {
    const int64_t base = s.offset + r * s.stride;
    for (int64_t i = 0; i < s.len; ++i) {
      const int64_t gi = s.gamma_base + i / s.gamma_div;
      const double xhat = (p.x[base + i] - mean) * inv;
      const double g = p.gamma ? p.dy[base + i] * static_cast<double>(p.gamma[gi]) : p.dy[base + i];
      const double dx = inv * (g - mean_g - xhat * mean_gx);
      p.dx[base + i] = poisoned ? NAN : static_cast<float>(dx);
    }
  }
}

// Batch norm over [rows, cols] (s = 1): the same formula as backward_set, streaming x and dy row
// by row with one set of double accumulators per column, instead of walking each column with a
// stride (which reads a cache line per value).
void backward_columns(const Pass& p,
                      int64_t rows,
                      int64_t cols,
                      const std::vector<Moments>& stats) {
  std::vector<double> mean(cols), inv(cols), sum_dy(cols, 0.0), sum_dyx(cols, 0.0);
  for (int64_t c = 0; c < cols; ++c) {
    mean[c] = stats[c].mean;
    inv[c] = 1.0 / std::sqrt(stats[c].var + p.eps);
  }
  for (int64_t r = 0; r < rows; ++r) {
    const float* x = p.x + r * cols;
    const float* dy = p.dy + r * cols;
    for (int64_t c = 0; c < cols; ++c) {
      const double d = dy[c];
      sum_dy[c] += d;
      sum_dyx[c] += d * ((x[c] - mean[c]) * inv[c]);
    }
  }
  // With gamma constant over a column, mean(g) = gamma * mean(dy) and mean(g * xhat) likewise.
  std::vector<double> scale(cols), mean_dy(cols), mean_dyx(cols);
  std::vector<bool> poisoned(cols);
  for (int64_t c = 0; c < cols; ++c) {
    const double gamma = p.gamma ? p.gamma[c] : 1.0;
    scale[c] = gamma * inv[c];
    mean_dy[c] = sum_dy[c] / rows;
    mean_dyx[c] = sum_dyx[c] / rows;
    poisoned[c] = !std::isfinite(sum_dy[c]) || !std::isfinite(sum_dyx[c]);
    p.dgamma[c] += sum_dyx[c];
    p.dbeta[c] += sum_dy[c];
  }
  for (int64_t r = 0; r < rows; ++r) {
    const float* x = p.x + r * cols;
    const float* dy = p.dy + r * cols;
    float* dx = p.dx + r * cols;
    for (int64_t c = 0; c < cols; ++c) {
      const double xhat = (x[c] - mean[c]) * inv[c];
      const double v = scale[c] * ((dy[c] - mean_dy[c]) - xhat * mean_dyx[c]);
      dx[c] = poisoned[c] ? NAN : static_cast<float>(v);
    }
  }
}

void write(const Output& out, const std::vector<double>& values) {
  if (!out.data)
    return;
  for (size_t i = 0; i < values.size(); ++i)
    out.data[i] = static_cast<float>(values[i]);
}

Status check_common(const char* fn,
                    const Shape& shape,
                    const Input& dy,
                    const Input& x,
                    const Input& gamma,
                    int64_t affine,
                    const char* affine_expr,
                    double eps) {
  NORMCORE_TRY(check_shape(fn, shape));
  const int64_t total = shape.n * shape.c * shape.s;
  NORMCORE_TRY(check_input(fn, "dy", dy, total, "n*c*s", true));
  NORMCORE_TRY(check_input(fn, "x", x, total, "n*c*s", true));
  NORMCORE_TRY(check_input(fn, "gamma", gamma, affine, affine_expr, false));
  return check_eps(fn, eps);
}

Status check_outputs(const char* fn,
                     const Shape& shape,
                     const BackwardResult& out,
                     int64_t affine,
                     const char* affine_expr,
                     bool has_beta) {
  const int64_t total = shape.n * shape.c * shape.s;
  NORMCORE_TRY(check_output(fn, "dx", out.dx, total, "n*c*s", true));
  NORMCORE_TRY(check_output(fn, "dgamma", out.dgamma, affine, affine_expr, false));
  if (!has_beta && out.dbeta.data)
    return Status::Error(std::string(fn) + ": output dbeta was given, but RMS norm has no beta");
  return check_output(fn, "dbeta", out.dbeta, affine, affine_expr, false);
}

// Layer, instance and group norm: every set is one contiguous run inside a sample.
Status per_sample_backward(const char* fn,
                           const NormBackwardArgs& a,
                           int64_t groups,
                           bool layer,
                           bool centre,
                           const BackwardResult& out) {
  const Shape& sh = a.shape;
  const int64_t affine = layer ? sh.c * sh.s : sh.c;
  const char* affine_expr = layer ? "c*s" : "c";
  NORMCORE_TRY(check_common(fn, sh, a.dy, a.x, a.gamma, affine, affine_expr, a.eps));
  if (!layer)
    NORMCORE_TRY(check_groups(fn, groups, sh.c));
  NORMCORE_TRY(check_outputs(fn, sh, out, affine, affine_expr, centre));
  std::vector<double> dgamma(affine, 0.0), dbeta(affine, 0.0);
  const Pass p{a.dy.data,     a.x.data,     a.gamma.data, out.dx.data,
               dgamma.data(), dbeta.data(), a.eps,        centre};
  const int64_t sets = layer ? sh.n : sh.n * groups;
  const int64_t len = sh.n * sh.c * sh.s / sets;
  for (int64_t set = 0; set < sets; ++set) {
    const Segments seg{a.x.data + set * len, 1, len, len};
    const Moments m = centre ? set_moments(seg) : Moments{0.0, set_mean_square(seg)};
    const SetLayout layout =
        layer ? SetLayout{set * len, 1, len, len, 0, 1}
              : SetLayout{set * len, 1, len, len, (set % groups) * (sh.c / groups), sh.s};
    backward_set(p, layout, m);
  }
  write(out.dgamma, dgamma);
  write(out.dbeta, dbeta);
  return Status::Ok();
}

}  // namespace

Status batch_norm_backward(const BatchNormBackwardArgs& a, const BackwardResult& out) {
  constexpr const char* kFn = "batchNormBackward";
  const Shape& sh = a.shape;
  NORMCORE_TRY(check_common(kFn, sh, a.dy, a.x, a.gamma, sh.c, "c", a.eps));
  NORMCORE_TRY(check_input(kFn, "runningMean", a.running_mean, sh.c, "c", false));
  NORMCORE_TRY(check_input(kFn, "runningVar", a.running_var, sh.c, "c", false));
  if (a.training && sh.n * sh.s == 1) {
    return Status::Error(std::string(kFn) +
                         ": training needs more than one value per channel, got n*s = 1 "
                         "(use a larger batch, or training: false to use the running statistics)");
  }
  NORMCORE_TRY(check_outputs(kFn, sh, out, sh.c, "c", true));
  const int64_t n = sh.n, c = sh.c, s = sh.s;
  std::vector<double> dgamma(c, 0.0), dbeta(c, 0.0);

  if (!a.training) {
    // The running statistics are constants: y is affine in x, so dx = dy * gamma * inv.
    for (int64_t ch = 0; ch < c; ++ch) {
      const double mean = a.running_mean.data ? a.running_mean.data[ch] : 0.0;
      const double var = a.running_var.data ? a.running_var.data[ch] : 1.0;
      const double inv = 1.0 / std::sqrt(var + a.eps);
      const double scale = inv * (a.gamma.data ? a.gamma.data[ch] : 1.0);
      for (int64_t i = 0; i < n; ++i) {
        const int64_t base = (i * c + ch) * s;
        for (int64_t k = 0; k < s; ++k) {
          const double d = a.dy.data[base + k];
          dgamma[ch] += d * (a.x.data[base + k] - mean) * inv;
          dbeta[ch] += d;
          out.dx.data[base + k] = static_cast<float>(d * scale);
        }
      }
    }
  } else {
    std::vector<Moments> stats;
    if (s == 1) {
      column_moments(a.x.data, n, c, &stats);
    } else {
      stats.resize(c);
      for (int64_t ch = 0; ch < c; ++ch)
        stats[ch] = set_moments({a.x.data + ch * s, n, s, c * s});
    }
    const Pass p{a.dy.data,     a.x.data,     a.gamma.data, out.dx.data,
                 dgamma.data(), dbeta.data(), a.eps,        true};
    if (s == 1) {
      backward_columns(p, n, c, stats);
    } else {
      for (int64_t ch = 0; ch < c; ++ch)
        backward_set(p, {ch * s, n, s, c * s, ch, s}, stats[ch]);
    }
  }
  write(out.dgamma, dgamma);
  write(out.dbeta, dbeta);
  return Status::Ok();
}

Status layer_norm_backward(const NormBackwardArgs& a, const BackwardResult& out) {
  return per_sample_backward("layerNormBackward", a, 1, true, true, out);
}

Status instance_norm_backward(const NormBackwardArgs& a, const BackwardResult& out) {
  return per_sample_backward("instanceNormBackward", a, a.shape.c, false, true, out);
}

Status group_norm_backward(const NormBackwardArgs& a, int64_t groups, const BackwardResult& out) {
  return per_sample_backward("groupNormBackward", a, groups, false, true, out);
}

Status rms_norm_backward(const NormBackwardArgs& a, const BackwardResult& out) {
  return per_sample_backward("rmsNormBackward", a, 1, true, false, out);
}

}  // namespace normcore
