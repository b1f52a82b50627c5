// Argument errors: every bad argument of every function gives a non-ok Status whose message names
// the function, the argument, the value given and what was expected, and nothing is written.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "harness.h"
#include "normcore/ops.h"
#include "normcore/sampler.h"
#include "validate.h"

namespace reftest {
namespace {

using normcore::Input;
using normcore::Output;

enum class Fn { kBatchNorm, kLayerNorm, kInstanceNorm, kGroupNorm, kRmsNorm, kSample };

const char* fn_name(Fn fn) {
  switch (fn) {
    case Fn::kBatchNorm:
      return "batchNorm";
    case Fn::kLayerNorm:
      return "layerNorm";
    case Fn::kInstanceNorm:
      return "instanceNorm";
    case Fn::kGroupNorm:
      return "groupNorm";
    case Fn::kRmsNorm:
      return "rmsNorm";
    case Fn::kSample:
      return "sample";
  }
  return "?";
}

constexpr float kSentinel = -31337.25f;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
// Every buffer holds this many floats, more than any valid or wrong size used below, so a size
// that is too large cannot make a faulty check read or write out of bounds.
constexpr int64_t kRoom = 64;

// One valid call of one function, shape [2, 6, 2] (n*c*s = 24, c = 6, c*s = 12, groups = 3),
// with every optional input and output given; each error case breaks one thing in it.
struct Call {
  explicit Call(Fn f) : fn(f) {
    Rng rng(61);
    for (auto* b : {&x, &gamma, &beta, &run_mean, &offset, &scale})
      *b = uniform_data(rng, kRoom, -1, 1);
    run_var = uniform_data(rng, kRoom, 0.5, 2);
    for (auto* b : {&y, &mean, &var, &run_mean_out, &run_var_out, &rms})
      b->assign(kRoom, kSentinel);
    const Shape sh{2, 6, 2};
    const int64_t total = 24, c = 6, cs = 12;
    switch (fn) {
      case Fn::kBatchNorm:
        bn.shape = sh;
        bn.x = view(x, total);
        bn.gamma = view(gamma, c);
        bn.beta = view(beta, c);
        bn.running_mean = view(run_mean, c);
        bn.running_var = view(run_var, c);
        bn_out = {slot(y, total), slot(mean, c), slot(var, c), slot(run_mean_out, c),
                  slot(run_var_out, c)};
        break;
      case Fn::kLayerNorm:
      case Fn::kInstanceNorm:
      case Fn::kGroupNorm: {
        const int64_t affine = fn == Fn::kLayerNorm ? cs : c;
        const int64_t sets = fn == Fn::kLayerNorm ? 2 : fn == Fn::kInstanceNorm ? 12 : 6;
        norm.shape = sh;
        norm.x = view(x, total);
        norm.gamma = view(gamma, affine);
        norm.beta = view(beta, affine);
        norm_out = {slot(y, total), slot(mean, sets), slot(var, sets)};
        break;
      }
      case Fn::kRmsNorm:
        rmsn.shape = sh;
        rmsn.x = view(x, total);
        rmsn.gamma = view(gamma, cs);
        rms_out = {slot(y, total), slot(rms, 2)};
        break;
      case Fn::kSample:
        smp.shape = sh;
        smp.offset = view(offset, c);
        smp.scale = view(scale, c);
        smp_out = slot(y, total);
        break;
    }
  }

  static Input view(const std::vector<float>& b, int64_t size) { return {b.data(), size}; }
  static Output slot(std::vector<float>& b, int64_t size) { return {b.data(), size}; }

  normcore::Status run() {
    switch (fn) {
      case Fn::kBatchNorm:
        return normcore::batch_norm(bn, bn_out);
      case Fn::kLayerNorm:
        return normcore::layer_norm(norm, norm_out);
      case Fn::kInstanceNorm:
        return normcore::instance_norm(norm, norm_out);
      case Fn::kGroupNorm:
        return normcore::group_norm(norm, groups, norm_out);
      case Fn::kRmsNorm:
        return normcore::rms_norm(rmsn, rms_out);
      case Fn::kSample:
        return normcore::sample(smp, smp_out);
    }
    return normcore::Status::Error("unreachable");
  }

