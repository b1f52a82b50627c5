// The two-pass statistics (cpp/src/set_stats.cpp) and their fallback to three passes: which path
// a set takes depends on its own values only, so a set's results never change with its
// neighbours; and the fallback still meets the accuracy contract.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "harness.h"

namespace reftest {
namespace {

bool same_bits(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// Batch norm over [rows, cols]: column 1 is altered in `other`; every other column's outputs and
// statistics must be bit for bit those of `base`.
void expect_other_columns_unchanged(int64_t rows,
                                    int64_t cols,
                                    const std::vector<float>& base,
                                    const std::vector<float>& other) {
  const Shape sh{rows, cols, 1};
  const Got a = run_op(Op::kBatchNorm, sh, 0, base, {}, {}, 1e-5);
  const Got b = run_op(Op::kBatchNorm, sh, 0, other, {}, {}, 1e-5);
  ASSERT_TRUE(a.status.ok() && b.status.ok());
  for (int64_t c = 0; c < cols; ++c) {
    if (c == 1)
      continue;
    EXPECT_TRUE(same_bits(a.mean[c], b.mean[c])) << "mean of column " << c;
    EXPECT_TRUE(same_bits(a.var[c], b.var[c])) << "var of column " << c;
    for (int64_t r = 0; r < rows; ++r)
      EXPECT_TRUE(same_bits(a.y[r * cols + c], b.y[r * cols + c]))
          << "y at row " << r << ", column " << c;
  }
}

std::vector<float> columns_data(int64_t rows, int64_t cols) {
  Rng rng(7);
  return normal_data(rng, rows * cols, 3.0, 2.0);
}

// Found by the fuzzer: a NaN column next to columns whose values the fallback would have
// recomputed had it run for every column.
TEST(TwoPass, ANaNColumnLeavesTheOtherColumnsAsTheyWere) {
  const int64_t rows = 16, cols = 5;
  std::vector<float> base = columns_data(rows, cols);
  for (int64_t r = 0; r < rows; ++r)
    base[r * cols + 1] = 0.f;  // a constant column: its test fails, it takes three passes
  std::vector<float> poisoned = base;
  poisoned[3 * cols + 1] = NAN;
  expect_other_columns_unchanged(rows, cols, base, poisoned);
}

TEST(TwoPass, AColumnTakingTheFallbackLeavesTheOtherColumnsAsTheyWere) {
  const int64_t rows = 300, cols = 7;
  const std::vector<float> base = columns_data(rows, cols);
  std::vector<float> outlier = base;
  outlier[1] = 1e6f;  // row 0 is sampled for the shift: the test fails for column 1
  expect_other_columns_unchanged(rows, cols, base, outlier);
}

// An outlier in every sampled position of a set: each row's sampled shift is far from its mean,
// so every set takes the three passes, and still meets DESIGN.md's 1e-4 at |mean|/std = 100.
TEST(TwoPass, FallbackMeetsTheAccuracyContract) {
  const Shape sh{4, 1, 4096};
  Rng rng(11);
  std::vector<float> x = normal_data(rng, total_of(sh), 100.0, 1.0);
  for (int64_t i = 0; i < total_of(sh); i += 256)
    x[i] = 1e5f;
  const Got got = run_op(Op::kLayerNorm, sh, 0, x, {}, {}, 1e-5);
  ASSERT_TRUE(got.status.ok());
  const Reference ref = reference(Op::kLayerNorm, sh, 0, x, {}, {}, 1e-5);
  expect_y_close(sh, got.y, ref.y, 1e-4);
}

// A sample of at most 16 values (layer norm over rows of 1 to 16) takes two plain passes in double
// instead of the shifted float sums: it meets the accuracy contract far from zero and with an
// outlier first, for every row length on both sides of the switch, and a NaN or Inf in a row
// makes that row's statistics NaN and leaves the other rows alone.
TEST(TwoPass, ShortRowsMeetTheReference) {
  for (int64_t len = 1; len <= 20; ++len) {
    const Shape sh{6, len, 1};
    Rng rng(static_cast<uint64_t>(40 + len));
    std::vector<float> x = normal_data(rng, total_of(sh), 1e4, 1.0);
    x[len] = 1e6f;  // row 1 starts with an outlier
    const Got got = run_op(Op::kLayerNorm, sh, 0, x, {}, {}, 1e-5);
    ASSERT_TRUE(got.status.ok()) << "row length " << len;
    const Reference ref = reference(Op::kLayerNorm, sh, 0, x, {}, {}, 1e-5);
    expect_y_close(sh, got.y, ref.y, 1e-4);
    expect_stats_close(Op::kLayerNorm, got, ref, 1e-5);

    for (const float bad : {NAN, INFINITY, -INFINITY}) {
      std::vector<float> poisoned = x;
      poisoned[2 * len + len / 2] = bad;  // row 2
      const Got p = run_op(Op::kLayerNorm, sh, 0, poisoned, {}, {}, 1e-5);
      ASSERT_TRUE(p.status.ok());
      EXPECT_TRUE(std::isnan(p.mean[2]) && std::isnan(p.var[2])) << "row length " << len;
      for (const int64_t row : {0, 1, 3}) {
        EXPECT_TRUE(same_bits(p.mean[row], got.mean[row])) << "row " << row << ", length " << len;
        EXPECT_TRUE(same_bits(p.var[row], got.var[row])) << "row " << row << ", length " << len;
      }
    }
  }
}

// Batch norm over [rows, cols] walks x in blocks of 64 rows by tiles of eight columns, then four,
// then single columns. Every column must get the same sums in the same order wherever it falls:
// the first five columns of a [300, 20] matrix (tiles of eight and four) and the same five as a
// [300, 5] matrix (a tile of four, column 4 alone) agree bit for bit, statistics and outputs,
// including a column whose test fails (column 1: an outlier in a sampled row) and one past the
// 64-row blocks.
TEST(TwoPass, ColumnsAgreeWhicheverTileTheyFallIn) {
  const int64_t rows = 300, narrow = 5, wide = 20;
  const std::vector<float> big = columns_data(rows, wide);
  std::vector<float> wide_x = big, narrow_x(rows * narrow);
  wide_x[1] = 1e6f;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < narrow; ++c)
      narrow_x[r * narrow + c] = wide_x[r * wide + c];
  }
  const Got a = run_op(Op::kBatchNorm, {rows, narrow, 1}, 0, narrow_x, {}, {}, 1e-5);
  const Got b = run_op(Op::kBatchNorm, {rows, wide, 1}, 0, wide_x, {}, {}, 1e-5);
  ASSERT_TRUE(a.status.ok() && b.status.ok());
  for (int64_t c = 0; c < narrow; ++c) {
    EXPECT_TRUE(same_bits(a.mean[c], b.mean[c])) << "mean of column " << c;
    EXPECT_TRUE(same_bits(a.var[c], b.var[c])) << "var of column " << c;
    for (int64_t r = 0; r < rows; ++r)
      EXPECT_TRUE(same_bits(a.y[r * narrow + c], b.y[r * wide + c]))
          << "y at row " << r << ", column " << c;
  }
}

}  // namespace
}  // namespace reftest
