// Gradients of the five normalisations in long double, by the textbook chain rule through the
// mean and the variance (a different arrangement from the core's single formula), plus a forward
// pass in double for central finite differences. Written from DESIGN.md's definitions.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "reference.h"

namespace reftest {

struct Gradients {
  std::vector<double> dx, dgamma, dbeta;
};

// Statistics of every set in long double (two passes); RMS norm: mean 0 and var = mean(x^2).
template <class T>
inline void set_stats_ld(Op op,
                         const Shape& sh,
                         int64_t groups,
                         const std::vector<T>& x,
                         std::vector<long double>* mean,
                         std::vector<long double>* var,
                         std::vector<int64_t>* count) {
  const int64_t sets = set_count(op, sh, groups), total = total_of(sh);
  mean->assign(sets, 0.0L);
  var->assign(sets, 0.0L);
  count->assign(sets, 0);
  for (int64_t i = 0; i < total; ++i) {
    const int64_t k = set_of(op, sh, groups, i);
    if (op != Op::kRmsNorm)
      (*mean)[k] += x[i];
    (*count)[k] += 1;
  }
  for (int64_t k = 0; k < sets; ++k)
    (*mean)[k] /= (*count)[k];
  for (int64_t i = 0; i < total; ++i) {
    const int64_t k = set_of(op, sh, groups, i);
    const long double d = x[i] - (*mean)[k];
    (*var)[k] += d * d;
  }
  for (int64_t k = 0; k < sets; ++k)
    (*var)[k] /= (*count)[k];
}

// Batch norm here is training mode (statistics of x); empty gamma means ones.
inline Gradients reference_backward(Op op,
                                    const Shape& sh,
                                    int64_t groups,
                                    const std::vector<float>& dy,
                                    const std::vector<float>& x,
                                    const std::vector<float>& gamma,
                                    double eps) {
  const int64_t sets = set_count(op, sh, groups), total = total_of(sh);
  std::vector<long double> mean, var;
  std::vector<int64_t> count;
  set_stats_ld(op, sh, groups, x, &mean, &var, &count);
  std::vector<long double> dvar(sets, 0.0L), dmean(sets, 0.0L), inv(sets);
  for (int64_t k = 0; k < sets; ++k)
    inv[k] = 1.0L / std::sqrt(var[k] + static_cast<long double>(eps));
  auto dxhat = [&](int64_t i) {
    return static_cast<long double>(dy[i]) * (gamma.empty() ? 1.0L : gamma[affine_of(op, sh, i)]);
  };
  // dL/dvar (for RMS norm: dL/d mean(x^2)) and dL/dmean.
  for (int64_t i = 0; i < total; ++i) {
    const int64_t k = set_of(op, sh, groups, i);
    dvar[k] += dxhat(i) * (x[i] - mean[k]) * -0.5L * inv[k] * inv[k] * inv[k];
    if (op != Op::kRmsNorm)
      dmean[k] += -dxhat(i) * inv[k];
  }
  Gradients g;
  const int64_t affine = affine_size(op, sh);
  g.dx.resize(total);
  g.dgamma.assign(affine, 0.0);
  g.dbeta.assign(affine, 0.0);
  std::vector<long double> dgamma(affine, 0.0L), dbeta(affine, 0.0L);
  for (int64_t i = 0; i < total; ++i) {
    const int64_t k = set_of(op, sh, groups, i), a = affine_of(op, sh, i);
    const long double m = static_cast<long double>(count[k]);
    const long double centred = x[i] - mean[k];
    // mean(x) has no part in RMS norm; its variance term is d mean(x^2)/dx = 2x/M.
    g.dx[i] = static_cast<double>(dxhat(i) * inv[k] + dvar[k] * 2.0L * centred / m + dmean[k] / m);
    dgamma[a] += static_cast<long double>(dy[i]) * centred * inv[k];
    dbeta[a] += dy[i];
  }
  for (int64_t a = 0; a < affine; ++a) {
    g.dgamma[a] = static_cast<double>(dgamma[a]);
    g.dbeta[a] = static_cast<double>(dbeta[a]);
  }
  return g;
}

// L = sum(w * y) in double, for finite differences in x, gamma and beta.
inline double weighted_forward(Op op,
                               const Shape& sh,
                               int64_t groups,
                               const std::vector<double>& w,
                               const std::vector<double>& x,
                               const std::vector<double>& gamma,
                               const std::vector<double>& beta,
                               double eps) {
  std::vector<long double> mean, var;
  std::vector<int64_t> count;
  set_stats_ld(op, sh, groups, x, &mean, &var, &count);
  long double loss = 0;
  for (int64_t i = 0; i < total_of(sh); ++i) {
    const int64_t k = set_of(op, sh, groups, i), a = affine_of(op, sh, i);
    const long double xhat = (x[i] - mean[k]) / std::sqrt(var[k] + static_cast<long double>(eps));
    loss += w[i] * (gamma[a] * xhat + (op == Op::kRmsNorm ? 0.0 : beta[a]));
  }
  return static_cast<double>(loss);
}

// Central differences of weighted_forward with step h * (1 + |v|) for every element of one of the
// arguments (which: 0 = x, 1 = gamma, 2 = beta).
inline std::vector<double> finite_differences(Op op,
                                              const Shape& sh,
                                              int64_t groups,
                                              const std::vector<float>& dy,
                                              const std::vector<float>& x,
                                              const std::vector<float>& gamma,
                                              double eps,
                                              int which,
                                              double h) {
  const int64_t affine = affine_size(op, sh);
  std::vector<double> w(dy.begin(), dy.end()), xd(x.begin(), x.end());
  std::vector<double> gd(affine, 1.0), bd(affine, 0.0);
  if (!gamma.empty())
    gd.assign(gamma.begin(), gamma.end());
  std::vector<double>& v = which == 0 ? xd : which == 1 ? gd : bd;
  std::vector<double> grad(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const double saved = v[i], step = h * (1 + std::fabs(saved));
    v[i] = saved + step;
    const double up = weighted_forward(op, sh, groups, w, xd, gd, bd, eps);
    v[i] = saved - step;
    const double down = weighted_forward(op, sh, groups, w, xd, gd, bd, eps);
    v[i] = saved;
    grad[i] = (up - down) / (2 * step);
  }
  return grad;
}

}  // namespace reftest
