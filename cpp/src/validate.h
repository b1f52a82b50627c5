// Argument checks shared by every operation. Each failure message names the function, the
// argument, what was given and what was expected, e.g. "batchNorm: x has 10 values, expected
// n*c*s = 12". Function names are those of the JavaScript API, which is how most callers meet them.
#pragma once

#include <cstdint>

#include "normcore/types.h"

// Returns from the enclosing function when a check fails.
#define NORMCORE_TRY(expr)           \
  do {                               \
    ::normcore::Status st_ = (expr); \
    if (!st_.ok())                   \
      return st_;                    \
  } while (0)

namespace normcore {

std::string format_number(double v);

// n, c and s at least 1, and n*c*s within kMaxElements.
Status check_shape(const char* fn, const Shape& shape);

// `expected_expr` names the size in words of the shape, e.g. "c" or "n*c*s".
Status check_input(const char* fn,
                   const char* name,
                   const Input& in,
                   int64_t expected,
                   const char* expected_expr,
                   bool required);
Status check_output(const char* fn,
                    const char* name,
                    const Output& out,
                    int64_t expected,
                    const char* expected_expr,
                    bool required);

Status check_eps(const char* fn, double eps);
Status check_momentum(const char* fn, double momentum);
Status check_groups(const char* fn, int64_t groups, int64_t c);

}  // namespace normcore
