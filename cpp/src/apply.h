// Output kernels: centre with a split mean, then scale and shift. Centring comes first, since the
// fused form x*scale + (shift - mean*scale) loses about 1e-3 when |mean|/std is 1e4.
#pragma once

#include <cstdint>

#include "set_stats.h"

namespace normcore {

// y = ((x - m.hi) - m.lo) * scale + shift over one contiguous run.
void apply_affine(const float* x, float* y, int64_t len, SplitMean m, float scale, float shift);

// y[i] = ((x[i] - m.hi) - m.lo) * inv * gamma[i] + beta[i]: layer norm's element-wise affine
// (and RMS norm's, with a zero mean and zero beta).
void apply_elementwise(const float* x,
                       float* y,
                       int64_t len,
                       SplitMean m,
                       float inv,
                       const float* gamma,
                       const float* beta);

// Row-major [rows, cols]: y[r, c] = ((x[r, c] - hi[c]) - lo[c]) * scale[c] + shift[c].
void apply_columns(const float* x,
                   float* y,
                   int64_t rows,
                   int64_t cols,
                   const float* hi,
                   const float* lo,
                   const float* scale,
                   const float* shift);

}  // namespace normcore
