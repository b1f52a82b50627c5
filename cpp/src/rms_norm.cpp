// RMS norm: rescale each sample by its root mean square, with no centring.
#include <cmath>
#include <vector>

#include "apply.h"
#include "normcore/ops.h"
#include "param.h"
#include "set_stats.h"
#include "validate.h"

namespace normcore {

Status rms_norm(const RmsNormArgs& a, const RmsNormResult& out) {
  constexpr const char* kFn = "rmsNorm";
  NORMCORE_TRY(check_shape(kFn, a.shape));
  const int64_t n = a.shape.n, len = a.shape.c * a.shape.s;
  NORMCORE_TRY(check_input(kFn, "x", a.x, n * len, "n*c*s", true));
  NORMCORE_TRY(check_input(kFn, "gamma", a.gamma, len, "c*s", false));
  NORMCORE_TRY(check_eps(kFn, a.eps));
  if (a.stage == Stage::kCentred) {
    return Status::Error(std::string(kFn) +
                         ": stage is \"centred\", expected \"scaled\" or \"output\" "
                         "(RMS norm does not centre)");
  }
  NORMCORE_TRY(check_output(kFn, "y", out.y, n * len, "n*c*s", true));
  NORMCORE_TRY(check_output(kFn, "rms", out.rms, n, "n", false));
  std::vector<float> ones;
  const float* gamma = or_default(applies_affine(a.stage) ? a.gamma : Input{}, len, 1.f, &ones);
  for (int64_t i = 0; i < n; ++i) {
    const float* x = a.x.data + i * len;
    const double rms = std::sqrt(set_mean_square({x, 1, len, len}) + a.eps);
    apply_scaled_elementwise(x, out.y.data + i * len, len, static_cast<float>(1.0 / rms), gamma);
    put(out.rms, i, rms);
  }
  return Status::Ok();
}

}  // namespace normcore
