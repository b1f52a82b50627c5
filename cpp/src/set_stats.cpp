// Accurate per-set statistics; see set_stats.h for the numerical method.
#include "set_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "scratch.h"
#include "vec4.h"

namespace normcore {
namespace {

// Float lanes add this many vectors before flushing into double: short enough that a block
// sum keeps ~1e-6 relative accuracy, long enough that the flush costs nothing.
constexpr int64_t kBlockVectors = 64;
constexpr int64_t kBlockRows = 64;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double sum_lanes(Vec4 v) {
  return (static_cast<double>(lane(v, 0)) + lane(v, 1)) +
         (static_cast<double>(lane(v, 2)) + lane(v, 3));
}

// The largest of the four lanes of absmax4 results, in absmax's order.
float max_lanes(Vec4 v) {
  return absmax(absmax(lane(v, 0), lane(v, 1)), absmax(lane(v, 2), lane(v, 3)));
}

// Runs an accumulator over one contiguous run: full vectors in blocks, then the scalar tail.
// Vectors alternate between the accumulator's two sets of partial sums (add(0, v), add(1, v)):
// two independent chains of additions instead of one, which short sets (layer norm over 64
// values) spent most of their time waiting on.
//
// Always inlined, as is run_segments: then the caller's accumulator is a local whose address does
// not escape, and it lives in registers. Out of line, it lived in memory, and even zeroing it was a
// call to memset.
template <class Acc>
[[gnu::always_inline]] inline void run_blocked(const float* x, int64_t len, Acc& acc) {
  const int64_t full = len - len % 4;
  int64_t i = 0;
  while (i < full) {
    const int64_t block_end = std::min(full, i + 4 * kBlockVectors);
    for (; i + 8 <= block_end; i += 8) {
      acc.add(0, load4(x + i));
      acc.add(1, load4(x + i + 4));
    }
    if (i < block_end) {
      acc.add(0, load4(x + i));
      i += 4;
    }
    acc.flush();
  }
  for (; i < len; ++i)
    acc.add_tail(x[i]);
}

template <class Acc>
[[gnu::always_inline]] inline void run_segments(const Segments& set, Acc& acc) {
  for (int64_t r = 0; r < set.count; ++r)
    run_blocked(set.base + r * set.stride, set.len, acc);
}

// Pass 1: a rough sum (only used as a shift) and max |x|, which is NaN or Inf iff the set is not
// finite.
struct ScanAcc {
  Vec4 part[2] = {splat4(0.f), splat4(0.f)};
  Vec4 vmax[2] = {splat4(0.f), splat4(0.f)};
  double sum = 0;
  float tail_max = 0;
  void add(int k, Vec4 v) {
    part[k] = add4(part[k], v);
    vmax[k] = absmax4(vmax[k], v);
  }
  void flush() {
    sum += sum_lanes(add4(part[0], part[1]));
    part[0] = part[1] = splat4(0.f);
  }
  void add_tail(float v) {
    sum += v;
    tail_max = absmax(tail_max, v);
  }
  float maxabs() const { return absmax(max_lanes(absmax4(vmax[0], vmax[1])), tail_max); }
};

// Pass 2: sums of d and d^2 with d = x*k - shift_k.
struct MomentAcc {
  Vec4 k, shift_k;
  Vec4 p1[2] = {splat4(0.f), splat4(0.f)}, p2[2] = {splat4(0.f), splat4(0.f)};
  double s1 = 0, s2 = 0;
  float k1, shift_k1;
  MomentAcc(float k_, float shift_k_)
      : k(splat4(k_)), shift_k(splat4(shift_k_)), k1(k_), shift_k1(shift_k_) {}
  void add(int j, Vec4 v) {
    const Vec4 d = sub4(mul4(v, k), shift_k);
    p1[j] = add4(p1[j], d);
    p2[j] = add4(p2[j], mul4(d, d));
  }
  void flush() {
    s1 += sum_lanes(add4(p1[0], p1[1]));
    s2 += sum_lanes(add4(p2[0], p2[1]));
    p1[0] = p1[1] = p2[0] = p2[1] = splat4(0.f);
  }
  void add_tail(float v) {
    const float d = v * k1 - shift_k1;
    s1 += d;
    s2 += d * d;
  }
};

// A power of two k that brings max |x| into [0.5, 1), within float's normal range.
float unit_scale(float maxabs) {
  if (!(maxabs > 0) || !std::isfinite(maxabs))
    return 1.f;
  int e = 0;
  std::frexp(maxabs, &e);
  e = std::max(-126, std::min(127, e));
  return std::ldexp(1.f, -e);
}

float rough_shift(double sum, int64_t count) {
  const double m = sum / static_cast<double>(count);
  return std::isfinite(m) ? static_cast<float>(m) : 0.f;
}

// A float32 block sum overflows only for values near FLT_MAX. Then the shift comes from a plain
// double sum (which cannot overflow): a shift of 0 would leave var = E[d^2] - E[d]^2 to cancel,
// off by ~u * x^2 (a constant set of 3e38 got var = Inf).
double double_sum(const Segments& set) {
  double sum = 0;
  for (int64_t r = 0; r < set.count; ++r) {
    for (int64_t i = 0; i < set.len; ++i)
      sum += set.base[r * set.stride + i];
  }
  return sum;
}

// The moments from the means of d and d^2 (md, ms), with d = x*k - shift*k.
Moments finish_means(double md, double ms, float shift, float k) {
  const double var_k = std::max(0.0, ms - md * md);
  const double kd = k;
  return {shift + md / kd, var_k / (kd * kd)};
}

Moments finish(double s1, double s2, int64_t count, float shift, float k) {
  const double n = static_cast<double>(count);
  return finish_means(s1 / n, s2 / n, shift, k);
}

}  // namespace

SplitMean split_mean(double mean) {
  const float hi = static_cast<float>(mean);
  const float lo = std::isfinite(hi) ? static_cast<float>(mean - hi) : 0.f;
  return {hi, lo};
}

// Three passes: a scan for the rough mean and max |x|, then scaled sums shifted by that mean.
// Always accurate; used when the two-pass test fires.
Moments set_moments_three_pass(const Segments& set) {
  const int64_t count = set.count * set.len;
  ScanAcc scan;
  run_segments(set, scan);
  const float maxabs = scan.maxabs();
  if (!std::isfinite(maxabs))
    return {kNaN, kNaN};
  const float shift = rough_shift(std::isfinite(scan.sum) ? scan.sum : double_sum(set), count);
  const float k = unit_scale(maxabs);
  MomentAcc acc(k, shift * k);
  run_segments(set, acc);
  return finish(acc.s1, acc.s2, count, shift, k);
}

double set_mean_square_three_pass(const Segments& set) {
  const int64_t count = set.count * set.len;
  ScanAcc scan;
  run_segments(set, scan);
  const float maxabs = scan.maxabs();
  if (!std::isfinite(maxabs))
    return kNaN;
  const float k = unit_scale(maxabs);
  MomentAcc acc(k, 0.f);
  run_segments(set, acc);
  const double kd = k;
  return acc.s2 / static_cast<double>(count) / (kd * kd);
}

namespace {

// set_moments_three_pass for every column of a row-major [rows, cols] matrix, streaming rows.
void three_pass_columns(const float* x, int64_t rows, int64_t cols, Moments* out) {
  const int64_t vcols = cols - cols % 4;
  thread_local std::vector<float> kept_floats;
  thread_local std::vector<double> kept_doubles;
  Scratch<float> floats(&kept_floats, 6 * cols, 0.f);
  Scratch<double> doubles(&kept_doubles, 2 * cols, 0.0);
  float *p1 = floats.data(), *p2 = p1 + cols, *maxabs = p2 + cols, *k = maxabs + cols,
        *shift = k + cols, *shift_k = shift + cols;
  double *s1 = doubles.data(), *s2 = s1 + cols;
  auto flush = [&](bool both) {
    for (int64_t c = 0; c < cols; ++c) {
      s1[c] += p1[c];
      p1[c] = 0.f;
      if (both) {
        s2[c] += p2[c];
        p2[c] = 0.f;
      }
    }
  };

  // Pass 1: rough column sums and max |x|, row by row so that x streams through once.
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
    int64_t c = 0;
    for (; c < vcols; c += 4) {
      const Vec4 v = load4(row + c);
      store4(&p1[c], add4(load4(&p1[c]), v));
      store4(&maxabs[c], absmax4(load4(&maxabs[c]), v));
    }
    for (; c < cols; ++c) {
      p1[c] += row[c];
      maxabs[c] = absmax(maxabs[c], row[c]);
    }
    if ((r + 1) % kBlockRows == 0 || r + 1 == rows)
      flush(false);
  }
  for (int64_t c = 0; c < cols; ++c) {
    if (!std::isfinite(s1[c]) && std::isfinite(maxabs[c]))
      s1[c] = double_sum({x + c, rows, 1, cols});
    shift[c] = rough_shift(s1[c], rows);
    k[c] = unit_scale(maxabs[c]);
    shift_k[c] = shift[c] * k[c];
    s1[c] = 0.0;
  }

