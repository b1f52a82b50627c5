// Statistics of the sets of values that are normalised together.
//
// Numerics: a float32 E[x^2] - E[x]^2 loses whole units when the mean is large against the
// spread, and shifting by one sample fails when that sample is an outlier. So, usually two passes:
//   1. moments: sums of d = x - shift and d^2 (float32 block sums flushed to double), where the
//      shift is the mean of 16 values spread evenly over the set;
//   2. the caller applies (x - mean_hi - mean_lo) * scale + shift, where mean = mean_hi + mean_lo
//      split into two floats, so centring loses nothing even when |mean|/std is 1e4.
// A test after pass 1 checks that E[d]^2 <= E[d^2] / 2 (cancellation costs at most one bit) and
// that E[d^2] is finite and not so small that squares underflowed. When it fails (an outlier
// among the 16, a constant set, extreme scales, a NaN or Inf in the set) the statistics are taken
// again in three passes: a scan for a rough mean (block sums) and max |x|, then sums of d = x*k -
// mean*k with k a power of two that brings max |x| near 1, so d^2 neither overflows nor underflows.
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
void column_moments(const float* x, int64_t rows, int64_t cols, Moments* out);
void column_moments(const float* x, int64_t rows, int64_t cols, std::vector<Moments>* out);

// The pieces of the two-pass method, for a caller that takes the sums of d = x - shift and d^2
// in a pass of its own (the backward passes add their gradient sums to the same pass):
//   the shift of a set: the mean of 16 values spread evenly over it (0 if that is not finite);
float set_shift(const Segments& set);
//   each column's shift for a row-major [rows, cols] matrix: the mean of 16 rows spread evenly
//   over it;
void column_shifts(const float* x, int64_t rows, int64_t cols, float* shift);
//   the moments from the sums over `count` values of d and d^2, when the cancellation and
//   range test passes (true); false when the caller must take set_moments_three_pass instead;
bool moments_from_shifted_sums(double s1, double s2, int64_t count, float shift, Moments* out);
//   the same for mean(x^2) from the sum of x^2 (RMS norm): false means set_mean_square_three_pass;
bool mean_square_from_sum(double s2, int64_t count, double* out);
//   the fallback: three passes (a scan, then sums scaled near 1 and shifted by the scan's mean).
Moments set_moments_three_pass(const Segments& set);
double set_mean_square_three_pass(const Segments& set);

}  // namespace normcore
