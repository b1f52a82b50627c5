// Dense-layer products on top of one vectorised axpy (see dense.h).
#include "dense.h"

#include <algorithm>

#include "vec4.h"

namespace normcore {

void axpy(float a, const float* x, float* y, int64_t len) {
  const Vec4 va = splat4(a);
  const int64_t full = len - len % 4;
  int64_t i = 0;
  for (; i < full; i += 4)
    store4(y + i, add4(load4(y + i), mul4(va, load4(x + i))));
  for (; i < len; ++i)
    y[i] = y[i] + a * x[i];
}

void dense_forward(const float* h,
                   const float* wt,
                   const float* bias,
                   float* z,
                   int64_t batch,
                   int64_t in,
                   int64_t out) {
  for (int64_t b = 0; b < batch; ++b) {
    float* zb = z + b * out;
    std::copy(bias, bias + out, zb);
    const float* hb = h + b * in;
    for (int64_t i = 0; i < in; ++i)
      axpy(hb[i], wt + i * out, zb, out);
  }
}

void dense_backward_input(const float* dz,
                          const float* w,
                          float* dh,
                          int64_t batch,
                          int64_t in,
                          int64_t out) {
  for (int64_t b = 0; b < batch; ++b) {
    float* dhb = dh + b * in;
    std::fill(dhb, dhb + in, 0.f);
    const float* dzb = dz + b * out;
    for (int64_t o = 0; o < out; ++o)
      axpy(dzb[o], w + o * in, dhb, in);
  }
}

void dense_backward_weights(const float* dz,
                            const float* h,
                            float* dw,
                            float* db,
                            int64_t batch,
                            int64_t in,
                            int64_t out) {
  std::fill(dw, dw + in * out, 0.f);
  std::fill(db, db + out, 0.f);
  for (int64_t b = 0; b < batch; ++b) {
    const float* dzb = dz + b * out;
    const float* hb = h + b * in;
    for (int64_t o = 0; o < out; ++o)
      axpy(dzb[o], hb, dw + o * in, in);
    for (int64_t o = 0; o < out; ++o)
      db[o] += dzb[o];
  }
}

void transpose(const float* src, float* dst, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c)
      dst[c * rows + r] = src[r * cols + c];
  }
}

}  // namespace normcore