  // The argument every function has, wherever it lives.
  Shape& shape() {
    switch (fn) {
      case Fn::kBatchNorm:
        return bn.shape;
      case Fn::kRmsNorm:
        return rmsn.shape;
      case Fn::kSample:
        return smp.shape;
      default:
        return norm.shape;
    }
  }
  Output& y_out() {
    switch (fn) {
      case Fn::kBatchNorm:
        return bn_out.y;
      case Fn::kRmsNorm:
        return rms_out.y;
      case Fn::kSample:
        return smp_out;
      default:
        return norm_out.y;
    }
  }
  Input& x_in() {  // not for sample
    return fn == Fn::kBatchNorm ? bn.x : fn == Fn::kRmsNorm ? rmsn.x : norm.x;
  }
  Input& gamma_in() {
    return fn == Fn::kBatchNorm ? bn.gamma : fn == Fn::kRmsNorm ? rmsn.gamma : norm.gamma;
  }
  double& eps() { return fn == Fn::kBatchNorm ? bn.eps : fn == Fn::kRmsNorm ? rmsn.eps : norm.eps; }

  bool outputs_untouched() const {
    for (const auto* b : {&y, &mean, &var, &run_mean_out, &run_var_out, &rms}) {
      for (float v : *b) {
        if (std::memcmp(&v, &kSentinel, sizeof v) != 0)
          return false;
      }
    }
    return true;
  }

