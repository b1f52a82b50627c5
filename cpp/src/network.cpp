// The small network trained inside the core (see normcore/network.h).
#include "normcore/network.h"

#include <algorithm>
#include <cmath>

#include "dense.h"
#include "normcore/backward.h"
#include "normcore/ops.h"
#include "random.h"
#include "validate.h"

namespace normcore {
namespace {

// Limits that keep every buffer's size far inside 32-bit memory: a page's network is small.
constexpr int64_t kMaxWidth = 4096;
constexpr int64_t kMaxLayers = 64;
constexpr int64_t kMaxBatch = 1 << 16;

Status fail(const char* fn, const std::string& what) {
  return Status::Error(std::string(fn) + ": " + what);
}

Status check_count(const char* fn, const std::string& name, int64_t v, int64_t lo, int64_t hi) {
  if (v >= lo && v <= hi)
    return Status::Ok();
  return fail(fn, name + " is " + std::to_string(v) + ", expected a whole number in [" +
                      std::to_string(lo) + ", " + std::to_string(hi) + "]");
}

bool has_gamma(NormKind k) {
  return k != NormKind::kNone;
}
bool has_beta(NormKind k) {
  return k == NormKind::kBatch || k == NormKind::kLayer || k == NormKind::kGroup;
}

Input input_view(const std::vector<float>& v, int64_t offset, int64_t size) {
  return {v.data() + offset, size};
}
Output view(std::vector<float>& v, int64_t offset, int64_t size) {
  return {v.data() + offset, size};
}

}  // namespace

bool parse_norm_kind(const std::string& name, NormKind* out) {
  static const struct {
    const char* name;
    NormKind kind;
  } kNames[] = {{"none", NormKind::kNone},
                {"batch", NormKind::kBatch},
                {"layer", NormKind::kLayer},
                {"group", NormKind::kGroup},
                {"rms", NormKind::kRms}};
  for (const auto& entry : kNames) {
    if (name == entry.name) {
      *out = entry.kind;
      return true;
    }
  }
  return false;
}

Status Network::create(const NetworkConfig& c, std::unique_ptr<Network>* out) {
  constexpr const char* kFn = "createNetwork";
  NORMCORE_TRY(check_count(kFn, "inputs", c.inputs, 1, kMaxWidth));
  NORMCORE_TRY(check_count(kFn, "classes", c.classes, 2, kMaxWidth));
  NORMCORE_TRY(
      check_count(kFn, "hidden.length", static_cast<int64_t>(c.hidden.size()), 1, kMaxLayers));
  for (size_t l = 0; l < c.hidden.size(); ++l) {
    const std::string name = "hidden[" + std::to_string(l) + "]";
    NORMCORE_TRY(check_count(kFn, name, c.hidden[l], 1, kMaxWidth));
    if (c.norm == NormKind::kGroup) {
      if (c.groups < 1 || c.hidden[l] % c.groups != 0) {
        return fail(kFn, "groups is " + std::to_string(c.groups) + ", expected a divisor of " +
                             name + " = " + std::to_string(c.hidden[l]));
      }
    }
  }
  if (c.eps >= 0 || !std::isfinite(c.eps))
    NORMCORE_TRY(check_eps(kFn, c.eps));
  NORMCORE_TRY(check_momentum(kFn, c.momentum));
  if (!std::isfinite(c.init_scale) || c.init_scale < 0) {
    return fail(kFn,
                "initScale is " + format_number(c.init_scale) + ", expected a finite number >= 0");
  }
  out->reset(new Network(c));
  return Status::Ok();
}

Network::Network(const NetworkConfig& config) : config_(config) {
  if (config_.eps < 0)
    config_.eps = config_.norm == NormKind::kRms ? kDefaultRmsEps : kDefaultEps;
  // Lay out the parameters in DESIGN.md's order.
  int64_t size = 0, in = config_.inputs;
  auto add = [&](int64_t n) {
    const int64_t at = size;
    size += n;
    return at;
  };
  const int64_t hidden = static_cast<int64_t>(config_.hidden.size());
  layers_.resize(hidden + 1);
  for (int64_t l = 0; l <= hidden; ++l) {
    Layer& L = layers_[l];
    L.in = in;
    L.out = l < hidden ? config_.hidden[l] : config_.classes;
    L.w = add(L.in * L.out);
    L.b = add(L.out);
    if (l < hidden && has_gamma(config_.norm))
      L.gamma = add(L.out);
    if (l < hidden && has_beta(config_.norm))
      L.beta = add(L.out);
    L.wt.resize(L.in * L.out);
    in = L.out;
  }
  params_.assign(size, 0.f);
  grads_.assign(size, 0.f);
  velocity_.assign(size, 0.f);
  for (Layer& L : layers_) {
    views_.push_back(view(params_, L.w, L.in * L.out));
    views_.push_back(view(params_, L.b, L.out));
    if (L.gamma >= 0)
      views_.push_back(view(params_, L.gamma, L.out));
    if (L.beta >= 0)
      views_.push_back(view(params_, L.beta, L.out));
  }
  // PyTorch's nn.Linear default: kaiming_uniform(a = sqrt(5)) for W and uniform for b, both
  // +-1/sqrt(fan_in); W drawn before b, row-major, layer by layer.
  Random rng(config_.seed);
  for (Layer& L : layers_) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(L.in));
    for (int64_t i = 0; i < L.in * L.out; ++i)
      params_[L.w + i] = static_cast<float>((2 * rng.uniform() - 1) * bound * config_.init_scale);
    for (int64_t i = 0; i < L.out; ++i)
      params_[L.b + i] = static_cast<float>((2 * rng.uniform() - 1) * bound);
    if (L.gamma >= 0)
      std::fill_n(params_.begin() + L.gamma, L.out, 1.f);
  }
  parameters_changed();
}

