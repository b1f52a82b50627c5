// The five normalisations on float32 [N, C, S] data, with PyTorch's semantics (see DESIGN.md).
//
// Every operation validates its arguments first and writes nothing when they are wrong.
// Outputs are caller-owned arrays of exactly the documented sizes; an output may alias the
// input of the same role (e.g. running_mean in and out) but never x.
#pragma once

#include "normcore/types.h"

namespace normcore {

struct BatchNormArgs {
  Shape shape;
  Input x;
  Input gamma;         // [c], omitted: ones
  Input beta;          // [c], omitted: zeros
  Input running_mean;  // [c], omitted: zeros
  Input running_var;   // [c], omitted: ones
  double eps = kDefaultEps;
  bool training = true;
  double momentum = kDefaultMomentum;
  Stage stage = Stage::kOutput;
};

struct BatchNormResult {
  Output y;             // [n*c*s]
  Output mean;          // [c] batch mean (training) or the running mean used (inference)
  Output var;           // [c] biased batch variance (training) or the running variance used
  Output running_mean;  // [c] updated in training, a copy of the input in inference
  Output running_var;   // [c]
};

Status batch_norm(const BatchNormArgs& args, const BatchNormResult& out);

// Layer, instance and group norm share their arguments; they differ in which values form a set.
struct NormArgs {
  Shape shape;
  Input x;
  Input gamma;  // layer norm: [c*s]; instance and group norm: [c]
  Input beta;   // same size as gamma
  double eps = kDefaultEps;
  Stage stage = Stage::kOutput;
};

struct NormResult {
  Output y;     // [n*c*s]
  Output mean;  // one per set: layer [n], instance [n*c], group [n*groups]
  Output var;   // biased, one per set
};

Status layer_norm(const NormArgs& args, const NormResult& out);
Status instance_norm(const NormArgs& args, const NormResult& out);
Status group_norm(const NormArgs& args, int64_t groups, const NormResult& out);

struct RmsNormArgs {
  Shape shape;
  Input x;
  Input gamma;  // [c*s], omitted: ones
  double eps = kDefaultRmsEps;
  Stage stage = Stage::kOutput;  // kCentred is an error: RMS norm does not centre
};

struct RmsNormResult {
  Output y;    // [n*c*s]
  Output rms;  // [n], sqrt(mean(x^2) + eps)
};

Status rms_norm(const RmsNormArgs& args, const RmsNormResult& out);

}  // namespace normcore
