// The dense (fully connected) layer's three products, for the small networks the core trains.
// Every product is written as a sequence of "row += a * row" updates over contiguous memory, so
// each output element sums its terms in a fixed order: the SIMD and scalar builds agree bit for
// bit.
#pragma once

#include <cstdint>

namespace normcore {

// y[0..len) += a * x[0..len).
void axpy(float a, const float* x, float* y, int64_t len);

// z[b, o] = bias[o] + sum_i h[b, i] * wt[i, o]; wt is W transposed ([in, out]).
void dense_forward(const float* h,
                   const float* wt,
                   const float* bias,
                   float* z,
                   int64_t batch,
                   int64_t in,
                   int64_t out);

// dh[b, i] = sum_o dz[b, o] * w[o, i]; w in PyTorch's [out, in] layout.
void dense_backward_input(const float* dz,
                          const float* w,
                          float* dh,
                          int64_t batch,
                          int64_t in,
                          int64_t out);

// dw[o, i] = sum_b dz[b, o] * h[b, i]; db[o] = sum_b dz[b, o] (overwritten, not accumulated).
void dense_backward_weights(const float* dz,
                            const float* h,
                            float* dw,
                            float* db,
                            int64_t batch,
                            int64_t in,
                            int64_t out);

// dst[c, r] = src[r, c] for a row-major [rows, cols] src.
void transpose(const float* src, float* dst, int64_t rows, int64_t cols);

}  // namespace normcore