Output Network::gradient(int64_t k) const {
  const Output p = views_[k];
  return {const_cast<float*>(grads_.data()) + (p.data - params_.data()), p.size};
}

void Network::parameters_changed() {
  for (Layer& L : layers_) {
    L.running_mean.assign(L.out, 0.f);
    L.running_var.assign(L.out, 1.f);
  }
  std::fill(velocity_.begin(), velocity_.end(), 0.f);
  refresh_transposes();
}

void Network::refresh_transposes() {
  for (Layer& L : layers_)
    transpose(params_.data() + L.w, L.wt.data(), L.out, L.in);
}

Status Network::check_batch(const char* fn,
                            const float* x,
                            const float* labels,
                            int64_t n,
                            bool training) const {
  NORMCORE_TRY(check_count(fn, "the batch size", n, 1, kMaxBatch));
  if (!x)
    return fail(fn, "x is missing");
  if (training && config_.norm == NormKind::kBatch && n < 2) {
    return fail(fn,
                "the batch has 1 row, expected at least 2 (batch norm's training statistics "
                "need more than one value per feature)");
  }
  if (labels) {
    for (int64_t i = 0; i < n; ++i) {
      const float v = labels[i];
      if (!(v >= 0 && v < config_.classes && v == std::floor(v))) {
        return fail(fn, "labels[" + std::to_string(i) + "] is " + format_number(v) +
                            ", expected a whole number in [0, " +
                            std::to_string(config_.classes - 1) + "]");
      }
    }
  }
  return Status::Ok();
}

Status Network::forward(const float* x, int64_t n, bool training, bool update_running) {
  const int64_t hidden = layers();
  const float* h = x;
  for (int64_t l = 0; l < hidden; ++l) {
    Layer& L = layers_[l];
    const int64_t size = n * L.out;
    L.z.resize(size);
    L.u.resize(size);
    L.h.resize(size);
    dense_forward(h, L.wt.data(), params_.data() + L.b, L.z.data(), n, L.in, L.out);
    const Shape shape{n, L.out, 1};
    const Input z{L.z.data(), size};
    const Output u{L.u.data(), size};
    const Input gamma = L.gamma >= 0 ? input_view(params_, L.gamma, L.out) : Input{};
    const Input beta = L.beta >= 0 ? input_view(params_, L.beta, L.out) : Input{};
    switch (config_.norm) {
      case NormKind::kNone:
        std::copy(L.z.begin(), L.z.end(), L.u.begin());
        break;
      case NormKind::kBatch: {
        BatchNormArgs a;
        a.shape = shape;
        a.x = z;
        a.gamma = gamma;
        a.beta = beta;
        a.running_mean = {L.running_mean.data(), L.out};
        a.running_var = {L.running_var.data(), L.out};
        a.eps = config_.eps;
        a.training = training;
        a.momentum = config_.momentum;
        BatchNormResult r;
        r.y = u;
        if (training && update_running) {
          r.running_mean = {L.running_mean.data(), L.out};
          r.running_var = {L.running_var.data(), L.out};
        }
        NORMCORE_TRY(batch_norm(a, r));
        break;
      }
      case NormKind::kLayer:
      case NormKind::kGroup: {
        NormArgs a;
        a.shape = shape;
        a.x = z;
        a.gamma = gamma;
        a.beta = beta;
        a.eps = config_.eps;
        NORMCORE_TRY(config_.norm == NormKind::kLayer ? layer_norm(a, {u, {}, {}})
                                                      : group_norm(a, config_.groups, {u, {}, {}}));
        break;
      }
      case NormKind::kRms: {
        RmsNormArgs a;
        a.shape = shape;
        a.x = z;
        a.gamma = gamma;
        a.eps = config_.eps;
        NORMCORE_TRY(rms_norm(a, {u, {}}));
        break;
      }
    }
    for (int64_t i = 0; i < size; ++i)
      L.h[i] = L.u[i] > 0 ? L.u[i] : 0.f;
    h = L.h.data();
  }
  Layer& out = layers_[hidden];
  logits_.resize(n * out.out);
  dense_forward(h, out.wt.data(), params_.data() + out.b, logits_.data(), n, out.in, out.out);
  return Status::Ok();
}

