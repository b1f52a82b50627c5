// The network trained in the core: its gradient (one step at lr = 0) against central finite
// differences of a double-precision forward pass written here from DESIGN.md; the SGD update;
// argument errors; divergence reported rather than thrown.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "harness.h"
#include "normcore/network.h"

namespace {

using normcore::Network;
using normcore::NetworkConfig;
using normcore::NormKind;
using Params = std::vector<std::vector<double>>;

// Normalises each row (layer, rms), column (batch) or group of columns of z [n, w] in place.
void normalise(NormKind kind,
               int64_t groups,
               double eps,
               std::vector<double>& z,
               int64_t n,
               int64_t w,
               const std::vector<double>* gamma,
               const std::vector<double>* beta) {
  std::vector<double> y(z.size());
  auto norm_set = [&](const std::vector<int64_t>& idx, bool centre) {
    double mean = 0, var = 0;
    for (int64_t i : idx)
      mean += z[i];
    mean = centre ? mean / idx.size() : 0;
    for (int64_t i : idx)
      var += (z[i] - mean) * (z[i] - mean);
    var /= idx.size();
    for (int64_t i : idx)
      y[i] = (z[i] - mean) / std::sqrt(var + eps);
  };
  if (kind == NormKind::kBatch) {
    for (int64_t c = 0; c < w; ++c) {
      std::vector<int64_t> idx;
      for (int64_t r = 0; r < n; ++r)
        idx.push_back(r * w + c);
      norm_set(idx, true);
    }
  } else {
    const int64_t per = kind == NormKind::kGroup ? w / groups : w;
    for (int64_t r = 0; r < n; ++r) {
      for (int64_t g = 0; g < w / per; ++g) {
        std::vector<int64_t> idx;
        for (int64_t k = 0; k < per; ++k)
          idx.push_back(r * w + g * per + k);
        norm_set(idx, kind != NormKind::kRms);
      }
    }
  }
  for (size_t i = 0; i < z.size(); ++i) {
    const int64_t c = static_cast<int64_t>(i) % w;
    z[i] = y[i] * (*gamma)[c] + (beta ? (*beta)[c] : 0.0);
  }
}

// Mean cross-entropy in training mode, in double.
double loss_of(const NetworkConfig& cfg,
               const Params& p,
               const std::vector<float>& x,
               const std::vector<float>& labels,
               int64_t n) {
  std::vector<double> h(x.begin(), x.end());
  int64_t in = cfg.inputs;
  size_t k = 0;
  const bool gamma = cfg.norm != NormKind::kNone;
  const bool beta = gamma && cfg.norm != NormKind::kRms;
  const double eps = cfg.norm == NormKind::kRms ? 1e-6 : 1e-5;
  for (size_t l = 0; l <= cfg.hidden.size(); ++l) {
    const int64_t out = l < cfg.hidden.size() ? cfg.hidden[l] : cfg.classes;
    const std::vector<double>&W = p[k++], &b = p[k++];
    std::vector<double> z(n * out);
    for (int64_t r = 0; r < n; ++r) {
      for (int64_t o = 0; o < out; ++o) {
        double s = b[o];
        for (int64_t i = 0; i < in; ++i)
          s += h[r * in + i] * W[o * in + i];
        z[r * out + o] = s;
      }
    }
    if (l < cfg.hidden.size()) {
      if (gamma) {
        const std::vector<double>* g = &p[k++];
        const std::vector<double>* bt = beta ? &p[k++] : nullptr;
        normalise(cfg.norm, cfg.groups, eps, z, n, out, g, bt);
      }
      for (double& v : z)
        v = v > 0 ? v : 0;
    }
    h = z;
    in = out;
  }
  double total = 0;
  for (int64_t r = 0; r < n; ++r) {
    double top = -INFINITY, sum = 0;
    for (int64_t c = 0; c < cfg.classes; ++c)
      top = std::max(top, h[r * cfg.classes + c]);
    for (int64_t c = 0; c < cfg.classes; ++c)
      sum += std::exp(h[r * cfg.classes + c] - top);
    total += top + std::log(sum) - h[r * cfg.classes + static_cast<int64_t>(labels[r])];
  }
  return total / n;
}

Params read_params(const Network& net) {
  Params p;
  for (int64_t k = 0; k < net.parameter_count(); ++k) {
    const normcore::Output v = net.parameter(k);
    p.emplace_back(v.data, v.data + v.size);
  }
  return p;
}

struct NetCase {
  NormKind norm;
  std::vector<int64_t> hidden;
  int64_t groups;
};

TEST(Network, GradientMatchesFiniteDifferencesForEveryNorm) {
  const NetCase cases[] = {{NormKind::kNone, {5, 6}, 1},
                           {NormKind::kBatch, {5, 6}, 1},
                           {NormKind::kLayer, {5, 6}, 1},
                           {NormKind::kGroup, {4, 6}, 2},
                           {NormKind::kRms, {5, 6}, 1}};
  for (const NetCase& nc : cases) {
    NetworkConfig cfg;
    cfg.inputs = 3;
    cfg.hidden = nc.hidden;
    cfg.classes = 3;
    cfg.norm = nc.norm;
    cfg.groups = nc.groups;
    cfg.seed = 11;
    std::unique_ptr<Network> net;
    ASSERT_TRUE(Network::create(cfg, &net).ok());
    // Move gamma and beta off 1 and 0 so that their gradients are exercised in general position.
    reftest::Rng rng(7);
    for (int64_t k = 0; k < net->parameter_count(); ++k) {
      normcore::Output v = net->parameter(k);
      for (int64_t i = 0; i < v.size; ++i)
        v.data[i] += static_cast<float>(0.2 * rng.normal());
    }
    net->parameters_changed();
    const int64_t n = 7;
    const std::vector<float> x = reftest::normal_data(rng, n * 3, 0.5, 1.5);
    std::vector<float> labels(n);
    for (int64_t i = 0; i < n; ++i)
      labels[i] = static_cast<float>(i % 3);
    Params p = read_params(*net);
    const double ref_loss = loss_of(cfg, p, x, labels, n);
    double loss = 0;
    ASSERT_TRUE(net->step(x.data(), labels.data(), n, 0.0, 0.0, &loss).ok());
    EXPECT_NEAR(loss, ref_loss, 1e-5) << "norm " << static_cast<int>(nc.norm);
    for (size_t k = 0; k < p.size(); ++k) {
      const normcore::Output g = net->gradient(static_cast<int64_t>(k));
      double worst = 0, scale = 1e-3;
      for (size_t i = 0; i < p[k].size(); ++i) {
        const double saved = p[k][i], h = 1e-6;
        p[k][i] = saved + h;
        const double up = loss_of(cfg, p, x, labels, n);
        p[k][i] = saved - h;
        const double down = loss_of(cfg, p, x, labels, n);
        p[k][i] = saved;
        const double fd = (up - down) / (2 * h);
        worst = std::max(worst, std::fabs(g.data[i] - fd));
        scale = std::max(scale, std::fabs(fd));
      }
      EXPECT_LE(worst, 2e-4 * scale) << "norm " << static_cast<int>(nc.norm) << ", parameter " << k
                                     << ": max |g - finite difference| " << worst;
    }
  }
}

TEST(Network, SgdWithMomentumFollowsTorch) {
  NetworkConfig cfg;
  cfg.hidden = {4};
  cfg.classes = 2;
  cfg.norm = NormKind::kBatch;
  std::unique_ptr<Network> net;
  ASSERT_TRUE(Network::create(cfg, &net).ok());
  const std::vector<float> x = {1, 2, -1, 0.5f, 0.3f, -2, 2, 2};
  const std::vector<float> labels = {0, 1, 1, 0};
  double loss;
  // Step 1: v = g1, p1 = p0 - lr g1. Step 2: v = mu g1 + g2, p2 = p1 - lr v.
  const Params p0 = read_params(*net);
  ASSERT_TRUE(net->step(x.data(), labels.data(), 4, 0.1, 0.9, &loss).ok());
  const Params g1 = [&] {
    Params g;
    for (int64_t k = 0; k < net->parameter_count(); ++k) {
      const normcore::Output v = net->gradient(k);
      g.emplace_back(v.data, v.data + v.size);
    }
    return g;
  }();
  const Params p1 = read_params(*net);
  ASSERT_TRUE(net->step(x.data(), labels.data(), 4, 0.1, 0.9, &loss).ok());
  const Params p2 = read_params(*net);
  for (size_t k = 0; k < p0.size(); ++k) {
    const normcore::Output g2 = net->gradient(static_cast<int64_t>(k));
    for (size_t i = 0; i < p0[k].size(); ++i) {
      EXPECT_FLOAT_EQ(p1[k][i], static_cast<float>(p0[k][i] - 0.1f * static_cast<float>(g1[k][i])));
      const float v = 0.9f * static_cast<float>(g1[k][i]) + g2.data[i];
      EXPECT_FLOAT_EQ(p2[k][i], static_cast<float>(p1[k][i] - 0.1f * v));
    }
  }
}

TEST(Network, RejectsBadConfigurationsAndBatches) {
  NetworkConfig cfg;
  std::unique_ptr<Network> net;
  EXPECT_EQ(Network::create(cfg, &net).message(),
            "createNetwork: hidden.length is 0, expected a whole number in [1, 64]");
  cfg.hidden = {8, 0};
  EXPECT_EQ(Network::create(cfg, &net).message(),
            "createNetwork: hidden[1] is 0, expected a whole number in [1, 4096]");
  cfg.hidden = {8, 6};
  cfg.norm = NormKind::kGroup;
  cfg.groups = 4;
  EXPECT_EQ(Network::create(cfg, &net).message(),
            "createNetwork: groups is 4, expected a divisor of hidden[1] = 6");
  cfg.groups = 2;
  cfg.classes = 1;
  EXPECT_EQ(Network::create(cfg, &net).message(),
            "createNetwork: classes is 1, expected a whole number in [2, 4096]");
  cfg.classes = 3;
  cfg.init_scale = -1;
  EXPECT_EQ(Network::create(cfg, &net).message(),
            "createNetwork: initScale is -1, expected a finite number >= 0");
  cfg.init_scale = 1;
  cfg.norm = NormKind::kBatch;
  ASSERT_TRUE(Network::create(cfg, &net).ok());
  const std::vector<float> x = {1, 2, 3, 4};
  std::vector<float> labels = {0, 3};
  double loss;
  EXPECT_EQ(net->step(x.data(), labels.data(), 2, 0.1, 0, &loss).message(),
            "network.step: labels[1] is 3, expected a whole number in [0, 2]");
  labels = {0, 1.5f};
  EXPECT_EQ(net->step(x.data(), labels.data(), 2, 0.1, 0, &loss).message(),
            "network.step: labels[1] is 1.5, expected a whole number in [0, 2]");
  labels = {0, 1};
  EXPECT_NE(net->step(x.data(), labels.data(), 1, 0.1, 0, &loss)
                .message()
                .find("network.step: the batch has 1 row, expected at least 2"),
            std::string::npos);
  EXPECT_EQ(net->step(x.data(), labels.data(), 2, -1, 0, &loss).message(),
            "network.step: lr is -1, expected a finite number >= 0");
  double accuracy;
  EXPECT_TRUE(net->evaluate(x.data(), labels.data(), 1, &loss, &accuracy).ok());
}

TEST(Network, DivergenceIsReportedNotThrown) {
  NetworkConfig cfg;
  cfg.hidden = {16, 16};
  cfg.classes = 2;
  cfg.init_scale = 30;
  std::unique_ptr<Network> net;
  ASSERT_TRUE(Network::create(cfg, &net).ok());
  const std::vector<float> x = {1, 2, -3, 4, 5, -1, 0, 2};
  const std::vector<float> labels = {0, 1, 1, 0};
  double loss = 0;
  bool diverged = false;
  for (int i = 0; i < 50 && !diverged; ++i) {
    ASSERT_TRUE(net->step(x.data(), labels.data(), 4, 1e6, 0.9, &loss).ok());
    diverged = !std::isfinite(loss);
  }
  EXPECT_TRUE(diverged) << "last loss " << loss;
}

// A training step moves each batch norm layer's running statistics by PyTorch's rule, from that
// step's own pre-activations: mean 0 -> momentum * batch mean, var 1 -> (1 - momentum) +
// momentum * unbiased batch variance. (Without this, frozen running statistics went unnoticed.)
TEST(NetworkRunningStatistics, AStepUpdatesThemFromTheBatch) {
  NetworkConfig cfg;
  cfg.inputs = 2;
  cfg.hidden = {5, 3};
  cfg.classes = 2;
  cfg.norm = NormKind::kBatch;
  cfg.momentum = 0.25;
  std::unique_ptr<Network> net;
  ASSERT_TRUE(Network::create(cfg, &net).ok());
  const std::vector<float> x = {1, 2, -1, 0.5f, 0.3f, -2, 2, 2, -0.7f, 1.1f, 0.2f, 0.9f};
  const std::vector<float> labels = {0, 1, 1, 0, 1, 0};
  const int64_t n = 6;
  double loss;
  ASSERT_TRUE(net->step(x.data(), labels.data(), n, 0.05, 0.0, &loss).ok());
  for (int64_t layer = 0; layer < net->layers(); ++layer) {
    const int64_t w = net->width(layer);
    const float* z = net->pre_norm(layer);
    for (int64_t u = 0; u < w; ++u) {
      double mean = 0, sq = 0;
      for (int64_t r = 0; r < n; ++r)
        mean += z[r * w + u];
      mean /= n;
      for (int64_t r = 0; r < n; ++r)
        sq += (z[r * w + u] - mean) * (z[r * w + u] - mean);
      const double want_mean = 0.25 * mean, want_var = 0.75 + 0.25 * sq / (n - 1);
      EXPECT_NEAR(net->running_mean(layer)[u], want_mean, 1e-5 * (1 + std::fabs(want_mean)))
          << "layer " << layer << " unit " << u;
      EXPECT_NEAR(net->running_var(layer)[u], want_var, 1e-5 * want_var)
          << "layer " << layer << " unit " << u;
    }
  }
}

}  // namespace
