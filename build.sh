#!/usr/bin/env bash
# The one entry point. On a fresh Debian machine each command first installs what is missing.
#   ./build.sh          build everything: native library + tests, both WebAssembly builds, the site (dist/)
#   ./build.sh test     build, then run every test: native (ctest, also under ASan/UBSan), Node, a short
#                       soak, browser, the packed package in a scratch project, and a 60 s fuzzing run
#   ./build.sh serve    build, then serve dist/ on localhost and print the URL
#   ./build.sh bench    build, then run the benchmarks
#   ./build.sh fuzz     fuzz the C++ API for FUZZ_SECONDS (default 600) with libFuzzer, ASan and UBSan
#   ./build.sh format   rewrite JavaScript, CSS and C++ in the repo's formatting (Prettier, clang-format)
#   ./build.sh soak     a million core calls per build, then the widget playing 10,000 frames: memory must stay flat
set -euo pipefail
cd "$(dirname "$0")"

say() { printf '\n== %s\n' "$*"; }

# clang-14 with libclang-rt-14-dev: the sanitizer and libFuzzer builds; llvm-14: symbolized reports.
APT_PACKAGES=(cmake g++ make libgtest-dev libbenchmark-dev emscripten chromium nodejs npm
  clang-14 libclang-rt-14-dev llvm-14 clang-format)

missing_packages() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  # Node and npm may come from outside Debian (as on our machines): then they are not missing.
  if command -v node >/dev/null && command -v npm >/dev/null; then
    missing=("${missing[@]/nodejs/}")
    missing=("${missing[@]/npm/}")
  fi
  echo "${missing[@]}"
}

install_system_packages() {
  local missing
  missing=$(missing_packages | xargs)
  [ -z "$missing" ] && return
  say "Installing Debian packages: $missing"
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "Need root (or sudo) to install: $missing" >&2; exit 1; }
    sudo=sudo
  fi
  $sudo apt-get update
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $missing
}

install_npm_packages() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "Installing npm packages from package-lock.json (npm ci)"
    npm ci
  fi
}

setup() {
  install_system_packages
  install_npm_packages
}

build_native() {
  say "Building the native library and GoogleTest suite (build-native/)"
  cmake -S . -B build-native -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build-native -j"$(nproc)"
}

build_wasm() {
  say "Building the WebAssembly core, SIMD and scalar (build-wasm/ -> web/src/core/wasm/)"
  # Emscripten's JS optimiser needs acorn from Debian's node modules.
  export NODE_PATH=/usr/share/nodejs
  emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build-wasm -j"$(nproc)"
  # The loader serves both binaries with the SIMD build's glue: it must differ only in the name.
  if ! diff -q <(sed 's/core-scalar/core-simd/g' web/src/core/wasm/core-scalar.mjs) web/src/core/wasm/core-simd.mjs >/dev/null; then
    echo "The SIMD and scalar glue files differ beyond the .wasm name: the loader cannot share one." >&2
    exit 1
  fi
}

# Native builds with clang for the checks: the GoogleTest suite under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/), and the libFuzzer target with both (build-fuzz/).
build_sanitized() {
  say "Building the GoogleTest suite with AddressSanitizer and UBSan (build-asan/, clang)"
  cmake -S . -B build-asan -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DNORMCORE_SANITIZE=ON >/dev/null
  cmake --build build-asan -j"$(nproc)"
}

build_fuzzer() {
  say "Building the libFuzzer target with ASan and UBSan (build-fuzz/, clang)"
  cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DNORMCORE_SANITIZE=ON -DNORMCORE_FUZZ=ON -DNORMCORE_TESTS=OFF >/dev/null
  cmake --build build-fuzz -j"$(nproc)"
}

# Sanitizer reports with file:line stacks.
export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14 UBSAN_OPTIONS=print_stacktrace=1