double Network::cross_entropy(const float* labels,
                              int64_t n,
                              bool want_gradient,
                              double* accuracy) {
  const int64_t k = config_.classes;
  if (want_gradient)
    dlogits_.resize(n * k);
  double total = 0;
  int64_t right = 0;
  for (int64_t i = 0; i < n; ++i) {
    const float* row = logits_.data() + i * k;
    const int64_t label = static_cast<int64_t>(labels[i]);
    int64_t best = 0;
    double top = row[0];
    for (int64_t j = 1; j < k; ++j) {
      if (row[j] > top) {
        top = row[j];
        best = j;
      }
    }
    right += best == label;
    // log-sum-exp shifted by the largest logit; a NaN or Inf logit makes the loss non-finite.
    double sum = 0;
    for (int64_t j = 0; j < k; ++j)
      sum += std::exp(row[j] - top);
    const double lse = top + std::log(sum);
    total += lse - row[label];
    if (want_gradient) {
      for (int64_t j = 0; j < k; ++j) {
        const double p = std::exp(row[j] - lse);
        dlogits_[i * k + j] = static_cast<float>((p - (j == label ? 1.0 : 0.0)) / n);
      }
    }
  }
  if (accuracy)
    *accuracy = static_cast<double>(right) / n;
  return total / n;
}

Status Network::backward(const float* x, int64_t n) {
  const int64_t hidden = layers();
  Layer& out = layers_[hidden];
  const float* h_last = hidden > 0 ? layers_[hidden - 1].h.data() : x;
  dense_backward_weights(dlogits_.data(), h_last, grads_.data() + out.w, grads_.data() + out.b, n,
                         out.in, out.out);
  int64_t max_width = 0;
  for (const Layer& L : layers_)
    max_width = std::max(max_width, L.in);
  dh_.resize(n * max_width);
  dense_backward_input(dlogits_.data(), params_.data() + out.w, dh_.data(), n, out.in, out.out);
  for (int64_t l = hidden - 1; l >= 0; --l) {
    Layer& L = layers_[l];
    const int64_t size = n * L.out;
    L.du.resize(size);
    L.dz.resize(size);
    // ReLU passes the gradient where its output was positive (as torch's threshold_backward).
    for (int64_t i = 0; i < size; ++i)
      L.du[i] = L.u[i] > 0 ? dh_[i] : 0.f;
    const Shape shape{n, L.out, 1};
    const Input du{L.du.data(), size}, z{L.z.data(), size};
    const Input gamma = L.gamma >= 0 ? input_view(params_, L.gamma, L.out) : Input{};
    const BackwardResult r{{L.dz.data(), size},
                           L.gamma >= 0 ? view(grads_, L.gamma, L.out) : Output{},
                           L.beta >= 0 ? view(grads_, L.beta, L.out) : Output{}};
    switch (config_.norm) {
      case NormKind::kNone:
        std::copy(L.du.begin(), L.du.end(), L.dz.begin());
        break;
      case NormKind::kBatch: {
        BatchNormBackwardArgs a;
        a.shape = shape;
        a.dy = du;
        a.x = z;
        a.gamma = gamma;
        a.eps = config_.eps;
        NORMCORE_TRY(batch_norm_backward(a, r));
        break;
      }
      case NormKind::kLayer:
      case NormKind::kGroup:
      case NormKind::kRms: {
        NormBackwardArgs a;
        a.shape = shape;
        a.dy = du;
        a.x = z;
        a.gamma = gamma;
        a.eps = config_.eps;
        if (config_.norm == NormKind::kLayer)
          NORMCORE_TRY(layer_norm_backward(a, r));
        else if (config_.norm == NormKind::kGroup)
          NORMCORE_TRY(group_norm_backward(a, config_.groups, r));
        else
          NORMCORE_TRY(rms_norm_backward(a, r));
        break;
      }
    }
    const float* h_prev = l > 0 ? layers_[l - 1].h.data() : x;
    dense_backward_weights(L.dz.data(), h_prev, grads_.data() + L.w, grads_.data() + L.b, n, L.in,
                           L.out);
    if (l > 0)
      dense_backward_input(L.dz.data(), params_.data() + L.w, dh_.data(), n, L.in, L.out);
  }
  return Status::Ok();
}

