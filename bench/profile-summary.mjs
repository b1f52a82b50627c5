// Summarises a V8 CPU profile (node --cpu-prof) by self time: the top functions with their share
// of the samples, and the share of the named groups below (wasm, GC, the loader's files).
//
//   node bench/profile-summary.mjs /tmp/prof/CPU.<...>.cpuprofile [top] [function ...]
// Each function named after `top` also gets its hottest source lines (V8's position ticks).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [file, topText = '20', ...lineFunctions] = process.argv.slice(2);
if (!file) throw new Error('profile-summary: give the path of a .cpuprofile');
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Self samples per node id; the time between samples is attributed to the sampled node.
const self = new Map();
for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + 1);
const total = profile.samples.length;

const byFrame = new Map();
const wasmKeys = new Set();
const lineTicks = new Map();
for (const node of profile.nodes) {
  const count = self.get(node.id) ?? 0;
  if (count === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${basename(url)}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  byFrame.set(key, (byFrame.get(key) ?? 0) + count);
  if (url.startsWith('wasm://')) wasmKeys.add(key);
  if (lineFunctions.includes(functionName)) {
    const ticks = lineTicks.get(functionName) ?? new Map();
    for (const { line, ticks: t } of node.positionTicks ?? [])
      ticks.set(line, (ticks.get(line) ?? 0) + t);
    lineTicks.set(functionName, ticks);
  }
}

const share = (count) => `${((100 * count) / total).toFixed(1)} %`;
console.log(`${total} samples`);
const rows = [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, Number(topText));
for (const [key, count] of rows) console.log(`  ${share(count).padStart(7)}  ${key}`);

const groups = {
  'wasm functions': (k) => wasmKeys.has(k),
  'garbage collector': (k) => k.startsWith('(garbage collector)'),
  'api.js': (k) => k.includes('api.js'),
  'arguments.js': (k) => k.includes('arguments.js'),
  'heap-frame.js': (k) => k.includes('heap-frame.js'),
  'handles.js': (k) => k.includes('handles.js'),
};
const sums = Object.fromEntries(Object.keys(groups).map((g) => [g, 0]));
for (const [key, count] of byFrame) {
  for (const [g, test] of Object.entries(groups)) if (test(key)) sums[g] += count;
}
console.log(
  `groups: ${Object.entries(sums)
    .map(([g, c]) => `${g} ${share(c)}`)
    .join(', ')}`,
);
for (const [name, ticks] of lineTicks) {
  const rows = [...ticks].sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(`${name}, hottest lines (share of all samples):`);
  for (const [line, t] of rows) console.log(`  line ${String(line).padStart(4)}: ${share(t)}`);
}
