// The core's benchmark: batch norm (training forward) and layer norm, on several sizes, through
// every implementation we compare, in ONE Node process, in interleaved rounds.
//
//   node --expose-gc bench/core-bench.mjs [--native PATH] [--json PATH]
//   env: BENCH_ROUNDS (measured rounds, default 9), BENCH_WARMUP (default 2),
//        BENCH_SAMPLE_MS (target length of one sample, default 10)
//
// Method. Every implementation is first checked against a float64 reference on the same float32
// input (the run stops with an error if one is off). Then each gets a repetition count so that one
// sample (that many calls back to back) lasts about BENCH_SAMPLE_MS, or one call if a call is
// longer; the count is fitted again after each warm-up round. A round takes one sample of every implementation, for every operation and size, the
// implementations in an order rotated by one place each round; warm-up rounds are dropped. With
// --expose-gc a full GC runs before each sample (outside the timed region), so that garbage left
// by one implementation is not collected on another's clock. Ratios are taken within each round
// (same conditions for both sides) and summarised by their median and range over the rounds.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { loadNormCore } from '../web/src/core/index.js';
import createNormCore from '../web/src/core/wasm/core-simd.mjs';
import { batchNormPlain, layerNormPlain } from './plain-js.mjs';
import { batchNormRef, layerNormRef, maxRelDiff } from './reference.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

