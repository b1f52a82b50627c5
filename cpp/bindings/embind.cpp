// The only file that knows about Emscripten: exposes the core to JavaScript.
//
// Arrays cross the boundary through a slot table in the wasm heap rather than as arguments: the
// loader copies each array into the heap (or, for a core.alloc handle, uses its block), writes its
// address and length into the slot the function expects (address 0 = omitted), calls, and copies
// the outputs out. Failures return false; lastError() then holds the message, which the loader
// throws as a RangeError. (Exceptions are off: a C++ throw would reach JS as a number.)
//
// The five norms are plain exported C functions taking numbers (`_nc_batch_norm`, ...): a call
// costs about 10 ns to dispatch, where an Embind function built without `new Function` (needed
// for a strict Content-Security-Policy) costs 300-500 ns, more than the whole kernel at 32x4.
// Embind serves what is not per frame: the slot layout, defaults, messages, sampling.
#include <emscripten/bind.h>
#include <emscripten/em_macros.h>

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

// Slot order per function: inputs, then outputs, numbered from 0 in that order. The one
// description of it: the functions below index slots by it, and the loader checks its OPERATIONS
// table (web/src/core/api.js) and the table's size (heap-frame.js) against slotLayout() at load.
struct SlotLayout {
  const char* fn;
  const char* inputs;
  const char* outputs;
};
constexpr SlotLayout kSlotLayout[] = {
    {"batchNorm", "x gamma beta runningMean runningVar", "y mean var runningMean runningVar"},
    {"layerNorm", "x gamma beta", "y mean var"},
    {"instanceNorm", "x gamma beta", "y mean var"},
    {"groupNorm", "x gamma beta", "y mean var"},
    {"rmsNorm", "x gamma", "y rms"},
    {"sample", "offset scale", "values"},
};

// Compile-time look-ups in kSlotLayout: a name missing from it does not compile (the fallback
// below is not constexpr, so a constant evaluation that reaches it fails).
inline int slot_name_not_in_layout() {
  return -1;
}
constexpr bool same_text(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}
constexpr bool word_at(const char* p, const char* word) {
  while (*word != '\0' && *p == *word) {
    ++p;
    ++word;
  }
  return *word == '\0' && (*p == ' ' || *p == '\0');
}
// Index of `word` among the space-separated words of `list`, or -1.
constexpr int word_index(const char* list, const char* word) {
  int index = 0;
  for (const char* p = list; *p != '\0'; ++index) {
    if (word_at(p, word))
      return index;
    while (*p != ' ' && *p != '\0')
      ++p;
    while (*p == ' ')
      ++p;
  }
  return -1;
}
constexpr int word_count(const char* list) {
  int count = 0;
  bool in_word = false;
  for (const char* p = list; *p != '\0'; ++p) {
    if (*p == ' ') {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      ++count;
    }
  }
  return count;
}
constexpr const SlotLayout& layout_of(const char* fn) {
  for (const SlotLayout& entry : kSlotLayout) {
    if (same_text(entry.fn, fn))
      return entry;
  }
  return kSlotLayout[slot_name_not_in_layout()];
}
constexpr int input_slot(const char* fn, const char* name) {
  const int i = word_index(layout_of(fn).inputs, name);
  return i >= 0 ? i : slot_name_not_in_layout();
}
constexpr int output_slot(const char* fn, const char* name) {
  const int i = word_index(layout_of(fn).outputs, name);
  return i >= 0 ? word_count(layout_of(fn).inputs) + i : slot_name_not_in_layout();
}

constexpr int kSlots = 10;
constexpr bool layout_fits() {
  for (const SlotLayout& entry : kSlotLayout) {
    if (word_count(entry.inputs) + word_count(entry.outputs) > kSlots)
      return false;
  }
  return true;
}
static_assert(layout_fits(), "a function in kSlotLayout needs more than kSlots slots");
Slot g_slots[kSlots];
std::string g_error;

// in<input_slot("batchNorm", "gamma")>(): the template argument makes the look-up happen while
// compiling.
template <int I>
Input in() {
  static_assert(I >= 0 && I < kSlots, "slot outside the table");
  return {reinterpret_cast<const float*>(g_slots[I].address), g_slots[I].length};
}
template <int I>
Output out() {
  static_assert(I >= 0 && I < kSlots, "slot outside the table");
  return {reinterpret_cast<float*>(g_slots[I].address), g_slots[I].length};
}

