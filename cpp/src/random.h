// A small, fully specified random generator (xoshiro128** seeded by splitmix64), so that a seed
// means the same stream wherever the module runs; and the standard transforms on top of it.
#pragma once

#include <cmath>
#include <cstdint>

namespace normcore {

class Random {
 public:
  explicit Random(uint64_t seed) {
    for (uint32_t& word : s_) {
      seed += 0x9E3779B97F4A7C15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      word = static_cast<uint32_t>((z ^ (z >> 31)) >> 32);
    }
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0)
      s_[0] = 1;  // the all-zero state is a fixed point
  }

  uint32_t next() {
    const uint32_t result = rotl(s_[1] * 5, 7) * 9;
    const uint32_t t = s_[1] << 9;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 11);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() {
    const uint64_t hi = next() >> 5, lo = next() >> 6;
    return static_cast<double>((hi << 26) | lo) * 0x1.0p-53;
  }

  // Standard normal by Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
  double normal() {
    const double r = std::sqrt(-2.0 * std::log(1.0 - uniform()));
    return r * std::cos(6.283185307179586 * uniform());
  }

  // Gamma(shape, 1) by Marsaglia and Tsang; shape < 1 boosted by u^(1/shape).
  double gamma(double shape) {
    if (shape < 1)
      return gamma(shape + 1) * std::pow(1.0 - uniform(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      const double z = normal(), t = 1 + c * z;
      if (t <= 0)
        continue;
      const double v = t * t * t, u = 1.0 - uniform();
      if (std::log(u) < 0.5 * z * z + d - d * v + d * std::log(v))
        return d * v;
    }
  }

 private:
  static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
  uint32_t s_[4];
};

}  // namespace normcore
