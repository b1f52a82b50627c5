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
#include <memory>
#include <string>
#include <vector>

#include "normcore/backward.h"
#include "normcore/network.h"
#include "normcore/ops.h"
#include "normcore/sampler.h"
#include "normcore/toy_data.h"

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
    // Gradients: x first, so that the loader's "x matches the shape" check applies to these too.
    {"batchNormBackward", "x dy gamma runningMean runningVar", "dx dgamma dbeta"},
    {"layerNormBackward", "x dy gamma", "dx dgamma dbeta"},
    {"instanceNormBackward", "x dy gamma", "dx dgamma dbeta"},
    {"groupNormBackward", "x dy gamma", "dx dgamma dbeta"},
    {"rmsNormBackward", "x dy gamma", "dx dgamma"},
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

// Slots by number, for the network calls below: they are not operations of the loader's table
// (web/src/core/network.js lays them out), and their order is written next to them.
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
  a.stage = stage_of(stage);
  return report(batch_norm(
      a, {out<output_slot(f, "y")>(), out<output_slot(f, "mean")>(), out<output_slot(f, "var")>(),
          out<output_slot(f, "runningMean")>(), out<output_slot(f, "runningVar")>()}));
}

// Layer, instance and group norm share their slots ("layerNorm" stands for the three; a check
// below holds them equal); so do their gradients.
constexpr bool same_slots(const char* a, const char* b) {
  const SlotLayout &la = layout_of(a), &lb = layout_of(b);
  return same_text(la.inputs, lb.inputs) && same_text(la.outputs, lb.outputs);
}
static_assert(same_slots("layerNorm", "instanceNorm") && same_slots("layerNorm", "groupNorm"),
              "layer, instance and group norm must have the same slots");

NormArgs norm_args(double n, double c, double s, double eps, double stage) {
  constexpr const char* f = "layerNorm";
  NormArgs a;
  a.shape = shape(n, c, s);
  a.x = in<input_slot(f, "x")>();
  a.gamma = in<input_slot(f, "gamma")>();
  a.beta = in<input_slot(f, "beta")>();
  a.eps = eps;
  a.stage = stage_of(stage);
  return a;
}

NormResult norm_result() {
  constexpr const char* f = "layerNorm";
  return {out<output_slot(f, "y")>(), out<output_slot(f, "mean")>(), out<output_slot(f, "var")>()};
}

bool layer_norm_js(double n, double c, double s, double eps, double stage) {
  return report(layer_norm(norm_args(n, c, s, eps, stage), norm_result()));
}

bool instance_norm_js(double n, double c, double s, double eps, double stage) {
  return report(instance_norm(norm_args(n, c, s, eps, stage), norm_result()));
}

bool group_norm_js(double n, double c, double s, double groups, double eps, double stage) {
  return report(
      group_norm(norm_args(n, c, s, eps, stage), static_cast<int64_t>(groups), norm_result()));
}

