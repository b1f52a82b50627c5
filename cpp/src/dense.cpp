// Dense-layer products on top of one vectorised axpy (see dense.h).
#include "dense.h"

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

namespace {

// out[j] = init[j] + sum_k coef[k * coef_stride] * rows[k * row_stride + j] for j < len (init
// null: zeros), the terms added in order of k. A block of 16 outputs stays in four registers while
// k runs, so each output is loaded and stored once rather than once per term.
void combine_rows(const float* coef,
                  int64_t coef_stride,
                  const float* rows,
                  int64_t row_stride,
                  int64_t terms,
                  const float* init,
                  float* out,
                  int64_t len) {
  int64_t j = 0;
  for (; j + 16 <= len; j += 16) {
    Vec4 a0 = init ? load4(init + j) : splat4(0.f), a1 = init ? load4(init + j + 4) : splat4(0.f);
    Vec4 a2 = init ? load4(init + j + 8) : splat4(0.f),
         a3 = init ? load4(init + j + 12) : splat4(0.f);
    for (int64_t k = 0; k < terms; ++k) {
      const Vec4 c = splat4(coef[k * coef_stride]);
      const float* r = rows + k * row_stride + j;
      a0 = add4(a0, mul4(c, load4(r)));
      a1 = add4(a1, mul4(c, load4(r + 4)));
      a2 = add4(a2, mul4(c, load4(r + 8)));
      a3 = add4(a3, mul4(c, load4(r + 12)));
    }
    store4(out + j, a0);
    store4(out + j + 4, a1);
    store4(out + j + 8, a2);
    store4(out + j + 12, a3);
  }
  for (; j + 4 <= len; j += 4) {
    Vec4 a = init ? load4(init + j) : splat4(0.f);
    for (int64_t k = 0; k < terms; ++k)
      a = add4(a, mul4(splat4(coef[k * coef_stride]), load4(rows + k * row_stride + j)));
    store4(out + j, a);
  }
  for (; j < len; ++j) {
    float a = init ? init[j] : 0.f;
    for (int64_t k = 0; k < terms; ++k)
      a = a + coef[k * coef_stride] * rows[k * row_stride + j];
    out[j] = a;
  }
}

}  // namespace

void dense_forward(const float* h,
                   const float* wt,
                   const float* bias,
                   float* z,
                   int64_t batch,
                   int64_t in,
                   int64_t out) {
  for (int64_t b = 0; b < batch; ++b)
    combine_rows(h + b * in, 1, wt, out, in, bias, z + b * out, out);
}

void dense_backward_input(const float* dz,
                          const float* w,
                          float* dh,
                          int64_t batch,
                          int64_t in,
                          int64_t out) {
  for (int64_t b = 0; b < batch; ++b)
    combine_rows(dz + b * out, 1, w, in, out, nullptr, dh + b * in, in);
}

void dense_backward_weights(const float* dz,
                            const float* h,
                            float* dw,
                            float* db,
                            int64_t batch,
                            int64_t in,
                            int64_t out) {
  for (int64_t o = 0; o < out; ++o) {
    combine_rows(dz + o, out, h, in, batch, nullptr, dw + o * in, in);
    float sum = 0.f;
    for (int64_t b = 0; b < batch; ++b)
      sum = sum + dz[b * out + o];
    db[o] = sum;
  }
}

void transpose(const float* src, float* dst, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c)
      dst[c * rows + r] = src[r * cols + c];
  }
}

}  // namespace normcore
