#!/usr/bin/env bash
# The benchmarks (./build.sh bench builds everything first, then runs this):
#   1. the core built natively with g++ -O3 -march=native (build-bench/native_bench), a child
#      process of the Node benchmark;
#   2. bench/core-bench.mjs: batch norm and layer norm through the public API (SIMD and scalar,
#      new and out arrays), the kernels alone on data in the wasm heap, native C++, plain
#      JavaScript and TensorFlow.js (wasm backend), in interleaved rounds in one Node process;
#   3. bench/training-bench.mjs: a training step of the lab's reference network in the core against
#      the same step in TensorFlow.js (wasm backend, tf.train.momentum), and the batch-norm gradient
#      against TF.js's gradient and plain JavaScript;
#   4. bench/backward-bench.mjs: batch-norm and layer-norm gradients through the API with handles
#      (BENCH_BASELINE=<another core's index.js> times that core beside this one);
#   5. bench/widget-bench.mjs: the widget in headless Chromium on dist/ (ready time, bytes,
#      frame work at batch size 1024, heap after 100 and 1,000 frames).
# Figures go to the terminal and to bench/results.json (not committed). Benchmarks print figures
# and PASS/MISS against the targets; a miss does not fail the run, a wrong result does.
#   env: BENCH_ROUNDS, BENCH_WARMUP, BENCH_SAMPLE_MS (core), BENCH_FRAMES, BENCH_READY_RUNS (widget)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*"; }

for f in web/src/core/wasm/core-simd.wasm web/src/core/wasm/core-scalar.wasm; do
  [ -f "$f" ] || { echo "bench: $f is missing; run ./build.sh first (./build.sh bench does)" >&2; exit 1; }
done

say "Building the native benchmark harness (g++ -O3 -march=native -> build-bench/native_bench)"
mkdir -p build-bench
# The same flags as the library's CMake build where they matter to the arithmetic: C++17, no FMA
# contraction (the core's numerics are written for separate multiply and add).
g++ -O3 -march=native -std=c++17 -ffp-contract=off -DNDEBUG \
  -Icpp/include -Icpp/src cpp/src/*.cpp bench/native/native_bench.cpp -o build-bench/native_bench

status=0
say "Core benchmark (node bench/core-bench.mjs)"
node --expose-gc bench/core-bench.mjs || status=$?

say "Training benchmark (node bench/training-bench.mjs)"
# tfjs-core ships its gradients as ES modules Node cannot load; bundle them once.
[ -f build-bench/tfjs-gradients.mjs ] || npx vite build --config bench/tfjs-gradients.vite.config.js
node bench/training-bench.mjs || status=$?

say "Backward benchmark (node bench/backward-bench.mjs)"
node --expose-gc bench/backward-bench.mjs || status=$?

say "Widget benchmark (node bench/widget-bench.mjs, headless Chromium on dist/)"
node bench/widget-bench.mjs || status=$?

exit "$status"