# Fuzzes for $1 seconds, starting from the committed seeds plus what earlier runs found
# (fuzz/corpus-run/, not committed). A failing input is saved in build-fuzz/.
run_fuzzer() {
  local seconds=$1 log=build-fuzz/fuzz.log
  say "Fuzzing the C++ API for ${seconds} s (fuzz/normcore_fuzzer.cpp; corpus copy in fuzz/corpus-run/)"
  mkdir -p fuzz/corpus-run
  cp fuzz/corpus/* fuzz/corpus-run/
  if ! build-fuzz/normcore_fuzzer -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
      -artifact_prefix=build-fuzz/ fuzz/corpus-run >"$log" 2>&1; then
    grep -v -E '^#[0-9]+ ' "$log" | tail -n 40
    echo "The fuzzer found a failing input (above; saved as build-fuzz/crash-*, log in $log)." >&2
    exit 1
  fi
  grep -E '^(Done|stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb))' "$log"
  echo "corpus: $(find fuzz/corpus-run -type f | wc -l) inputs in fuzz/corpus-run/"
}

build_site() {
  say "Building the site with Vite (dist/)"
  npx vite build --logLevel warn
  say "Building the embed bundle (dist/embed/), its example page and dist/standalone.html"
  npx vite build --config web/render/embed.vite.config.js --logLevel warn
  npx vite build --config web/render/embed-lab.vite.config.js --logLevel warn
  cp web/embed-example/embed-example.html web/embed-example/embed-example.css web/favicon.svg dist/
  npx vite build --config web/render/standalone.vite.config.js --logLevel warn
  node web/render/make-standalone.js
}

build_all() {
  setup
  build_native
  build_wasm
  build_site
}

# Formatting: Prettier for JavaScript and CSS, clang-format for C++ (configs at the repo root).
check_format() {
  say "Format check (Prettier, clang-format)"
  npx prettier --check --log-level warn '**/*.{js,mjs,css}'
  git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run --Werror
  echo "formatted: JavaScript, CSS and C++"
}

# custom-elements.json must match the JSDoc of the element sources: regenerate it elsewhere, compare.
check_manifest() {
  say "Custom Elements Manifest is current (custom-elements.json)"
  rm -rf build-manifest
  npx cem analyze --config custom-elements-manifest.config.mjs --outdir build-manifest >/dev/null
  npx prettier --log-level warn --write build-manifest/custom-elements.json
  if ! diff -u custom-elements.json build-manifest/custom-elements.json; then
    echo "custom-elements.json is out of date with the element sources: run npm run manifest." >&2
    exit 1
  fi
  echo "custom-elements.json matches the element sources"
  node scripts/manifest-readme.mjs --check
}

run_tests() {
  check_format
  check_manifest
  say "Native tests (ctest)"
  ctest --test-dir build-native --output-on-failure --no-tests=error -j"$(nproc)"
  build_sanitized
  say "Native tests under AddressSanitizer and UBSan (ctest, build-asan/)"
  ctest --test-dir build-asan --output-on-failure --no-tests=error -j"$(nproc)"
  build_fuzzer
  run_fuzzer 60
  say "Node tests (node --test tests/node/)"
  node --test --test-reporter=spec tests/node/
  say "Short soak: 50,000 calls per build, memory must stay flat (tests/soak/core-soak.mjs)"
  node tests/soak/core-soak.mjs --calls 50000 --every 25000
  if compgen -G "tests/browser/*.test.mjs" >/dev/null; then
    say "Browser tests (headless Chromium)"
    node --test --test-concurrency=1 --test-reporter=spec tests/browser/
  fi
  say "The packed package in a scratch Vite project and in Node, offline (tests/package/)"
  node --test --test-reporter=spec tests/package/
}

run_soak() {
  say "Soak: 1,000,000 calls per build, memory must stay flat (tests/soak/core-soak.mjs)"
  node tests/soak/core-soak.mjs --calls "${SOAK_CALLS:-1000000}"
  say "Soak: the widget playing 10,000 frames in Chromium, JS heap and wasm memory must stay flat (tests/soak/widget-soak.mjs)"
  node tests/soak/widget-soak.mjs --frames "${SOAK_FRAMES:-10000}"
}

serve() {
  local port="${PORT:-4173}"
  say "Serving dist/ at http://localhost:${port}/"
  npx vite preview --port "$port" --strictPort
}

run_benchmarks() {
  if [ -f bench/run.sh ]; then bash bench/run.sh; else echo "No benchmarks yet (bench/run.sh)"; fi
}

case "${1:-build}" in
  build) build_all ;;
  # One step per line: errexit does not apply inside a function called from an && list.
  test) build_all; run_tests ;;
  serve) build_all; serve ;;
  bench) build_all; run_benchmarks ;;
  fuzz) setup; build_fuzzer; run_fuzzer "${FUZZ_SECONDS:-600}" ;;
  soak) build_all; run_soak ;;
  format) setup; npx prettier --write --log-level warn '**/*.{js,mjs,css}'; git ls-files '*.cpp' '*.h' | xargs clang-format -i ;;
  *) echo "usage: $0 [build|test|serve|bench|fuzz|soak|format]" >&2; exit 2 ;;
esac