bool rms_norm_js(double n, double c, double s, double eps, double stage) {
  constexpr const char* f = "rmsNorm";
  RmsNormArgs a;
  a.shape = shape(n, c, s);
  a.x = in<input_slot(f, "x")>();
  a.gamma = in<input_slot(f, "gamma")>();
  a.eps = eps;
  a.stage = stage_of(stage);
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

// ---- Gradients (DESIGN.md "Gradients"); slots in kSlotLayout

bool batch_norm_backward_js(double n, double c, double s, double eps, bool training) {
  constexpr const char* f = "batchNormBackward";
  BatchNormBackwardArgs a;
  a.shape = shape(n, c, s);
  a.x = in<input_slot(f, "x")>();
  a.dy = in<input_slot(f, "dy")>();
  a.gamma = in<input_slot(f, "gamma")>();
  a.running_mean = in<input_slot(f, "runningMean")>();
  a.running_var = in<input_slot(f, "runningVar")>();
  a.eps = eps;
  a.training = training;
  return report(
      batch_norm_backward(a, {out<output_slot(f, "dx")>(), out<output_slot(f, "dgamma")>(),
                              out<output_slot(f, "dbeta")>()}));
}

static_assert(same_slots("layerNormBackward", "instanceNormBackward") &&
                  same_slots("layerNormBackward", "groupNormBackward"),
              "layer, instance and group norm's gradients must have the same slots");

NormBackwardArgs norm_backward_args(double n, double c, double s, double eps) {
  constexpr const char* f = "layerNormBackward";
  NormBackwardArgs a;
  a.shape = shape(n, c, s);
  a.x = in<input_slot(f, "x")>();
  a.dy = in<input_slot(f, "dy")>();
  a.gamma = in<input_slot(f, "gamma")>();
  a.eps = eps;
  return a;
}

BackwardResult norm_backward_result() {
  constexpr const char* f = "layerNormBackward";
  return {out<output_slot(f, "dx")>(), out<output_slot(f, "dgamma")>(),
          out<output_slot(f, "dbeta")>()};
}

bool layer_norm_backward_js(double n, double c, double s, double eps) {
  return report(layer_norm_backward(norm_backward_args(n, c, s, eps), norm_backward_result()));
}

bool instance_norm_backward_js(double n, double c, double s, double eps) {
  return report(instance_norm_backward(norm_backward_args(n, c, s, eps), norm_backward_result()));
}

bool group_norm_backward_js(double n, double c, double s, double groups, double eps) {
  return report(group_norm_backward(norm_backward_args(n, c, s, eps), static_cast<int64_t>(groups),
                                    norm_backward_result()));
}

// RMS norm's gradient takes layer norm's inputs (norm_backward_args) and has no dbeta.
static_assert(same_text(layout_of("rmsNormBackward").inputs, layout_of("layerNormBackward").inputs),
              "RMS norm's gradient must take layer norm's inputs");

bool rms_norm_backward_js(double n, double c, double s, double eps) {
  constexpr const char* f = "rmsNormBackward";
  return report(
      rms_norm_backward(norm_backward_args(n, c, s, eps),
                        {out<output_slot(f, "dx")>(), out<output_slot(f, "dgamma")>(), {}}));
}
// ---- end of gradients ------------------------------------------------------------------------

// ---- Networks and toy data (DESIGN.md "Training a small network") ---------------------------
// Networks live here, named by a small integer id (0 is never used). Numbers a call returns
// besides success go into g_results (doubles), which the loader reads from the heap, so that a
// training step is one Embind call. Slots: create: hidden | ; step, evaluate: x labels | ;
// predict: x | probabilities (slot 2); probe: x labels scales | losses changes (slots 3, 4);
// toyData: | x labels.

std::vector<std::unique_ptr<Network>> g_networks;
double g_results[4];

uintptr_t results_table() {
  return reinterpret_cast<uintptr_t>(g_results);
}

Network* network(double id, const char* fn) {
  const size_t i = static_cast<size_t>(id);
  if (id >= 1 && i <= g_networks.size() && g_networks[i - 1])
    return g_networks[i - 1].get();
  g_error = std::string(fn) + ": the network has been freed";
  return nullptr;
}

double network_create(double inputs,
                      double classes,
                      std::string norm,
                      double groups,
                      double eps,
                      double momentum,
                      double init_scale,
                      double seed) {
  NetworkConfig c;
  if (!parse_norm_kind(norm, &c.norm)) {
    report(Status::Error("createNetwork: norm is \"" + norm +
                         "\", expected one of none, batch, layer, group, rms"));
    return 0;
  }
  c.inputs = static_cast<int64_t>(inputs);
  c.classes = static_cast<int64_t>(classes);
  const Input hidden = in(0);
  for (int64_t i = 0; i < hidden.size; ++i)
    c.hidden.push_back(static_cast<int64_t>(hidden.data[i]));
  c.groups = static_cast<int64_t>(groups);
  c.eps = eps;
  c.momentum = momentum;
  c.init_scale = init_scale;
  c.seed = static_cast<uint64_t>(seed);
  std::unique_ptr<Network> net;
  if (!report(Network::create(c, &net)))
    return 0;
  // Reuse a freed id, so that creating and freeing networks in a loop keeps the table small (the
  // loader forgets an id when it frees it, so no old handle can reach the new network).
  for (size_t i = 0; i < g_networks.size(); ++i) {
    if (!g_networks[i]) {
      g_networks[i] = std::move(net);
      return static_cast<double>(i + 1);
    }
  }
  g_networks.push_back(std::move(net));
  return static_cast<double>(g_networks.size());
}

// x must hold n * inputs values; the slot knows how many it holds.
bool check_rows(const char* fn, const Network& net, int64_t n) {
  const int64_t expected = n * net.config().inputs;
  if (g_slots[0].length == expected)
    return true;
  g_error = std::string(fn) + ": x has " + std::to_string(g_slots[0].length) +
            " values, expected n*inputs = " + std::to_string(expected) +
            " (n = " + std::to_string(n) + ")";
  return false;
}

bool network_step(double id, double n, double lr, double momentum) {
  Network* net = network(id, "network.step");
  if (!net || !check_rows("network.step", *net, static_cast<int64_t>(n)))
    return false;
  return report(
      net->step(in(0).data, in(1).data, static_cast<int64_t>(n), lr, momentum, &g_results[0]));
}

bool network_evaluate(double id, double n, bool batch_statistics) {
  Network* net = network(id, "network.evaluate");
  if (!net || !check_rows("network.evaluate", *net, static_cast<int64_t>(n)))
    return false;
  return report(net->evaluate(in(0).data, in(1).data, static_cast<int64_t>(n), &g_results[0],
                              &g_results[1], batch_statistics));
}

bool network_predict(double id, double n) {
  Network* net = network(id, "network.predict");
  if (!net || !check_rows("network.predict", *net, static_cast<int64_t>(n)))
    return false;
  return report(net->predict(in(0).data, static_cast<int64_t>(n), out(2).data));
}

bool network_probe(double id, double n, double lr) {
  Network* net = network(id, "network.probe");
  if (!net || !check_rows("network.probe", *net, static_cast<int64_t>(n)))
    return false;
  const Input scales = in(2);
  const std::vector<double> s(scales.data, scales.data + scales.size);
  ProbeResult r;
  if (!report(net->probe(in(0).data, in(1).data, static_cast<int64_t>(n), lr, s, &r)))
    return false;
  g_results[0] = r.loss;
  g_results[1] = r.gradient_norm;
  for (size_t i = 0; i < s.size(); ++i) {
    out(3).data[i] = static_cast<float>(r.losses[i]);
    out(4).data[i] = static_cast<float>(r.gradient_changes[i]);
  }
  return true;
}

// Where each parameter array and its gradient live: [address, length, gradient address] triples.
// The addresses stay valid until the network is freed.
emscripten::val network_layout(double id) {
  Network* net = network(id, "network.parameters");
  emscripten::val list = emscripten::val::array();
  if (!net)
    return list;
  for (int64_t k = 0; k < net->parameter_count(); ++k) {
    list.call<void>("push",
                    static_cast<double>(reinterpret_cast<uintptr_t>(net->parameter(k).data)));
    list.call<void>("push", static_cast<double>(net->parameter(k).size));
    list.call<void>("push",
                    static_cast<double>(reinterpret_cast<uintptr_t>(net->gradient(k).data)));
  }
  return list;
}

bool network_parameters_changed(double id) {
  Network* net = network(id, "network.setParameters");
  if (net)
    net->parameters_changed();
  return net != nullptr;
}

// Per hidden layer: [preNorm address, postNorm address, runningMean address, runningVar address,
// width], plus the last step's batch size at the end. Valid until the next call on the network.
emscripten::val network_activations(double id) {
  Network* net = network(id, "network.activations");
  emscripten::val list = emscripten::val::array();
  if (!net)
    return list;
  auto address = [](const float* p) { return static_cast<double>(reinterpret_cast<uintptr_t>(p)); };
  for (int64_t l = 0; l < net->layers(); ++l) {
    list.call<void>("push", address(net->pre_norm(l)));
    list.call<void>("push", address(net->post_norm(l)));
    list.call<void>("push", address(net->running_mean(l)));
    list.call<void>("push", address(net->running_var(l)));
    list.call<void>("push", static_cast<double>(net->width(l)));
  }
  list.call<void>("push", static_cast<double>(net->last_batch()));
  return list;
}

bool network_free(double id) {
  if (!network(id, "network.free"))
    return false;
  g_networks[static_cast<size_t>(id) - 1].reset();
  return true;
}

// Returns the number of classes, or 0 on error.
double toy_data_js(std::string dataset, double n, double seed, double noise, bool unnormalised) {
  ToyDataArgs a;
  if (!parse_toy_dataset(dataset, &a.dataset)) {
    report(Status::Error("toyData: dataset is \"" + dataset +
                         "\", expected one of spirals, rings, moons, xor"));
    return 0;
  }
  a.n = static_cast<int64_t>(n);
  a.seed = static_cast<uint64_t>(seed);
  a.noise = noise;
  a.unnormalised = unnormalised;
  if (!report(toy_data(a, out(0), out(1))))
    return 0;
  return static_cast<double>(toy_classes(a.dataset));
}
// ---- end of networks and toy data ------------------------------------------------------------

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
                                       double momentum,
                                       double stage) {
  return batch_norm_js(n, c, s, eps, training != 0, momentum, stage);
}
EMSCRIPTEN_KEEPALIVE int nc_layer_norm(double n, double c, double s, double eps, double stage) {
  return layer_norm_js(n, c, s, eps, stage);
}
EMSCRIPTEN_KEEPALIVE int nc_instance_norm(double n, double c, double s, double eps, double stage) {
  return instance_norm_js(n, c, s, eps, stage);
}
EMSCRIPTEN_KEEPALIVE int nc_group_norm(double n,
                                       double c,
                                       double s,
                                       double groups,
                                       double eps,
                                       double stage) {
  return group_norm_js(n, c, s, groups, eps, stage);
}
EMSCRIPTEN_KEEPALIVE int nc_rms_norm(double n, double c, double s, double eps, double stage) {
  return rms_norm_js(n, c, s, eps, stage);
}
}