// The loader has checked that these are safe integers, so the conversion is exact.
Shape shape(double n, double c, double s) {
  return {static_cast<int64_t>(n), static_cast<int64_t>(c), static_cast<int64_t>(s)};
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

bool batch_norm_js(double n, double c, double s, double eps, bool training, double momentum) {
  constexpr const char* f = "batchNorm";
  BatchNormArgs a;
  a.shape = shape(n, c, s);
  a.x = in<input_slot(f, "x")>();
  a.gamma = in<input_slot(f, "gamma")>();
  a.beta = in<input_slot(f, "beta")>();
  a.running_mean = in<input_slot(f, "runningMean")>();
  a.running_var = in<input_slot(f, "runningVar")>();
  a.eps = eps;
  a.training = training;
  a.momentum = momentum;
  return report(batch_norm(
      a, {out<output_slot(f, "y")>(), out<output_slot(f, "mean")>(), out<output_slot(f, "var")>(),
          out<output_slot(f, "runningMean")>(), out<output_slot(f, "runningVar")>()}));
}

// Layer, instance and group norm share their slots ("layerNorm" stands for the three; a check
// below holds them equal).
constexpr bool same_slots(const char* a, const char* b) {
  const SlotLayout &la = layout_of(a), &lb = layout_of(b);
  return same_text(la.inputs, lb.inputs) && same_text(la.outputs, lb.outputs);
}
static_assert(same_slots("layerNorm", "instanceNorm") && same_slots("layerNorm", "groupNorm"),
              "layer, instance and group norm must have the same slots");

NormArgs norm_args(double n, double c, double s, double eps) {
  constexpr const char* f = "layerNorm";
  NormArgs a;
  a.shape = shape(n, c, s);
  a.x = in<input_slot(f, "x")>();
  a.gamma = in<input_slot(f, "gamma")>();
  a.beta = in<input_slot(f, "beta")>();
  a.eps = eps;
  return a;
}

NormResult norm_result() {
  constexpr const char* f = "layerNorm";
  return {out<output_slot(f, "y")>(), out<output_slot(f, "mean")>(), out<output_slot(f, "var")>()};
}

bool layer_norm_js(double n, double c, double s, double eps) {
  return report(layer_norm(norm_args(n, c, s, eps), norm_result()));
}

bool instance_norm_js(double n, double c, double s, double eps) {
  return report(instance_norm(norm_args(n, c, s, eps), norm_result()));
}

bool group_norm_js(double n, double c, double s, double groups, double eps) {
  return report(group_norm(norm_args(n, c, s, eps), static_cast<int64_t>(groups), norm_result()));
}

bool rms_norm_js(double n, double c, double s, double eps) {
  constexpr const char* f = "rmsNorm";
  RmsNormArgs a;
  a.shape = shape(n, c, s);
  a.x = in<input_slot(f, "x")>();
  a.gamma = in<input_slot(f, "gamma")>();
  a.eps = eps;
  return report(rms_norm(a, {out<output_slot(f, "y")>(), out<output_slot(f, "rms")>()}));
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
  constexpr const char* f = "sample";
  a.offset = in<input_slot(f, "offset")>();
  a.scale = in<input_slot(f, "scale")>();
  return report(sample(a, out<output_slot(f, "values")>()));
}

// { slots, operations: { fn: { inputs: [names], outputs: [names] } } } from kSlotLayout.
emscripten::val split_words(const char* text) {
  emscripten::val words = emscripten::val::array();
  std::string word;
  for (const char* p = text;; ++p) {
    if (*p == ' ' || *p == '\0') {
      if (!word.empty())
        words.call<void>("push", word);
      word.clear();
      if (*p == '\0')
        break;
    } else {
      word += *p;
    }
  }
  return words;
}

emscripten::val slot_layout() {
  emscripten::val operations = emscripten::val::object();
  for (const SlotLayout& entry : kSlotLayout) {
    emscripten::val op = emscripten::val::object();
    op.set("inputs", split_words(entry.inputs));
    op.set("outputs", split_words(entry.outputs));
    operations.set(entry.fn, op);
  }
  emscripten::val layout = emscripten::val::object();
  layout.set("slots", kSlots);
  layout.set("operations", operations);
  return layout;
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

// The hot calls, as exported C functions (see the top of the file): 1 for success, 0 for an error.
extern "C" {
EMSCRIPTEN_KEEPALIVE int nc_batch_norm(double n,
                                       double c,
                                       double s,
                                       double eps,
                                       int training,
                                       double momentum) {
  return batch_norm_js(n, c, s, eps, training != 0, momentum);
}
EMSCRIPTEN_KEEPALIVE int nc_layer_norm(double n, double c, double s, double eps) {
  return layer_norm_js(n, c, s, eps);
}
EMSCRIPTEN_KEEPALIVE int nc_instance_norm(double n, double c, double s, double eps) {
  return instance_norm_js(n, c, s, eps);
}
EMSCRIPTEN_KEEPALIVE int nc_group_norm(double n, double c, double s, double groups, double eps) {
  return group_norm_js(n, c, s, groups, eps);
}
EMSCRIPTEN_KEEPALIVE int nc_rms_norm(double n, double c, double s, double eps) {
  return rms_norm_js(n, c, s, eps);
}
}

EMSCRIPTEN_BINDINGS(normcore) {
  emscripten::function("slotTable", &slot_table);
  emscripten::function("slotLayout", &slot_layout);
  emscripten::function("lastError", &last_error);
  emscripten::function("heapInUse", &heap_in_use);
  emscripten::function("defaults", &defaults);
  emscripten::function("sample", &sample_js);
}
