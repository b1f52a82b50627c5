// A small multilayer perceptron trained entirely inside the core (DESIGN.md, "Training a small
// network"): hidden layers Linear -> Norm -> ReLU, a Linear output, mean softmax cross-entropy,
// SGD with momentum as torch.optim.SGD. One call is one step; weights stay in this object.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "normcore/types.h"

namespace normcore {

enum class NormKind { kNone, kBatch, kLayer, kGroup, kRms };

// Parses "none", "batch", "layer", "group", "rms"; false for anything else.
bool parse_norm_kind(const std::string& name, NormKind* out);

struct NetworkConfig {
  int64_t inputs = 2;
  std::vector<int64_t> hidden;
  int64_t classes = 2;
  NormKind norm = NormKind::kNone;
  int64_t groups = 8;                  // group norm: must divide every hidden width
  double eps = -1;                     // < 0: the norm's default (RMS 1e-6, others 1e-5)
  double momentum = kDefaultMomentum;  // batch norm's running statistics
  double init_scale = 1;               // multiplies every Linear W at initialisation
  uint64_t seed = 1;
};

// Results of one probe along the gradient (see Network::probe).
struct ProbeResult {
  double loss = 0;                       // at the current weights
  double gradient_norm = 0;              // |g|
  std::vector<double> losses;            // L(w - scale * lr * g) per scale
  std::vector<double> gradient_changes;  // |grad L(w - scale * lr * g) - g| per scale
};

class Network {
 public:
  // Validates the configuration and initialises as PyTorch's nn.Linear does (uniform
  // +-1/sqrt(in) for W and b, W times init_scale), from the core's seeded generator.
  static Status create(const NetworkConfig& config, std::unique_ptr<Network>* out);

  // One SGD step on a batch of n rows; *loss is the mean cross-entropy before the update. A
  // non-finite loss is reported, not an error. labels are whole numbers in [0, classes) (floats,
  // as they cross the JavaScript boundary in a float array).
  Status step(const float* x,
              const float* labels,
              int64_t n,
              double lr,
              double momentum,
              double* loss);

  // Mean loss and the fraction classified right, in inference mode (batch norm: running
  // statistics) or, with batch_statistics, as a network left in training mode would compute them
  // (batch norm normalises by this batch's statistics; nothing is updated).
  Status evaluate(const float* x,
                  const float* labels,
                  int64_t n,
                  double* loss,
                  double* accuracy,
                  bool batch_statistics = false);

  // Inference-mode class probabilities, [n, classes].
  Status predict(const float* x, int64_t n, float* probabilities);

  // Santurkar et al.'s measures along the current gradient on one batch (training-mode
  // statistics, nothing updated): the loss and gradient at w - scale * lr * g for each scale.
  Status probe(const float* x,
               const float* labels,
               int64_t n,
               double lr,
               const std::vector<double>& scales,
               ProbeResult* out);

  // The parameter arrays in DESIGN.md's order: per hidden layer W [out, in], b, then gamma and
  // beta where the norm has them; then the output layer's W and b. Writable: call
  // parameters_changed() after writing.
  int64_t parameter_count() const { return static_cast<int64_t>(views_.size()); }
  Output parameter(int64_t k) const { return views_[k]; }
  // The gradient of the last step or probe, in the same layout as the parameters.
  Output gradient(int64_t k) const;
  // Resets running statistics to 0 / 1 and momentum buffers to 0, and refreshes derived copies.
  void parameters_changed();

  // Per hidden layer, of the last step: pre-activations before and after the norm, [n, width].
  int64_t layers() const { return static_cast<int64_t>(config_.hidden.size()); }
  int64_t width(int64_t layer) const { return config_.hidden[layer]; }
  int64_t last_batch() const { return last_batch_; }
  const float* pre_norm(int64_t layer) const { return layers_[layer].z.data(); }
  const float* post_norm(int64_t layer) const { return layers_[layer].u.data(); }
  // Batch norm's running statistics of a hidden layer, [width] each (for tests and the page).
  const float* running_mean(int64_t layer) const { return layers_[layer].running_mean.data(); }
  const float* running_var(int64_t layer) const { return layers_[layer].running_var.data(); }

  const NetworkConfig& config() const { return config_; }

 private:
  struct Layer {
    int64_t in = 0, out = 0;
    int64_t w = 0, b = 0, gamma = -1, beta = -1;  // offsets into params_ (-1: none)
    std::vector<float> wt;                        // W transposed, for the forward product
    std::vector<float> running_mean, running_var;
    std::vector<float> z, u, h;  // pre-norm, post-norm, post-ReLU, [n, out]
    std::vector<float> dz, du;   // scratch for the backward pass
  };

  explicit Network(const NetworkConfig& config);
  Status check_batch(const char* fn,
                     const float* x,
                     const float* labels,
                     int64_t n,
                     bool training) const;
  // Forward pass; training: batch statistics (and, if update_running, the running-statistics
  // update). Leaves the logits in logits_.
  Status forward(const float* x, int64_t n, bool training, bool update_running);
  // Mean cross-entropy of logits_ against labels; dlogits_ = d loss / d logits when wanted.
  double cross_entropy(const float* labels, int64_t n, bool want_gradient, double* accuracy);
  // Backward pass from dlogits_ into grads_.
  Status backward(const float* x, int64_t n);
  void refresh_transposes();

  NetworkConfig config_;
  std::vector<Layer> layers_;  // hidden layers, then the output layer
  std::vector<float> params_, grads_, velocity_;
  std::vector<Output> views_;
  std::vector<float> logits_, dlogits_, dh_;
  int64_t last_batch_ = 0;
};

}  // namespace normcore