  // Pass 2: shifted, scaled first and second moments.
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
    int64_t c = 0;
    for (; c < vcols; c += 4) {
      const Vec4 d = sub4(mul4(load4(row + c), load4(&k[c])), load4(&shift_k[c]));
      store4(&p1[c], add4(load4(&p1[c]), d));
      store4(&p2[c], add4(load4(&p2[c]), mul4(d, d)));
    }
    for (; c < cols; ++c) {
      const float d = row[c] * k[c] - shift_k[c];
      p1[c] += d;
      p2[c] += d * d;
    }
    if ((r + 1) % kBlockRows == 0 || r + 1 == rows)
      flush(true);
  }

  for (int64_t c = 0; c < cols; ++c) {
    out[c] =
        std::isfinite(maxabs[c]) ? finish(s1[c], s2[c], rows, shift[c], k[c]) : Moments{kNaN, kNaN};
  }
}

// Two passes: sums of d = x - shift and d^2 in one pass (the output is the second). No max |x|:
// a NaN or Inf in the set makes the sum of d^2 NaN or Inf, so the test sends the set to the three
// passes, whose scan finds it; the ordinary set saves two of seven operations per vector.
struct ShiftedAcc {
  Vec4 shift;
  Vec4 p1[2] = {splat4(0.f), splat4(0.f)}, p2[2] = {splat4(0.f), splat4(0.f)};
  double s1 = 0, s2 = 0;
  float shift1;
  explicit ShiftedAcc(float shift_) : shift(splat4(shift_)), shift1(shift_) {}
  void add(int k, Vec4 v) {
    const Vec4 d = sub4(v, shift);
    p1[k] = add4(p1[k], d);
    p2[k] = add4(p2[k], mul4(d, d));
  }
  void flush() {
    s1 += sum_lanes(add4(p1[0], p1[1]));
    s2 += sum_lanes(add4(p2[0], p2[1]));
    p1[0] = p1[1] = p2[0] = p2[1] = splat4(0.f);
  }
  void add_tail(float v) {
    const float d = v - shift1;
    s1 += d;
    s2 += d * d;
  }
};

