// The only file that knows about Emscripten: exposes the core to JavaScript through Embind.
//
// Arrays cross the boundary through a slot table in the wasm heap rather than as arguments, so a
// call costs one Embind dispatch with a few numbers: the loader copies each array into the heap,
// writes its address and length into the slot the function expects (address 0 = omitted), calls,
// and copies the outputs out. Failures return false; lastError() then holds the message, which
// the loader throws as a RangeError. (Exceptions are off: a C++ throw would reach JS as a number.)
#include <emscripten/bind.h>

#include <malloc.h>

#include <cstdint>
#include <string>

#include "normcore/ops.h"
#include "normcore/sampler.h"

namespace {

using namespace normcore;

struct Slot {
  uint32_t address;
  uint32_t length;
};

// Slot order per function (the loader's OPERATIONS table mirrors it):
//   batchNorm:    x gamma beta runningMean runningVar | y mean var runningMean runningVar
//   layer/instance/groupNorm: x gamma beta | y mean var
//   rmsNorm:      x gamma | y rms
//   sample:       offset scale | values
constexpr int kSlots = 10;
Slot g_slots[kSlots];
std::string g_error;

Input in(int i) {
  return {reinterpret_cast<const float*>(g_slots[i].address), g_slots[i].length};
}
Output out(int i) {
  return {reinterpret_cast<float*>(g_slots[i].address), g_slots[i].length};
}

// The loader has checked that these are safe integers, so the conversion is exact.
Shape shape(double n, double c, double s) {
  return {static_cast<int64_t>(n), static_cast<int64_t>(c), static_cast<int64_t>(s)};
}

// The loader sends the `stage` option as the enum's value; it has checked the name.
Stage stage_of(double code) {
  return static_cast<Stage>(static_cast<int>(code));
}

bool report(const Status& status) {
  g_error = status.message();
  return status.ok();
}

uintptr_t slot_table() {
  return reinterpret_cast<uintptr_t>(g_slots);
}
// Bytes malloc has handed out and not had back: the leak check of the tests and soak runs.
double heap_in_use() {
  return static_cast<double>(mallinfo().uordblks);
}
std::string last_error() {
  return g_error;
}

bool batch_norm_js(double n,
                   double c,
                   double s,
                   double eps,
                   bool training,
                   double momentum,
                   double stage) {
  BatchNormArgs a;
  a.shape = shape(n, c, s);
  a.x = in(0);
  a.gamma = in(1);
  a.beta = in(2);
  a.running_mean = in(3);
  a.running_var = in(4);
  a.eps = eps;
  a.training = training;
  a.momentum = momentum;
  a.stage = stage_of(stage);
  return report(batch_norm(a, {out(5), out(6), out(7), out(8), out(9)}));
}

NormArgs norm_args(double n, double c, double s, double eps, double stage) {
  NormArgs a;
  a.shape = shape(n, c, s);
  a.x = in(0);
  a.gamma = in(1);
  a.beta = in(2);
  a.eps = eps;
  a.stage = stage_of(stage);
  return a;
}

bool layer_norm_js(double n, double c, double s, double eps, double stage) {
  return report(layer_norm(norm_args(n, c, s, eps, stage), {out(3), out(4), out(5)}));
}

bool instance_norm_js(double n, double c, double s, double eps, double stage) {
  return report(instance_norm(norm_args(n, c, s, eps, stage), {out(3), out(4), out(5)}));
}

bool group_norm_js(double n, double c, double s, double groups, double eps, double stage) {
  return report(group_norm(norm_args(n, c, s, eps, stage), static_cast<int64_t>(groups),
                           {out(3), out(4), out(5)}));
}

bool rms_norm_js(double n, double c, double s, double eps, double stage) {
  RmsNormArgs a;
  a.shape = shape(n, c, s);
  a.x = in(0);
  a.gamma = in(1);
  a.eps = eps;
  a.stage = stage_of(stage);
  return report(rms_norm(a, {out(2), out(3)}));
}

// Distribution parameters arrive as one value object: sampling is not a hot path.
bool sample_js(std::string distribution,
               double n,
               double c,
               double s,
               double seed,
               emscripten::val p) {
  SampleArgs a;
  if (!parse_distribution(distribution, &a.distribution)) {
    return report(
        Status::Error("sample: distribution is \"" + distribution +
                      "\", expected one of normal, uniform, lognormal, bimodal, student-t"));
  }
  a.shape = shape(n, c, s);
  a.seed = static_cast<uint64_t>(seed);
  a.mean = p["mean"].as<double>();
  a.std = p["std"].as<double>();
  a.low = p["low"].as<double>();
  a.high = p["high"].as<double>();
  a.mu = p["mu"].as<double>();
  a.sigma = p["sigma"].as<double>();
  a.separation = p["separation"].as<double>();
  a.df = p["df"].as<double>();
  a.offset = in(0);
  a.scale = in(1);
  return report(sample(a, out(2)));
}

// The defaults, so that the loader holds no copy of them.
emscripten::val defaults() {
  emscripten::val d = emscripten::val::object();
  const SampleArgs sample_defaults;
  d.set("eps", kDefaultEps);
  d.set("rmsEps", kDefaultRmsEps);
  d.set("momentum", kDefaultMomentum);
  d.set("maxElements", static_cast<double>(kMaxElements));
  d.set("mean", sample_defaults.mean);
  d.set("std", sample_defaults.std);
  d.set("low", sample_defaults.low);
  d.set("high", sample_defaults.high);
  d.set("mu", sample_defaults.mu);
  d.set("sigma", sample_defaults.sigma);
  d.set("separation", sample_defaults.separation);
  d.set("df", sample_defaults.df);
  return d;
}

}  // namespace

EMSCRIPTEN_BINDINGS(normcore) {
  emscripten::function("slotTable", &slot_table);
  emscripten::function("lastError", &last_error);
  emscripten::function("heapInUse", &heap_in_use);
  emscripten::function("defaults", &defaults);
  emscripten::function("batchNorm", &batch_norm_js);
  emscripten::function("layerNorm", &layer_norm_js);
  emscripten::function("instanceNorm", &instance_norm_js);
  emscripten::function("groupNorm", &group_norm_js);
  emscripten::function("rmsNorm", &rms_norm_js);
  emscripten::function("sample", &sample_js);
}
