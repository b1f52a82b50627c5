// Where a playing widget spends its frames: samples the page with the CDP Profiler while the
// widget plays at a given batch size, and prints the functions with the most self time (and the
// frame work per rAF callback, as bench/widget-bench.mjs measures it). A tool, not a test:
//   npx vite build --minify false --outDir /tmp/dist-prof --emptyOutDir   # readable names
//   node bench/widget-profile.mjs [--dist DIR] [--page batch-normalisation.html] [--batch 1024]
//        [--attr name=value ...] [--seconds 6] [--top 30]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, serveStatic } from '../tests/browser/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const value = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const DIST = path.resolve(value('--dist', path.join(root, 'dist')));
const PAGE = value('--page', 'batch-normalisation.html');
const SECONDS = Number(value('--seconds', 6));
const TOP = Number(value('--top', 30));
const INCLUSIVE = value(
  '--inclusive',
  'tick,draw,update,render,statsInto,countInto,showTraining,fitAxes',
).split(',');
const attributes = { autoplay: '' };
if (value('--batch', '1024') !== 'none') attributes['batch-size'] = value('--batch', '1024');
args.forEach((a, i) => {
  if (a === '--attr') {
    const [k, v] = args[i + 1].split('=');
    attributes[k] = v ?? '';
  }
});

// Sets the attributes before the element upgrades and times every rAF callback, summed per frame.
function instrument(attrs) {
  const frames = [];
  window.__frames = frames;
  new MutationObserver((records) => {
    for (const r of records) {
      for (const node of r.addedNodes) {
        if (node.localName === 'norm-widget')
          for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      }
    }
  }).observe(document, { childList: true, subtree: true });
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) =>
    raf((timestamp) => {
      const t0 = performance.now();
      try {
        callback(timestamp);
      } finally {
        const work = performance.now() - t0;
        const last = frames[frames.length - 1];
        if (last && last.timestamp === timestamp) last.work += work;
        else frames.push({ timestamp, work });
      }
    });
}

const quantile = (v, q) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

const server = await serveStatic(DIST);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('page error:', e.message));
  await page.addInitScript(instrument, attributes);
  await page.goto(`${server.origin}/${PAGE}#interactive`);
  await page.waitForFunction(
    () => document.querySelector('norm-widget')?.hasAttribute('data-ready'),
    null,
    { timeout: 20000 },
  );
  await page.waitForTimeout(1500); // past the first ticks and any axis growth
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await page.evaluate(() => window.__frames.splice(0));
  await cdp.send('Profiler.start');
  await page.waitForTimeout(SECONDS * 1000);
  const { profile } = await cdp.send('Profiler.stop');
  const work = (await page.evaluate(() => window.__frames)).map((f) => f.work);
  await context.close();

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const { callFrame: f } = byId.get(id);
    const key = `${f.functionName || '(anonymous)'}  ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  // Inclusive time of named functions (each counted once per sample, whatever the recursion).
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Keyed by name and line, so that two classes' draw() are told apart.
  const inclusive = new Map();
  profile.samples.forEach((id, i) => {
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) {
      const f = byId.get(n).callFrame;
      if (!INCLUSIVE.includes(f.functionName)) continue;
      const key = `${f.functionName}  ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
    }
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const busy = [...self.entries()].filter(
    ([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)'),
  );
  console.log(
    `${PAGE} ${JSON.stringify(attributes)}: ${work.length} frames, work per frame ` +
      `median ${quantile(work, 0.5).toFixed(2)} ms, p95 ${quantile(work, 0.95).toFixed(2)} ms, max ${Math.max(...work).toFixed(2)} ms`,
  );
  console.log(`profile: ${total.toFixed(0)} ms sampled; top self time (ms, per frame):`);
  for (const [key, ms] of busy.sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(
      `  ${ms.toFixed(1).padStart(8)} ${(ms / work.length).toFixed(3).padStart(7)}  ${key}`,
    );
  }
  console.log('inclusive time (ms, per frame):');
  for (const [name, ms] of [...inclusive].sort((a, b) => b[1] - a[1]))
    console.log(
      `  ${ms.toFixed(1).padStart(8)} ${(ms / work.length).toFixed(3).padStart(7)}  ${name}`,
    );
} finally {
  await browser.close();
  await server.close();
}
