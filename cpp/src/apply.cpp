// Vectorised output passes; every tail element gets the same arithmetic as a vector lane.
#include "apply.h"

#include "vec4.h"

namespace normcore {

// At most this many values, a row-major matrix stays in the first-level cache: walking it by
// strips of four columns costs no extra memory traffic.
constexpr int64_t kStripValues = 4096;

void apply_affine(const float* x, float* y, int64_t len, SplitMean m, float scale, float shift) {
  const Vec4 hi = splat4(m.hi), lo = splat4(m.lo), sc = splat4(scale), sh = splat4(shift);
  const int64_t full = len - len % 4;
  int64_t i = 0;
  for (; i < full; i += 4) {
    store4(y + i, add4(mul4(sub4(sub4(load4(x + i), hi), lo), sc), sh));
  }
  for (; i < len; ++i)
    y[i] = ((x[i] - m.hi) - m.lo) * scale + shift;
}

void apply_elementwise(const float* x,
                       float* y,
                       int64_t len,
                       SplitMean m,
                       float inv,
                       const float* gamma,
                       const float* beta) {
  const Vec4 hi = splat4(m.hi), lo = splat4(m.lo), vinv = splat4(inv);
  const int64_t full = len - len % 4;
  int64_t i = 0;
  for (; i < full; i += 4) {
    const Vec4 t = mul4(sub4(sub4(load4(x + i), hi), lo), vinv);
    store4(y + i, add4(mul4(t, load4(gamma + i)), load4(beta + i)));
  }
  for (; i < len; ++i)
    y[i] = (((x[i] - m.hi) - m.lo) * inv) * gamma[i] + beta[i];
}

void apply_scaled_elementwise(const float* x,
                              float* y,
                              int64_t len,
                              float inv,
                              const float* gamma) {
  const Vec4 vinv = splat4(inv);
  const int64_t full = len - len % 4;
  int64_t i = 0;
  for (; i < full; i += 4)
    store4(y + i, mul4(mul4(load4(x + i), vinv), load4(gamma + i)));
  for (; i < len; ++i)
    y[i] = (x[i] * inv) * gamma[i];
}

void apply_columns(const float* x,
                   float* y,
                   int64_t rows,
                   int64_t cols,
                   const float* hi,
                   const float* lo,
                   const float* scale,
                   const float* shift) {
  const int64_t vcols = cols - cols % 4;
  if (rows * cols <= kStripValues) {
    // A small matrix, in L1: a strip of four columns at a time down all rows, its constants
    // loaded once instead of once per row (the same arithmetic per element).
    int64_t c = 0;
    for (; c < vcols; c += 4) {
      const Vec4 h = load4(hi + c), l = load4(lo + c), sc = load4(scale + c), sh = load4(shift + c);
      for (int64_t r = 0; r < rows; ++r)
        store4(y + r * cols + c, add4(mul4(sub4(sub4(load4(x + r * cols + c), h), l), sc), sh));
    }
    for (; c < cols; ++c) {
      for (int64_t r = 0; r < rows; ++r)
        y[r * cols + c] = ((x[r * cols + c] - hi[c]) - lo[c]) * scale[c] + shift[c];
    }
    return;
  }
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    int64_t c = 0;
    for (; c < vcols; c += 4) {
      const Vec4 centred = sub4(sub4(load4(xr + c), load4(hi + c)), load4(lo + c));
      store4(yr + c, add4(mul4(centred, load4(scale + c)), load4(shift + c)));
    }
    for (; c < cols; ++c)
      yr[c] = ((xr[c] - hi[c]) - lo[c]) * scale[c] + shift[c];
  }
}

}  // namespace normcore