  Fn fn;
  int64_t groups = 3;
  std::vector<float> x, gamma, beta, run_mean, run_var, offset, scale;
  std::vector<float> y, mean, var, run_mean_out, run_var_out, rms;
  normcore::BatchNormArgs bn;
  normcore::BatchNormResult bn_out;
  normcore::NormArgs norm;
  normcore::NormResult norm_out;
  normcore::RmsNormArgs rmsn;
  normcore::RmsNormResult rms_out;
  normcore::SampleArgs smp;
  Output smp_out;
};

// What one case breaks: which argument, and the value it gets. Array sizes use kMissing for an
// omitted array.
enum class Arg {
  kShape,         // shape = `shape`
  kLargestShape,  // n*c*s = 2^32 - 1, the largest valid count (groups 1, sample offset/scale off)
  kTrainingOneValue,  // batch norm training with n*s = 1 (x and y resized to match)
  kGroups,
  kEps,
  kMomentum,
  kX,
  kY,
  kGamma,
  kBeta,
  kRunningMean,
  kRunningVar,
  kMeanOut,
  kVarOut,
  kRunningMeanOut,
  kRunningVarOut,
  kRmsOut,
  kOffset,
  kScale,
  kSampleParam,  // distribution `dist`, parameter `param` = value
};
constexpr double kMissing = -1;

struct Edit {
  Arg arg;
  double value = 0;
  Shape shape = {};
  normcore::Distribution dist = normcore::Distribution::kNormal;
  double normcore::SampleArgs::*param = nullptr;
};

Input& resized(Input& in, double size) {
  in = size == kMissing ? Input{} : Input{in.data, static_cast<int64_t>(size)};
  return in;
}
Output& resized(Output& out, double size) {
  out = size == kMissing ? Output{} : Output{out.data, static_cast<int64_t>(size)};
  return out;
}

void apply(const Edit& e, Call& k) {
  const bool bn = k.fn == Fn::kBatchNorm;
  switch (e.arg) {
    case Arg::kShape:
      k.shape() = e.shape;
      break;
    case Arg::kLargestShape:
      k.shape() = {65535, 65537, 1};  // 65537 is prime: group norm needs groups = 1
      k.groups = 1;
      k.smp.offset = k.smp.scale = {};  // sized for c = 6
      break;
    case Arg::kTrainingOneValue:
      k.bn.shape = {1, 6, 1};
      k.bn.x.size = 6;
      k.bn_out.y.size = 6;
      break;
    case Arg::kGroups:
      k.groups = static_cast<int64_t>(e.value);
      break;
    case Arg::kEps:
      k.eps() = e.value;
      break;
    case Arg::kMomentum:
      k.bn.momentum = e.value;
      break;
    case Arg::kX:
      resized(k.x_in(), e.value);
      break;
    case Arg::kY:
      resized(k.y_out(), e.value);
      break;
    case Arg::kGamma:
      resized(k.gamma_in(), e.value);
      break;
    case Arg::kBeta:
      resized(bn ? k.bn.beta : k.norm.beta, e.value);
      break;
    case Arg::kRunningMean:
      resized(k.bn.running_mean, e.value);
      break;
    case Arg::kRunningVar:
      resized(k.bn.running_var, e.value);
      break;
    case Arg::kMeanOut:
      resized(bn ? k.bn_out.mean : k.norm_out.mean, e.value);
      break;
    case Arg::kVarOut:
      resized(bn ? k.bn_out.var : k.norm_out.var, e.value);
      break;
    case Arg::kRunningMeanOut:
      resized(k.bn_out.running_mean, e.value);
      break;
    case Arg::kRunningVarOut:
      resized(k.bn_out.running_var, e.value);
      break;
    case Arg::kRmsOut:
      resized(k.rms_out.rms, e.value);
      break;
    case Arg::kOffset:
      resized(k.smp.offset, e.value);
      break;
    case Arg::kScale:
      resized(k.smp.scale, e.value);
      break;
    case Arg::kSampleParam:
      k.smp.distribution = e.dist;
      k.smp.*e.param = e.value;
      break;
  }
}

struct ErrorCase {
  Fn fn;
  std::string label;
  Edit edit;
  std::vector<std::string> expect;  // substrings of the message, after "<function>: "
};

// One row of the table: the functions it applies to, then one case per function.
struct Row {
  std::vector<Fn> fns;
  std::string label;
  Edit edit;
  std::vector<std::string> expect;
};

Edit shape(int64_t n, int64_t c, int64_t s) {
  return {Arg::kShape, 0, {n, c, s}};
}
Edit set(Arg arg, double value) {
  return {arg, value};
}
Edit param(normcore::Distribution d, double normcore::SampleArgs::*p, double value) {
  return {Arg::kSampleParam, value, {}, d, p};
}

std::vector<ErrorCase> error_cases() {
  using normcore::Distribution;
  using normcore::SampleArgs;
  const Fn bn = Fn::kBatchNorm, ln = Fn::kLayerNorm, in = Fn::kInstanceNorm, gn = Fn::kGroupNorm,
           rms = Fn::kRmsNorm, sm = Fn::kSample;
  const std::vector<Fn> ops = {bn, ln, in, gn, rms}, all = {bn, ln, in, gn, rms, sm};
  const std::string whole = "expected a whole number >= 1", at_most = "expected at most 4294967295",
                    finite = "expected a finite number",
                    eps_range = "expected a finite number >= 0",
                    momentum_range = "expected a number in [0, 1]", x24 = "expected n*c*s = 24";
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  // Products beyond int64 appear as doubles, in the messages' number format.
  const std::string beyond66 = normcore::format_number(0x1p66),
                    beyond63 = normcore::format_number(0x1p63 * 6);

  const std::vector<Row> rows = {
      // Shapes, for every function.
      {all, "n zero", shape(0, 6, 2), {"n is 0", whole}},
      {all, "c negative", shape(2, -3, 2), {"c is -3", whole}},
      {all, "s zero", shape(2, 6, 0), {"s is 0", whole}},
      {all, "s negative", shape(2, 6, -1), {"s is -1", whole}},
      {all,
       "n*c*s = 2049^3 over 2^32-1",
       shape(2049, 2049, 2049),
       {"n*c*s = 8602523649 elements", at_most}},
      {all,
       "n*c*s = 2^32, one past the limit",
       shape(65536, 65536, 1),
       {"n*c*s = 4294967296 elements", at_most}},
      {all,
       "n*c*s = 2^66 overflows int64",
       shape(1 << 22, 1 << 22, 1 << 22),
       {"n*c*s = " + beyond66 + " elements", at_most}},
      {all, "n = INT64_MAX", shape(kMax, 2, 3), {"n*c*s = " + beyond63 + " elements", at_most}},
      // n*c*s = 2^32 - 1 is valid, so the first complaint is the 24-value x (or output).
      {ops,
       "n*c*s = 2^32-1 is accepted",
       set(Arg::kLargestShape, 0),
       {"x has 24 values, expected n*c*s = 4294967295"}},
      {{sm},
       "n*c*s = 2^32-1 is accepted",
       set(Arg::kLargestShape, 0),
       {"output values has 24 values, expected n*c*s = 4294967295"}},

      // x, eps and y, for the five operations.
      {ops, "x missing", set(Arg::kX, kMissing), {"x is missing", x24}},
      {ops, "x short", set(Arg::kX, 23), {"x has 23 values", x24}},
      {ops, "x long", set(Arg::kX, 25), {"x has 25 values", x24}},
      {ops, "x empty", set(Arg::kX, 0), {"x has 0 values", x24}},
      {ops, "eps negative", set(Arg::kEps, -0.5), {"eps is -0.5", eps_range}},
      {ops, "eps NaN", set(Arg::kEps, kNaN), {"eps is NaN", eps_range}},
      {ops, "eps Inf", set(Arg::kEps, kInf), {"eps is Infinity", eps_range}},
      {ops, "y missing", set(Arg::kY, kMissing), {"output y is missing", x24}},
      {ops, "y short", set(Arg::kY, 12), {"output y has 12 values", x24}},

      // gamma and beta: per channel, except per element [c*s] for layer and rms norm.
      {{bn}, "gamma wrong length", set(Arg::kGamma, 12), {"gamma has 12 values", "expected c = 6"}},
      {{bn}, "beta wrong length", set(Arg::kBeta, 12), {"beta has 12 values", "expected c = 6"}},
      {{ln},
       "gamma wrong length",
       set(Arg::kGamma, 6),
       {"gamma has 6 values", "expected c*s = 12"}},
      {{ln}, "beta wrong length", set(Arg::kBeta, 6), {"beta has 6 values", "expected c*s = 12"}},
      {{in}, "gamma wrong length", set(Arg::kGamma, 12), {"gamma has 12 values", "expected c = 6"}},
      {{in}, "beta wrong length", set(Arg::kBeta, 12), {"beta has 12 values", "expected c = 6"}},
      {{gn}, "gamma wrong length", set(Arg::kGamma, 5), {"gamma has 5 values", "expected c = 6"}},
      {{gn}, "beta wrong length", set(Arg::kBeta, 5), {"beta has 5 values", "expected c = 6"}},
      {{rms},
       "gamma wrong length",
       set(Arg::kGamma, 6),
       {"gamma has 6 values", "expected c*s = 12"}},

      // Batch norm only.
      {{bn},
       "runningMean wrong length",
       set(Arg::kRunningMean, 5),
       {"runningMean has 5 values", "expected c = 6"}},
      {{bn},
       "runningVar wrong length",
       set(Arg::kRunningVar, 7),
       {"runningVar has 7 values", "expected c = 6"}},
      {{bn}, "momentum negative", set(Arg::kMomentum, -0.1), {"momentum is -0.1", momentum_range}},
      {{bn}, "momentum above 1", set(Arg::kMomentum, 1.5), {"momentum is 1.5", momentum_range}},
      {{bn}, "momentum NaN", set(Arg::kMomentum, kNaN), {"momentum is NaN", momentum_range}},
      {{bn}, "momentum Inf", set(Arg::kMomentum, kInf), {"momentum is Infinity", momentum_range}},
      {{bn},
       "training with n*s = 1",
       set(Arg::kTrainingOneValue, 0),
       {"training", "n*s = 1", "more than one value per channel"}},
      {{bn},
       "output mean wrong size",
       set(Arg::kMeanOut, 2),
       {"output mean has 2 values", "expected c = 6"}},
      {{bn},
       "output var wrong size",
       set(Arg::kVarOut, 24),
       {"output var has 24 values", "expected c = 6"}},
      {{bn},
       "output runningMean wrong size",
       set(Arg::kRunningMeanOut, 5),
       {"output runningMean has 5 values", "expected c = 6"}},
      {{bn},
       "output runningVar wrong size",
       set(Arg::kRunningVarOut, 0),
       {"output runningVar has 0 values", "expected c = 6"}},

      // Statistic outputs of the per-sample norms, one per set.
      {{ln},
       "output mean wrong size",
       set(Arg::kMeanOut, 3),
       {"output mean has 3 values", "expected n = 2"}},
      {{ln},
       "output var wrong size",
       set(Arg::kVarOut, 24),
       {"output var has 24 values", "expected n = 2"}},
      {{in},
       "output mean wrong size",
       set(Arg::kMeanOut, 3),
       {"output mean has 3 values", "expected n*c = 12"}},
      {{in},
       "output var wrong size",
       set(Arg::kVarOut, 24),
       {"output var has 24 values", "expected n*c = 12"}},
      {{gn},
       "output mean wrong size",
       set(Arg::kMeanOut, 3),
       {"output mean has 3 values", "expected n*groups = 6"}},
      {{gn},
       "output var wrong size",
       set(Arg::kVarOut, 24),
       {"output var has 24 values", "expected n*groups = 6"}},
      {{rms},
       "output rms wrong size",
       set(Arg::kRmsOut, 12),
       {"output rms has 12 values", "expected n = 2"}},

      // Group counts.
      {{gn}, "groups zero", set(Arg::kGroups, 0), {"groups is 0", whole}},
      {{gn}, "groups negative", set(Arg::kGroups, -2), {"groups is -2", whole}},
      {{gn},
       "groups not dividing c",
       set(Arg::kGroups, 4),
       {"groups is 4", "expected a divisor of c = 6"}},
      {{gn},
       "groups above c",
       set(Arg::kGroups, 12),
       {"groups is 12", "expected a divisor of c = 6"}},

      // Sampler parameters: each distribution checks its own (uniform's low is 0 unless set).
      {{sm},
       "normal std negative",
       param(Distribution::kNormal, &SampleArgs::std, -1),
       {"std is -1", finite + " >= 0"}},
      {{sm},
       "normal std Inf",
       param(Distribution::kNormal, &SampleArgs::std, kInf),
       {"std is Infinity", finite}},
      {{sm},
       "normal mean NaN",
       param(Distribution::kNormal, &SampleArgs::mean, kNaN),
       {"mean is NaN", finite}},
      {{sm},
       "uniform high below low",
       param(Distribution::kUniform, &SampleArgs::low, 2),
       {"high is 1", finite + " >= 2"}},
      {{sm},
       "uniform low -Inf",
       param(Distribution::kUniform, &SampleArgs::low, -kInf),
       {"low is -Infinity", finite}},
      {{sm},
       "uniform high NaN",
       param(Distribution::kUniform, &SampleArgs::high, kNaN),
       {"high is NaN", finite}},
      {{sm},
       "lognormal sigma negative",
       param(Distribution::kLognormal, &SampleArgs::sigma, -0.5),
       {"sigma is -0.5", finite + " >= 0"}},
      {{sm},
       "lognormal mu Inf",
       param(Distribution::kLognormal, &SampleArgs::mu, kInf),
       {"mu is Infinity", finite}},
      {{sm},
       "bimodal separation negative",
       param(Distribution::kBimodal, &SampleArgs::separation, -4),
       {"separation is -4", finite + " >= 0"}},
      {{sm},
       "bimodal std negative",
       param(Distribution::kBimodal, &SampleArgs::std, -0.25),
       {"std is -0.25", finite + " >= 0"}},
      {{sm},
       "student-t df zero",
       param(Distribution::kStudentT, &SampleArgs::df, 0),
       {"df is 0", finite + " > 0"}},
      {{sm},
       "student-t df negative",
       param(Distribution::kStudentT, &SampleArgs::df, -3),
       {"df is -3", finite + " > 0"}},
      {{sm},
       "student-t df NaN",
       param(Distribution::kStudentT, &SampleArgs::df, kNaN),
       {"df is NaN", finite + " > 0"}},
      {{sm},
       "student-t df Inf",
       param(Distribution::kStudentT, &SampleArgs::df, kInf),
       {"df is Infinity", finite + " > 0"}},
      {{sm},
       "offset wrong length",
       set(Arg::kOffset, 12),
       {"offset has 12 values", "expected c = 6"}},
      {{sm}, "scale wrong length", set(Arg::kScale, 1), {"scale has 1 values", "expected c = 6"}},
      {{sm}, "output missing", set(Arg::kY, kMissing), {"output values is missing", x24}},
      {{sm}, "output wrong size", set(Arg::kY, 25), {"output values has 25 values", x24}},
  };

  std::vector<ErrorCase> cases;
  for (const Row& row : rows) {
    for (Fn f : row.fns)
      cases.push_back({f, row.label, row.edit, row.expect});
  }
  return cases;
}

void PrintTo(const ErrorCase& e, std::ostream* os) {
  *os << fn_name(e.fn) << ": " << e.label;
}

class Errors : public testing::TestWithParam<ErrorCase> {};

TEST_P(Errors, RejectedWithAMessageAndNothingWritten) {
  const ErrorCase& e = GetParam();
  Call call(e.fn);
  const std::vector<float> x = call.x, run_mean = call.run_mean, run_var = call.run_var;
  apply(e.edit, call);
  const normcore::Status st = call.run();
  ASSERT_FALSE(st.ok()) << "accepted";
  const std::string& msg = st.message();
  const std::string prefix = std::string(fn_name(e.fn)) + ": ";
  EXPECT_EQ(msg.compare(0, prefix.size(), prefix), 0)
      << "message does not start with \"" << prefix << "\": " << msg;
  for (const std::string& part : e.expect)
    EXPECT_NE(msg.find(part), std::string::npos) << "\"" << part << "\" not in: " << msg;
  EXPECT_TRUE(call.outputs_untouched()) << "an output was written";
  EXPECT_EQ(call.x, x);
  EXPECT_EQ(call.run_mean, run_mean);
  EXPECT_EQ(call.run_var, run_var);
}

std::string error_name(const testing::TestParamInfo<ErrorCase>& info) {
  std::string name = std::string(fn_name(info.param.fn)) + "_" + info.param.label;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch)))
      ch = '_';
  }
  return std::to_string(info.index) + "_" + name;
}

