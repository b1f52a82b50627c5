// Output kernels: centre with a split mean, then scale and shift. Centring comes first, since the
// fused form x*scale + (shift - mean*scale) loses about 1e-3 when |mean|/std is 1e4.
#pragma once

#include <cstdint>

#include "set_stats.h"

namespace normcore {

// y = ((x - m.hi) - m.lo) * scale + shift over one contiguous run.
void apply_affine(const float* x, float* y, int64_t len, SplitMean m, float scale, float shift);

// y[i] = ((x[i] - m.hi) - m.lo) * inv * gamma[i] + beta[i]: layer norm's element-wise affine.
void apply_elementwise(const float* x,
                       float* y,
                       int64_t len,
                       SplitMean m,
                       float inv,
                       const float* gamma,
                       const float* beta);

// y[i] = x[i] * inv * gamma[i]: RMS norm's output (no centring, no shift).
void apply_scaled_elementwise(const float* x, float* y, int64_t len, float inv, const float* gamma);

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
