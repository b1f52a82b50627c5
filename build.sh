#!/usr/bin/env bash
# The one entry point. On a fresh Debian machine each command first installs what is missing.
#   ./build.sh          build everything: native library + tests, both WebAssembly builds, the site (dist/)
#   ./build.sh test     build, then run every test: native (ctest), Node, browser
#   ./build.sh serve    build, then serve dist/ on localhost and print the URL
#   ./build.sh bench    build, then run the benchmarks
set -euo pipefail
cd "$(dirname "$0")"

say() { printf '\n== %s\n' "$*"; }

APT_PACKAGES=(cmake g++ make libgtest-dev libbenchmark-dev emscripten chromium nodejs npm)

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

build_site() {
  say "Building the site with Vite (dist/)"
  npx vite build --logLevel warn
  say "Building the embed bundle (dist/embed/), its example page and dist/standalone.html"
  npx vite build --config web/build/embed.vite.config.js --logLevel warn
  cp web/embed-example/embed-example.html web/embed-example/embed-example.css web/favicon.svg dist/
  npx vite build --config web/build/standalone.vite.config.js --logLevel warn
  node web/build/make-standalone.js
}

build_all() {
  setup
  build_native
  build_wasm
  build_site
}

run_tests() {
  say "Native tests (ctest)"
  ctest --test-dir build-native --output-on-failure --no-tests=error -j"$(nproc)"
  say "Node tests (node --test tests/node/)"
  node --test --test-reporter=spec tests/node/
  if compgen -G "tests/browser/*.test.mjs" >/dev/null; then
    say "Browser tests (headless Chromium)"
    node --test --test-concurrency=1 --test-reporter=spec tests/browser/
  fi
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
  *) echo "usage: $0 [build|test|serve|bench]" >&2; exit 2 ;;
esac
