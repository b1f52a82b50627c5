// Every operation against the float64 reference on seeded random data, over shapes around the
// vector width (1..9, 17, 33) and a few large ones; gamma/beta given and omitted; several eps.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "harness.h"

namespace reftest {
namespace {

// The design's bound for |mean|/std <= 100 with gamma = 1; with |gamma| up to 2 the error scales by
// it.
constexpr double kYTol = 1e-4;
// Stats: 1e-5 relative (see expect_stats_close). The kernels keep ~1e-6 (float block sums of
// <= 256 values flushed to double); 1e-5 leaves room and still catches any lost term or factor.
constexpr double kStatRel = 1e-5;

struct OpCase {
  Op op;
  Shape shape;
  int64_t groups;  // group norm only
  double eps;
  bool affine;  // random gamma and beta given, else both omitted
};

// Batch norm with s == 1 runs the column kernel, s > 1 the row kernel. Sizes straddle the
// vector width 4, the 64-row flush of the column kernel and the 256-float blocks of the row kernel.
const OpCase kCases[] = {
    {Op::kBatchNorm, {2, 1, 1}, 0, 1e-5, false},
    {Op::kBatchNorm, {3, 5, 1}, 0, 1e-5, true},
    {Op::kBatchNorm, {7, 9, 1}, 0, 1e-5, false},
    {Op::kBatchNorm, {17, 33, 1}, 0, 1e-3, true},
    {Op::kBatchNorm, {33, 4, 1}, 0, 0.0, false},
    {Op::kBatchNorm, {129, 7, 1}, 0, 1e-5, true},
    {Op::kBatchNorm, {4096, 256, 1}, 0, 1e-5, true},
    {Op::kBatchNorm, {1, 3, 2}, 0, 1e-5, false},
    {Op::kBatchNorm, {2, 7, 5}, 0, 1e-5, true},
    {Op::kBatchNorm, {5, 2, 17}, 0, 0.0, true},
    {Op::kBatchNorm, {4, 3, 33}, 0, 1e-5, false},
    {Op::kBatchNorm, {3, 2, 1031}, 0, 1e-5, true},
    {Op::kBatchNorm, {32, 64, 196}, 0, 1e-5, true},
    {Op::kLayerNorm, {1, 1, 1}, 0, 1e-5, true},
    {Op::kLayerNorm, {2, 3, 1}, 0, 1e-5, false},
    {Op::kLayerNorm, {3, 5, 7}, 0, 1e-5, true},
    {Op::kLayerNorm, {4, 9, 1}, 0, 0.0, true},
    {Op::kLayerNorm, {5, 1, 33}, 0, 1e-5, false},
    {Op::kLayerNorm, {7, 8, 9}, 0, 1e-3, true},
    {Op::kLayerNorm, {2, 1031, 1}, 0, 1e-5, true},
    {Op::kLayerNorm, {32, 64, 196}, 0, 1e-5, true},
    {Op::kInstanceNorm, {1, 1, 2}, 0, 1e-5, false},
    {Op::kInstanceNorm, {2, 3, 5}, 0, 1e-5, true},
    {Op::kInstanceNorm, {3, 7, 9}, 0, 0.0, true},
    {Op::kInstanceNorm, {5, 4, 17}, 0, 1e-5, false},
    {Op::kInstanceNorm, {2, 33, 8}, 0, 1e-5, true},
    {Op::kInstanceNorm, {2, 3, 1}, 0, 1e-5, true},  // one value per set: var 0, y = beta
    {Op::kInstanceNorm, {32, 64, 196}, 0, 1e-5, true},
    {Op::kGroupNorm, {2, 6, 5}, 1, 1e-5, true},
    {Op::kGroupNorm, {2, 6, 5}, 2, 1e-5, false},
    {Op::kGroupNorm, {2, 6, 5}, 3, 1e-5, true},
    {Op::kGroupNorm, {2, 6, 5}, 6, 1e-5, true},
    {Op::kGroupNorm, {3, 9, 7}, 3, 0.0, true},
    {Op::kGroupNorm, {1, 8, 33}, 4, 1e-5, false},
    {Op::kGroupNorm, {4, 33, 3}, 11, 1e-5, true},
    {Op::kGroupNorm, {5, 4, 1}, 2, 1e-5, true},
    {Op::kGroupNorm, {2, 32, 49}, 8, 1e-5, true},
    {Op::kGroupNorm, {32, 64, 196}, 8, 1e-5, true},
    {Op::kGroupNorm, {32, 64, 196}, 32, 1e-5, false},
    {Op::kRmsNorm, {1, 1, 1}, 0, 1e-6, false},
    {Op::kRmsNorm, {2, 3, 5}, 0, 1e-6, true},
    {Op::kRmsNorm, {3, 7, 1}, 0, 0.0, true},
    {Op::kRmsNorm, {5, 9, 4}, 0, 1e-6, false},
    {Op::kRmsNorm, {4, 17, 33}, 0, 1e-3, true},
    {Op::kRmsNorm, {32, 64, 196}, 0, 1e-6, true},
};

void PrintTo(const OpCase& p, std::ostream* os) {
  *os << op_name(p.op) << " " << shape_str(p.shape) << " groups " << p.groups << " eps " << p.eps
      << (p.affine ? " gamma/beta given" : " gamma/beta omitted");
}

std::string case_name(const testing::TestParamInfo<OpCase>& info) {
  const OpCase& p = info.param;
  std::string name = std::to_string(info.index) + "_" + op_name(p.op) + "_" +
                     std::to_string(p.shape.n) + "x" + std::to_string(p.shape.c) + "x" +
                     std::to_string(p.shape.s);
  if (p.op == Op::kGroupNorm)
    name += "_g" + std::to_string(p.groups);
  if (p.affine)
    name += "_affine";
  if (p.eps == 0)
    name += "_eps0";
  return name;
}

// Channels differ as real activations do: per-channel mean in [-5, 5] and std in [0.5, 2].
std::vector<float> activations(Rng& rng, const Shape& sh) {
  std::vector<double> mean(sh.c), std(sh.c);
  for (int64_t ch = 0; ch < sh.c; ++ch) {
    mean[ch] = rng.uniform(-5, 5);
    std[ch] = rng.uniform(0.5, 2);
  }
  std::vector<float> x(static_cast<size_t>(total_of(sh)));
  for (size_t i = 0; i < x.size(); ++i) {
    const int64_t ch = (static_cast<int64_t>(i) / sh.s) % sh.c;
    x[i] = static_cast<float>(mean[ch] + std[ch] * rng.normal());
  }
  return x;
}

// Runs one case against the reference; gamma in [-2, 2], beta in [-1, 1] when affine.
void check_case(const OpCase& p, uint64_t seed) {
  Rng rng(seed);
  const std::vector<float> x = activations(rng, p.shape);
  std::vector<float> gamma, beta;
  if (p.affine) {
    gamma = uniform_data(rng, affine_size(p.op, p.shape), -2, 2);
    beta = uniform_data(rng, affine_size(p.op, p.shape), -1, 1);
  }
  const Got got = run_op(p.op, p.shape, p.groups, x, gamma, beta, p.eps);
  ASSERT_TRUE(got.status.ok()) << got.status.message();
  const Reference ref = reference(p.op, p.shape, p.groups, x, gamma, beta, p.eps);
  double gmax = 1;
  for (float g : gamma)
    gmax = std::max(gmax, static_cast<double>(std::fabs(g)));
  expect_y_close(p.shape, got.y, ref.y, kYTol * gmax);
  expect_stats_close(p.op, got, ref, kStatRel);
}

class OpsVsReference : public testing::TestWithParam<OpCase> {};

TEST_P(OpsVsReference, MatchesFloat64Reference) {
  const OpCase& p = GetParam();
  SCOPED_TRACE(std::string(op_name(p.op)) + " shape " + shape_str(p.shape) + " groups " +
               std::to_string(p.groups) + " eps " + std::to_string(p.eps) +
               (p.affine ? " gamma/beta given" : " gamma/beta omitted"));
  check_case(p, 1000 + p.shape.n * 31 + p.shape.c * 7 + p.shape.s + p.groups);
}

INSTANTIATE_TEST_SUITE_P(Cases, OpsVsReference, testing::ValuesIn(kCases), case_name);

// Every n, c, s in {1, 2, 3, 4, 5, 7, 8, 9, 17, 33} for every operation (group norm with every
// divisor of c as its group count); stops at the first failing shape so the report stays short.
TEST(OpsVsReferenceSweep, EveryShapeAroundTheVectorWidth) {
  const int64_t sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 17, 33};
  const Op ops[] = {Op::kBatchNorm, Op::kLayerNorm, Op::kInstanceNorm, Op::kGroupNorm,
                    Op::kRmsNorm};
  uint64_t seed = 1;
  int cases = 0;
  for (Op op : ops) {
    for (int64_t n : sizes) {
      for (int64_t c : sizes) {
        for (int64_t s : sizes) {
          if (op == Op::kBatchNorm && n * s == 1)
            continue;  // an error in training; see errors_test
          for (int64_t g = 1; g <= c; ++g) {
            if (c % g != 0 || (op != Op::kGroupNorm && g > 1))
              continue;
            const OpCase p{op, {n, c, s}, g, op == Op::kRmsNorm ? 1e-6 : 1e-5, (seed % 2) == 0};
            SCOPED_TRACE(std::string(op_name(op)) + " shape " + shape_str(p.shape) + " groups " +
                         std::to_string(g) +
                         (p.affine ? " gamma/beta given" : " gamma/beta omitted"));
            check_case(p, seed++);
            ++cases;
            if (HasFailure())
              return;
          }
        }
      }
    }
  }
  EXPECT_EQ(
      cases,
      5 * 1000 - 10 +
          1500);  // batch norm skips 10 shapes; group norm adds 1500 (15 extra divisors x 100)
}

}  // namespace
}  // namespace reftest