// The shift is the mean of this many values spread evenly over the set: close to the set's mean
// for ordinary data, far from it when one of them is an outlier, which the test below catches.
constexpr int kShiftSamplesLog2 = 4;
constexpr int64_t kShiftSamples = int64_t{1} << kShiftSamplesLog2;

// The position of sample j of min(kShiftSamples, count) spread evenly over count values:
// floor(j * count / kShiftSamples) by a shift, or j itself when count is smaller. Integers only:
// a float-to-integer conversion is a guarded sequence in WebAssembly, and sixteen of them per row
// were a third of layer norm's time over rows of 64 values.
int64_t sample_position(int64_t j, int64_t count) {
  return count < kShiftSamples ? j : (j * count) >> kShiftSamplesLog2;
}

float finite_or_zero(double m) {
  return std::isfinite(m) ? static_cast<float>(m) : 0.f;
}

}  // namespace

float set_shift(const Segments& set) {
  const int64_t count = set.count * set.len;
  const int64_t k = std::min(kShiftSamples, count);
  // Four partial sums, four short chains of additions instead of one long one.
  const auto at = [&](int64_t j) {
    const int64_t i = sample_position(j, count);
    return set.count == 1 ? set.base[i] : set.base[(i / set.len) * set.stride + i % set.len];
  };
  double a = 0, b = 0, c = 0, d = 0;
  int64_t j = 0;
  for (; j + 4 <= k; j += 4) {
    a += at(j);
    b += at(j + 1);
    c += at(j + 2);
    d += at(j + 3);
  }
  for (; j < k; ++j)
    a += at(j);
  return finite_or_zero(((a + b) + (c + d)) / static_cast<double>(k));
}

