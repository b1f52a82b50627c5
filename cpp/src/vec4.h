// A four-lane float vector: WebAssembly SIMD when compiled with -msimd128, SSE in a native x86-64
// build, plain scalar code otherwise (the scalar WebAssembly build). Kernels are written once
// against it, so every build runs the same arithmetic in the same order and they agree bit for bit.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace normcore {

// The running maximum of |x| the statistics need, kept as IEEE bit patterns compared as integers:
// for non-negative floats the integer order of the patterns is the numeric order, and every NaN
// pattern lies above +Inf. So the result is the exact max |x| when all values are finite, and
// non-finite (Inf, or NaN when any value was NaN) exactly when some value was: the same answers as
// a NaN-propagating float max, for one integer max per lane (f32x4.max is a long instruction
// sequence on x86, i32x4.max_s is one). `m` holds a result of earlier calls (initially 0).
inline float absmax(float m, float v) {
  int32_t a, b;
  std::memcpy(&a, &m, sizeof a);
  std::memcpy(&b, &v, sizeof b);
  b &= 0x7fffffff;
  const int32_t r = a > b ? a : b;
  float f;
  std::memcpy(&f, &r, sizeof f);
  return f;
}

#ifdef __wasm_simd128__
struct Vec4 {
  v128_t v;
};

inline Vec4 load4(const float* p) {
  return {wasm_v128_load(p)};
}
inline void store4(float* p, Vec4 a) {
  wasm_v128_store(p, a.v);
}
inline Vec4 splat4(float x) {
  return {wasm_f32x4_splat(x)};
}
inline Vec4 add4(Vec4 a, Vec4 b) {
  return {wasm_f32x4_add(a.v, b.v)};
}
inline Vec4 sub4(Vec4 a, Vec4 b) {
  return {wasm_f32x4_sub(a.v, b.v)};
}
inline Vec4 mul4(Vec4 a, Vec4 b) {
  return {wasm_f32x4_mul(a.v, b.v)};
}
// absmax lane by lane.
inline Vec4 absmax4(Vec4 m, Vec4 v) {
  return {wasm_i32x4_max(m.v, wasm_v128_and(v.v, wasm_i32x4_splat(0x7fffffff)))};
}
inline float lane(Vec4 a, int i) {
  switch (i) {
    case 0:
      return wasm_f32x4_extract_lane(a.v, 0);
    case 1:
      return wasm_f32x4_extract_lane(a.v, 1);
    case 2:
      return wasm_f32x4_extract_lane(a.v, 2);
    default:
      return wasm_f32x4_extract_lane(a.v, 3);
  }
}

#elif defined(__SSE2__)
// The native build on x86-64: the same four lanes in SSE registers, so native code runs the
// kernels as the SIMD build does (a struct of four floats left the vectorising to the compiler,
// which kept register tiles in memory).
struct Vec4 {
  __m128 v;
};

inline Vec4 load4(const float* p) {
  return {_mm_loadu_ps(p)};
}
inline void store4(float* p, Vec4 a) {
  _mm_storeu_ps(p, a.v);
}
inline Vec4 splat4(float x) {
  return {_mm_set1_ps(x)};
}
inline Vec4 add4(Vec4 a, Vec4 b) {
  return {_mm_add_ps(a.v, b.v)};
}
inline Vec4 sub4(Vec4 a, Vec4 b) {
  return {_mm_sub_ps(a.v, b.v)};
}
inline Vec4 mul4(Vec4 a, Vec4 b) {
  return {_mm_mul_ps(a.v, b.v)};
}
// absmax lane by lane: a signed integer max of the patterns (SSE2 has no 32-bit integer max).
inline Vec4 absmax4(Vec4 m, Vec4 v) {
  const __m128i a = _mm_castps_si128(m.v);
  const __m128i b = _mm_and_si128(_mm_castps_si128(v.v), _mm_set1_epi32(0x7fffffff));
  const __m128i a_wins = _mm_cmpgt_epi32(a, b);
  return {_mm_castsi128_ps(_mm_or_si128(_mm_and_si128(a_wins, a), _mm_andnot_si128(a_wins, b)))};
}
inline float lane(Vec4 a, int i) {
  alignas(16) float lanes[4];
  _mm_store_ps(lanes, a.v);
  return lanes[i];
}

#else
struct Vec4 {
  float v[4];
};

inline Vec4 load4(const float* p) {
  return {{p[0], p[1], p[2], p[3]}};
}
inline void store4(float* p, Vec4 a) {
  for (int i = 0; i < 4; ++i)
    p[i] = a.v[i];
}
inline Vec4 splat4(float x) {
  return {{x, x, x, x}};
}
inline Vec4 add4(Vec4 a, Vec4 b) {
  return {{a.v[0] + b.v[0], a.v[1] + b.v[1], a.v[2] + b.v[2], a.v[3] + b.v[3]}};
}
inline Vec4 sub4(Vec4 a, Vec4 b) {
  return {{a.v[0] - b.v[0], a.v[1] - b.v[1], a.v[2] - b.v[2], a.v[3] - b.v[3]}};
}
inline Vec4 mul4(Vec4 a, Vec4 b) {
  return {{a.v[0] * b.v[0], a.v[1] * b.v[1], a.v[2] * b.v[2], a.v[3] * b.v[3]}};
}
inline Vec4 absmax4(Vec4 m, Vec4 v) {
  return {{absmax(m.v[0], v.v[0]), absmax(m.v[1], v.v[1]), absmax(m.v[2], v.v[2]),
           absmax(m.v[3], v.v[3])}};
}
inline float lane(Vec4 a, int i) {
  return a.v[i];
}
#endif

}  // namespace normcore
