// libFuzzer target over the C++ API of the normalisation core (built with
// -fsanitize=fuzzer,address,undefined; see CMakeLists.txt, option NORMCORE_FUZZ, and build.sh
// fuzz).
//
// Each input decodes to one call: an operation, a shape (small, zero, negative or huge), groups,
// eps, momentum, each array given or omitted with the right or a wrong size, and the data (normal
// values around a base, or NaN, Inf, subnormals, huge and tiny values, or raw float bits). Then:
//   - no crash, leak or undefined behaviour (the sanitizers);
//   - the call fails exactly when the arguments are invalid, with a message "<function>: ...",
//     and then writes nothing (outputs hold a sentinel before the call and must still hold it);
//   - inputs are never modified; on success every output element is written;
//   - differential: every mean, variance, rms, y and running statistic against a long-double
//     reference on the same float32 inputs, within the error the method allows (derived at each
//     check), wherever the arithmetic stays in float32's normal range; so a wrong scale, a biased
//     or unbiased variance in the wrong place, or a swapped momentum is a crash;
//   - for finite inputs and eps > 0, outputs are finite wherever the exact result is well inside
//     float32's range (see kSafe below), statistics are in range (min <= mean <= max, var >= 0),
//     and batch norm's training output has per-channel mean beta;
//   - a set holding NaN or Inf gets NaN outputs and statistics, and no other set changes;
//   - batch norm inference echoes the running statistics; sampling is deterministic;
//   - format_number (the numbers in error messages) reads back as the number it formats.
//
// Input layout (bytes past the end read as 0, which decodes to the common valid choice):
//   [0] op  [1..3] n, c, s  [4] groups or distribution  [5] eps  [6] momentum  [7] flags
//   [8..12] size codes of the inputs  [13..17] size codes of the outputs
//   [18..32] three value codes (base, spread, mode) for each of the five inputs
//   then, for sample, 8 parameter codes and an 8-byte seed; then one byte (or 5 for raw bits) per
//   element of each given input in order. fuzz/make-corpus.mjs writes the seed corpus in this form.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "normcore/ops.h"
#include "normcore/sampler.h"
#include "validate.h"  // format_number, which builds the numbers in error messages

namespace {

using namespace normcore;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kU = 0x1p-24;  // float32 unit roundoff
// Arrays are at most this long; a valid shape with more elements is only tried with wrong sizes.
constexpr int64_t kCap = 1 << 14;
// Finiteness is required only where values and exact results are within float32's range with a
// margin for rounding. The margin is also a known limit of the kernels: the output pass forms
// x - mean in float32, which overflows when a set spans more than FLT_MAX (e.g. +-3e38 together;
// tests/cpp/nonfinite_test.cpp, DISABLED_OppositeExtremesInOneSetStayFinite).
constexpr double kSafe = FLT_MAX / 4;
// A second known limit: the kernels fold gamma and 1/sqrt(var + eps) into one float32 scale per set
// (as PyTorch's CPU kernels do), so a set whose scale exceeds float32's range gets +-Inf, or NaN
// where x equals the mean (0 * Inf): e.g. gamma = 3e38 with var = 0.03, or a constant set with
// eps < 1e-77. Finiteness is required where that scale is within FLT_MAX / 2.
constexpr double kMaxScale = FLT_MAX / 2;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "INVARIANT VIOLATED: %s\n  %s\n", what, detail.c_str());
  std::abort();
}

#define CHECK(cond, detail)             \
  do {                                  \
    if (!(cond))                        \
      fail(#cond, std::string(detail)); \
  } while (0)

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Decoding

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : p_(data), n_(size) {}
  uint8_t u8() { return i_ < n_ ? p_[i_++] : 0; }
  bool exhausted() const { return i_ >= n_; }
  uint32_t u32() {
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k)
      v |= uint32_t{u8()} << (8 * k);
    return v;
  }
  uint64_t u64() { return u32() | (uint64_t{u32()} << 32); }
  double f64() {
    const uint64_t bits = u64();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }

 private:
  const uint8_t* p_;
  size_t n_;
  size_t i_ = 0;
};

int64_t decode_dim(uint8_t b) {
  static const int64_t kLarge[16] = {64,   100,  127,  128,  255,  256,   257,   1000,
                                     1023, 1024, 4095, 4096, 4097, 16384, 65536, 1 << 20};
  static const int64_t kBad[16] = {0,
                                   -1,
                                   -2,
                                   -7,
                                   -64,
                                   -65536,
                                   -(int64_t{1} << 32),
                                   INT64_MIN,
                                   0,
                                   -1,
                                   INT64_MIN + 1,
                                   -(int64_t{1} << 62),
                                   0,
                                   -3,
                                   -1000,
                                   -1};
  static const int64_t kHuge[32] = {int64_t{1} << 31,
                                    (int64_t{1} << 32) - 1,
                                    int64_t{1} << 32,
                                    (int64_t{1} << 32) + 1,
                                    int64_t{1} << 40,
                                    int64_t{1} << 62,
                                    INT64_MAX,
                                    INT64_MAX - 1,
                                    65535,
                                    65536,
                                    65537,
                                    1 << 21,
                                    3037000500,
                                    2642246,
                                    1625,
                                    4294967295 / 3,
                                    4294967295 / 5,
                                    4294967295 / 15,
                                    4294967295 / 17,
                                    int64_t{1} << 16,
                                    int64_t{1} << 24,
                                    int64_t{1} << 48,
                                    1 << 30,
                                    1 << 29,
                                    100000,
                                    1000000,
                                    10000000,
                                    int64_t{1} << 33,
                                    int64_t{1} << 56,
                                    int64_t{1} << 61,
                                    46341,
                                    2097152};
  if (b < 0xC0)
    return 1 + b % 32;
  if (b < 0xD0)
    return kLarge[b & 15];
  if (b < 0xE0)
    return kBad[b & 15];
  return kHuge[b & 31];
}

double decode_eps(uint8_t b, Reader& r, double fallback) {
  static const double kTable[32] = {
      0,     0,       1e-5,   1e-3,   0.1,    1,     1e-12, 1e-30,
      1e-45, 1e-80,   1e-300, 5e-324, 1e10,   1e300, 1e-6,  1e-20,
      -1e-5, -5e-324, -0.0,   -1,     kNaN,   kInf,  -kInf, 2.2250738585072014e-308,
      1e-38, 1e-40,   3e38,   1e39,   1e-310, 0.5,   2,     1e-7};
  if (b < 0x80)
    return fallback;
  if (b >= 0xF8)
    return r.f64();  // any double, for the error message and the kernels
  return kTable[b & 31];
}

double decode_momentum(uint8_t b, Reader& r) {
  static const double kTable[16] = {0,    1,     0.5,  1e-3,   0.999,   -0.1,        1.5,    kNaN,
                                    kInf, -kInf, -0.0, 5e-324, -5e-324, 1 + 0x1p-52, 1e-300, 0.9};
  if (b < 0x80)
    return kDefaultMomentum;
  if (b >= 0xF8)
    return r.f64();
  return kTable[b & 15];
}

// Distribution parameters: mostly ordinary, sometimes at or past the edge of what is allowed.
double decode_param(uint8_t b, Reader& r) {
  static const double kTable[32] = {
      0,    1,     -1,     0.5,    2,    3,    10,    100,     1e4,
      -1e4, 1e-3,  1e-300, 5e-324, 1e30, 1e38, 1e300, -1e300,  kNaN,
      kInf, -kInf, -0.0,   -1e-3,  0.1,  30,   1e6,   -5e-324, 1.7976931348623157e308,
      4,    7,     1e-20,  0.25,   64};
  if (b >= 0xF0)
    return r.f64();
  return kTable[b & 31];
}

