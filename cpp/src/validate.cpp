// Argument checks with messages a person can act on.
#include "validate.h"

#include <cmath>
#include <cstdlib>

namespace normcore {
namespace {

Status fail(const char* fn, const std::string& what) {
  return Status::Error(std::string(fn) + ": " + what);
}

Status check_dimension(const char* fn, const char* name, int64_t v) {
  if (v >= 1)
    return Status::Ok();
  return fail(fn,
              std::string(name) + " is " + std::to_string(v) + ", expected a whole number >= 1");
}

}  // namespace

std::string format_number(double v) {
  // Hand-written rather than printf/strtod, which would add ~20 KB to the WebAssembly module for
  // the sake of error messages: integers exactly, other values with up to 9 significant digits.
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "Infinity" : "-Infinity";
  std::string sign = v < 0 ? "-" : "";
  double a = std::fabs(v);
  if (a == std::floor(a) && a < 1e18)
    return sign + std::to_string(static_cast<long long>(a));
  int exponent = static_cast<int>(std::floor(std::log10(a)));
  // 9 significant digits. Below ~1e-290, 10^(exponent - 8) is subnormal or zero (digits would be
  // wrong or infinite): scale such values into the normal range first.
  const int boost = exponent < -290 ? 200 : 0;
  long long digits = std::llround(a * std::pow(10.0, boost) / std::pow(10.0, exponent + boost - 8));
  if (digits >= 1000000000LL) {
    digits /= 10;
    exponent += 1;
  }
  std::string text = std::to_string(digits);
  while (text.size() > 1 && text.back() == '0')
    text.pop_back();
  std::string mantissa = text.substr(0, 1) + (text.size() > 1 ? "." + text.substr(1) : "");
  if (exponent < -6 || exponent >= 21) {
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + std::to_string(std::abs(exponent));
  }
  if (exponent < 0)
    return sign + "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + text;
  const size_t point = static_cast<size_t>(exponent) + 1;
  if (text.size() <= point)
    return sign + text + std::string(point - text.size(), '0');
  return sign + text.substr(0, point) + "." + text.substr(point);
}

Status check_shape(const char* fn, const Shape& shape) {
  NORMCORE_TRY(check_dimension(fn, "n", shape.n));
  NORMCORE_TRY(check_dimension(fn, "c", shape.c));
  NORMCORE_TRY(check_dimension(fn, "s", shape.s));
  // Divide instead of multiplying, so the check itself cannot overflow.
  if (shape.n > kMaxElements / shape.c || shape.n * shape.c > kMaxElements / shape.s) {
    return fail(fn,
                "n*c*s = " + format_number(double(shape.n) * double(shape.c) * double(shape.s)) +
                    " elements, expected at most " + std::to_string(kMaxElements) + " (32 bits)");
  }
  return Status::Ok();
}

Status check_input(const char* fn,
                   const char* name,
                   const Input& in,
                   int64_t expected,
                   const char* expected_expr,
                   bool required) {
  if (!in.given()) {
    if (!required)
      return Status::Ok();
    return fail(fn, std::string(name) + " is missing, expected " + expected_expr + " = " +
                        std::to_string(expected) + " values");
  }
  if (in.size == expected)
    return Status::Ok();
  return fail(fn, std::string(name) + " has " + std::to_string(in.size) + " values, expected " +
                      expected_expr + " = " + std::to_string(expected));
}

Status check_output(const char* fn,
                    const char* name,
                    const Output& out,
                    int64_t expected,
                    const char* expected_expr,
                    bool required) {
  // The message's name is built only for a failure: this runs for every output of every call.
  if (out.data == nullptr ? !required : out.size == expected)
    return Status::Ok();
  return check_input(fn, (std::string("output ") + name).c_str(), Input{out.data, out.size},
                     expected, expected_expr, required);
}

Status check_eps(const char* fn, double eps) {
  if (std::isfinite(eps) && eps >= 0)
    return Status::Ok();
  return fail(fn, "eps is " + format_number(eps) + ", expected a finite number >= 0");
}

Status check_momentum(const char* fn, double momentum) {
  if (momentum >= 0 && momentum <= 1)
    return Status::Ok();
  return fail(fn, "momentum is " + format_number(momentum) + ", expected a number in [0, 1]");
}

Status check_groups(const char* fn, int64_t groups, int64_t c) {
  if (groups < 1) {
    return fail(fn, "groups is " + std::to_string(groups) + ", expected a whole number >= 1");
  }
  if (c % groups != 0) {
    return fail(fn, "groups is " + std::to_string(groups) +
                        ", expected a divisor of c = " + std::to_string(c));
  }
  return Status::Ok();
}

}  // namespace normcore