INSTANTIATE_TEST_SUITE_P(EveryArgument, Errors, testing::ValuesIn(error_cases()), error_name);

// The unbroken calls succeed and write their outputs, so each error above is due to its mutation.
TEST(ErrorsBaseline, EveryUnbrokenCallSucceeds) {
  for (Fn f : {Fn::kBatchNorm, Fn::kLayerNorm, Fn::kInstanceNorm, Fn::kGroupNorm, Fn::kRmsNorm,
               Fn::kSample}) {
    SCOPED_TRACE(fn_name(f));
    Call call(f);
    const normcore::Status st = call.run();
    ASSERT_TRUE(st.ok()) << st.message();
    EXPECT_FALSE(call.outputs_untouched());
    EXPECT_NE(call.y[23], kSentinel);
    EXPECT_EQ(call.y[24], kSentinel) << "wrote past the end of y";
  }
}

// The example of DESIGN.md, word for word.
TEST(ErrorsBaseline, DesignExampleMessage) {
  const std::vector<float> x(10, 1.f);
  std::vector<float> y(12);
  normcore::BatchNormArgs a;
  a.shape = {2, 3, 2};
  a.x = in(x);
  const normcore::Status st = normcore::batch_norm(a, {out(y), {}, {}, {}, {}});
  EXPECT_EQ(st.message(), "batchNorm: x has 10 values, expected n*c*s = 12");
}

