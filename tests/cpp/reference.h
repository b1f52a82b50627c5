// A float64 reference for the five normalisations, written from DESIGN.md's definitions alone
// (not from cpp/src): an explicit "which set does element i belong to" map, then two plain passes
// in long double per set (mean, then centred squares) and the textbook output formula.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "normcore/types.h"

namespace reftest {

using normcore::Shape;

enum class Op { kBatchNorm, kLayerNorm, kInstanceNorm, kGroupNorm, kRmsNorm };

inline const char* op_name(Op op) {
  switch (op) {
    case Op::kBatchNorm:
      return "batchNorm";
    case Op::kLayerNorm:
      return "layerNorm";
    case Op::kInstanceNorm:
      return "instanceNorm";
    case Op::kGroupNorm:
      return "groupNorm";
    case Op::kRmsNorm:
      return "rmsNorm";
  }
  return "?";
}

inline int64_t total_of(const Shape& sh) {
  return sh.n * sh.c * sh.s;
}

// Number of sets whose values are normalised together (= length of each statistic output).
inline int64_t set_count(Op op, const Shape& sh, int64_t groups) {
  switch (op) {
    case Op::kBatchNorm:
      return sh.c;
    case Op::kLayerNorm:
    case Op::kRmsNorm:
      return sh.n;
    case Op::kInstanceNorm:
      return sh.n * sh.c;
    case Op::kGroupNorm:
      return sh.n * groups;
  }
  return 0;
}

// The set that flat element i of row-major [n, c, s] belongs to.
inline int64_t set_of(Op op, const Shape& sh, int64_t groups, int64_t i) {
  const int64_t sample = i / (sh.c * sh.s);
  const int64_t channel = (i / sh.s) % sh.c;
  switch (op) {
    case Op::kBatchNorm:
      return channel;
    case Op::kLayerNorm:
    case Op::kRmsNorm:
      return sample;
    case Op::kInstanceNorm:
      return sample * sh.c + channel;
    case Op::kGroupNorm:
      return sample * groups + channel / (sh.c / groups);
  }
  return 0;
}

// Length of gamma/beta, and which gamma/beta entry element i uses.
inline int64_t affine_size(Op op, const Shape& sh) {
  return (op == Op::kLayerNorm || op == Op::kRmsNorm) ? sh.c * sh.s : sh.c;
}
inline int64_t affine_of(Op op, const Shape& sh, int64_t i) {
  return (op == Op::kLayerNorm || op == Op::kRmsNorm) ? i % (sh.c * sh.s) : (i / sh.s) % sh.c;
}

struct Reference {
  std::vector<double> y;
  std::vector<double> mean;  // per set (empty for rms norm)
  std::vector<double> var;   // biased, per set (empty for rms norm)
  std::vector<double> rms;   // per sample, rms norm only: sqrt(mean(x^2) + eps)
  std::vector<int64_t> count;
};

// gamma/beta empty means omitted (ones / zeros). Batch norm here is training mode.
inline Reference reference(Op op,
                           const Shape& sh,
                           int64_t groups,
                           const std::vector<float>& x,
                           const std::vector<float>& gamma,
                           const std::vector<float>& beta,
                           double eps) {
  const int64_t sets = set_count(op, sh, groups), total = total_of(sh);
  std::vector<long double> sum(sets, 0.0L), sq(sets, 0.0L);
  Reference r;
  r.count.assign(sets, 0);
  for (int64_t i = 0; i < total; ++i) {
    const int64_t k = set_of(op, sh, groups, i);
    sum[k] += x[i];
    r.count[k] += 1;
  }
  std::vector<long double> mean(sets);
  for (int64_t k = 0; k < sets; ++k)
    mean[k] = sum[k] / r.count[k];
  for (int64_t i = 0; i < total; ++i) {
    const int64_t k = set_of(op, sh, groups, i);
    const long double d = op == Op::kRmsNorm ? static_cast<long double>(x[i]) : x[i] - mean[k];
    sq[k] += d * d;
  }
  std::vector<long double> denom(sets);
  for (int64_t k = 0; k < sets; ++k) {
    const long double second = sq[k] / r.count[k];  // var, or mean(x^2) for rms norm
    denom[k] = std::sqrt(second + static_cast<long double>(eps));
    if (op == Op::kRmsNorm) {
      r.rms.push_back(static_cast<double>(denom[k]));
    } else {
      r.mean.push_back(static_cast<double>(mean[k]));
      r.var.push_back(static_cast<double>(second));
    }
  }
  r.y.resize(total);
  for (int64_t i = 0; i < total; ++i) {
    const int64_t k = set_of(op, sh, groups, i), a = affine_of(op, sh, i);
    const long double g = gamma.empty() ? 1.0L : gamma[a];
    const long double b = beta.empty() || op == Op::kRmsNorm ? 0.0L : beta[a];
    const long double centred =
        op == Op::kRmsNorm ? static_cast<long double>(x[i]) : x[i] - mean[k];
    r.y[i] = static_cast<double>(g * centred / denom[k] + b);
  }
  return r;
}

// Batch norm inference: y = gamma * (x - running_mean) / sqrt(running_var + eps) + beta.
inline std::vector<double> reference_inference(const Shape& sh,
                                               const std::vector<float>& x,
                                               const std::vector<float>& gamma,
                                               const std::vector<float>& beta,
                                               const std::vector<float>& running_mean,
                                               const std::vector<float>& running_var,
                                               double eps) {
  std::vector<double> y(x.size());
  for (int64_t i = 0; i < total_of(sh); ++i) {
    const int64_t ch = (i / sh.s) % sh.c;
    const long double g = gamma.empty() ? 1.0L : gamma[ch];
    const long double b = beta.empty() ? 0.0L : beta[ch];
    const long double m = running_mean.empty() ? 0.0L : running_mean[ch];
    const long double v = running_var.empty() ? 1.0L : running_var[ch];
    y[i] = static_cast<double>(g * (x[i] - m) / std::sqrt(v + static_cast<long double>(eps)) + b);
  }
  return y;
}

// PyTorch's running-statistics recurrence, one training step; M = n*s values per channel.
inline void reference_running_update(std::vector<double>* running_mean,
                                     std::vector<double>* running_var,
                                     const Reference& batch,
                                     int64_t m_count,
                                     double momentum) {
  const double unbias = static_cast<double>(m_count) / static_cast<double>(m_count - 1);
  for (size_t ch = 0; ch < running_mean->size(); ++ch) {
    (*running_mean)[ch] = (1 - momentum) * (*running_mean)[ch] + momentum * batch.mean[ch];
    (*running_var)[ch] = (1 - momentum) * (*running_var)[ch] + momentum * batch.var[ch] * unbias;
  }
}

}  // namespace reftest