// Per-array value codes: a base and a spread, and a mode that sprinkles special values.
struct ValueCode {
  double base, spread;
  uint8_t mode;  // 0-3: ordinary only; 4-5: 1 in 8 special; 6: 1 in 2 special; 7: raw bits 1 in 4
};

ValueCode decode_value_code(uint8_t base, uint8_t spread, uint8_t mode) {
  static const double kBase[16] = {0,    1,     -1,   0.5,  1000,  -1000, 1e4,   1e6,
                                   1e-3, 1e-20, 1e20, 1e30, -1e30, 3e38,  1e-38, 1e-44};
  static const double kSpread[16] = {1,    0,    1e-3,  1e-6, 10,   1e3, 1e-30, 1e20,
                                     1e30, 1e38, 1e-40, 0.1,  1e-7, 2,   100,   1e10};
  return {kBase[base & 15], kSpread[spread & 15], static_cast<uint8_t>(mode & 7)};
}

float canonical(float v) {
  return std::isnan(v) ? std::numeric_limits<float>::quiet_NaN() : v;
}

float special_value(uint8_t b) {
  static const float kSpecial[32] = {NAN,
                                     INFINITY,
                                     -INFINITY,
                                     0.f,
                                     -0.f,
                                     FLT_MAX,
                                     -FLT_MAX,
                                     FLT_MIN,
                                     -FLT_MIN,
                                     std::numeric_limits<float>::denorm_min(),
                                     -std::numeric_limits<float>::denorm_min(),
                                     1e-40f,
                                     1e30f,
                                     -1e30f,
                                     1e-30f,
                                     1e20f,
                                     8.5e37f,
                                     -8.5e37f,
                                     1.f,
                                     -1.f,
                                     1e4f,
                                     1e6f,
                                     0.1f,
                                     16777216.f,
                                     16777218.f,
                                     3e38f,
                                     -3e38f,
                                     1e-20f,
                                     NAN,
                                     1e-45f,
                                     65504.f,
                                     2.f};
  return kSpecial[b & 31];
}

float decode_value(const ValueCode& code, Reader& r, int64_t i) {
  if (r.exhausted()) {  // a deterministic pattern keeps short inputs meaningful
    return static_cast<float>(code.base +
                              code.spread * static_cast<double>((i * 37) % 17 - 8) / 8.0);
  }
  const uint8_t b = r.u8();
  const bool special =
      (code.mode >= 4 && code.mode <= 5 && (b & 7) == 0) || (code.mode == 6 && (b & 1));
  if (code.mode == 7 && (b & 3) == 0) {
    float v;
    const uint32_t bits = r.u32();
    std::memcpy(&v, &bits, sizeof v);
    return canonical(v);  // no signalling NaN in inputs, so the output sentinel stays unique
  }
  if (special)
    return special_value(b >> 3);
  return static_cast<float>(code.base + code.spread * (static_cast<int>(b) - 128) / 64.0);
}

// ---------------------------------------------------------------------------------------------
// Buffers of exactly their declared size (so AddressSanitizer sees any access past the end),
// and the sentinel that marks output elements the call has not written.

constexpr uint32_t kSentinelBits = 0x7FBADBADu;  // a signalling NaN: arithmetic never produces it

bool is_sentinel(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits == kSentinelBits;
}