// Training needs two values per channel; inference is fine with one.
TEST(ErrorsBaseline, InferenceWithOneValuePerChannelIsFine) {
  Call call(Fn::kBatchNorm);
  call.bn.shape = {1, 6, 1};
  call.bn.x.size = 6;
  call.bn_out.y.size = 6;
  call.bn.training = false;
  const normcore::Status st = call.run();
  EXPECT_TRUE(st.ok()) << st.message();
}

// Each distribution reads only its own parameters: a nonsense std does not stop a uniform draw.
TEST(ErrorsBaseline, SamplerIgnoresOtherDistributionsParameters) {
  Call call(Fn::kSample);
  call.smp.distribution = normcore::Distribution::kUniform;
  call.smp.std = -1;
  call.smp.df = 0;
  call.smp.sigma = kNaN;
  const normcore::Status st = call.run();
  EXPECT_TRUE(st.ok()) << st.message();
}

// Numbers in messages read as JavaScript prints them: integers in full, others with up to 9
// significant digits, exponent form below 1e-6 and from 1e21, NaN and Infinity by name.
TEST(FormatNumber, ReadsLikeJavaScript) {
  using normcore::format_number;
  EXPECT_EQ(format_number(0), "0");
  EXPECT_EQ(format_number(-3), "-3");
  EXPECT_EQ(format_number(8602523649.0), "8602523649");
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(-0.5), "-0.5");
  EXPECT_EQ(format_number(1.5), "1.5");
  EXPECT_EQ(format_number(-1e-5), "-0.00001");
  EXPECT_EQ(format_number(1e-7), "1e-7");
  EXPECT_EQ(format_number(123456.789), "123456.789");
  EXPECT_EQ(format_number(1.0 / 3), "0.333333333");
  EXPECT_EQ(format_number(9.9999999996), "10");
  EXPECT_EQ(format_number(2.5e21), "2.5e+21");
  EXPECT_EQ(format_number(kNaN), "NaN");
  EXPECT_EQ(format_number(kInf), "Infinity");
  EXPECT_EQ(format_number(-kInf), "-Infinity");
}

