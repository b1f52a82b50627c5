// Soak test of the core: many calls of every operation (fresh results and caller-owned `out`
// arrays, plain arrays, core.alloc handles kept and made afresh, errors in between) must leave the module's memory and the allocator's
// bytes in use exactly where they were after warm-up.
//   node tests/soak/core-soak.mjs [--calls 1000000] [--variant simd|scalar|both] [--every 100000]
// Prints memoryBytes and heapInUse (getters on the core) every --every calls and the call rate;
// exits with 1 if either grew after warm-up. ./build.sh soak runs a million calls per build;
// ./build.sh test runs a short one.
import { parseArgs } from 'node:util';

import { loadNormCore } from '../../web/src/core/index.js';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '1000000' },
    variant: { type: 'string', default: 'both' },
    every: { type: 'string' },
  },
});
const calls = Number(args.calls);
const every = Number(args.every ?? Math.max(1, Math.floor(calls / 10)));
const variants = args.variant === 'both' ? ['simd', 'scalar'] : [args.variant];
const WARM_UP = 2000;

// The calls, in turn: each operation as the widget makes it, with and without `out`, and bad input.
function workload(core) {
  const shape = { n: 32, c: 8, s: 4 };
  const total = 32 * 8 * 4;
  const x = core.sample({ n: 32, c: 8, s: 4, seed: 1, distribution: 'lognormal' });
  const plain = Array.from(x.subarray(0, 64));
  const gamma = new Float32Array(8).fill(1.5),
    beta = new Float32Array(8).fill(-0.5);
  const runningMean = new Float32Array(8),
    runningVar = new Float32Array(8).fill(1);
  const out = {
    bn: {
      y: new Float32Array(total),
      mean: new Float32Array(8),
      var: new Float32Array(8),
      runningMean,
      runningVar,
    },
    ln: { y: new Float32Array(total), mean: new Float32Array(32), var: new Float32Array(32) },
    gn: { y: new Float32Array(total), mean: new Float32Array(64), var: new Float32Array(64) },
    values: new Float32Array(total),
  };
  // Handles kept for the whole run, as the widget keeps its buffers in the core.
  const kept = { x: core.alloc(total), y: core.alloc(total), rm: core.alloc(8), rv: core.alloc(8) };
  kept.x.array.set(x);
  kept.rv.array.fill(1);
  return [
    () =>
      core.batchNorm(x, shape, {
        gamma,
        beta,
        runningMean,
        runningVar,
        momentum: 0.1,
        out: out.bn,
      }),
    () => core.batchNorm(x, shape, { training: false, runningMean, runningVar }),
    () => core.layerNorm(x, shape, { out: out.ln }),
    () => core.instanceNorm(x, shape, { eps: 1e-3 }),
    () => core.groupNorm(x, shape, { groups: 2, gamma, beta, out: out.gn }),
    () => core.rmsNorm(x, shape),
    (i) =>
      core.sample({
        n: 32,
        c: 8,
        s: 4,
        seed: i,
        distribution: 'student-t',
        df: 4,
        out: { values: out.values },
      }),
    (i) => core.sample({ n: 4, c: 2, seed: i, offset: [1, 2], scale: 3 }),
    () => core.layerNorm(plain, { n: 8, c: 8 }),
    () => {
      try {
        core.batchNorm(x, { n: 31, c: 8, s: 4 }); // wrong length: an error every time
      } catch {
        return 'error';
      }
      throw new Error('expected a RangeError');
    },
    () =>
      core.batchNorm(kept.x, shape, {
        runningMean: kept.rm,
        runningVar: kept.rv,
        out: { y: kept.y, runningMean: kept.rm, runningVar: kept.rv },
      }),
    (i) => {
      // A handle made, used, freed, then used again: a TypeError every time, and no leak.
      const h = core.alloc(64 + (i % 64));
      const y = core.alloc(h.length);
      h.array.fill(i % 7);
      core.rmsNorm(h, { n: 1, c: h.length }, { out: { y } });
      h.free();
      y.free();
      try {
        core.layerNorm(h, { n: 1, c: h.length });
      } catch (error) {
        if (error instanceof TypeError) return 'error';
        throw error;
      }
      throw new Error('expected a TypeError for a freed handle');
    },
  ];
}

let failed = false;
for (const variant of variants) {
  const core = await loadNormCore({ variant });
  const work = workload(core);
  for (let i = 0; i < WARM_UP; i++) work[i % work.length](i);
  const start = { bytes: core.memoryBytes, inUse: core.heapInUse };
  console.log(
    `${variant}: after ${WARM_UP} warm-up calls: memoryBytes ${start.bytes}, heapInUse ${start.inUse}`,
  );
  const t0 = performance.now();
  let last = t0;
  for (let i = 1; i <= calls; i++) {
    work[i % work.length](i);
    if (i % every === 0 || i === calls) {
      const now = performance.now();
      const rate = Math.round((every / (now - last)) * 1000);
      last = now;
      console.log(
        `${variant}: ${String(i).padStart(9)} calls  memoryBytes ${core.memoryBytes}  heapInUse ${core.heapInUse}  ` +
          `${rate.toLocaleString('en')} calls/s`,
      );
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const end = { bytes: core.memoryBytes, inUse: core.heapInUse };
  // The four handles the workload keeps are the only live ones.
  const flat = end.bytes === start.bytes && end.inUse === start.inUse && core.liveHandles === 4;
  console.log(
    `${variant}: ${calls.toLocaleString('en')} calls in ${seconds.toFixed(1)} s ` +
      `(${Math.round(calls / seconds).toLocaleString('en')} calls/s); memory ${flat ? 'flat' : 'GREW'}: ` +
      `memoryBytes ${start.bytes} -> ${end.bytes}, heapInUse ${start.inUse} -> ${end.inUse}`,
  );
  if (!flat) failed = true;
}
process.exitCode = failed ? 1 : 0;