function argValue(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const SAMPLE_NS = Number(process.env.BENCH_SAMPLE_MS ?? 10) * 1e6;
const NATIVE = argValue('--native', path.join(root, 'build-bench', 'native_bench'));
const JSON_OUT = argValue('--json', path.join(here, 'results.json'));
const EPS = 1e-5;
const OUTPUT_STAGE = 2; // the core's Stage::kOutput (cpp/include/normcore/types.h): the full norm
const MOMENTUM = 0.1;
// Outputs of order 1-10 (gamma near 1): the design's accuracy bound, relative to 1 + |ref|.
const TOLERANCE = 1e-4;

const ALL_SIZES = [
  { n: 32, c: 4, s: 1 },
  { n: 1024, c: 64, s: 1 },
  { n: 4096, c: 256, s: 1 },
  { n: 16384, c: 512, s: 1 },
  { n: 32, c: 64, s: 196 },
];
for (const d of ALL_SIZES) {
  d.label = d.s === 1 ? `[${d.n}, ${d.c}]` : `[${d.n}, ${d.c}, ${d.s}]`;
  d.key = `${d.n}x${d.c}x${d.s}`;
  d.elements = d.n * d.c * d.s;
}
// BENCH_SIZES=32x4x1,1024x64x1 runs a subset (for investigations; targets need all sizes).
const SIZES = process.env.BENCH_SIZES
  ? ALL_SIZES.filter((d) => process.env.BENCH_SIZES.split(',').includes(d.key))
  : ALL_SIZES;
const LARGE_NC = SIZES.filter((d) => d.s === 1 && d.elements >= 65536);
const SMALLEST = SIZES.find((d) => d.key === '32x4x1');

const OPS = {
  bn: {
    label: 'batch norm (training)',
    // x in, y out, gamma/beta/runningMean/runningVar in, mean/var/runningMean/runningVar out
    bytes: (d) => 4 * (2 * d.elements + 8 * d.c),
  },
  ln: {
    label: 'layer norm',
    // x in, y out, gamma/beta [c*s] in, mean/var [n] out
    bytes: (d) => 4 * (2 * d.elements + 2 * d.c * d.s + 2 * d.n),
  },
};

const IMPLS = [
  { id: 'api-simd-new', label: 'API, SIMD, new arrays' },
  { id: 'api-simd-out', label: 'API, SIMD, out arrays' },
  { id: 'api-simd-handles', label: 'API, SIMD, core.alloc handles' },
  { id: 'api-scalar-new', label: 'API, scalar, new arrays' },
  { id: 'api-scalar-out', label: 'API, scalar, out arrays' },
  { id: 'compute-simd', label: 'compute only, SIMD' },
  { id: 'compute-scalar', label: 'compute only, scalar' },
  { id: 'native', label: 'native C++ (g++ -O3 -march=native)' },
  { id: 'plain-js', label: 'plain JavaScript' },
  // Computes nothing, so it is not checked: the copies a new-arrays call cannot avoid.
  { id: 'copies-new', label: 'copies only, new arrays', unchecked: true },
  { id: 'tfjs-wasm', label: 'TensorFlow.js wasm' },
];

const now = () => process.hrtime.bigint();
let sink = 0; // keeps results alive so that no call can be optimised away

// ---------------------------------------------------------------- inputs

function lcg(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// Activations as real layers have them: each channel its own offset and spread.
function makeData(core, d, seed) {
  const rand = lcg(seed);
  const offset = Float32Array.from({ length: d.c }, () => (rand() - 0.5) * 6);
  const scale = Float32Array.from({ length: d.c }, () => 0.5 + 1.5 * rand());
  const x = core.sample({ distribution: 'normal', n: d.n, c: d.c, s: d.s, seed, offset, scale });
  const near = (len, centre) =>
    Float32Array.from({ length: len }, () => centre + (rand() - 0.5) * 0.4);
  return {
    x,
    gammaC: near(d.c, 1),
    betaC: near(d.c, 0),
    gammaL: near(d.c * d.s, 1),
    betaL: near(d.c * d.s, 0),
    runningMean: new Float32Array(d.c),
    runningVar: new Float32Array(d.c).fill(1),
  };
}

function reference(op, d, data) {
  return op === 'bn'
    ? batchNormRef(data.x, d.n, d.c, d.s, data.gammaC, data.betaC, EPS)
    : layerNormRef(data.x, d.n, d.c, d.s, data.gammaL, data.betaL, EPS);
}

// ---------------------------------------------------------------- implementations
// Each maker returns, for one operation and size, a runner { result(), time(reps), lastCpuNs }:
// result() gives { y, mean, var } for the check; time(reps) the wall-clock nanoseconds of reps
// calls, and sets lastCpuNs to the CPU time they took (this process's, or the native child's
// thread): on a machine shared with other work, CPU time leaves out the time spent descheduled.
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

function syncRunner(call) {
  return {
    async result() {
      return call();
    },
    lastCpuNs: 0,
    async time(reps) {
      const c0 = cpuNow();
      const t0 = now();
      for (let r = 0; r < reps; r++) sink += call().y.length;
      const ns = Number(now() - t0);
      this.lastCpuNs = cpuNow() - c0;
      return ns;
    },
  };
}

function apiMaker(core, withOut) {
  return (op, d, data) => {
    const shape = { n: d.n, c: d.c, s: d.s };
    if (op === 'bn') {
      const options = {
        gamma: data.gammaC,
        beta: data.betaC,
        runningMean: data.runningMean,
        runningVar: data.runningVar,
        eps: EPS,
        momentum: MOMENTUM,
      };
      if (withOut) {
        options.out = {
          y: new Float32Array(d.elements),
          mean: new Float32Array(d.c),
          var: new Float32Array(d.c),
          runningMean: new Float32Array(d.c),
          runningVar: new Float32Array(d.c),
        };
      }
      return syncRunner(() => core.batchNorm(data.x, shape, options));
    }
    const options = { gamma: data.gammaL, beta: data.betaL, eps: EPS };
    if (withOut) {
      options.out = {
        y: new Float32Array(d.elements),
        mean: new Float32Array(d.n),
        var: new Float32Array(d.n),
      };
    }
    return syncRunner(() => core.layerNorm(data.x, shape, options));
  };
}

// The public API given core.alloc handles for every array (inputs and out): nothing is copied.
// The handles are made once per operation and size, like the widget's buffers.
function handlesMaker(core) {
  const handleOf = (values) => {
    const h = core.alloc(values.length);
    h.array.set(values);
    return h;
  };
  return (op, d, data) => {
    const shape = { n: d.n, c: d.c, s: d.s };
    const x = handleOf(data.x);
    const sets = op === 'bn' ? d.c : d.n;
    const out = { y: core.alloc(d.elements), mean: core.alloc(sets), var: core.alloc(sets) };
    let call;
    if (op === 'bn') {
      out.runningMean = core.alloc(d.c);
      out.runningVar = core.alloc(d.c);
      const options = {
        gamma: handleOf(data.gammaC),
        beta: handleOf(data.betaC),
        runningMean: handleOf(data.runningMean),
        runningVar: handleOf(data.runningVar),
        eps: EPS,
        momentum: MOMENTUM,
        out,
      };
      call = () => core.batchNorm(x, shape, options);
    } else {
      const options = { gamma: handleOf(data.gammaL), beta: handleOf(data.betaL), eps: EPS, out };
      call = () => core.layerNorm(x, shape, options);
    }
    const runner = syncRunner(call);
    runner.result = async () => {
      const r = call();
      return { y: r.y.array.slice(), mean: r.mean.array.slice(), var: r.var.array.slice() };
    };
    return runner;
  };
}

// The floor of any call that takes typed arrays and returns new ones: every input copied into the
// wasm heap with one set, every output copied out into a new Float32Array with one slice, and no
// kernel. What TF.js takes over this time bounds the ratio a new-arrays API could reach.
async function copiesMaker() {
  const wasmBinary = readFileSync(path.join(root, 'web/src/core/wasm/core-simd.wasm'));
  const module = await createNormCore({ wasmBinary });
  const kept = new Map();
  const region = (key, length) => {
    if (!kept.has(key)) {
      const ptr = module._malloc(Math.max(1, length) * 4);
      if (!ptr) throw new Error(`copies-new: malloc of ${length} floats failed`);
      kept.set(key, ptr >>> 2);
    }
    return kept.get(key);
  };
  return (op, d, data) => {
    const sets = op === 'bn' ? d.c : d.n;
    const inputs =
      op === 'bn'
        ? [data.x, data.gammaC, data.betaC, data.runningMean, data.runningVar]
        : [data.x, data.gammaL, data.betaL];
    const outputs = op === 'bn' ? [d.elements, d.c, d.c, d.c, d.c] : [d.elements, sets, sets];
    const at = inputs.map((v, i) => region(`${d.key}-${op}-in${i}`, v.length));
    const outAt = outputs.map((length, i) => region(`${d.key}-${op}-out${i}`, length));
    return syncRunner(() => {
      const heap = module.HEAPF32;
      inputs.forEach((v, i) => heap.set(v, at[i]));
      const copies = outputs.map((length, i) => heap.slice(outAt[i], outAt[i] + length));
      return { y: copies[0], mean: copies[1], var: copies[2] };
    });
  };
}

// The kernels on data already in the wasm heap: the glue instantiated directly, buffers malloc'd
// and filled once per size, the slot table (cpp/bindings/embind.cpp) written before each sample;
// only the bound call is timed.
// The two builds share one glue (they differ only in the .wasm), as in web/src/core/index.js.
async function computeMaker(variant) {
  const wasmBinary = readFileSync(path.join(root, `web/src/core/wasm/core-${variant}.wasm`));
  const module = await createNormCore({ wasmBinary });
  const slotWord = module.slotTable() >>> 2;
  const buffers = new Map();

  const alloc = (length) => {
    const ptr = module._malloc(Math.max(1, length) * 4);
    if (!ptr) throw new Error(`compute-${variant}: malloc of ${length} floats failed`);
    return { ptr, length };
  };
  const upload = (buf, values) => module.HEAPF32.set(values, buf.ptr >>> 2);
  const download = (buf) => module.HEAPF32.slice(buf.ptr >>> 2, (buf.ptr >>> 2) + buf.length);

  function sizeBuffers(d, data) {
    if (!buffers.has(d.key)) {
      const b = {
        x: alloc(d.elements),
        y: alloc(d.elements),
        gammaC: alloc(d.c),
        betaC: alloc(d.c),
        rmIn: alloc(d.c),
        rvIn: alloc(d.c),
        meanC: alloc(d.c),
        varC: alloc(d.c),
        rmOut: alloc(d.c),
        rvOut: alloc(d.c),
        gammaL: alloc(d.c * d.s),
        betaL: alloc(d.c * d.s),
        meanN: alloc(d.n),
        varN: alloc(d.n),
      };
      upload(b.x, data.x);
      upload(b.gammaC, data.gammaC);
      upload(b.betaC, data.betaC);
      upload(b.rmIn, data.runningMean);
      upload(b.rvIn, data.runningVar);
      upload(b.gammaL, data.gammaL);
      upload(b.betaL, data.betaL);
      buffers.set(d.key, b);
    }
    return buffers.get(d.key);
  }

  return (op, d, data) => {
    const b = sizeBuffers(d, data);
    const slots =
      op === 'bn'
        ? [b.x, b.gammaC, b.betaC, b.rmIn, b.rvIn, b.y, b.meanC, b.varC, b.rmOut, b.rvOut]
        : [b.x, b.gammaL, b.betaL, b.y, b.meanN, b.varN];
    const fillSlots = () => {
      const heap = module.HEAPU32;
      heap.fill(0, slotWord, slotWord + 20);
      slots.forEach((buf, i) => {
        heap[slotWord + 2 * i] = buf.ptr;
        heap[slotWord + 2 * i + 1] = buf.length;
      });
    };
    const { n, c, s } = d;
    const call =
      op === 'bn'
        ? () => module._nc_batch_norm(n, c, s, EPS, 1, MOMENTUM, OUTPUT_STAGE)
        : () => module._nc_layer_norm(n, c, s, EPS, OUTPUT_STAGE);
    return {
      async result() {
        fillSlots();
        if (!call()) throw new Error(`compute-${variant}: ${module.lastError()}`);
        return op === 'bn'
          ? { y: download(b.y), mean: download(b.meanC), var: download(b.varC) }
          : { y: download(b.y), mean: download(b.meanN), var: download(b.varN) };
      },
      lastCpuNs: 0,
      async time(reps) {
        fillSlots();
        let ok = true;
        const c0 = cpuNow();
        const t0 = now();
        for (let r = 0; r < reps; r++) ok = call() && ok;
        const ns = Number(now() - t0);
        this.lastCpuNs = cpuNow() - c0;
        if (!ok) throw new Error(`compute-${variant}: ${module.lastError()}`);
        return ns;
      },
    };
  };
}

function plainMaker(withOut) {
  return (op, d, data) => {
    if (op === 'bn') {
      const out = withOut
        ? {
            y: new Float32Array(d.elements),
            mean: new Float32Array(d.c),
            var: new Float32Array(d.c),
            runningMean: new Float32Array(d.c),
            runningVar: new Float32Array(d.c),
          }
        : undefined;
      return syncRunner(() =>
        batchNormPlain(
          data.x,
          d.n,
          d.c,
          d.s,
          data.gammaC,
          data.betaC,
          data.runningMean,
          data.runningVar,
          EPS,
          MOMENTUM,
          out,
        ),
      );
    }
    const out = withOut
      ? { y: new Float32Array(d.elements), mean: new Float32Array(d.n), var: new Float32Array(d.n) }
      : undefined;
    return syncRunner(() =>
      layerNormPlain(data.x, d.n, d.c, d.s, data.gammaL, data.betaL, EPS, out),
    );
  };
}

// TensorFlow.js with its wasm backend, as a user would write it: a tensor from the Float32Array,
// tf.moments, then tf.batchNorm where the statistics are per channel-last channel ([N, C] batch
// norm); elsewhere (layer norm, and batch norm over [N, C, S], whose channel is not the last axis,
// which tf.batchNorm's kernel assumes) the same arithmetic with broadcasting ops. All in tf.tidy,
// results read with dataSync. gamma/beta are tensors made once, like a layer's weights.
// TF.js computes y, mean and var; it keeps no running statistics.
async function tfjsMaker() {
  const tf = await import('@tensorflow/tfjs-core');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // In Node the backend finds its .wasm files next to its own module; say where, explicitly.
  const dist = path.dirname(
    fileURLToPath(import.meta.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')),
  );
  wasm.setWasmPaths(dist + path.sep);
  if (!(await tf.setBackend('wasm')))
    throw new Error('TensorFlow.js: the wasm backend did not start');
  await tf.ready();
  const info = {
    version: tf.version_core,
    backend: tf.getBackend(),
    simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    threads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
  };
  const maker = (op, d, data) => {
    const { n, c, s } = d;
    let compute;
    if (op === 'bn' && s === 1) {
      const gamma = tf.keep(tf.tensor1d(data.gammaC));
      const beta = tf.keep(tf.tensor1d(data.betaC));
      compute = () => {
        const x = tf.tensor2d(data.x, [n, c]);
        const { mean, variance } = tf.moments(x, [0]);
        return { y: tf.batchNorm(x, mean, variance, beta, gamma, EPS), mean, variance };
      };
    } else if (op === 'bn') {
      const gamma = tf.keep(tf.tensor3d(data.gammaC, [1, c, 1]));
      const beta = tf.keep(tf.tensor3d(data.betaC, [1, c, 1]));
      compute = () => {
        const x = tf.tensor3d(data.x, [n, c, s]);
        const { mean, variance } = tf.moments(x, [0, 2], true);
        const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, EPS)));
        return { y: tf.add(tf.mul(tf.sub(x, mean), scale), beta), mean, variance };
      };
    } else {
      const gamma = tf.keep(tf.tensor1d(data.gammaL));
      const beta = tf.keep(tf.tensor1d(data.betaL));
      compute = () => {
        const x = tf.tensor2d(data.x, [n, c * s]);
        const { mean, variance } = tf.moments(x, [1], true);
        const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, EPS)));
        return { y: tf.add(tf.mul(normalised, gamma), beta), mean, variance };
      };
    }
    // The values are read inside tf.tidy but not returned from it: tidy walks whatever it returns
    // looking for tensors, element by element for a typed array (seconds for 8M values).
    return syncRunner(() => {
      let values;
      tf.tidy(() => {
        const r = compute();
        values = { y: r.y.dataSync(), mean: r.mean.dataSync(), var: r.variance.dataSync() };
      });
      return values;
    });
  };
  maker.info = info;
  maker.leakCheck = () => tf.memory().numTensors;
  return maker;
}

