// Statistics of the sets of values that are normalised together.
//
// Numerics (why three passes): a float32 E[x^2] - E[x]^2 loses whole units when the mean is large
// against the spread, and shifting by one sample fails when that sample is an outlier. So:
//   1. scan:   a rough mean (float32 block sums flushed to double) and max |x|;
//   2. moments: sums of d and d^2 with d = x*k - shift*k, where shift is the rough mean and k a
//      power of two that brings max |x| near 1 (so d^2 neither overflows nor underflows float32);
//      block sums are flushed to double, and var = E[d^2] - E[d]^2 has no cancellation because
//      E[d] is tiny against the spread;
//   3. the caller applies (x - mean_hi - mean_lo) * scale + shift, where mean = mean_hi + mean_lo
//      split into two floats, so centring loses nothing even when |mean|/std is 1e4.
// A set holding NaN or Inf gets NaN statistics, which make every output of that set NaN.
#pragma once

#include <cstdint>
#include <vector>

namespace normcore {

// `count` runs of `len` contiguous floats, `stride` floats apart (count = 1 for one contiguous
// run).
struct Segments {
  const float* base;
  int64_t count;
  int64_t len;
  int64_t stride;
};

struct Moments {
  double mean;
  double var;  // biased: divided by the count
};

// A double split into two floats whose sum is closer to it than either float alone.
struct SplitMean {
  float hi;
  float lo;
};
SplitMean split_mean(double mean);

Moments set_moments(const Segments& set);

// mean(x^2) over the set, NaN when it holds a non-finite value.
double set_mean_square(const Segments& set);

// Per-column moments of a row-major [rows, cols] matrix: batch norm over [N, C] with s = 1.
void column_moments(const float* x, int64_t rows, int64_t cols, std::vector<Moments>* out);

}  // namespace normcore