bool same_bits(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// memcmp of n floats that accepts null pointers when n is 0.
bool same_floats(const float* a, const float* b, size_t n) {
  return n == 0 || std::memcmp(a, b, n * sizeof(float)) == 0;
}

struct Buf {
  bool given = false;
  int64_t size = 0;  // the size told to the core (may be negative: a caller error it must reject)
  std::unique_ptr<float[]> data;

  float* ptr() const { return given ? data.get() : nullptr; }
  int64_t len() const { return given && size > 0 ? size : 0; }
  float operator[](int64_t i) const { return data[i]; }
  Input in() const { return {ptr(), size}; }
  Output out() const { return {ptr(), size}; }
  std::vector<float> copy() const { return std::vector<float>(data.get(), data.get() + len()); }
};

// Size codes: omitted, the right size, or a wrong one; `required` arrays are rarely wrong.
Buf make_buf(uint8_t code, int64_t right, bool required) {
  Buf b;
  int64_t size = right;
  if (required) {
    const int k = code % 16;
    if (k == 14)
      return b;  // omitted
    if (k == 15)
      size = right + ((code >> 4) % 2 ? 1 : -1);
  } else {
    const int k = code % 8;
    if (k <= 2)
      return b;
    if (k == 6) {
      static const int64_t kDelta[4] = {-1, 1, 4, 0};
      const int d = (code >> 3) % 4;
      size = d == 3 ? 0 : right + kDelta[d];
    }
  }
  if (size > kCap)
    size = right == 1 ? 2 : 1;  // keep allocations small: still a wrong size
  b.given = true;
  b.size = size;
  b.data.reset(new float[static_cast<size_t>(size > 0 ? size : 0)]);
  return b;
}

void fill_sentinel(Buf& b) {
  for (int64_t i = 0; i < b.len(); ++i)
    std::memcpy(&b.data[i], &kSentinelBits, sizeof(float));
}

void fill_values(Buf& b, const ValueCode& code, Reader& r) {
  for (int64_t i = 0; i < b.len(); ++i)
    b.data[i] = decode_value(code, r, i);
}

// ---------------------------------------------------------------------------------------------
// The call under test

enum Op { kBnTrain, kBnInfer, kLayer, kInstance, kGroup, kRms, kSample, kFormat, kOpCount };
const char* const kFnName[] = {"batchNorm", "batchNorm", "layerNorm", "instanceNorm",
                               "groupNorm", "rmsNorm",   "sample",    "format_number"};

struct Case {
  Op op;
  Shape shape;
  int64_t groups = 1;
  double eps = 0, momentum = kDefaultMomentum;
  bool alias = false;  // batch norm: running statistics updated in place
  bool shape_ok = false;
  int64_t total = 0, c = 0, affine = 0, sets = 0, stat_sets = 0;
  Buf x, gamma, beta, rmean, rvar;        // inputs (sample: gamma = offset, beta = scale)
  Buf y, mean, var, out_rmean, out_rvar;  // outputs (rms: mean = rms)
  SampleArgs sample;
};

// The element count of a valid shape (at most 2^32), else a stand-in. make_buf allocates a wrong
// size instead of more than kCap elements.
int64_t count_or_1(bool shape_ok, __int128 count) {
  return shape_ok ? static_cast<int64_t>(count) : 1;
}

bool divides(int64_t g, int64_t c) {
  return g >= 1 && c % g == 0;
}

int64_t decode_groups(uint8_t b, int64_t c) {
  if (b < 0x80 && c >= 1 && c <= kCap) {
    std::vector<int64_t> divisors;
    for (int64_t g = 1; g <= c; ++g)
      if (c % g == 0)
        divisors.push_back(g);
    return divisors[b % divisors.size()];
  }
  if (b < 0xC0)
    return 1 + b % 8;
  static const int64_t kOdd[16] = {0,    -1, -3, INT64_MIN, INT64_MAX, int64_t{1} << 32,    3,
                                   5,    7,  64, 1,         2,         -(int64_t{1} << 40), 1000,
                                   4096, 0};
  if (b >= 0xF0 && c >= 1 && c <= kCap)
    return c + 1 - (b & 3);  // c - 2 .. c + 1
  return kOdd[b & 15];
}

// Whether the core must accept the call, from the same rules DESIGN.md states.
bool expected_valid(const Case& k) {
  if (!k.shape_ok)
    return false;
  auto fits = [](const Buf& b, int64_t want, bool required) {
    return b.given ? b.size == want : !required;
  };
  const int64_t n = k.shape.n, s = k.shape.s;
  const bool eps_ok = std::isfinite(k.eps) && k.eps >= 0;
  switch (k.op) {
    case kBnTrain:
    case kBnInfer: {
      const bool momentum_ok = k.momentum >= 0 && k.momentum <= 1;
      const bool count_ok = k.op == kBnInfer || n * s > 1;
      const bool outs = fits(k.y, k.total, true) && fits(k.mean, k.c, false) &&
                        fits(k.var, k.c, false) && fits(k.out_rmean, k.c, false) &&
                        fits(k.out_rvar, k.c, false);
      return fits(k.x, k.total, true) && fits(k.gamma, k.c, false) && fits(k.beta, k.c, false) &&
             fits(k.rmean, k.c, false) && fits(k.rvar, k.c, false) && eps_ok && momentum_ok &&
             count_ok && outs;
    }
    case kLayer:
    case kInstance:
    case kGroup:
      if (k.op == kGroup && !divides(k.groups, k.c))
        return false;
      return fits(k.x, k.total, true) && fits(k.gamma, k.affine, false) &&
             fits(k.beta, k.affine, false) && eps_ok && fits(k.y, k.total, true) &&
             fits(k.mean, k.stat_sets, false) && fits(k.var, k.stat_sets, false);
    case kRms:
      return fits(k.x, k.total, true) && fits(k.gamma, k.affine, false) && eps_ok &&
             fits(k.y, k.total, true) && fits(k.mean, n, false);
    case kSample: {
      const SampleArgs& a = k.sample;
      auto fin = [](double v) { return std::isfinite(v); };
      bool params = true;
      switch (a.distribution) {
        case Distribution::kNormal:
          params = fin(a.mean) && fin(a.std) && a.std >= 0;
          break;
        case Distribution::kUniform:
          params = fin(a.low) && fin(a.high) && a.high >= a.low;
          break;
        case Distribution::kLognormal:
          params = fin(a.mu) && fin(a.sigma) && a.sigma >= 0;
          break;
        case Distribution::kBimodal:
          params = fin(a.separation) && a.separation >= 0 && fin(a.std) && a.std >= 0;
          break;
        case Distribution::kStudentT:
          params = fin(a.df) && a.df > 0;
          break;
      }
      return params && fits(k.gamma, k.c, false) && fits(k.beta, k.c, false) &&
             fits(k.y, k.total, true);
    }
    default:
      return false;
  }
}

Status call(const Case& k,
            const Buf& y,
            const Buf& mean,
            const Buf& var,
            const Buf& orm,
            const Buf& orv,
            const Buf& x) {
  switch (k.op) {
    case kBnTrain:
    case kBnInfer: {
      BatchNormArgs a;
      a.shape = k.shape;
      a.x = x.in();
      a.gamma = k.gamma.in();
      a.beta = k.beta.in();
      a.running_mean = k.rmean.in();
      a.running_var = k.rvar.in();
      a.eps = k.eps;
      a.training = k.op == kBnTrain;
      a.momentum = k.momentum;
      return batch_norm(a, {y.out(), mean.out(), var.out(), orm.out(), orv.out()});
    }
    case kLayer:
    case kInstance:
    case kGroup: {
      NormArgs a;
      a.shape = k.shape;
      a.x = x.in();
      a.gamma = k.gamma.in();
      a.beta = k.beta.in();
      a.eps = k.eps;
      const NormResult r{y.out(), mean.out(), var.out()};
      if (k.op == kLayer)
        return layer_norm(a, r);
      if (k.op == kInstance)
        return instance_norm(a, r);
      return group_norm(a, k.groups, r);
    }
    case kRms: {
      RmsNormArgs a;
      a.shape = k.shape;
      a.x = x.in();
      a.gamma = k.gamma.in();
      a.eps = k.eps;
      return rms_norm(a, {y.out(), mean.out()});
    }
    case kSample: {
      SampleArgs a = k.sample;
      a.offset = k.gamma.in();
      a.scale = k.beta.in();
      return sample(a, y.out());
    }
    default:
      return Status::Error("unreachable");
  }
}

// Fresh output buffers of the same sizes as the case's, filled with the sentinel.
Buf clone_output(const Buf& b) {
  Buf c;
  c.given = b.given;
  c.size = b.size;
  if (b.given) {
    c.data.reset(new float[static_cast<size_t>(b.len())]);
    fill_sentinel(c);
  }
  return c;
}

struct Outputs {
  Buf y, mean, var, rmean, rvar;
};

// Runs the case on a copy of x (or `x_override`) into fresh outputs; aliasing as the case says.
Outputs run_fresh(const Case& k, const Buf& x, Status* status) {
  Outputs o{clone_output(k.y), clone_output(k.mean), clone_output(k.var), clone_output(k.out_rmean),
            clone_output(k.out_rvar)};
  *status = call(k, o.y, o.mean, o.var, o.rmean, o.rvar, x);
  return o;
}

// ---------------------------------------------------------------------------------------------
// Invariants of a successful call

bool all_finite(const Buf& b) {
  for (int64_t i = 0; i < b.len(); ++i)
    if (!std::isfinite(b[i]))
      return false;
  return true;
}

float value_or(const Buf& b, int64_t i, float fallback) {
  return b.given ? b[i] : fallback;
}

// The elements of set `k` (batch norm: channel k; layer/rms: sample k; instance/group: (sample,
// group)).
std::vector<int64_t> members(const Case& c, int64_t k) {
  std::vector<int64_t> m;
  const int64_t n = c.shape.n, ch = c.shape.c, s = c.shape.s;
  if (c.op == kBnTrain || c.op == kBnInfer) {
    for (int64_t i = 0; i < n; ++i)
      for (int64_t p = 0; p < s; ++p)
        m.push_back((i * ch + k) * s + p);
  } else {
    const int64_t len = c.total / c.sets;
    for (int64_t e = k * len; e < (k + 1) * len; ++e)
      m.push_back(e);
  }
  return m;
}

// Index into gamma/beta for element e.
int64_t affine_index(const Case& c, int64_t e) {
  return (c.op == kLayer || c.op == kRms) ? e % (c.shape.c * c.shape.s)
                                          : (e / c.shape.s) % c.shape.c;
}

// The reference: each set's statistics in long double from the same float32 inputs.
struct RefStats {
  double mean, var, min, max;
};

RefStats ref_stats(const Buf& x, const std::vector<int64_t>& m) {
  long double sum = 0;
  double lo = kInf, hi = -kInf;
  for (int64_t e : m) {
    sum += x[e];
    lo = std::fmin(lo, x[e]);
    hi = std::fmax(hi, x[e]);
  }
  const long double count = static_cast<long double>(m.size());
  const long double mean = sum / count;
  long double sq = 0;
  for (int64_t e : m)
    sq += (x[e] - mean) * (x[e] - mean);
  return {static_cast<double>(mean), static_cast<double>(sq / count), lo, hi};
}

// The first values of a set, for failure messages.
std::string values_of(const Buf& x, const std::vector<int64_t>& m) {
  std::string v = " data {";
  for (size_t i = 0; i < m.size() && i < 12; ++i)
    v += (i ? ", " : "") + num(x[m[i]]);
  return v + (m.size() > 12 ? ", ...}" : "}");
}

std::string where(const Case& c, int64_t set, int64_t e = -1) {
  std::string w = std::string(kFnName[c.op]) + (c.op == kBnInfer ? " (inference)" : "") +
                  " shape [" + std::to_string(c.shape.n) + ", " + std::to_string(c.shape.c) + ", " +
                  std::to_string(c.shape.s) + "] eps " + num(c.eps) + " set " + std::to_string(set);
  if (e >= 0)
    w += " element " + std::to_string(e);
  return w;
}

// ---------------------------------------------------------------------------------------------
// Differential checks: every value against the long-double reference, within the error the
// method allows. They apply where the arithmetic stays in float32's normal range (values, scales
// and results between about 1e-30 and 1e30); outside it, the finiteness checks above hold.

constexpr double kTiny = 1e-30, kHuge = 1e30;
// Data up to this size keep the variance (its square) within kHuge.
constexpr double kHugeData = 1e15;

bool moderate(double v) {
  return std::isfinite(v) && std::fabs(v) <= kHuge;
}

// The error bound of the core's mean: a few dozen roundings of the spread (block sums of shifted
// values) plus a few of the values themselves; subnormal values resolve only to FLT_TRUE_MIN.
double mean_tolerance(const RefStats& ref) {
  const double magnitude = std::fmax(std::fabs(ref.min), std::fabs(ref.max));
  return 64 * kU * (ref.max - ref.min) + 4 * kU * magnitude + FLT_TRUE_MIN;
}

// The variance: centred squares summed in float32 blocks of 64 vectors (64 roundings, relative),
// and the mean's error, which enters linearly through the spread and squared.
double var_tolerance(const RefStats& ref) {
  const double dm = mean_tolerance(ref);
  // Squares below FLT_MIN underflow: the variance resolves only to FLT_MIN absolute.
  return 128 * kU * ref.var + 2 * dm * std::sqrt(ref.var) + dm * dm + FLT_MIN;
}

// y = gamma * (x - mean) / sqrt(var + eps) + beta, element by element: the mean's error times the
// scale, the scale's error (half the variance's, relative, plus its rounding) times the result,
// and the roundings of the subtraction, product and sum.
void check_set_values(const Case& c,
                      const Outputs& o,
                      int64_t set,
                      const std::vector<int64_t>& m,
                      const RefStats& ref) {
  const double dm = mean_tolerance(ref), dv = var_tolerance(ref);
  const double magnitude = std::fmax(std::fabs(ref.min), std::fabs(ref.max));
  if (magnitude > kHuge)
    return;
  if (o.mean.given)
    CHECK(std::fabs(o.mean[set] - ref.mean) <= dm,
          where(c, set) + ": mean " + num(o.mean[set]) + ", reference " + num(ref.mean) +
              ", tolerance " + num(dm) + values_of(c.x, m));
  if (magnitude > kHugeData)
    return;
  if (o.var.given)
    CHECK(std::fabs(o.var[set] - ref.var) <= dv, where(c, set) + ": var " + num(o.var[set]) +
                                                     ", reference " + num(ref.var) +
                                                     ", tolerance " + num(dv) + values_of(c.x, m));
  const double denom = ref.var + c.eps;
  if (!(c.eps > 0) || !(denom >= kTiny))
    return;
  const long double inv = 1 / std::sqrt(static_cast<long double>(denom));
  const double scale_error = dv / (2 * denom) + 4 * kU;
  for (int64_t e : m) {
    const int64_t a = affine_index(c, e);
    const double g = value_or(c.gamma, a, 1), b = value_or(c.beta, a, 0);
    if (!moderate(g) || !moderate(b))
      continue;
    const double s = static_cast<double>(std::fabs(g) * inv);
    const double t = static_cast<double>((c.x[e] - static_cast<long double>(ref.mean)) * inv * g);
    // A scale below kTiny is near or in float32's subnormal range, where it keeps few digits.
    if (!(s <= kHuge) || !(std::fabs(t) <= kHuge) || (s != 0 && s < kTiny))
      continue;
    const double tol = s * (dm + 2 * kU * std::fabs(c.x[e] - ref.mean)) +
                       std::fabs(t) * scale_error + 2 * kU * (std::fabs(t) + std::fabs(b)) +
                       FLT_MIN * (s + std::fabs(g) + 2);  // products that underflow
    CHECK(std::fabs(o.y[e] - (t + b)) <= tol,
          where(c, set, e) + ": y = " + num(o.y[e]) + ", reference " + num(t + b) + ", tolerance " +
              num(tol) + " (x " + num(c.x[e]) + ", gamma " + num(g) + ", beta " + num(b) +
              ", mean " + num(ref.mean) + ", var " + num(ref.var) + ")" + values_of(c.x, m));
  }
}

// PyTorch's running statistics from the reference statistics, in long double: each of the two
// terms and the sum round once or twice, and they carry momentum times the statistics' error.
void check_running_values(const Case& c,
                          const Outputs& o,
                          int64_t ch,
                          const RefStats& ref,
                          double count) {
  const long double mom = c.momentum;
  const double rm = value_or(c.rmean, ch, 0), rv = value_or(c.rvar, ch, 1);
  if (!moderate(rm) || !moderate(rv) || !moderate(ref.mean) || !moderate(ref.var) ||
      std::fmax(std::fabs(ref.min), std::fabs(ref.max)) > kHugeData)
    return;
  const long double unbiased = static_cast<long double>(ref.var) * count / (count - 1);
  const long double old_m = (1 - mom) * rm, new_m = mom * ref.mean;
  const long double old_v = (1 - mom) * rv, new_v = mom * unbiased;
  const double want_m = static_cast<double>(old_m + new_m),
               want_v = static_cast<double>(old_v + new_v);
  const double tol_m = static_cast<double>(4 * kU * (std::fabs(old_m) + std::fabs(new_m)) +
                                           mom * mean_tolerance(ref)) +
                       2 * kU * std::fabs(want_m) + FLT_TRUE_MIN;
  const double tol_v = static_cast<double>(4 * kU * (std::fabs(old_v) + std::fabs(new_v)) +
                                           mom * var_tolerance(ref) * count / (count - 1)) +
                       2 * kU * std::fabs(want_v) + FLT_TRUE_MIN;
  if (o.rmean.given)
    CHECK(std::fabs(o.rmean[ch] - want_m) <= tol_m,
          where(c, ch) + ": runningMean " + num(o.rmean[ch]) + ", reference " + num(want_m) +
              ", tolerance " + num(tol_m) + ", momentum " + num(c.momentum));
  if (o.rvar.given)
    CHECK(std::fabs(o.rvar[ch] - want_v) <= tol_v,
          where(c, ch) + ": runningVar " + num(o.rvar[ch]) + ", reference " + num(want_v) +
              ", tolerance " + num(tol_v) + ", momentum " + num(c.momentum));
}

// Statistics and outputs of one set whose data are all finite.
void check_finite_set(const Case& c, const Outputs& o, int64_t set, const std::vector<int64_t>& m) {
  const RefStats ref = ref_stats(c.x, m);
  const double eps = c.eps;
  bool params_finite = true;
  for (int64_t e : m) {
    const int64_t a = affine_index(c, e);
    params_finite = params_finite && std::isfinite(value_or(c.gamma, a, 1)) &&
                    std::isfinite(value_or(c.beta, a, 0));
  }
  // In range: the mean lies within [min, max], up to the error of the method: the mean is the
  // float32 shift plus a mean of deviations summed in float32 blocks, so it is off by a few dozen
  // roundings of the spread (64u (max - min)) plus a few of the values themselves (4u max|x|).
  const double magnitude = std::fmax(std::fabs(ref.min), std::fabs(ref.max));
  const double slack = 64 * kU * (ref.max - ref.min) + 4 * kU * magnitude;
  if (o.mean.given) {
    const float mean = o.mean[set];
    CHECK(mean >= ref.min - slack && mean <= ref.max + slack,
          where(c, set) + ": mean " + num(mean) + " outside [" + num(ref.min) + ", " +
              num(ref.max) + "]" + values_of(c.x, m));
  }
  if (o.var.given) {
    CHECK(o.var[set] >= 0, where(c, set) + ": var " + num(o.var[set]));
    if (ref.var <= kSafe)
      CHECK(std::isfinite(o.var[set]), where(c, set) + ": var " + num(o.var[set]) + ", ref " +
                                           num(ref.var) + values_of(c.x, m));
  }
  check_set_values(c, o, set, m, ref);
  if (!(eps > 0) || !params_finite || magnitude > kSafe)
    return;

  // Finite outputs where the exact normalised value gamma * (x - mean) / sqrt(var + eps) and the
  // shift beta are well inside float32's range.
  const double inv = 1 / std::sqrt(ref.var + eps);
  double max_dev = 0;  // max |y - beta|, for the tolerance below
  bool y_finite = true;
  for (int64_t e : m) {
    const int64_t a = affine_index(c, e);
    const double t = (c.x[e] - ref.mean) * inv * value_or(c.gamma, a, 1);
    const double beta = value_or(c.beta, a, 0);
    const double scale =
        c.op == kLayer ? inv : inv * std::fabs(value_or(c.gamma, a, 1));  // layer norm: gamma apart
    if (std::fabs(t) <= kSafe && std::fabs(beta) <= kSafe && scale <= kMaxScale) {
      CHECK(std::isfinite(o.y[e]),
            where(c, set, e) + ": y = " + num(o.y[e]) + " for finite data, exact " + num(t + beta) +
                " (x " + num(c.x[e]) + ", gamma " + num(value_or(c.gamma, a, 1)) + ", mean " +
                num(ref.mean) + ", var " + num(ref.var) + ")" + values_of(c.x, m));
    }
    y_finite = y_finite && std::isfinite(o.y[e]);
    max_dev = std::fmax(max_dev, std::fabs(o.y[e] - beta));
  }

  // Batch norm in training: the mean of each channel's outputs is beta[c]. Tolerance: the core
  // computes y = (x - m) * s + beta in float32 with m its own mean. The sum of (x_i - m) over the
  // channel is M * (mean(x) - m) plus roundings; the core's mean error |mean(x) - m| is a few dozen
  // float32 roundings of the spread (block sums of shifted values), i.e. <= ~64u max|x_i - m|, so
  // after scaling by s it is <= ~64u max|y_i - beta|; each y_i adds <= u|y_i - beta| + u|y_i|. So
  // |mean(y) - beta| <= 256u (max|y - beta| + |beta|): relative to the largest normalised value,
  // not to |mean(y) - beta| itself, which is ~0. A constant channel has m exactly its value and
  // var 0, so y = beta exactly, however tiny eps is (s = gamma / sqrt(eps) may be huge; any
  // error in m would be multiplied by it, which is why the bound scales with max|y - beta|).
  // Subnormal values have an absolute resolution of FLT_TRUE_MIN instead of a relative one: x - m
  // and m itself are then off by up to FLT_TRUE_MIN, times the scale s, and y by FLT_TRUE_MIN.
  if (c.op == kBnTrain && y_finite && max_dev <= kSafe) {
    const double beta = value_or(c.beta, set, 0);
    double sum = 0;
    for (int64_t e : m)
      sum += o.y[e];
    const double mean_y = sum / static_cast<double>(m.size());
    const double s = inv * std::fabs(value_or(c.gamma, set, 1));
    const double tol = 256 * kU * (max_dev + std::fabs(beta)) + 2 * FLT_TRUE_MIN * (s + 1);
    CHECK(std::fabs(mean_y - beta) <= tol,
          where(c, set) + ": mean of y " + num(mean_y) + ", beta " + num(beta) + ", tolerance " +
              num(tol) + ", max |y - beta| " + num(max_dev) + values_of(c.x, m));
  }
}

void check_nonfinite_set(const Case& c,
                         const Outputs& o,
                         int64_t set,
                         const std::vector<int64_t>& m) {
  for (int64_t e : m)
    CHECK(std::isnan(o.y[e]),
          where(c, set, e) + ": y = " + num(o.y[e]) + " in a set holding NaN/Inf");
  if (o.mean.given)
    CHECK(std::isnan(o.mean[set]), where(c, set) + ": statistic not NaN in a set holding NaN/Inf");
  if (o.var.given)
    CHECK(std::isnan(o.var[set]), where(c, set) + ": var not NaN in a set holding NaN/Inf");
}

// Layer, instance, group norm and batch norm training: per set.
void check_sets(const Case& c, const Outputs& o) {
  std::vector<bool> bad(static_cast<size_t>(c.sets));
  bool any_bad = false, any_good = false;
  for (int64_t set = 0; set < c.sets; ++set) {
    const std::vector<int64_t> m = members(c, set);
    bool finite = true;
    for (int64_t e : m)
      finite = finite && std::isfinite(c.x[e]);
    bad[set] = !finite;
    (finite ? any_good : any_bad) = true;
    if (finite) {
      check_finite_set(c, o, set, m);
    } else {
      check_nonfinite_set(c, o, set, m);
    }
  }
  // Sets are independent: with the non-finite values replaced, the other sets are bit for bit the
  // same.
  if (any_bad && any_good) {
    Buf clean = clone_output(c.x);
    for (int64_t i = 0; i < c.x.len(); ++i)
      clean.data[i] = std::isfinite(c.x[i]) ? c.x[i] : 0.f;
    Status st = Status::Ok();
    const Outputs o2 = run_fresh(c, clean, &st);
    CHECK(st.ok(), st.message());
    for (int64_t set = 0; set < c.sets; ++set) {
      if (bad[set])
        continue;
      for (int64_t e : members(c, set))
        CHECK(same_bits(o.y[e], o2.y[e]),
              where(c, set, e) + ": a NaN/Inf elsewhere changed this set");
      if (o.mean.given)
        CHECK(same_bits(o.mean[set], o2.mean[set]),
              where(c, set) + ": mean changed by another set");
      if (o.var.given)
        CHECK(same_bits(o.var[set], o2.var[set]), where(c, set) + ": var changed by another set");
    }
  }
}

void check_batch_norm_running(const Case& c, const Outputs& o) {
  for (int64_t ch = 0; ch < c.c; ++ch) {
    const float rm = value_or(c.rmean, ch, 0), rv = value_or(c.rvar, ch, 1);
    if (c.op == kBnInfer) {
      // Inference: the statistics used are echoed, and running statistics pass through.
      if (o.mean.given)
        CHECK(same_bits(o.mean[ch], rm), where(c, ch) + ": mean does not echo runningMean");
      if (o.var.given)
        CHECK(same_bits(o.var[ch], rv), where(c, ch) + ": var does not echo runningVar");
      if (o.rmean.given)
        CHECK(same_bits(o.rmean[ch], rm), where(c, ch) + ": runningMean changed in inference");
      if (o.rvar.given)
        CHECK(same_bits(o.rvar[ch], rv), where(c, ch) + ": runningVar changed in inference");
      continue;
    }
    const std::vector<int64_t> m = members(c, ch);
    bool finite = std::isfinite(rm) && std::isfinite(rv) && std::isfinite(c.momentum);
    for (int64_t e : m)
      finite = finite && std::isfinite(c.x[e]);
    const RefStats ref = ref_stats(c.x, m);
    const double count = static_cast<double>(m.size());
    const double want_m = (1 - c.momentum) * rm + c.momentum * ref.mean;
    const double want_v = (1 - c.momentum) * rv + c.momentum * ref.var * count / (count - 1);
    if (o.rmean.given && finite && std::fabs(want_m) <= kSafe && std::fabs(ref.mean) <= kSafe)
      CHECK(std::isfinite(o.rmean[ch]),
            where(c, ch) + ": runningMean " + num(o.rmean[ch]) + ", exact " + num(want_m));
    if (o.rvar.given && finite && std::fabs(want_v) <= kSafe && ref.var <= kSafe)
      CHECK(std::isfinite(o.rvar[ch]),
            where(c, ch) + ": runningVar " + num(o.rvar[ch]) + ", exact " + num(want_v));
    if (finite)
      check_running_values(c, o, ch, ref, count);
  }
}

// Inference is element-wise: y = (x - rm) * gamma / sqrt(rv + eps) + beta, a handful of float32
// roundings from the exact value.
void check_batch_norm_inference(const Case& c, const Outputs& o) {
  for (int64_t e = 0; e < c.total; ++e) {
    const int64_t ch = affine_index(c, e);
    const double x = c.x[e], rm = value_or(c.rmean, ch, 0), rv = value_or(c.rvar, ch, 1);
    const double g = value_or(c.gamma, ch, 1), b = value_or(c.beta, ch, 0);
    if (std::isnan(x))
      CHECK(std::isnan(o.y[e]), where(c, ch, e) + ": NaN in x, y = " + num(o.y[e]));
    if (!std::isfinite(x) || !std::isfinite(rm) || !std::isfinite(rv) || !std::isfinite(g) ||
        !std::isfinite(b))
      continue;
    if (!(c.eps > 0) || !(rv + c.eps > 0) || std::fmax(std::fabs(x), std::fabs(rm)) > kSafe)
      continue;
    const double scale = g / std::sqrt(rv + c.eps), t = (x - rm) * scale;
    if (std::fabs(t) > kSafe || std::fabs(b) > kSafe || std::fabs(scale) > kMaxScale)
      continue;
    CHECK(std::isfinite(o.y[e]),
          where(c, ch, e) + ": y = " + num(o.y[e]) + ", exact " + num(t + b));
    // (x - rm), the float32 scale, the product and the sum each round once (u relative each); a
    // subnormal scale or product is off by up to FLT_TRUE_MIN absolute instead.
    const double tol =
        4 * kU * (std::fabs(t) + std::fabs(t + b)) + FLT_TRUE_MIN * (std::fabs(x - rm) + 2);
    CHECK(std::fabs(o.y[e] - (t + b)) <= tol, where(c, ch, e) + ": y = " + num(o.y[e]) +
                                                  ", exact " + num(t + b) + ", tolerance " +
                                                  num(tol));
  }
}

void check_rms(const Case& c, const Outputs& o) {
  const int64_t len = c.shape.c * c.shape.s;
  for (int64_t i = 0; i < c.shape.n; ++i) {
    bool finite = true;
    double sq = 0, maxabs = 0;
    for (int64_t e = i * len; e < (i + 1) * len; ++e) {
      finite = finite && std::isfinite(c.x[e]);
      sq += double{c.x[e]} * c.x[e];
      maxabs = std::fmax(maxabs, std::fabs(c.x[e]));
    }
    if (!finite) {
      for (int64_t e = i * len; e < (i + 1) * len; ++e)
        CHECK(std::isnan(o.y[e]), where(c, i, e) + ": y not NaN in a sample holding NaN/Inf");
      if (o.mean.given)
        CHECK(std::isnan(o.mean[i]), where(c, i) + ": rms not NaN in a sample holding NaN/Inf");
      continue;
    }
    const double rms = std::sqrt(sq / static_cast<double>(len) + c.eps);
    if (o.mean.given) {
      CHECK(o.mean[i] >= 0, where(c, i) + ": rms " + num(o.mean[i]));
      if (rms <= kSafe && rms >= FLT_MIN) {
        CHECK(std::fabs(o.mean[i] - rms) <= 64 * kU * rms,
              where(c, i) + ": rms " + num(o.mean[i]) + ", exact " + num(rms));
      }
    }
    if (!(c.eps > 0) || 1 / rms > kMaxScale)
      continue;
    const bool rms_normal = rms <= kHuge && rms >= kTiny;
    for (int64_t e = i * len; e < (i + 1) * len; ++e) {
      const int64_t a = e % len;
      const double g = value_or(c.gamma, a, 1);
      if (!std::isfinite(g))
        continue;
      const double t = c.x[e] / rms * g;
      // Against the reference: the rms's own error (64 roundings, checked above) and the
      // roundings of the division and the product.
      if (rms_normal && std::fabs(t) <= kHuge && std::fabs(g) <= kHuge) {
        // A product below FLT_MIN may underflow on the way: up to FLT_MIN absolute, times gamma.
        const double tol =
            std::fabs(t) * 68 * kU + FLT_MIN * (std::fabs(g) / rms + std::fabs(g) + 2);
        CHECK(std::fabs(o.y[e] - t) <= tol, where(c, i, e) + ": y = " + num(o.y[e]) +
                                                ", reference " + num(t) + ", tolerance " +
                                                num(tol));
      }
      if (std::fabs(t) <= kSafe)
        CHECK(std::isfinite(o.y[e]), where(c, i, e) + ": y = " + num(o.y[e]) + ", exact " + num(t) +
                                         " (x " + num(c.x[e]) + ", rms " + num(rms) + ", max |x| " +
                                         num(maxabs) + ")");
    }
  }
}

void check_sample(const Case& c, const Outputs& o) {
  // Deterministic: the same arguments give the same bytes.
  Status st = Status::Ok();
  const Outputs again = run_fresh(c, c.x, &st);
  CHECK(st.ok(), st.message());
  CHECK(same_floats(o.y.data.get(), again.y.data.get(), static_cast<size_t>(o.y.len())),
        "sample: two calls with the same seed differ");
  const SampleArgs& a = c.sample;
  if (a.distribution == Distribution::kUniform && !c.gamma.given && !c.beta.given &&
      std::fabs(a.low) <= kSafe && std::fabs(a.high) <= kSafe) {
    const float lo = static_cast<float>(a.low), hi = static_cast<float>(a.high);
    for (int64_t i = 0; i < o.y.len(); ++i)
      CHECK(o.y[i] >= lo && o.y[i] <= hi,
            "sample: uniform value " + num(o.y[i]) + " outside [" + num(lo) + ", " + num(hi) + "]");
  }
  if (a.distribution == Distribution::kNormal && std::fabs(a.mean) <= 1e30 && a.std <= 1e30 &&
      all_finite(c.gamma) && all_finite(c.beta)) {
    bool small_affine = true;
    for (int64_t i = 0; i < c.gamma.len(); ++i)
      small_affine = small_affine && std::fabs(c.gamma[i]) <= 1e30;
    for (int64_t i = 0; i < c.beta.len(); ++i)
      small_affine = small_affine && std::fabs(c.beta[i]) <= 1e6;
    if (small_affine)
      for (int64_t i = 0; i < o.y.len(); ++i)
        CHECK(std::isfinite(o.y[i]), "sample: normal value " + num(o.y[i]));
  }
}

// ---------------------------------------------------------------------------------------------

void check_format_number(Reader& r) {
  const double v = r.f64();
  const std::string text = format_number(v);
  if (std::isnan(v)) {
    CHECK(text == "NaN", text);
    return;
  }
  if (std::isinf(v)) {
    CHECK(text == (v > 0 ? "Infinity" : "-Infinity"), text);
    return;
  }
  CHECK(!text.empty() && text.find_first_not_of("0123456789.e+-") == std::string::npos,
        num(v) + " -> " + text);
  CHECK(text.find('-', 1) == std::string::npos || text.find("e-") != std::string::npos,
        num(v) + " -> " + text);
  char* end = nullptr;
  const double back = std::strtod(text.c_str(), &end);
  CHECK(*end == '\0', num(v) + " -> " + text);
  // Nine significant digits: within half a unit of the ninth digit (and integers below 1e18
  // exactly).
  const double a = std::fabs(v);
  if (a == std::floor(a) && a < 1e18) {
    CHECK(back == v || (v == 0 && back == 0), num(v) + " -> " + text);
  } else {
    CHECK(std::fabs(back - v) <= 5.0001e-9 * a,
          num(v) + " -> " + text + " reads back as " + num(back));
  }
}

// ---------------------------------------------------------------------------------------------
// One input, step by step: decode the case, call, then check a rejected or an accepted call.

// Counts and set sizes that follow from the shape and the operation.
void derive_counts(Case& k, uint8_t groups_code) {
  const Shape& sh = k.shape;
  auto dim_ok = [](int64_t d) { return d >= 1 && d <= kMaxElements; };
  // Each dimension <= 2^32 first, so that the 128-bit product cannot overflow.
  const bool dims_ok = dim_ok(sh.n) && dim_ok(sh.c) && dim_ok(sh.s);
  const __int128 total = dims_ok ? __int128{sh.n} * sh.c * sh.s : 0;
  k.shape_ok = dims_ok && total <= kMaxElements;
  k.total = count_or_1(k.shape_ok, total);
  k.c = count_or_1(k.shape_ok, sh.c);
  k.groups = k.op == kGroup ? decode_groups(groups_code, sh.c) : k.op == kInstance ? sh.c : 1;
  const bool per_element_affine = k.op == kLayer || k.op == kRms;
  k.affine = count_or_1(k.shape_ok, per_element_affine ? __int128{sh.c} * sh.s : sh.c);
  switch (k.op) {
    case kBnTrain:
    case kBnInfer:
      k.sets = k.stat_sets = k.c;
      break;
    case kLayer:
    case kRms:
      k.sets = k.stat_sets = count_or_1(k.shape_ok, sh.n);
      break;
    case kInstance:
    case kGroup:
      k.stat_sets = divides(k.groups, sh.c) ? count_or_1(k.shape_ok, __int128{sh.n} * k.groups) : 1;
      k.sets = k.stat_sets;
      break;
    default:
      break;
  }
}

// The arrays the operation takes, each given or omitted at the right or a wrong size.
void make_buffers(Case& k, const uint8_t (&size_codes)[10]) {
  // Inputs: x, then gamma/offset, beta/scale, runningMean, runningVar.
  const bool bn = k.op == kBnTrain || k.op == kBnInfer;
  const int64_t param_size = k.op == kSample ? k.c : k.affine;
  const int64_t n = count_or_1(k.shape_ok, k.shape.n);
  if (k.op != kSample)
    k.x = make_buf(size_codes[0], k.total, true);
  k.gamma = make_buf(size_codes[1], param_size, false);
  if (k.op != kRms)
    k.beta = make_buf(size_codes[2], param_size, false);
  if (bn) {
    k.rmean = make_buf(size_codes[3], k.c, false);
    k.rvar = make_buf(size_codes[4], k.c, false);
  }
  // Outputs.
  k.y = make_buf(size_codes[5], k.total, true);
  if (k.op != kSample)
    k.mean = make_buf(size_codes[6], k.op == kRms ? n : k.stat_sets, false);
  if (k.op != kSample && k.op != kRms)
    k.var = make_buf(size_codes[7], k.stat_sets, false);
  // With k.alias, the running statistics are updated in place: the output arrays are the input
  // arrays (a role the API allows to alias), so they are valid exactly when the inputs are.
  if (bn && !k.alias) {
    k.out_rmean = make_buf(size_codes[8], k.c, false);
    k.out_rvar = make_buf(size_codes[9], k.c, false);
  }
}

void decode_sample_args(Case& k, uint8_t distribution_code, Reader& r) {
  static const Distribution kDist[5] = {Distribution::kNormal, Distribution::kUniform,
                                        Distribution::kLognormal, Distribution::kBimodal,
                                        Distribution::kStudentT};
  SampleArgs& a = k.sample;
  a.distribution = kDist[distribution_code % 5];
  a.shape = k.shape;
  double* params[8] = {&a.mean, &a.std, &a.low, &a.high, &a.mu, &a.sigma, &a.separation, &a.df};
  const SampleArgs defaults;
  const double* fallback[8] = {&defaults.mean,       &defaults.std, &defaults.low,
                               &defaults.high,       &defaults.mu,  &defaults.sigma,
                               &defaults.separation, &defaults.df};
  for (int i = 0; i < 8; ++i) {
    const uint8_t b = r.u8();
    *params[i] = b < 0x40 ? *fallback[i] : decode_param(b, r);
  }
  a.seed = r.u64();
}

// Everything but the op byte (read by run) and format_number's cases.
Case decode_case(Op op, Reader& r) {
  Case k;
  k.op = op;
  const uint8_t dims[3] = {r.u8(), r.u8(), r.u8()};
  k.shape = {decode_dim(dims[0]), decode_dim(dims[1]), dims[2] < 0x80 ? 1 : decode_dim(dims[2])};
  const uint8_t groups_code = r.u8(), eps_code = r.u8(), momentum_code = r.u8(), flags = r.u8();
  uint8_t size_codes[10], value_codes[15];
  for (uint8_t& b : size_codes)
    b = r.u8();
  for (uint8_t& b : value_codes)
    b = r.u8();
  derive_counts(k, groups_code);
  k.eps = decode_eps(eps_code, r, k.op == kRms ? kDefaultRmsEps : kDefaultEps);
  k.momentum = decode_momentum(momentum_code, r);
  k.alias = (flags & 1) != 0;
  make_buffers(k, size_codes);
  if (k.op == kSample)
    decode_sample_args(k, groups_code, r);
  Buf* inputs[5] = {&k.x, &k.gamma, &k.beta, &k.rmean, &k.rvar};
  for (int i = 0; i < 5; ++i) {
    const ValueCode code =
        decode_value_code(value_codes[3 * i], value_codes[3 * i + 1], value_codes[3 * i + 2]);
    fill_values(*inputs[i], code, r);
  }
  // Running variance is a variance: keep it >= 0 unless the input asks otherwise (flags bit 1).
  if (!(flags & 2))
    for (int64_t i = 0; i < k.rvar.len(); ++i)
      k.rvar.data[i] = std::fabs(k.rvar.data[i]);
  return k;
}

using Snapshot = std::vector<std::vector<float>>;

// A failing call: invalid arguments, a message naming the function, nothing written or modified.
void check_rejected(const Case& k, const Status& status, const Snapshot& before) {
  const std::string fn = kFnName[k.op];
  CHECK(!expected_valid(k), "valid arguments rejected: " + status.message());
  CHECK(status.message().rfind(fn + ": ", 0) == 0 && status.message().size() > fn.size() + 2,
        "message does not start with \"" + fn + ": \": " + status.message());
  for (const Buf* b : {&k.y, &k.mean, &k.var, &k.out_rmean, &k.out_rvar}) {
    for (int64_t i = 0; i < b->len(); ++i)
      CHECK(is_sentinel(b->data[i]), fn + ": an output was written before an error");
  }
  const Buf* inputs[5] = {&k.x, &k.gamma, &k.beta, &k.rmean, &k.rvar};
  for (int i = 0; i < 5; ++i) {
    CHECK(same_floats(before[i].data(), inputs[i]->data.get(), before[i].size()),
          fn + ": an input was modified by a failing call");
  }
}

// Batch norm with the running statistics updated in place: the results must equal a call with
// separate outputs. Returns the in-place results and restores the inputs for the other checks.
Outputs take_in_place_outputs(Case& k, const Snapshot& before) {
  Outputs o;
  o.y = std::move(k.y);
  o.mean = std::move(k.mean);
  o.var = std::move(k.var);
  Buf rm_in, rv_in;
  const Buf* inputs[2] = {&k.rmean, &k.rvar};
  for (int which = 0; which < 2; ++which) {
    Buf& dst = which == 0 ? rm_in : rv_in;
    dst.given = inputs[which]->given;
    dst.size = inputs[which]->size;
    if (dst.given) {
      dst.data.reset(new float[static_cast<size_t>(dst.len())]);
      std::copy(before[3 + which].begin(), before[3 + which].end(), dst.data.get());
    }
  }
  std::swap(k.rmean, rm_in);  // k.rmean/k.rvar: the original inputs again
  std::swap(k.rvar, rv_in);
  o.rmean = std::move(rm_in);  // the in-place results
  o.rvar = std::move(rv_in);
  k.out_rmean = clone_output(k.rmean);
  k.out_rvar = clone_output(k.rvar);
  k.y = clone_output(o.y);
  k.mean = clone_output(o.mean);
  k.var = clone_output(o.var);
  Status st = Status::Ok();
  const Outputs separate = run_fresh(k, k.x, &st);
  CHECK(st.ok(), st.message());
  for (int64_t i = 0; i < o.rmean.len(); ++i)
    CHECK(same_bits(o.rmean[i], separate.rmean[i]),
          "batchNorm: in-place runningMean differs from a separate output");
  for (int64_t i = 0; i < o.rvar.len(); ++i)
    CHECK(same_bits(o.rvar[i], separate.rvar[i]),
          "batchNorm: in-place runningVar differs from a separate output");
  for (int64_t i = 0; i < o.y.len(); ++i)
    CHECK(same_bits(o.y[i], separate.y[i]),
          "batchNorm: y differs with in-place running statistics");
  k.alias = false;
  return o;
}

// The outputs of a successful call, with k's output buffers replaced by fresh ones of the same
// sizes (the checks that call the core again use them).
Outputs take_outputs(Case& k, const Snapshot& before) {
  const bool bn = k.op == kBnTrain || k.op == kBnInfer;
  Outputs o;
  if (bn && k.alias) {
    o = take_in_place_outputs(k, before);
  } else {
    o.y = std::move(k.y);
    o.mean = std::move(k.mean);
    o.var = std::move(k.var);
    o.rmean = std::move(k.out_rmean);
    o.rvar = std::move(k.out_rvar);
    k.out_rmean = clone_output(o.rmean);
    k.out_rvar = clone_output(o.rvar);
  }
  k.y = clone_output(o.y);
  k.mean = clone_output(o.mean);
  k.var = clone_output(o.var);
  return o;
}

// A successful call: valid arguments, inputs untouched, every output written, then the
// operation's own checks.
void check_accepted(Case& k, const Snapshot& before) {
  const std::string fn = kFnName[k.op];
  const bool bn = k.op == kBnTrain || k.op == kBnInfer;
  CHECK(expected_valid(k), fn + ": invalid arguments accepted (shape [" +
                               std::to_string(k.shape.n) + ", " + std::to_string(k.shape.c) + ", " +
                               std::to_string(k.shape.s) + "], eps " + num(k.eps) + ", momentum " +
                               num(k.momentum) + ")");
  const Buf* inputs[5] = {&k.x, &k.gamma, &k.beta, &k.rmean, &k.rvar};
  for (int i = 0; i < 5; ++i) {
    if (bn && k.alias && (i == 3 || i == 4))
      continue;
    CHECK(same_floats(before[i].data(), inputs[i]->data.get(), before[i].size()),
          fn + ": an input was modified");
  }
  const Outputs o = take_outputs(k, before);
  for (const Buf* b : {&o.y, &o.mean, &o.var, &o.rmean, &o.rvar}) {
    for (int64_t i = 0; i < b->len(); ++i)
      CHECK(!is_sentinel((*b)[i]), fn + ": an output element was not written");
  }
  switch (k.op) {
    case kBnTrain:
      check_sets(k, o);
      check_batch_norm_running(k, o);
      break;
    case kBnInfer:
      check_batch_norm_running(k, o);
      check_batch_norm_inference(k, o);
      break;
    case kLayer:
    case kInstance:
    case kGroup:
      check_sets(k, o);
      break;
    case kRms:
      check_rms(k, o);
      break;
    case kSample:
      check_sample(k, o);
      break;
    default:
      break;
  }
}

void run(const uint8_t* data, size_t size) {
  Reader r(data, size);
  const Op op = static_cast<Op>(r.u8() % kOpCount);
  if (op == kFormat) {
    check_format_number(r);
    return;
  }
  Case k = decode_case(op, r);
  Snapshot before;
  for (const Buf* b : {&k.x, &k.gamma, &k.beta, &k.rmean, &k.rvar})
    before.push_back(b->copy());
  for (Buf* b : {&k.y, &k.mean, &k.var, &k.out_rmean, &k.out_rvar})
    fill_sentinel(*b);

  // The call: aliased running statistics are the input buffers themselves.
  const bool bn = k.op == kBnTrain || k.op == kBnInfer;
  const Buf& orm = k.alias && bn ? k.rmean : k.out_rmean;
  const Buf& orv = k.alias && bn ? k.rvar : k.out_rvar;
  const Status status = call(k, k.y, k.mean, k.var, orm, orv, k.x);
  if (status.ok()) {
    check_accepted(k, before);
  } else {
    check_rejected(k, status, before);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  run(data, size);
  return 0;
}