// The core built natively, as a child process speaking bench/native/native_bench.cpp's protocol.
async function nativeMaker(tmp) {
  const child = spawn(NATIVE, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  child.on('error', (e) => {
    throw new Error(`native benchmark ${NATIVE}: ${e.message}`);
  });
  async function ask(command) {
    child.stdin.write(command + '\n');
    const { value, done } = await lines.next();
    if (done) throw new Error(`native benchmark exited (${await exited}) after: ${command}`);
    if (!value.startsWith('ok')) throw new Error(`native benchmark: ${value} (after: ${command})`);
    return value.slice(3);
  }
  const info = { compiler: await ask('info') };
  const loaded = new Set();
  async function load(d, data) {
    if (loaded.has(d.key)) return;
    const files = {};
    for (const name of ['x', 'gammaC', 'betaC', 'gammaL', 'betaL']) {
      files[name] = path.join(tmp, `${d.key}-${name}.f32`);
      await writeFile(
        files[name],
        new Uint8Array(data[name].buffer, data[name].byteOffset, data[name].byteLength),
      );
    }
    await ask(
      `load ${d.key} ${d.n} ${d.c} ${d.s} ${files.x} ${files.gammaC} ${files.betaC} ${files.gammaL} ${files.betaL}`,
    );
    loaded.add(d.key);
  }
  const maker = async (op, d, data) => {
    await load(d, data);
    const sets = op === 'bn' ? d.c : d.n;
    return {
      async result() {
        const file = path.join(tmp, `${d.key}-${op}-out.f32`);
        await ask(`dump ${d.key} ${op} ${file}`);
        const bytes = await readFile(file);
        const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
        return {
          y: all.subarray(0, d.elements),
          mean: all.subarray(d.elements, d.elements + sets),
          var: all.subarray(d.elements + sets, d.elements + 2 * sets),
        };
      },
      lastCpuNs: 0,
      async time(reps) {
        const [wall, cpu] = (await ask(`time ${d.key} ${op} ${reps}`)).split(' ').map(Number);
        this.lastCpuNs = cpu;
        return wall;
      },
    };
  };
  maker.info = info;
  maker.close = async () => {
    child.stdin.end('quit\n');
    await exited;
  };
  return maker;
}

// ---------------------------------------------------------------- statistics and output

const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};
const fmt = (v, digits = 3) => {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(v)));
  return v.toFixed(Math.max(0, digits - 1 - magnitude));
};
const pad = (text, width, right = false) =>
  right ? String(text).padStart(width) : String(text).padEnd(width);

