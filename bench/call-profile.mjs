// A loop of small calls to profile the per-call cost of the API (not a benchmark: no rounds, no
// targets). Batch norm or layer norm at [32, 4] (or the shape given), every array a core.alloc
// handle, or typed arrays with every output given through `out`; prints ns per call.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/call-profile.mjs handles batchNorm 1000000
//   node bench/call-profile.mjs out layerNorm 1000000 32 4
//   node bench/profile-summary.mjs /tmp/prof/<file>.cpuprofile    # top frames by self time
//
// CORE=/path/to/core/index.js profiles another copy of the loader (for instance one whose .wasm
// was linked with --profiling-funcs, so the profile names the C++ functions).
// BASELINE=/path/to/other/core/index.js instead times the two cores against each other: rounds of
// calls/20 calls each, alternating (2 warm-up, 40 measured), and prints the medians, the best
// rounds and the median of same-round ratios.
import { pathToFileURL } from 'node:url';

const [mode = 'handles', fn = 'batchNorm', callsText = '1000000', nText = '32', cText = '4'] =
  process.argv.slice(2);
if (!['handles', 'out'].includes(mode)) throw new Error(`mode is ${mode}, expected handles or out`);
if (!['batchNorm', 'layerNorm'].includes(fn))
  throw new Error(`operation is ${fn}, expected batchNorm or layerNorm`);
const calls = Number(callsText);
const shape = { n: Number(nText), c: Number(cText) };

const coreAt = async (path) => (await import(pathToFileURL(path).href)).loadNormCore();
const core = await (process.env.CORE
  ? coreAt(process.env.CORE)
  : (await import('../web/src/core/index.js')).loadNormCore());

function makeCall(core) {
  // The arrays and options of bench/core-bench.mjs's API rows at this size.
  const total = shape.n * shape.c;
  const sets = fn === 'batchNorm' ? shape.c : shape.n; // length of mean and var
  const x = core.sample({ ...shape, seed: 1, mean: 1, std: 2 });
  const values = {
    x,
    gamma: new Float32Array(shape.c).fill(1.5),
    beta: new Float32Array(shape.c).fill(0.25),
    runningMean: new Float32Array(shape.c),
    runningVar: new Float32Array(shape.c).fill(1),
  };
  const outLengths = { y: total, mean: sets, var: sets };
  if (fn === 'batchNorm') Object.assign(outLengths, { runningMean: shape.c, runningVar: shape.c });
  const inputNames = fn === 'batchNorm' ? Object.keys(values) : ['x', 'gamma', 'beta'];

  const handle = (array) => {
    const h = core.alloc(array.length);
    h.array.set(array);
    return h;
  };
  const given = {};
  for (const name of inputNames)
    given[name] = mode === 'handles' ? handle(values[name]) : values[name];
  const out = {};
  for (const [name, length] of Object.entries(outLengths))
    out[name] = mode === 'handles' ? core.alloc(length) : new Float32Array(length);
  const { x: input, ...options } = given;
  Object.assign(options, { eps: 1e-5, out });
  if (fn === 'batchNorm') options.momentum = 0.1;
  return () => core[fn](input, shape, options);
}

const call = makeCall(core);

const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
if (process.env.BASELINE) {
  const other = makeCall(await coreAt(process.env.BASELINE));
  const per = Math.max(1, Math.round(calls / 20));
  const times = { core: [], baseline: [] };
  const ratios = [];
  const time = (f) => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < per; i++) f();
    return Number(process.hrtime.bigint() - t) / per;
  };
  for (let round = 0; round < 42; round++) {
    const a = round % 2 ? time(call) : time(other);
    const b = round % 2 ? time(other) : time(call);
    const [mine, theirs] = round % 2 ? [a, b] : [b, a];
    if (round < 2) continue; // warm-up
    times.core.push(mine);
    times.baseline.push(theirs);
    ratios.push(theirs / mine);
  }
  console.log(
    `${fn} [${shape.n}, ${shape.c}] ${mode}: core ${median(times.core).toFixed(0)} ns per call ` +
      `(best ${Math.min(...times.core).toFixed(0)}), baseline ${median(times.baseline).toFixed(0)} ` +
      `(best ${Math.min(...times.baseline).toFixed(0)}); baseline / core ${median(ratios).toFixed(2)} ` +
      `(${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}), 40 rounds of ${per} calls`,
  );
  process.exit(0);
}

for (let i = 0; i < Math.min(calls, 10000); i++) call(); // warm-up
const start = process.hrtime.bigint();
const cpu = process.cpuUsage();
for (let i = 0; i < calls; i++) call();
const ns = Number(process.hrtime.bigint() - start) / calls;
const used = process.cpuUsage(cpu);
const cpuNs = ((used.user + used.system) * 1000) / calls;
console.log(
  `${fn} [${shape.n}, ${shape.c}] ${mode}: ${ns.toFixed(0)} ns per call, ${cpuNs.toFixed(0)} ns of CPU (${calls} calls)`,
);
