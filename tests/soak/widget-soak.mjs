// Soak test of the widget: <norm-widget> plays for many frames in headless Chromium while the JS
// heap (after a forced GC) and the WebAssembly core's memory are sampled. After warm-up (the
// training history fills to its cap) both must stay flat.
//   node tests/soak/widget-soak.mjs [--frames 10000] [--every 1000] [--warm-up 6000]
// Needs a built site (./build.sh). ./build.sh soak runs it; exits with 1 on growth.
import { parseArgs } from 'node:util';

import {
  DIST,
  launchBrowser,
  requireBuild,
  serveStatic,
  waitForWidget,
} from '../browser/harness.mjs';

const { values: args } = parseArgs({
  options: {
    frames: { type: 'string', default: '10000' },
    every: { type: 'string', default: '1000' },
    'warm-up': { type: 'string', default: '6000' },
  },
});
const FRAMES = Number(args.frames),
  EVERY = Number(args.every),
  WARM_UP = Number(args['warm-up']);
// Heap readings after a forced GC still move by a few tens of KB; more than this is growth.
const HEAP_NOISE = 256 * 1024;

requireBuild();
const server = await serveStatic(DIST);
const browser = await launchBrowser();
const samples = [];
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    console.error(`page error: ${e.message}`);
    failed = true;
  });
  await page.goto(`${server.origin}/batch-normalisation.html#interactive`);
  const widget = await waitForWidget(page);
  await widget.getByLabel('Batch size', { exact: true }).fill('1024');
  await widget.getByLabel('Batch size', { exact: true }).press('Enter');
  await widget.getByRole('button', { name: 'Play' }).click();
  const cdp = await context.newCDPSession(page);

  // The page's own core module (the loader memoises one instance per page) reports its memory.
  const coreMemory = () =>
    page.evaluate(async () => {
      const url = performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .find((n) => /\/core-[^/]*\.js$/.test(n));
      const { loadNormCore } = await import(url);
      const core = await loadNormCore();
      return { memoryBytes: core.memoryBytes, heapInUse: core.heapInUse };
    });
  const frame = () => widget.evaluate((el) => Number(el.getAttribute('data-frame') ?? 0));

  const started = Date.now();
  for (let target = EVERY; target <= FRAMES; target += EVERY) {
    await page.waitForFunction(
      (n) => Number(document.querySelector('norm-widget').getAttribute('data-frame')) >= n,
      target,
      { timeout: 120000, polling: 250 },
    );
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const sample = {
      frames: await frame(),
      seconds: (Date.now() - started) / 1000,
      jsHeap: usedSize,
      ...(await coreMemory()),
    };
    samples.push(sample);
    console.log(
      `${String(sample.frames).padStart(6)} frames, ${sample.seconds.toFixed(0).padStart(4)} s: ` +
        `JS heap ${(sample.jsHeap / 1024).toFixed(0)} KB, wasm memory ${sample.memoryBytes} B, in use ${sample.heapInUse} B`,
    );
  }
  await context.close();
} finally {
  await browser.close();
  await server.close();
}

const settled = samples.filter((s) => s.frames >= WARM_UP);
if (settled.length < 2) {
  console.error(`widget soak: fewer than two samples after ${WARM_UP} frames; run more --frames`);
  process.exit(1);
}
const [first] = settled;
for (const s of settled) {
  if (s.jsHeap - first.jsHeap > HEAP_NOISE) {
    console.error(
      `widget soak: JS heap grew by ${s.jsHeap - first.jsHeap} B between ${first.frames} and ${s.frames} frames`,
    );
    failed = true;
  }
  if (s.memoryBytes !== first.memoryBytes || s.heapInUse !== first.heapInUse) {
    console.error(`widget soak: wasm memory moved between ${first.frames} and ${s.frames} frames`);
    failed = true;
  }
}
console.log(
  failed
    ? 'widget soak: FAILED'
    : `widget soak: flat from ${first.frames} to ${settled.at(-1).frames} frames`,
);
process.exit(failed ? 1 : 0);