TEST(ParseDistribution, KnowsTheFiveNames) {
  using normcore::Distribution;
  const struct {
    const char* name;
    Distribution d;
  } names[] = {{"normal", Distribution::kNormal},
               {"uniform", Distribution::kUniform},
               {"lognormal", Distribution::kLognormal},
               {"bimodal", Distribution::kBimodal},
               {"student-t", Distribution::kStudentT}};
  for (const auto& n : names) {
    Distribution d = n.d == Distribution::kNormal ? Distribution::kUniform : Distribution::kNormal;
    EXPECT_TRUE(normcore::parse_distribution(n.name, &d)) << n.name;
    EXPECT_EQ(d, n.d) << n.name;
  }
}

TEST(ParseDistribution, RejectsUnknownNamesAndLeavesTheOutputAlone) {
  for (const char* name : {"", "Normal", "NORMAL", "gaussian", "normal ", " normal", "student_t",
                           "studentt", "t", "log-normal", "bimodal2", "poisson"}) {
    normcore::Distribution d = normcore::Distribution::kBimodal;
    EXPECT_FALSE(normcore::parse_distribution(name, &d)) << "\"" << name << "\"";
    EXPECT_EQ(d, normcore::Distribution::kBimodal) << "\"" << name << "\"";
  }
  normcore::Distribution d = normcore::Distribution::kBimodal;
  EXPECT_FALSE(normcore::parse_distribution(std::string("normal\0x", 8), &d)) << "embedded NUL";
}

}  // namespace
}  // namespace reftest