namespace {

// Below this mean square, float32 squares of the smallest values would lose digits to underflow.
constexpr double kMinMeanSquare = 1e-30;

// Whether sums shifted by an estimate give the variance accurately: E[d]^2 at most half of
// E[d^2] (so var = E[d^2] - E[d]^2 loses at most one bit to cancellation, against float32 block
// sums accurate to ~1e-6), and E[d^2] finite (no overflow) and not tiny (no underflow).
bool two_pass_holds(double md, double ms) {
  return std::isfinite(ms) && ms >= kMinMeanSquare && md * md <= 0.5 * ms;
}

}  // namespace

bool moments_from_shifted_sums(double s1, double s2, int64_t count, float shift, Moments* out) {
  // The means once, for the test and the moments (a division costs a dozen multiplications).
  const double n = static_cast<double>(count);
  const double md = s1 / n, ms = s2 / n;
  if (!two_pass_holds(md, ms))
    return false;
  *out = finish_means(md, ms, shift, 1.f);
  return true;
}

bool mean_square_from_sum(double s2, int64_t count, double* out) {
  const double ms = s2 / static_cast<double>(count);
  if (!(std::isfinite(ms) && ms >= kMinMeanSquare))
    return false;
  *out = ms;
  return true;
}

namespace {

// One run of at most kShiftSamples values (layer norm over rows of 4): two plain passes in double,
// the mean and then the squared deviations from it, are accurate with no test and no fallback,
// and their chain of dependent steps is shorter than the float path's.
Moments short_run_moments(const float* x, int64_t n) {
  double a = 0, b = 0;
  int64_t i = 0;
  for (; i + 2 <= n; i += 2) {
    a += x[i];
    b += x[i + 1];
  }
  if (i < n)
    a += x[i];
  const double mean = (a + b) / static_cast<double>(n);
  double c = 0, d = 0;
  for (i = 0; i + 2 <= n; i += 2) {
    c += (x[i] - mean) * (x[i] - mean);
    d += (x[i + 1] - mean) * (x[i + 1] - mean);
  }
  if (i < n)
    c += (x[i] - mean) * (x[i] - mean);
  const double var = (c + d) / static_cast<double>(n);
  // A NaN or Inf makes the variance NaN.
  return std::isfinite(var) ? Moments{mean, var} : Moments{kNaN, kNaN};
}

}  // namespace

Moments set_moments(const Segments& set) {
  const int64_t count = set.count * set.len;
  if (set.count == 1 && count <= kShiftSamples)
    return short_run_moments(set.base, count);
  const float shift = set_shift(set);
  ShiftedAcc acc(shift);
  run_segments(set, acc);
  Moments m;
  return moments_from_shifted_sums(acc.s1, acc.s2, count, shift, &m) ? m
                                                                     : set_moments_three_pass(set);
}

double set_mean_square(const Segments& set) {
  const int64_t count = set.count * set.len;
  ShiftedAcc acc(0.f);
  run_segments(set, acc);
  double ms;
  return mean_square_from_sum(acc.s2, count, &ms) ? ms : set_mean_square_three_pass(set);
}

// Column by column, each column's samples in four partial sums: row by row, every column's sum was
// one chain of sixteen dependent additions, a quarter of batch norm's kernel at [32, 4].
// (The sampled rows' offsets are recomputed, not kept in an array: in WebAssembly a local array
// lives in linear memory, and its stores and loads cost more than the multiplications.)
void column_shifts(const float* x, int64_t rows, int64_t cols, float* shift) {
  const int64_t samples = std::min(kShiftSamples, rows);
  const auto at = [&](int64_t j) { return sample_position(j, rows) * cols; };
  for (int64_t c = 0; c < cols; ++c) {
    const float* column = x + c;
    double a = 0, b = 0, e = 0, f = 0;
    int64_t j = 0;
    for (; j + 4 <= samples; j += 4) {
      a += column[at(j)];
      b += column[at(j + 1)];
      e += column[at(j + 2)];
      f += column[at(j + 3)];
    }
    for (; j < samples; ++j)
      a += column[at(j)];
    shift[c] = finite_or_zero(((a + b) + (e + f)) / static_cast<double>(samples));
  }
}

