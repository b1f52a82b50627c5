// Gradients of the five normalisations (DESIGN.md, "Gradients"): given dy = dL/dy and the forward
// pass's x, the same dx, dgamma and dbeta that PyTorch's autograd computes.
//
// The statistics are recomputed from x with the forward pass's method (set_stats.h: sums shifted
// by a sampled mean, with its test and three-pass fallback), taken in the same read of x and dy
// as the sums over each set (sum of g and of g * xhat, with g = dy * gamma), all in double.
// Validation and the NaN rule are those of the forward operations: a set holding NaN or Inf gets
// NaN dx.
#pragma once

#include "normcore/types.h"

namespace normcore {

struct BatchNormBackwardArgs {
  Shape shape;
  Input dy;            // [n*c*s]
  Input x;             // [n*c*s]
  Input gamma;         // [c], omitted: ones
  Input running_mean;  // [c], inference only; omitted: zeros
  Input running_var;   // [c], inference only; omitted: ones
  double eps = kDefaultEps;
  bool training = true;  // false: the running statistics are constants
};

// Layer, instance, group and RMS norm.
struct NormBackwardArgs {
  Shape shape;
  Input dy;     // [n*c*s]
  Input x;      // [n*c*s]
  Input gamma;  // layer and RMS norm: [c*s]; instance and group norm: [c]; omitted: ones
  double eps = kDefaultEps;  // RMS norm callers pass kDefaultRmsEps
};

struct BackwardResult {
  Output dx;      // [n*c*s], required
  Output dgamma;  // gamma's size, optional
  Output dbeta;   // gamma's size, optional; RMS norm has no beta and rejects it
};

Status batch_norm_backward(const BatchNormBackwardArgs& args, const BackwardResult& out);
Status layer_norm_backward(const NormBackwardArgs& args, const BackwardResult& out);
Status instance_norm_backward(const NormBackwardArgs& args, const BackwardResult& out);
Status group_norm_backward(const NormBackwardArgs& args, int64_t groups, const BackwardResult& out);
Status rms_norm_backward(const NormBackwardArgs& args, const BackwardResult& out);

}  // namespace normcore