EMSCRIPTEN_BINDINGS(normcore) {
  emscripten::function("slotTable", &slot_table);
  emscripten::function("slotLayout", &slot_layout);
  emscripten::function("lastError", &last_error);
  emscripten::function("heapInUse", &heap_in_use);
  emscripten::function("defaults", &defaults);
  emscripten::function("sample", &sample_js);
  // Gradients
  emscripten::function("batchNormBackward", &batch_norm_backward_js);
  emscripten::function("layerNormBackward", &layer_norm_backward_js);
  emscripten::function("instanceNormBackward", &instance_norm_backward_js);
  emscripten::function("groupNormBackward", &group_norm_backward_js);
  emscripten::function("rmsNormBackward", &rms_norm_backward_js);
  // Networks and toy data
  emscripten::function("resultsTable", &results_table);
  emscripten::function("networkCreate", &network_create);
  emscripten::function("networkStep", &network_step);
  emscripten::function("networkEvaluate", &network_evaluate);
  emscripten::function("networkPredict", &network_predict);
  emscripten::function("networkProbe", &network_probe);
  emscripten::function("networkLayout", &network_layout);
  emscripten::function("networkParametersChanged", &network_parameters_changed);
  emscripten::function("networkActivations", &network_activations);
  emscripten::function("networkFree", &network_free);
  emscripten::function("toyData", &toy_data_js);
}
