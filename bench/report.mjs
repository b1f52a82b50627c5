// Prints bench/results.json as Markdown tables (for the README's "Performance" section).
//   node bench/report.mjs [results.json]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] ?? path.join(here, 'results.json');
const results = JSON.parse(readFileSync(file, 'utf8'));

const fmt = (v, digits = 3) => {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(v)));
  return v.toFixed(Math.max(0, digits - 1 - magnitude));
};
const OPS = { bn: 'Batch norm, training forward', ln: 'Layer norm' };

const core = results.core;
if (core) {
  const m = core.machine;
  console.log(
    `Machine: ${m.cpu}, ${m.cores} cores (${m.simdFlags.join(', ')}), ${m.memoryGiB} GiB; ` +
      `Node ${m.node}; native ${m.native.compiler}; TF.js ${m.tfjs.version} ${m.tfjs.backend} backend ` +
      `(SIMD ${m.tfjs.simd}, threads ${m.tfjs.threads}); load average ${m.loadavgBefore?.join(' ')} before, ` +
      `${m.loadavgAfter?.join(' ')} after; ${core.config.warmup} warm-up + ${core.config.rounds} measured rounds; ${core.date}.\n`,
  );
  const sizes = [...new Set(core.figures.map((f) => f.size))];
  const impls = [...new Map(core.figures.map((f) => [f.impl, f.label])).entries()];
  for (const op of Object.keys(OPS)) {
    console.log(`${OPS[op]}: median ns per element (GB/s)\n`);
    console.log(`| implementation | ${sizes.join(' | ')} |`);
    console.log(`|---|${sizes.map(() => '---:').join('|')}|`);
    for (const [id, label] of impls) {
      const cells = sizes.map((size) => {
        const f = core.figures.find((x) => x.op === op && x.size === size && x.impl === id);
        return `${fmt(f.medianNsPerElement)} (${fmt(f.gbPerSecond, 2)})`;
      });
      console.log(`| ${label} | ${cells.join(' | ')} |`);
    }
    console.log('');
  }
  console.log(
    'Targets: medians of ratios taken within each round (min–max over rounds); the last column\n' +
      'judges the same ratios by CPU time instead of wall-clock time\n',
  );
  console.log('| target | operation | size | value | | by CPU time |');
  console.log('|---|---|---|---:|---|---|');
  for (const t of core.targets) {
    const r = core.ratios.find(
      (x) => t.target.startsWith(x.label ?? x.text) && x.op === t.op && x.size === t.size,
    );
    const o = core.overheads.find((x) => t.target.startsWith(x.api) && x.op === t.op);
    const range = r
      ? ` (${fmt(r.min)}–${fmt(r.max)})`
      : o
        ? ` ns (${fmt(o.minNs)}–${fmt(o.maxNs)})`
        : '';
    const cpu = t.cpuValue === undefined ? '' : `${fmt(t.cpuValue)} ${t.cpuPass ? 'PASS' : 'MISS'}`;
    console.log(
      `| ${t.target}${t.ratio ? ` (${t.ratio})` : ''} | ${OPS[t.op]} | ${t.size} | ${fmt(t.value)}${range} | ${t.pass ? 'PASS' : 'MISS'} | ${cpu} |`,
    );
  }
  console.log('');
}

const widget = results.widget;
if (widget) {
  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  console.log(
    `Widget: Chromium ${widget.chromium}, load average ${widget.loadavg.join(' ')}; ${widget.date}.\n`,
  );
  console.log('| budget | measured | |');
  console.log('|---|---:|---|');
  for (const t of widget.targets)
    console.log(`| ${t.target} | ${t.value} | ${t.pass ? 'PASS' : 'MISS'} |`);
  const f = widget.frames;
  console.log(
    `\nEntry page: ready ${widget.page.readyMs.map((v) => v.toFixed(0)).join(', ')} ms; ` +
      `${kb(widget.page.all.gzip)} gzip in all (${kb(widget.page.code.gzip)} JS + wasm). ` +
      `Frames at batch ${f.batchSize}: median ${f.frameWorkMs.median.toFixed(2)} ms, p95 ${f.frameWorkMs.p95.toFixed(2)} ms` +
      (f.tickFrameWorkMs
        ? `; frames with a new batch: median ${f.tickFrameWorkMs.median.toFixed(2)} ms, p95 ${f.tickFrameWorkMs.p95.toFixed(2)} ms`
        : '') +
      `; heap ${f.heap.map((h) => `${h.frames}: ${kb(h.usedBytes)}`).join(', ')}.`,
  );
}
