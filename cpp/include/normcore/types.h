// Shared vocabulary of the normalisation core: tensor shapes, array views and the status type.
#pragma once

#include <cstdint>
#include <string>

namespace normcore {

// Row-major float32 tensor [N, C, S]: N samples, C channels, S spatial positions (S = 1 for [N,
// C]).
struct Shape {
  int64_t n = 0;
  int64_t c = 0;
  int64_t s = 1;
};

// A read-only array argument. `data == nullptr` means "omitted" (the operation's default applies).
struct Input {
  const float* data = nullptr;
  int64_t size = 0;
  bool given() const { return data != nullptr; }
};

// A caller-owned output array that must hold exactly the size the operation expects.
struct Output {
  float* data = nullptr;
  int64_t size = 0;
};

// Operations never throw: bad arguments come back as a status whose message names the function,
// the argument, what was given and what was expected.
class Status {
 public:
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }
  bool ok() const { return message_.empty(); }
  const std::string& message() const { return message_; }

 private:
  Status() = default;
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::string message_;
};

// What a forward operation writes to y: the output γ·x̂ + β (the default), or an earlier stage of
// the same computation, so that a figure can show each stage without undoing one in JavaScript.
//   kCentred: x − mean (no division, no γ, β); not for RMS norm, which does not centre.
//   kScaled:  x̂ = (x − mean) / √(var + ε) (RMS norm: x / rms), without γ and β.
// Statistics and running statistics are the same whatever the stage.
enum class Stage { kCentred, kScaled, kOutput };

// Defaults of DESIGN.md, in one place; the JavaScript loader reads them through the bindings.
constexpr double kDefaultEps = 1e-5;
constexpr double kDefaultRmsEps = 1e-6;
constexpr double kDefaultMomentum = 0.1;

// The largest element count a tensor may have: n*c*s must fit in 32 bits.
constexpr int64_t kMaxElements = (int64_t{1} << 32) - 1;

}  // namespace normcore
