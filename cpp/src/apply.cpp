// Vectorised output passes; every tail element gets the same arithmetic as a vector lane.
#include "apply.h"

#include <algorithm>

#include "vec4.h"

namespace normcore {

// Rows per block of apply_columns: a block of a few columns stays in the first-level cache.
constexpr int64_t kBlockRows = 64;

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

namespace {

// Rows [r0, r1) of the columns [c, c + 4 * V), their constants held in registers.
template <int V>
void apply_tile(const float* x,
                float* y,
                int64_t r0,
                int64_t r1,
                int64_t cols,
                int64_t c,
                const float* hi,
                const float* lo,
                const float* scale,
                const float* shift) {
  Vec4 h[V], l[V], sc[V], sh[V];
  for (int v = 0; v < V; ++v) {
    h[v] = load4(hi + c + 4 * v);
    l[v] = load4(lo + c + 4 * v);
    sc[v] = load4(scale + c + 4 * v);
    sh[v] = load4(shift + c + 4 * v);
  }
  // Pointers stepped by a row (see tile_moments in set_stats.cpp).
  const float* xr = x + r0 * cols + c;
  float* yr = y + r0 * cols + c;
  for (int64_t r = r0; r < r1; ++r, xr += cols, yr += cols) {
    for (int v = 0; v < V; ++v)
      store4(yr + 4 * v, add4(mul4(sub4(sub4(load4(xr + 4 * v), h[v]), l[v]), sc[v]), sh[v]));
  }
}

}  // namespace

// A narrow matrix goes in blocks of kBlockRows rows, tiles of eight columns, then four, then single
// columns, with each tile's constants in registers (loading four constants per vector on every row
// cost as much as the arithmetic). A wide one goes row by row: a block of it no longer fits in the
// first-level cache beside its output, and the tiles' strided stores then cost more than the loads.
constexpr int64_t kTileMaxCols = 64;

void apply_columns(const float* x,
                   float* y,
                   int64_t rows,
                   int64_t cols,
                   const float* hi,
                   const float* lo,
                   const float* scale,
                   const float* shift) {
  if (cols > kTileMaxCols) {
    for (int64_t r = 0; r < rows; ++r) {
      const float* xr = x + r * cols;
      float* yr = y + r * cols;
      int64_t c = 0;
      for (; c + 4 <= cols; c += 4) {
        const Vec4 centred = sub4(sub4(load4(xr + c), load4(hi + c)), load4(lo + c));
        store4(yr + c, add4(mul4(centred, load4(scale + c)), load4(shift + c)));
      }
      for (; c < cols; ++c)
        yr[c] = ((xr[c] - hi[c]) - lo[c]) * scale[c] + shift[c];
    }
    return;
  }
  for (int64_t r0 = 0; r0 < rows; r0 += kBlockRows) {
    const int64_t r1 = std::min(rows, r0 + kBlockRows);
    int64_t c = 0;
    for (; c + 8 <= cols; c += 8)
      apply_tile<2>(x, y, r0, r1, cols, c, hi, lo, scale, shift);
    for (; c + 4 <= cols; c += 4)
      apply_tile<1>(x, y, r0, r1, cols, c, hi, lo, scale, shift);
    for (; c < cols; ++c) {
      for (int64_t r = r0; r < r1; ++r)
        y[r * cols + c] = ((x[r * cols + c] - hi[c]) - lo[c]) * scale[c] + shift[c];
    }
  }
}

}  // namespace normcore
