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

// ---- Gradients (DESIGN.md "Gradients") -------------------------------------------------------
// Slot order: batchNormBackward: x dy gamma runningMean runningVar | dx dgamma dbeta
//             layer/instance/groupNormBackward: x dy gamma | dx dgamma dbeta
//             rmsNormBackward: x dy gamma | dx dgamma
// (x first, so that the loader's "x matches the shape" check applies to these too.)

bool batch_norm_backward_js(double n, double c, double s, double eps, bool training) {
  BatchNormBackwardArgs a;
  a.shape = shape(n, c, s);
  a.x = in(0);
  a.dy = in(1);
  a.gamma = in(2);
  a.running_mean = in(3);
  a.running_var = in(4);
  a.eps = eps;
  a.training = training;
  return report(batch_norm_backward(a, {out(5), out(6), out(7)}));
}

NormBackwardArgs norm_backward_args(double n, double c, double s, double eps) {
  NormBackwardArgs a;
  a.shape = shape(n, c, s);
  a.x = in(0);
  a.dy = in(1);
  a.gamma = in(2);
  a.eps = eps;
  return a;
}

bool layer_norm_backward_js(double n, double c, double s, double eps) {
  return report(layer_norm_backward(norm_backward_args(n, c, s, eps), {out(3), out(4), out(5)}));
}

bool instance_norm_backward_js(double n, double c, double s, double eps) {
  return report(instance_norm_backward(norm_backward_args(n, c, s, eps), {out(3), out(4), out(5)}));
}

bool group_norm_backward_js(double n, double c, double s, double groups, double eps) {
  return report(group_norm_backward(norm_backward_args(n, c, s, eps), static_cast<int64_t>(groups),
                                    {out(3), out(4), out(5)}));
}

bool rms_norm_backward_js(double n, double c, double s, double eps) {
  return report(rms_norm_backward(norm_backward_args(n, c, s, eps), {out(3), out(4), {}}));
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
