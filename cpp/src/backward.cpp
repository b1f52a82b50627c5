// Backward passes of the five normalisations (see normcore/backward.h).
//
// With xhat = (x - mean) * inv, inv = 1/sqrt(var + eps), and g = dy * gamma, the gradient of a
// set of M values is dx = inv * (g - mean(g) - xhat * mean(g * xhat)) (RMS norm: no mean(g) term,
// xhat = x * inv). Per element everything is computed in double from the float32 inputs, so xhat
// loses nothing to the cancellation in x - mean; the only float rounding is the final dx. Scalar
// code on purpose: the SIMD and scalar WebAssembly builds then agree bit for bit.
//
// Two reads of x and dy per set where the data allow, as in the forward pass: the first gives the
// statistics and the gradient's sums together (shifted_terms), the second writes dx. A set whose
// shifted sums fail set_stats.h's test takes the three-pass statistics and one more read.
#include "normcore/backward.h"

#include <cmath>
#include <vector>

#include "scratch.h"
#include "set_stats.h"
#include "validate.h"

namespace normcore {
namespace {

// Where one set's values live: `count` runs of `len` values, `stride` apart from `offset`; element
// i of a run uses gamma[gamma_base + i / gamma_div] (and adds into that entry's dgamma, dbeta).
// `len` is a multiple of `gamma_div`, so the loops take gamma once per gamma_div values instead
// of dividing per element (a 64-bit division is slow in WebAssembly).
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

// What the dx pass of one set needs: xhat = (x - mean) * inv, and mean(g), mean(g * xhat).
struct SetTerms {
  double mean, inv, mean_g, mean_gx;
  bool poisoned;  // a non-finite dy (or x) poisons the whole set, as it would autograd's sums
};

SetTerms terms(double mean, double var, double eps, double sum_g, double sum_gx, double count) {
  const bool poisoned = !std::isfinite(sum_g) || !std::isfinite(sum_gx);
  return {mean, 1.0 / std::sqrt(var + eps), sum_g / count, sum_gx / count, poisoned};
}

// Calls f(base, gamma index, gamma value or 1) for each stretch of gamma_div values of the set.
template <class F>
void for_each_stretch(const Pass& p, const SetLayout& s, F f) {
  for (int64_t r = 0; r < s.count; ++r) {
    const int64_t run = s.offset + r * s.stride;
    for (int64_t j = 0, gi = s.gamma_base; j < s.len; j += s.gamma_div, ++gi)
      f(run + j, gi, p.gamma ? static_cast<double>(p.gamma[gi]) : 1.0);
  }
}

// Pass 1 when the data allow: one read of x and dy gives both the set's statistics, by
// set_stats.h's two-pass method (sums of d = x - shift and d^2, shift = the mean of 16 sampled
// values), and the gradient's sums, since sum g * (x - mean) = sum g * d - (mean - shift) * sum g.
// Everything accumulates in double here (the backward is scalar double throughout). False when
// the method's cancellation and range test fails: then exact_terms takes over.
bool shifted_terms(const Pass& p, const SetLayout& s, SetTerms* t) {
  const Segments seg{p.x + s.offset, s.count, s.len, s.stride};
  const float shift = p.centre ? set_shift(seg) : 0.f;
  const bool scaled = p.gamma != nullptr;
  double s1 = 0, s2 = 0, sum_g = 0, sum_gd = 0;
  for_each_stretch(p, s, [&](int64_t base, int64_t, double gamma) {
    for (int64_t i = base; i < base + s.gamma_div; ++i) {
      const double d = static_cast<double>(p.x[i]) - shift;
      const double g = scaled ? p.dy[i] * gamma : p.dy[i];
      s1 += d;
      s2 += d * d;
      sum_g += g;
      sum_gd += g * d;
    }
  });
  const int64_t count = s.count * s.len;
  if (!p.centre) {
    double ms;
    if (!mean_square_from_sum(s2, count, &ms))
      return false;
    const double inv = 1.0 / std::sqrt(ms + p.eps);
    *t = terms(0.0, ms, p.eps, sum_g, inv * sum_gd, static_cast<double>(count));
    t->mean_g = 0.0;
    return true;
  }
  Moments m;
  if (!moments_from_shifted_sums(s1, s2, count, shift, &m))
    return false;
  const double offset = s1 / static_cast<double>(count);  // mean - shift
  const double inv = 1.0 / std::sqrt(m.var + p.eps);
  *t = terms(m.mean, m.var, p.eps, sum_g, inv * (sum_gd - offset * sum_g),
             static_cast<double>(count));
  return true;
}

// The fallback: the statistics by the three-pass method, then the gradient's sums with xhat
// formed from the exact mean (one more read of x and dy).
SetTerms exact_terms(const Pass& p, const SetLayout& s) {
  const Segments seg{p.x + s.offset, s.count, s.len, s.stride};
  const Moments m =
      p.centre ? set_moments_three_pass(seg) : Moments{0.0, set_mean_square_three_pass(seg)};
  const double inv = 1.0 / std::sqrt(m.var + p.eps);
  const bool scaled = p.gamma != nullptr;
  double sum_g = 0, sum_gx = 0;
  for_each_stretch(p, s, [&](int64_t base, int64_t, double gamma) {
    for (int64_t i = base; i < base + s.gamma_div; ++i) {
      const double g = scaled ? p.dy[i] * gamma : p.dy[i];
      sum_g += g;
      sum_gx += g * ((p.x[i] - m.mean) * inv);
    }
  });
  SetTerms t = terms(m.mean, m.var, p.eps, sum_g, sum_gx, static_cast<double>(s.count * s.len));
  if (!p.centre)
    t.mean_g = 0.0;
  return t;
}

// Pass 2: dx, and each element's share of dgamma and dbeta.
void write_dx(const Pass& p, const SetLayout& s, const SetTerms& t) {
  const bool scaled = p.gamma != nullptr;
  for_each_stretch(p, s, [&](int64_t base, int64_t gi, double gamma) {
    double dgamma = 0, dbeta = 0;
    for (int64_t i = base; i < base + s.gamma_div; ++i) {
      const double d = p.dy[i];
      const double xhat = (p.x[i] - t.mean) * t.inv;
      const double g = scaled ? d * gamma : d;
      const double dx = t.inv * (g - t.mean_g - xhat * t.mean_gx);
      p.dx[i] = t.poisoned ? NAN : static_cast<float>(dx);
      dgamma += d * xhat;
      dbeta += d;
    }
    p.dgamma[gi] += dgamma;
    p.dbeta[gi] += dbeta;
  });
}

void backward_set(const Pass& p, const SetLayout& s) {
  SetTerms t;
  if (!shifted_terms(p, s, &t))
    t = exact_terms(p, s);
  write_dx(p, s, t);
}

// Batch norm over [rows, cols] (s = 1): the same method as backward_set, streaming x and dy row
// by row with one set of double accumulators per column, instead of walking each column with a
// stride (which reads a cache line per value). Pass 1 takes each column's shifted sums and
// gradient sums; a column whose test fails takes the three-pass statistics and its exact sums
// alone, so a column's gradient depends on its own values only; pass 2 writes dx.
void backward_columns(const Pass& p, int64_t rows, int64_t cols) {
  thread_local std::vector<double> kept_doubles;
  thread_local std::vector<float> kept_floats;
  Scratch<double> doubles(&kept_doubles, 8 * cols, 0.0);
  Scratch<float> floats(&kept_floats, cols, 0.f);
  double *s1 = doubles.data(), *s2 = s1 + cols, *sum_dy = s2 + cols, *sum_dyd = sum_dy + cols,
         *mean = sum_dyd + cols, *inv = mean + cols, *scale = inv + cols, *mean_dyx = scale + cols;
  float* shift = floats.data();
  column_shifts(p.x, rows, cols, shift);

  for (int64_t r = 0; r < rows; ++r) {
    const float* x = p.x + r * cols;
    const float* dy = p.dy + r * cols;
    for (int64_t c = 0; c < cols; ++c) {
      const double d = static_cast<double>(x[c]) - shift[c];
      const double g = dy[c];
      s1[c] += d;
      s2[c] += d * d;
      sum_dy[c] += g;
      sum_dyd[c] += g * d;
    }
  }

  // With gamma constant over a column, mean(g) = gamma * mean(dy) and mean(g * xhat) likewise;
  // sum_dyd becomes sum dy * xhat, and sum_dy becomes mean(dy), or NaN for a poisoned column.
  for (int64_t c = 0; c < cols; ++c) {
    Moments m;
    double sum_dyx;
    if (moments_from_shifted_sums(s1[c], s2[c], rows, shift[c], &m)) {
      inv[c] = 1.0 / std::sqrt(m.var + p.eps);
      sum_dyx = inv[c] * (sum_dyd[c] - (s1[c] / static_cast<double>(rows)) * sum_dy[c]);
    } else {
      m = set_moments_three_pass({p.x + c, rows, 1, cols});
      inv[c] = 1.0 / std::sqrt(m.var + p.eps);
      sum_dyx = 0;
      for (int64_t r = 0; r < rows; ++r)
        sum_dyx += p.dy[r * cols + c] * ((p.x[r * cols + c] - m.mean) * inv[c]);
    }
    mean[c] = m.mean;
    scale[c] = (p.gamma ? p.gamma[c] : 1.0) * inv[c];
    mean_dyx[c] = sum_dyx / rows;
    p.dgamma[c] += sum_dyx;
    p.dbeta[c] += sum_dy[c];
    const bool poisoned = !std::isfinite(sum_dy[c]) || !std::isfinite(sum_dyx);
    sum_dy[c] = poisoned ? NAN : sum_dy[c] / rows;
  }
  const double* mean_dy = sum_dy;
  for (int64_t r = 0; r < rows; ++r) {
    const float* x = p.x + r * cols;
    const float* dy = p.dy + r * cols;
    float* dx = p.dx + r * cols;
    for (int64_t c = 0; c < cols; ++c) {
      const double xhat = (x[c] - mean[c]) * inv[c];
      dx[c] = static_cast<float>(scale[c] * ((dy[c] - mean_dy[c]) - xhat * mean_dyx[c]));
    }
  }
}

void write(const Output& out, const double* values, int64_t size) {
  if (!out.data)
    return;
  for (int64_t i = 0; i < size; ++i)
    out.data[i] = static_cast<float>(values[i]);
}

// dgamma and dbeta in double, reused from call to call (scratch.h).
struct AffineSums {
  Scratch<double> sums;
  double* dgamma;
  double* dbeta;
  explicit AffineSums(int64_t affine, std::vector<double>* kept)
      : sums(kept, 2 * affine, 0.0), dgamma(sums.data()), dbeta(sums.data() + affine) {}
};

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
  thread_local std::vector<double> kept;
  AffineSums sums(affine, &kept);
  const Pass p{a.dy.data,   a.x.data,   a.gamma.data, out.dx.data,
               sums.dgamma, sums.dbeta, a.eps,        centre};
  const int64_t sets = layer ? sh.n : sh.n * groups;
  const int64_t len = sh.n * sh.c * sh.s / sets;
  for (int64_t set = 0; set < sets; ++set) {
    backward_set(p,
                 layer ? SetLayout{set * len, 1, len, len, 0, 1}
                       : SetLayout{set * len, 1, len, len, (set % groups) * (sh.c / groups), sh.s});
  }
  write(out.dgamma, sums.dgamma, affine);
  write(out.dbeta, sums.dbeta, affine);
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
  thread_local std::vector<double> kept;
  AffineSums sums(c, &kept);
  double *dgamma = sums.dgamma, *dbeta = sums.dbeta;

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
    const Pass p{a.dy.data, a.x.data, a.gamma.data, out.dx.data, dgamma, dbeta, a.eps, true};
    if (s == 1) {
      backward_columns(p, n, c);
    } else {
      for (int64_t ch = 0; ch < c; ++ch)
        backward_set(p, {ch * s, n, s, c * s, ch, s});
    }
  }
  write(out.dgamma, sums.dgamma, c);
  write(out.dbeta, sums.dbeta, c);
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