Status Network::step(const float* x,
                     const float* labels,
                     int64_t n,
                     double lr,
                     double momentum,
                     double* loss) {
  constexpr const char* kFn = "network.step";
  if (!labels)
    return fail(kFn, "labels are missing");
  NORMCORE_TRY(check_batch(kFn, x, labels, n, true));
  if (!std::isfinite(lr) || lr < 0)
    return fail(kFn, "lr is " + format_number(lr) + ", expected a finite number >= 0");
  if (!std::isfinite(momentum) || momentum < 0)
    return fail(kFn, "momentum is " + format_number(momentum) + ", expected a finite number >= 0");
  NORMCORE_TRY(forward(x, n, true, true));
  *loss = cross_entropy(labels, n, true, nullptr);
  NORMCORE_TRY(backward(x, n));
  last_batch_ = n;
  // torch.optim.SGD without dampening or weight decay: v = momentum * v + g, p -= lr * v. With
  // momentum 0 torch keeps no buffer; ours is then cleared, so a later momentum starts afresh.
  const float lr_f = static_cast<float>(lr), mu = static_cast<float>(momentum);
  const size_t count = params_.size();
  if (momentum == 0) {
    for (size_t i = 0; i < count; ++i)
      params_[i] = params_[i] - lr_f * grads_[i];
    std::fill(velocity_.begin(), velocity_.end(), 0.f);
  } else {
    for (size_t i = 0; i < count; ++i) {
      velocity_[i] = mu * velocity_[i] + grads_[i];
      params_[i] = params_[i] - lr_f * velocity_[i];
    }
  }
  refresh_transposes();
  return Status::Ok();
}

Status Network::evaluate(const float* x,
                         const float* labels,
                         int64_t n,
                         double* loss,
                         double* accuracy,
                         bool batch_statistics) {
  constexpr const char* kFn = "network.evaluate";
  if (!labels)
    return fail(kFn, "labels are missing");
  NORMCORE_TRY(check_batch(kFn, x, labels, n, batch_statistics));
  NORMCORE_TRY(forward(x, n, batch_statistics, false));
  *loss = cross_entropy(labels, n, false, accuracy);
  return Status::Ok();
}

Status Network::predict(const float* x, int64_t n, float* probabilities) {
  constexpr const char* kFn = "network.predict";
  NORMCORE_TRY(check_batch(kFn, x, nullptr, n, false));
  NORMCORE_TRY(forward(x, n, false, false));
  const int64_t k = config_.classes;
  for (int64_t i = 0; i < n; ++i) {
    const float* row = logits_.data() + i * k;
    double top = row[0], sum = 0;
    for (int64_t j = 1; j < k; ++j)
      top = std::max(top, static_cast<double>(row[j]));
    for (int64_t j = 0; j < k; ++j)
      sum += std::exp(row[j] - top);
    for (int64_t j = 0; j < k; ++j)
      probabilities[i * k + j] = static_cast<float>(std::exp(row[j] - top) / sum);
  }
  return Status::Ok();
}

Status Network::probe(const float* x,
                      const float* labels,
                      int64_t n,
                      double lr,
                      const std::vector<double>& scales,
                      ProbeResult* out) {
  constexpr const char* kFn = "network.probe";
  if (!labels)
    return fail(kFn, "labels are missing");
  NORMCORE_TRY(check_batch(kFn, x, labels, n, true));
  if (!std::isfinite(lr) || lr < 0)
    return fail(kFn, "lr is " + format_number(lr) + ", expected a finite number >= 0");
  NORMCORE_TRY(forward(x, n, true, false));
  out->loss = cross_entropy(labels, n, true, nullptr);
  NORMCORE_TRY(backward(x, n));
  const std::vector<float> w0 = params_, g0 = grads_;
  double norm = 0;
  for (float g : g0)
    norm += static_cast<double>(g) * g;
  out->gradient_norm = std::sqrt(norm);
  out->losses.clear();
  out->gradient_changes.clear();
  for (double scale : scales) {
    const float eta = static_cast<float>(scale * lr);
    for (size_t i = 0; i < params_.size(); ++i)
      params_[i] = w0[i] - eta * g0[i];
    refresh_transposes();
    NORMCORE_TRY(forward(x, n, true, false));
    out->losses.push_back(cross_entropy(labels, n, true, nullptr));
    NORMCORE_TRY(backward(x, n));
    double change = 0;
    for (size_t i = 0; i < grads_.size(); ++i) {
      const double d = static_cast<double>(grads_[i]) - g0[i];
      change += d * d;
    }
    out->gradient_changes.push_back(std::sqrt(change));
  }
  params_ = w0;
  grads_ = g0;
  refresh_transposes();
  return Status::Ok();
}

}  // namespace normcore