function machine() {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const flags = /^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.split(' ') ?? [];
  return {
    cpu: model,
    cores: os.cpus().length,
    simdFlags: ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f'].filter((f) => flags.includes(f)),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

// ---------------------------------------------------------------- targets (issue 13)
// Each target is a same-round ratio between two implementations, at the sizes listed, held for
// both operations (layer norm to the same as batch norm). `a / b` must be >= or <= the bound.
const TARGETS = [
  {
    text: 'API with out vs plain JS',
    a: 'plain-js',
    b: 'api-simd-out',
    sense: '>=',
    bounds: { '1024x64x1': 4, '4096x256x1': 4, '16384x512x1': 2.5 },
  },
  {
    text: 'API new arrays vs TF.js',
    a: 'tfjs-wasm',
    b: 'api-simd-new',
    sense: '>=',
    bounds: { '1024x64x1': 10, '4096x256x1': 10, '16384x512x1': 5 },
  },
  {
    text: 'call with out / plain-JS call',
    a: 'api-simd-out',
    b: 'plain-js',
    sense: '<=',
    bounds: { '32x4x1': 2.5 },
  },
  {
    text: 'call with handles / plain-JS call',
    a: 'api-simd-handles',
    b: 'plain-js',
    sense: '<=',
    bounds: { '32x4x1': 1.5 },
  },
  {
    text: 'API with handles vs plain JS',
    a: 'plain-js',
    b: 'api-simd-handles',
    sense: '>=',
    bounds: { '1024x64x1': 6, '4096x256x1': 6 },
  },
  {
    text: 'kernel SIMD / native',
    a: 'compute-simd',
    b: 'native',
    sense: '<=',
    bounds: Object.fromEntries(ALL_SIZES.map((d) => [d.key, 1.3])),
  },
];

// Ratios printed for reading (no target).
const RATIOS = [
  ...TARGETS.map(({ text, a, b }) => ({ text, a, b })),
  { text: 'compute scalar / SIMD', a: 'compute-scalar', b: 'compute-simd' },
  { text: 'plain JS / API scalar out', a: 'plain-js', b: 'api-scalar-out' },
  { text: 'API SIMD new / out', a: 'api-simd-new', b: 'api-simd-out' },
  { text: 'API SIMD out / compute SIMD', a: 'api-simd-out', b: 'compute-simd' },
  // The most a new-arrays call could gain on TF.js with a kernel that cost nothing.
  { text: 'TF.js / copies only (new-arrays bound)', a: 'tfjs-wasm', b: 'copies-new' },
  { text: 'API SIMD new / copies only', a: 'api-simd-new', b: 'copies-new' },
];

// ---------------------------------------------------------------- main, in parts

async function setUp(tmp) {
  const simd = await loadNormCore({ variant: 'simd' });
  const scalar = await loadNormCore({ variant: 'scalar' });
  if (!simd.simd) throw new Error('the SIMD build did not load');
  const tfjs = await tfjsMaker();
  const native = await nativeMaker(tmp);
  const makers = {
    'api-simd-new': apiMaker(simd, false),
    'api-simd-out': apiMaker(simd, true),
    'api-simd-handles': handlesMaker(simd),
    'api-scalar-new': apiMaker(scalar, false),
    'api-scalar-out': apiMaker(scalar, true),
    'compute-simd': await computeMaker('simd'),
    'compute-scalar': await computeMaker('scalar'),
    native,
    'plain-js': plainMaker(true),
    'copies-new': await copiesMaker(),
    'tfjs-wasm': tfjs,
  };
  return { simd, tfjs, native, makers };
}

function describeMachine(env, gc) {
  console.log(
    `Machine: ${env.cpu}, ${env.cores} cores (${env.simdFlags.join(' ')}), ${env.memoryGiB} GiB; ` +
      `Node ${env.node} (V8 ${env.v8}); native ${env.native.compiler}; ` +
      `TF.js ${env.tfjs.version} ${env.tfjs.backend} (SIMD ${env.tfjs.simd}, threads ${env.tfjs.threads})`,
  );
  console.log(
    `Load average before the run: ${env.loadavgBefore.join(' ')} (other processes share these cores)`,
  );
  console.log(
    `Rounds: ${WARMUP} warm-up + ${ROUNDS} measured; sample target ${SAMPLE_NS / 1e6} ms; ` +
      `GC before each sample: ${gc ? 'yes' : 'no'}`,
  );
}

// Every implementation against float64, and the SIMD and scalar builds against each other; one
// cell per (operation, size, implementation).
async function checkedCells(simd, makers) {
  const cells = [];
  console.log('\nChecking every implementation against float64 ...');
  for (const d of SIZES) {
    const data = makeData(simd, d, 1000 + d.elements);
    for (const op of Object.keys(OPS)) {
      const ref = reference(op, d, data);
      let simdY = null;
      for (const impl of IMPLS) {
        const runner = await makers[impl.id](op, d, data);
        const r = await runner.result();
        if (impl.unchecked) {
          cells.push({
            op,
            size: d,
            impl,
            runner,
            error: NaN,
            reps: 1,
            samples: [],
            cpuSamples: [],
          });
          continue;
        }
        const errors = {
          y: maxRelDiff(r.y, ref.y),
          mean: maxRelDiff(r.mean, ref.mean),
          var: maxRelDiff(r.var, ref.var),
        };
        const worst = Math.max(errors.y, errors.mean, errors.var);
        if (!(worst <= TOLERANCE)) {
          throw new Error(
            `${impl.label}, ${OPS[op].label} ${d.label}: off the float64 reference by ` +
              `${JSON.stringify(errors, (k, v) => (typeof v === 'number' ? String(v) : v))}; y[0..3] ${Array.from(r.y.slice(0, 4))} ` +
              `vs ${Array.from(ref.y.slice(0, 4), (v) => v.toFixed(6))} (tolerance ${TOLERANCE} relative to 1 + |ref|)`,
          );
        }
        if (impl.id === 'api-simd-new') simdY = r.y;
        if (
          impl.id === 'api-scalar-new' &&
          Buffer.compare(Buffer.from(simdY.buffer), Buffer.from(r.y.buffer)) !== 0
        ) {
          throw new Error(`${OPS[op].label} ${d.label}: the SIMD and scalar builds differ`);
        }
        cells.push({
          op,
          size: d,
          impl,
          runner,
          error: worst,
          reps: 1,
          samples: [],
          cpuSamples: [],
        });
      }
    }
  }
  console.log(
    `  all within ${TOLERANCE} of float64 (relative to 1 + |ref|); SIMD and scalar builds bit-identical` +
      `; not checked: ${IMPLS.filter((i) => i.unchecked)
        .map((i) => i.label)
        .join(', ')} (computes nothing)`,
  );
  return cells;
}

// Repetitions per sample: about SAMPLE_NS per sample, at least one call.
async function fitRepetitions(cells) {
  for (const cell of cells) {
    let reps = 1;
    let ns = await cell.runner.time(reps);
    while (ns < SAMPLE_NS / 8 && reps < 1e7) {
      reps *= 8;
      ns = await cell.runner.time(reps);
    }
    cell.reps = Math.max(1, Math.round((reps * SAMPLE_NS) / ns));
  }
}

async function runRounds(cells, gc) {
  const groups = [];
  for (const d of SIZES)
    for (const op of Object.keys(OPS))
      groups.push(cells.filter((c) => c.op === op && c.size === d));
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const t0 = Date.now();
    for (const group of groups) {
      for (let k = 0; k < group.length; k++) {
        const cell = group[(k + round) % group.length];
        gc?.();
        const ns = await cell.runner.time(cell.reps);
        if (round >= WARMUP) {
          cell.samples.push(ns / cell.reps);
          cell.cpuSamples.push(cell.runner.lastCpuNs / cell.reps);
        }
        // Warm-up rounds also re-fit the repetitions: the first estimate was taken on cold code.
        else cell.reps = Math.max(1, Math.round((SAMPLE_NS * cell.reps) / ns));
      }
    }
    console.log(
      `  round ${round + 1}/${WARMUP + ROUNDS}${round < WARMUP ? ' (warm-up)' : ''}: ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
}

function figuresOf(cells) {
  return cells.map((cell) => {
    const perElement = cell.samples.map((ns) => ns / cell.size.elements);
    const bytes = OPS[cell.op].bytes(cell.size);
    const med = median(cell.samples);
    return {
      op: cell.op,
      size: cell.size.label,
      n: cell.size.n,
      c: cell.size.c,
      s: cell.size.s,
      elements: cell.size.elements,
      impl: cell.impl.id,
      label: cell.impl.label,
      repsPerSample: cell.reps,
      nsPerCall: cell.samples,
      medianNsPerCall: med,
      cpuNsPerCall: cell.cpuSamples,
      medianCpuNsPerElement: median(cell.cpuSamples) / cell.size.elements,
      medianNsPerElement: med / cell.size.elements,
      minNsPerElement: Math.min(...perElement),
      maxNsPerElement: Math.max(...perElement),
      bytesPerCall: bytes,
      gbPerSecond: bytes / med,
      maxRelError: cell.error,
    };
  });
}

function printFigures(figures) {
  console.log(
    '\nMedian ns per element (min–max over rounds) and GB/s of bytes read + written ' +
      '(x, y, parameters, statistics)',
  );
  for (const op of Object.keys(OPS)) {
    console.log(`\n${OPS[op].label}`);
    console.log(`${pad('implementation', 36)}${SIZES.map((d) => pad(d.label, 26, true)).join('')}`);
    for (const impl of IMPLS) {
      const row = SIZES.map((d) => {
        const f = figures.find((x) => x.op === op && x.size === d.label && x.impl === impl.id);
        return pad(
          `${fmt(f.medianNsPerElement)} (${fmt(f.minNsPerElement)}–${fmt(f.maxNsPerElement)}) ${fmt(f.gbPerSecond, 2)}`,
          26,
          true,
        );
      });
      console.log(`${pad(impl.label, 36)}${row.join('')}`);
    }
  }
}

// a / b within each round, by wall-clock time (or by CPU time with key 'cpuSamples').
function roundRatios(cells, op, d, a, b, key = 'samples') {
  const cellOf = (id) => cells.find((c) => c.op === op && c.size === d && c.impl.id === id);
  const A = cellOf(a)[key];
  const B = cellOf(b)[key];
  return A.map((v, i) => v / B[i]);
}

function ratiosOf(cells) {
  const ratios = [];
  console.log('\nRatios taken within each round: median (min–max)');
  console.log(
    `${pad('ratio', 36)}${pad('op', 4)}${SIZES.map((d) => pad(d.label, 22, true)).join('')}`,
  );
  for (const r of RATIOS) {
    for (const op of Object.keys(OPS)) {
      const row = SIZES.map((d) => {
        const values = roundRatios(cells, op, d, r.a, r.b);
        const entry = {
          text: `${r.a} / ${r.b}`,
          label: r.text,
          op,
          size: d.label,
          key: d.key,
          median: median(values),
          min: Math.min(...values),
          max: Math.max(...values),
          values,
          cpuMedian: median(roundRatios(cells, op, d, r.a, r.b, 'cpuSamples')),
        };
        ratios.push(entry);
        return pad(`${fmt(entry.median)} (${fmt(entry.min)}–${fmt(entry.max)})`, 22, true);
      });
      console.log(
        `${pad(`${r.text} (${r.a} / ${r.b})`.slice(0, 35), 36)}${pad(op, 4)}${row.join('')}`,
      );
    }
  }
  return ratios;
}

// API time minus compute time at the smallest size, same round, in ns per call.
function printOverheads(cells) {
  if (!SMALLEST) return [];
  const overheads = [];
  const samplesOf = (op, id) =>
    cells.find((c) => c.op === op && c.size === SMALLEST && c.impl.id === id).samples;
  console.log(
    `\nPublic-API overhead at ${SMALLEST.label} (API minus compute, same round), ns per call`,
  );
  for (const op of Object.keys(OPS)) {
    for (const api of ['api-simd-out', 'api-simd-new', 'api-simd-handles']) {
      const A = samplesOf(op, api);
      const C = samplesOf(op, 'compute-simd');
      const values = A.map((v, i) => v - C[i]);
      const o = {
        op,
        api,
        size: SMALLEST.label,
        medianNs: median(values),
        apiNs: median(A),
        computeNs: median(C),
      };
      overheads.push(o);
      console.log(
        `  ${pad(OPS[op].label, 24)}${pad(api, 18)} ${fmt(o.medianNs)}; API ${fmt(o.apiNs)} ns, compute ${fmt(o.computeNs)} ns`,
      );
    }
  }
  return overheads;
}

function evaluateTargets(ratios) {
  const targets = [];
  console.log(
    '\nTargets (issue 13): medians of same-round ratios; the last column by CPU time instead of wall-clock time',
  );
  for (const t of TARGETS) {
    for (const op of Object.keys(OPS)) {
      for (const d of SIZES) {
        const bound = t.bounds[d.key];
        if (bound === undefined) continue;
        const entry = ratios.find((x) => x.label === t.text && x.op === op && x.key === d.key);
        const holds = (v) => (t.sense === '>=' ? v >= bound : v <= bound);
        const target = {
          target: `${t.text} ${t.sense} ${bound}`,
          ratio: `${t.a} / ${t.b}`,
          op,
          size: d.label,
          value: entry.median,
          pass: holds(entry.median),
          cpuValue: entry.cpuMedian,
          cpuPass: holds(entry.cpuMedian),
        };
        targets.push(target);
        console.log(
          `  ${target.pass ? 'PASS' : 'MISS'}  ${pad(target.target, 44)}${pad(op, 4)}${pad(d.label, 14)}` +
            `${pad(fmt(target.value), 8)} (CPU time: ${target.cpuPass ? 'PASS' : 'MISS'} ${fmt(target.cpuValue)})`,
        );
      }
    }
  }
  const passed = targets.filter((t) => t.pass).length;
  console.log(`  ${passed} of ${targets.length} targets met`);
  return targets;
}

async function writeResults(core) {
  let previous = {};
  try {
    previous = JSON.parse(await readFile(JSON_OUT, 'utf8'));
  } catch {
    // no earlier results
  }
  await writeFile(JSON_OUT, JSON.stringify({ ...previous, core }, null, 1) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), JSON_OUT)}`);
}

async function main() {
  const started = Date.now();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'normcore-bench-'));
  const gc = typeof globalThis.gc === 'function' ? globalThis.gc : null;
  if (!gc) console.warn('note: run with node --expose-gc for a GC before every sample');

  const { simd, tfjs, native, makers } = await setUp(tmp);
  const env = {
    ...machine(),
    tfjs: tfjs.info,
    native: native.info,
    loadavgBefore: os.loadavg().map((v) => Number(v.toFixed(2))),
  };
  describeMachine(env, gc);

  const cells = await checkedCells(simd, makers);
  await fitRepetitions(cells);
  await runRounds(cells, gc);
  const leaked = tfjs.leakCheck();
  env.loadavgAfter = os.loadavg().map((v) => Number(v.toFixed(2)));
  await native.close();
  await rm(tmp, { recursive: true, force: true });

  const figures = figuresOf(cells);
  printFigures(figures);
  const ratios = ratiosOf(cells);
  const overheads = printOverheads(cells);
  const targets = evaluateTargets(ratios);
  console.log(`Load average after the run: ${env.loadavgAfter.join(' ')}`);
  if (leaked > 8) console.warn(`note: TensorFlow.js holds ${leaked} tensors after the run`);
  console.log(
    `\nsink ${sink % 10}; core benchmark took ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );

  await writeResults({
    date: new Date().toISOString(),
    machine: env,
    config: {
      rounds: ROUNDS,
      warmup: WARMUP,
      sampleMs: SAMPLE_NS / 1e6,
      gcBeforeSample: Boolean(gc),
      eps: EPS,
      momentum: MOMENTUM,
      tolerance: TOLERANCE,
    },
    figures,
    ratios,
    overheads,
    targets,
  });
}

main().catch((e) => {
  console.error(`\nBENCHMARK FAILED: ${e.stack ?? e}`);
  process.exit(1);
});