namespace {

// Shifted first and second moments of the columns [c, c + 4 * V) over rows [r0, r1), with the
// accumulators in registers: V vectors side by side give V independent addition chains, and a
// block of kBlockRows rows of a few columns stays in the first-level cache. Each column's float
// sums take its rows in order from r0 and are flushed into double once, at r1. (As in ShiftedAcc,
// a non-finite value shows in the sum of d^2.)
// The matrix, its columns' shifts and the double sums the column passes add to.
struct ColumnSums {
  const float* x;
  int64_t cols;
  const float* shift;
  double* s1;
  double* s2;
};

template <int V>
void tile_moments(const ColumnSums& p, int64_t r0, int64_t r1, int64_t c) {
  const float *x = p.x, *shift = p.shift;
  const int64_t cols = p.cols;
  double *s1 = p.s1, *s2 = p.s2;
  Vec4 sh[V], p1[V], p2[V];
  for (int v = 0; v < V; ++v) {
    sh[v] = load4(shift + c + 4 * v);
    p1[v] = p2[v] = splat4(0.f);
  }
  // A pointer stepped by a row, not an index multiplied per row: 64-bit index arithmetic is extra
  // instructions per load in WebAssembly, whose addresses are 32-bit.
  const float* row = x + r0 * cols + c;
  for (int64_t r = r0; r < r1; ++r, row += cols) {
    for (int v = 0; v < V; ++v) {
      const Vec4 d = sub4(load4(row + 4 * v), sh[v]);
      p1[v] = add4(p1[v], d);
      p2[v] = add4(p2[v], mul4(d, d));
    }
  }
  for (int v = 0; v < V; ++v) {
    for (int k = 0; k < 4; ++k) {
      s1[c + 4 * v + k] += lane(p1[v], k);
      s2[c + 4 * v + k] += lane(p2[v], k);
    }
  }
}

// One column of tile_moments, for the columns past the last full vector: the same arithmetic as
// a vector lane, so a column's sums do not depend on where it falls.
void column_tail_moments(const ColumnSums& p, int64_t r0, int64_t r1, int64_t c) {
  float p1 = 0.f, p2 = 0.f;
  for (int64_t r = r0; r < r1; ++r) {
    const float d = p.x[r * p.cols + c] - p.shift[c];
    p1 += d;
    p2 += d * d;
  }
  p.s1[c] += p1;
  p.s2[c] += p2;
}

// One pass over x in blocks of kBlockRows rows; within a block, tiles of eight columns, then four,
// then single columns. (Row by row, the accumulators went through memory on every vector, and a
// strip of four columns down all rows was one chain of dependent additions.)
void block_moments(const ColumnSums& p, int64_t rows) {
  for (int64_t r0 = 0; r0 < rows; r0 += kBlockRows) {
    const int64_t r1 = std::min(rows, r0 + kBlockRows);
    int64_t c = 0;
    for (; c + 8 <= p.cols; c += 8)
      tile_moments<2>(p, r0, r1, c);
    for (; c + 4 <= p.cols; c += 4)
      tile_moments<1>(p, r0, r1, c);
    for (; c < p.cols; ++c)
      column_tail_moments(p, r0, r1, c);
  }
}

}  // namespace

void column_moments(const float* x, int64_t rows, int64_t cols, Moments* out) {
  thread_local std::vector<float> kept_floats;
  thread_local std::vector<double> kept_doubles;
  Scratch<float> floats(&kept_floats, 2 * cols, 0.f);
  Scratch<double> doubles(&kept_doubles, 2 * cols, 0.0);
  float *shift = floats.data(), *again_marks = shift + cols;
  double *s1 = doubles.data(), *s2 = s1 + cols;

  column_shifts(x, rows, cols, shift);

  block_moments({x, cols, shift, s1, s2}, rows);

  // The test fails rarely (an outlier among the sampled rows, a constant column, extreme
  // scales, a NaN or Inf). Those columns take the three passes; the others keep their two-pass
  // result, so a column's statistics depend on its own values only.
  bool fallback = false;
  for (int64_t c = 0; c < cols; ++c) {
    if (!moments_from_shifted_sums(s1[c], s2[c], rows, shift[c], &out[c])) {
      again_marks[c] = 1.f;
      fallback = true;
    }
  }
  if (!fallback)
    return;
  thread_local std::vector<Moments> kept_again;
  Scratch<Moments> again(&kept_again, cols, Moments{0, 0});
  three_pass_columns(x, rows, cols, again.data());
  for (int64_t c = 0; c < cols; ++c) {
    if (again_marks[c] == 1.f)
      out[c] = again.data()[c];
  }
}

void column_moments(const float* x, int64_t rows, int64_t cols, std::vector<Moments>* out) {
  out->resize(cols);
  column_moments(x, rows, cols, out->data());
}

}  // namespace normcore
