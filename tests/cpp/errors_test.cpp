// Argument errors: every bad argument of every function gives a non-ok Status whose message names
// the function, the argument, the value given and what was expected, and nothing is written.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <cstring>
#include <functional>
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

struct ErrorCase {
  Fn fn;
  std::string label;
  std::function<void(Call&)> mutate;
  std::vector<std::string> expect;  // substrings of the message, after "<function>: "
};

std::vector<ErrorCase> error_cases() {
  std::vector<ErrorCase> v;
  const Fn all[] = {Fn::kBatchNorm, Fn::kLayerNorm, Fn::kInstanceNorm,
                    Fn::kGroupNorm, Fn::kRmsNorm,   Fn::kSample};
  const Fn ops[] = {Fn::kBatchNorm, Fn::kLayerNorm, Fn::kInstanceNorm, Fn::kGroupNorm,
                    Fn::kRmsNorm};
  const std::string whole = "expected a whole number >= 1";
  const std::string at_most = "expected at most 4294967295";

  // Shapes, for every function.
  for (Fn f : all) {
    v.push_back({f, "n zero", [](Call& k) { k.shape().n = 0; }, {"n is 0", whole}});
    v.push_back({f, "c negative", [](Call& k) { k.shape().c = -3; }, {"c is -3", whole}});
    v.push_back({f, "s zero", [](Call& k) { k.shape().s = 0; }, {"s is 0", whole}});
    v.push_back({f, "s negative", [](Call& k) { k.shape().s = -1; }, {"s is -1", whole}});
    v.push_back({f,
                 "n*c*s = 2049^3 over 2^32-1",
                 [](Call& k) {
                   k.shape() = {2049, 2049, 2049};
                 },
                 {"n*c*s = 8602523649 elements", at_most}});
    v.push_back({f,
                 "n*c*s = 2^32, one past the limit",
                 [](Call& k) {
                   k.shape() = {65536, 65536, 1};
                 },
                 {"n*c*s = 4294967296 elements", at_most}});
    // Products beyond int64: the message shows them as doubles, in the messages' number format.
    v.push_back({f,
                 "n*c*s = 2^66 overflows int64",
                 [](Call& k) {
                   k.shape() = {1 << 22, 1 << 22, 1 << 22};
                 },
                 {"n*c*s = " + normcore::format_number(0x1p66) + " elements", at_most}});
    v.push_back({f,
                 "n = INT64_MAX",
                 [](Call& k) {
                   k.shape() = {std::numeric_limits<int64_t>::max(), 2, 3};
                 },
                 {"n*c*s = " + normcore::format_number(0x1p63 * 6) + " elements", at_most}});
  }
  // n*c*s = 2^32 - 1 exactly is a valid shape, so the first complaint is the 24-value x (or
  // output). 65537 is prime: group norm needs groups = 1 to get that far.
  for (Fn f : ops) {
    v.push_back({f,
                 "n*c*s = 2^32-1 is accepted",
                 [](Call& k) {
                   k.shape() = {65535, 65537, 1};
                   k.groups = 1;
                 },
                 {"x has 24 values, expected n*c*s = 4294967295"}});
  }
  v.push_back({Fn::kSample,
               "n*c*s = 2^32-1 is accepted",
               [](Call& k) {
                 k.shape() = {65535, 65537, 1};
                 k.smp.offset = k.smp.scale = {};  // sized for c = 6
               },
               {"output values has 24 values, expected n*c*s = 4294967295"}});

  // x, eps and y, for the five operations.
  for (Fn f : ops) {
    v.push_back(
        {f, "x missing", [](Call& k) { k.x_in() = {}; }, {"x is missing", "expected n*c*s = 24"}});
    v.push_back({f,
                 "x short",
                 [](Call& k) { k.x_in().size = 23; },
                 {"x has 23 values", "expected n*c*s = 24"}});
    v.push_back({f,
                 "x long",
                 [](Call& k) { k.x_in().size = 25; },
                 {"x has 25 values", "expected n*c*s = 24"}});
    v.push_back({f,
                 "x empty",
                 [](Call& k) { k.x_in().size = 0; },
                 {"x has 0 values", "expected n*c*s = 24"}});
    v.push_back({f,
                 "eps negative",
                 [](Call& k) { k.eps() = -0.5; },
                 {"eps is -0.5", "expected a finite number >= 0"}});
    v.push_back({f,
                 "eps NaN",
                 [](Call& k) { k.eps() = kNaN; },
                 {"eps is NaN", "expected a finite number >= 0"}});
    v.push_back({f,
                 "eps Inf",
                 [](Call& k) { k.eps() = kInf; },
                 {"eps is Infinity", "expected a finite number >= 0"}});
    v.push_back({f,
                 "y missing",
                 [](Call& k) { k.y_out() = {}; },
                 {"output y is missing", "expected n*c*s = 24"}});
    v.push_back({f,
                 "y short",
                 [](Call& k) { k.y_out().size = 12; },
                 {"output y has 12 values", "expected n*c*s = 24"}});
  }

  // gamma and beta: per channel, except per element [c*s] for layer and rms norm.
  const struct {
    Fn f;
    int64_t wrong;
    const char* expected;
  } affine[] = {{Fn::kBatchNorm, 12, "expected c = 6"},
                {Fn::kLayerNorm, 6, "expected c*s = 12"},
                {Fn::kInstanceNorm, 12, "expected c = 6"},
                {Fn::kGroupNorm, 5, "expected c = 6"},
                {Fn::kRmsNorm, 6, "expected c*s = 12"}};
  for (const auto& a : affine) {
    const int64_t wrong = a.wrong;
    const std::string has = " has " + std::to_string(wrong) + " values";
    v.push_back({a.f,
                 "gamma wrong length",
                 [wrong](Call& k) { k.gamma_in().size = wrong; },
                 {"gamma" + has, a.expected}});
    if (a.f == Fn::kRmsNorm)
      continue;
    v.push_back(
        {a.f,
         "beta wrong length",
         [wrong](Call& k) { (k.fn == Fn::kBatchNorm ? k.bn.beta : k.norm.beta).size = wrong; },
         {"beta" + has, a.expected}});
  }

  // Batch norm only.
  const Fn bn = Fn::kBatchNorm;
  v.push_back({bn,
               "runningMean wrong length",
               [](Call& k) { k.bn.running_mean.size = 5; },
               {"runningMean has 5 values", "expected c = 6"}});
  v.push_back({bn,
               "runningVar wrong length",
               [](Call& k) { k.bn.running_var.size = 7; },
               {"runningVar has 7 values", "expected c = 6"}});
  v.push_back({bn,
               "momentum negative",
               [](Call& k) { k.bn.momentum = -0.1; },
               {"momentum is -0.1", "expected a number in [0, 1]"}});
  v.push_back({bn,
               "momentum above 1",
               [](Call& k) { k.bn.momentum = 1.5; },
               {"momentum is 1.5", "expected a number in [0, 1]"}});
  v.push_back({bn,
               "momentum NaN",
               [](Call& k) { k.bn.momentum = kNaN; },
               {"momentum is NaN", "expected a number in [0, 1]"}});
  v.push_back({bn,
               "momentum Inf",
               [](Call& k) { k.bn.momentum = kInf; },
               {"momentum is Infinity", "expected a number in [0, 1]"}});
  v.push_back({bn,
               "training with n*s = 1",
               [](Call& k) {
                 k.bn.shape = {1, 6, 1};
                 k.bn.x.size = 6;
                 k.bn_out.y.size = 6;
               },
               {"training", "n*s = 1", "more than one value per channel"}});
  v.push_back({bn,
               "output mean wrong size",
               [](Call& k) { k.bn_out.mean.size = 2; },
               {"output mean has 2 values", "expected c = 6"}});
  v.push_back({bn,
               "output var wrong size",
               [](Call& k) { k.bn_out.var.size = 24; },
               {"output var has 24 values", "expected c = 6"}});
  v.push_back({bn,
               "output runningMean wrong size",
               [](Call& k) { k.bn_out.running_mean.size = 5; },
               {"output runningMean has 5 values", "expected c = 6"}});
  v.push_back({bn,
               "output runningVar wrong size",
               [](Call& k) { k.bn_out.running_var.size = 0; },
               {"output runningVar has 0 values", "expected c = 6"}});

  // Statistic outputs of the per-sample norms, one per set.
  const struct {
    Fn f;
    const char* expected;
  } sets[] = {{Fn::kLayerNorm, "expected n = 2"},
              {Fn::kInstanceNorm, "expected n*c = 12"},
              {Fn::kGroupNorm, "expected n*groups = 6"}};
  for (const auto& s : sets) {
    v.push_back({s.f,
                 "output mean wrong size",
                 [](Call& k) { k.norm_out.mean.size = 3; },
                 {"output mean has 3 values", s.expected}});
    v.push_back({s.f,
                 "output var wrong size",
                 [](Call& k) { k.norm_out.var.size = 24; },
                 {"output var has 24 values", s.expected}});
  }
  v.push_back({Fn::kRmsNorm,
               "output rms wrong size",
               [](Call& k) { k.rms_out.rms.size = 12; },
               {"output rms has 12 values", "expected n = 2"}});

  // Group counts.
  const Fn gn = Fn::kGroupNorm;
  v.push_back({gn, "groups zero", [](Call& k) { k.groups = 0; }, {"groups is 0", whole}});
  v.push_back({gn, "groups negative", [](Call& k) { k.groups = -2; }, {"groups is -2", whole}});
  v.push_back({gn,
               "groups not dividing c",
               [](Call& k) { k.groups = 4; },
               {"groups is 4", "expected a divisor of c = 6"}});
  v.push_back({gn,
               "groups above c",
               [](Call& k) { k.groups = 12; },
               {"groups is 12", "expected a divisor of c = 6"}});

  // Sampler parameters: each distribution checks its own.
  using normcore::Distribution;
  const Fn sm = Fn::kSample;
  const std::string finite = "expected a finite number";
  auto with = [](Distribution d, std::function<void(normcore::SampleArgs&)> set) {
    return [d, set](Call& k) {
      k.smp.distribution = d;
      set(k.smp);
    };
  };
  v.push_back({sm,
               "normal std negative",
               with(Distribution::kNormal, [](auto& a) { a.std = -1; }),
               {"std is -1", finite + " >= 0"}});
  v.push_back({sm,
               "normal std Inf",
               with(Distribution::kNormal, [](auto& a) { a.std = kInf; }),
               {"std is Infinity", finite}});
  v.push_back({sm,
               "normal mean NaN",
               with(Distribution::kNormal, [](auto& a) { a.mean = kNaN; }),
               {"mean is NaN", finite}});
  v.push_back({sm,
               "uniform high below low",
               with(Distribution::kUniform, [](auto& a) { a.low = 2, a.high = 1; }),
               {"high is 1", finite + " >= 2"}});
  v.push_back({sm,
               "uniform low -Inf",
               with(Distribution::kUniform, [](auto& a) { a.low = -kInf; }),
               {"low is -Infinity", finite}});
  v.push_back({sm,
               "uniform high NaN",
               with(Distribution::kUniform, [](auto& a) { a.high = kNaN; }),
               {"high is NaN", finite}});
  v.push_back({sm,
               "lognormal sigma negative",
               with(Distribution::kLognormal, [](auto& a) { a.sigma = -0.5; }),
               {"sigma is -0.5", finite + " >= 0"}});
  v.push_back({sm,
               "lognormal mu Inf",
               with(Distribution::kLognormal, [](auto& a) { a.mu = kInf; }),
               {"mu is Infinity", finite}});
  v.push_back({sm,
               "bimodal separation negative",
               with(Distribution::kBimodal, [](auto& a) { a.separation = -4; }),
               {"separation is -4", finite + " >= 0"}});
  v.push_back({sm,
               "bimodal std negative",
               with(Distribution::kBimodal, [](auto& a) { a.std = -0.25; }),
               {"std is -0.25", finite + " >= 0"}});
  v.push_back({sm,
               "student-t df zero",
               with(Distribution::kStudentT, [](auto& a) { a.df = 0; }),
               {"df is 0", finite + " > 0"}});
  v.push_back({sm,
               "student-t df negative",
               with(Distribution::kStudentT, [](auto& a) { a.df = -3; }),
               {"df is -3", finite + " > 0"}});
  v.push_back({sm,
               "student-t df NaN",
               with(Distribution::kStudentT, [](auto& a) { a.df = kNaN; }),
               {"df is NaN", finite + " > 0"}});
  v.push_back({sm,
               "student-t df Inf",
               with(Distribution::kStudentT, [](auto& a) { a.df = kInf; }),
               {"df is Infinity", finite + " > 0"}});
  v.push_back({sm,
               "offset wrong length",
               [](Call& k) { k.smp.offset.size = 12; },
               {"offset has 12 values", "expected c = 6"}});
  v.push_back({sm,
               "scale wrong length",
               [](Call& k) { k.smp.scale.size = 1; },
               {"scale has 1 values", "expected c = 6"}});
  v.push_back({sm,
               "output missing",
               [](Call& k) { k.smp_out = {}; },
               {"output values is missing", "expected n*c*s = 24"}});
  v.push_back({sm,
               "output wrong size",
               [](Call& k) { k.smp_out.size = 25; },
               {"output values has 25 values", "expected n*c*s = 24"}});
  return v;
}

void PrintTo(const ErrorCase& e, std::ostream* os) {
  *os << fn_name(e.fn) << ": " << e.label;
}

class Errors : public testing::TestWithParam<ErrorCase> {};

TEST_P(Errors, RejectedWithAMessageAndNothingWritten) {
  const ErrorCase& e = GetParam();
  Call call(e.fn);
  const std::vector<float> x = call.x, run_mean = call.run_mean, run_var = call.run_var;
  e.mutate(call);
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
