// The sampler: the same bytes for the same seed, different values for different seeds, the
// moments of each distribution, and the per-channel offset and scale.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "harness.h"
#include "normcore/sampler.h"

namespace reftest {
namespace {

using normcore::Distribution;
using normcore::SampleArgs;

constexpr int64_t kCount = 200000;

std::vector<float> draw(SampleArgs a) {
  std::vector<float> v(static_cast<size_t>(total_of(a.shape)), NAN);
  const normcore::Status st = normcore::sample(a, out(v));
  EXPECT_TRUE(st.ok()) << st.message();
  return v;
}

SampleArgs args(Distribution d, uint64_t seed, Shape shape = {kCount, 1, 1}) {
  SampleArgs a;
  a.distribution = d;
  a.shape = shape;
  a.seed = seed;
  return a;
}

struct Moments {
  double mean = 0, var = 0;
};
Moments moments(const std::vector<float>& v) {
  long double s = 0, sq = 0;
  for (float f : v)
    s += f;
  const long double m = s / v.size();
  for (float f : v)
    sq += (f - m) * (f - m);
  return {static_cast<double>(m), static_cast<double>(sq / v.size())};
}

const Distribution kAll[] = {Distribution::kNormal, Distribution::kUniform,
                             Distribution::kLognormal, Distribution::kBimodal,
                             Distribution::kStudentT};

TEST(Sampler, SameSeedSameBytes) {
  for (Distribution d : kAll) {
    SCOPED_TRACE(static_cast<int>(d));
    const std::vector<float> a = draw(args(d, 1234, {7, 3, 5})), b = draw(args(d, 1234, {7, 3, 5}));
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
  }
}

// Seeds that differ in one low bit, in the high word only, or are zero, give unrelated streams.
TEST(Sampler, DifferentSeedsDiffer) {
  const uint64_t seeds[] = {0, 1, 2, uint64_t{1} << 32, uint64_t{1} << 63, 0xFFFFFFFFFFFFFFFFull};
  for (Distribution d : kAll) {
    std::vector<std::vector<float>> streams;
    for (uint64_t seed : seeds)
      streams.push_back(draw(args(d, seed, {1000, 1, 1})));
    for (size_t i = 0; i < streams.size(); ++i) {
      for (size_t j = i + 1; j < streams.size(); ++j) {
        int equal = 0;
        for (size_t k = 0; k < streams[i].size(); ++k)
          equal += streams[i][k] == streams[j][k];
        EXPECT_LT(equal, 10) << "distribution " << static_cast<int>(d) << ", seeds " << seeds[i]
                             << " and " << seeds[j];
      }
    }
  }
}

// Tolerances below are ~6-9 standard errors of the estimate at 200,000 draws (given per line):
// loose enough never to flake for a fixed seed, tight enough to catch a wrong parameter or formula.
TEST(Sampler, NormalMeanAndStd) {
  SampleArgs a = args(Distribution::kNormal, 1);
  a.mean = 2;
  a.std = 3;
  const Moments m = moments(draw(a));
  EXPECT_NEAR(m.mean, 2, 0.05);            // se 3/sqrt(2e5) = 0.0067
  EXPECT_NEAR(std::sqrt(m.var), 3, 0.03);  // se 3/sqrt(4e5) = 0.0047
}

TEST(Sampler, UniformRangeAndMean) {
  SampleArgs a = args(Distribution::kUniform, 2);
  a.low = -1;
  a.high = 3;
  const std::vector<float> v = draw(a);
  float lo = v[0], hi = v[0];
  for (float f : v) {
    ASSERT_GE(f, -1.f);
    ASSERT_LE(f, 3.f);
    lo = std::fmin(lo, f);
    hi = std::fmax(hi, f);
  }
  EXPECT_LT(lo, -0.999f);  // some draw within 1e-3 of each end: misses with probability e^-50
  EXPECT_GT(hi, 2.999f);
  const Moments m = moments(v);
  EXPECT_NEAR(m.mean, 1, 0.02);         // se 4/sqrt(12*2e5) = 0.0026
  EXPECT_NEAR(m.var, 16.0 / 12, 0.02);  // se 0.0027
}

TEST(Sampler, LognormalMeanIsExpMuPlusHalfSigmaSquared) {
  SampleArgs a = args(Distribution::kLognormal, 3);
  a.mu = 0.5;
  a.sigma = 0.5;
  const std::vector<float> v = draw(a);
  int below_median = 0;
  for (float f : v) {
    ASSERT_GT(f, 0.f);
    below_median += f < std::exp(0.5);
  }
  EXPECT_NEAR(moments(v).mean, std::exp(0.5 + 0.125), 0.015);  // se sqrt(0.99/2e5) = 0.0022
  EXPECT_NEAR(below_median / double(kCount), 0.5, 0.01);       // median exp(mu); se 0.0011
}

TEST(Sampler, BimodalHasTwoModesAtPlusMinusHalfTheSeparation) {
  SampleArgs a = args(Distribution::kBimodal, 4);
  a.separation = 6;
  a.std = 0.5;
  std::vector<float> pos, neg;
  for (float f : draw(a))
    (f > 0 ? pos : neg).push_back(f);
  EXPECT_NEAR(pos.size() / double(kCount), 0.5, 0.01);  // se 0.0011
  const Moments p = moments(pos), n = moments(neg);
  EXPECT_NEAR(p.mean, 3, 0.01);  // se 0.5/sqrt(1e5) = 0.0016
  EXPECT_NEAR(n.mean, -3, 0.01);
  EXPECT_NEAR(std::sqrt(p.var), 0.5, 0.01);  // se 0.0011
  EXPECT_NEAR(std::sqrt(n.var), 0.5, 0.01);
}

// Student-t with df = 5: variance df/(df-2) = 5/3, and heavy tails: P(|t| > 4.032) = 1% (the
// normal's is 0.005%), which a wrong df or a plain normal would miss by far.
TEST(Sampler, StudentTVarianceAndTails) {
  SampleArgs a = args(Distribution::kStudentT, 5);
  a.df = 5;
  const std::vector<float> v = draw(a);
  const Moments m = moments(v);
  EXPECT_NEAR(m.mean, 0, 0.02);      // se sqrt(5/3/2e5) = 0.0029
  EXPECT_NEAR(m.var, 5.0 / 3, 0.1);  // se ~0.011, but a heavy-tailed estimate: "roughly"
  int tail = 0;
  for (float f : v)
    tail += std::fabs(f) > 4.032f;
  EXPECT_NEAR(tail / double(kCount), 0.01, 0.002);  // se 0.00022
}

// value = offset[c] + scale[c] * draw, channel c = (i / s) % c: the same seed with and without the
// affine agrees up to float32 rounding, and each channel's moments follow its own offset/scale.
TEST(Sampler, PerChannelOffsetAndScale) {
  const Shape sh{20000, 3, 2};
  const std::vector<float> offset{10, -5, 0}, scale{1, 2, 0.5};
  SampleArgs plain = args(Distribution::kNormal, 6, sh);
  SampleArgs affine = plain;
  affine.offset = in(offset);
  affine.scale = in(scale);
  const std::vector<float> p = draw(plain), v = draw(affine);
  std::vector<std::vector<float>> per_channel(3);
  for (int64_t i = 0; i < total_of(sh); ++i) {
    const int64_t ch = (i / sh.s) % sh.c;
    const double want = offset[ch] + scale[ch] * static_cast<double>(p[i]);
    // Both values are float32 roundings of the same double draw: within one float32 ulp of each.
    const double tol = 0x1p-23 * (std::fabs(want) + std::fabs(scale[ch] * p[i]));
    ASSERT_NEAR(v[i], want, tol) << "at " << where(sh, i);
    per_channel[ch].push_back(v[i]);
  }
  for (int ch = 0; ch < 3; ++ch) {
    const Moments m = moments(per_channel[ch]);
    EXPECT_NEAR(m.mean, offset[ch], 0.03 * scale[ch]) << "channel " << ch;  // se 0.005 scale
    EXPECT_NEAR(std::sqrt(m.var), scale[ch], 0.02 * scale[ch])
        << "channel " << ch;  // se 0.0035 scale
  }
}

// Degenerate but valid parameters: std 0 gives the mean, low == high gives low.
TEST(Sampler, ZeroSpreadGivesTheLocation) {
  SampleArgs n = args(Distribution::kNormal, 7, {5, 3, 3});
  n.mean = 1.25;
  n.std = 0;
  for (float f : draw(n))
    ASSERT_EQ(f, 1.25f);
  SampleArgs u = args(Distribution::kUniform, 7, {5, 3, 3});
  u.low = u.high = -2.5;
  for (float f : draw(u))
    ASSERT_EQ(f, -2.5f);
}

}  // namespace
}  // namespace reftest
