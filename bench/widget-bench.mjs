// The widget's budgets, measured in headless Chromium on the built site (dist/):
//   1. ready: time from navigation start to <norm-widget data-ready>, on the entry page opened at
//      its #interactive section (so the widget, which loads when it nears the viewport, is on the
//      critical path) and on the embed example page (dist/embed-example.html) if it was built;
//   2. bytes: every response body the page load fetched, raw and gzipped (zlib level 9, one body at
//      a time), for the page and for the embed (dist/embed/: its JS and wasm; without it, the
//      page's own JS and wasm);
//   3. frame work at batch size 1024 while playing: the time spent in requestAnimationFrame
//      callbacks (the core call on tick frames, the tween, the Chart.js updates), summed per frame;
//      the page's rAF is wrapped by an init script, the element's attributes set before it upgrades;
//   4. JS heap (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage) after 100 frames drawn
//      and after 1,000, plus points in between to show the noise.
//
//   node bench/widget-bench.mjs [--dist DIR] [--json PATH]
// Prints the figures and PASS/MISS per budget, and merges them into bench/results.json under "widget".
// Exit code: 0 when it measured (budgets missed or not), 1 when it could not measure.
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const argValue = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const DIST = path.resolve(argValue('--dist', path.join(root, 'dist')));
const JSON_OUT = argValue('--json', path.join(here, 'results.json'));
const READY_RUNS = Number(process.env.BENCH_READY_RUNS ?? 5);
const FRAMES = Number(process.env.BENCH_FRAMES ?? 1000);
// Frames drawn at which the heap is read (BENCH_HEAP_AT=100,1000,3000 for a longer look).
const HEAP_AT = (
  process.env.BENCH_HEAP_AT
    ? process.env.BENCH_HEAP_AT.split(',').map(Number)
    : [100, 250, 500, 750, FRAMES]
).filter((f, i, a) => f <= FRAMES && a.indexOf(f) === i);
const BATCH = 1024;
const ENTRY = 'batch-normalisation.html';
const EMBED_PAGE = 'embed-example.html';

const BUDGET = { readyMs: 300, embedGzipBytes: 100 * 1024, frameMedianMs: 4 };

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// ---------------------------------------------------------------- server

// Serves DIST on an ephemeral port of 127.0.0.1 and logs every response: path, raw and gzip bytes.
async function serve() {
  const log = [];
  log.start = performance.now();
  const gzipCache = new Map();
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    try {
      let file = path.normalize(path.join(DIST, decodeURIComponent(pathname)));
      if (!file.startsWith(DIST)) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      if (!gzipCache.has(file)) gzipCache.set(file, gzipSync(body, { level: 9 }).length);
      log.push({
        path: pathname,
        type: path.extname(file).slice(1),
        bytes: body.length,
        gzip: gzipCache.get(file),
        atMs: performance.now() - log.start,
      });
      res.writeHead(200, {
        'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch (error) {
      log.push({ path: pathname, status: 404 });
      res.writeHead(error.code === 'ENOENT' || error.code === 'EISDIR' ? 404 : 500);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    log,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// ---------------------------------------------------------------- in-page instrumentation

// Runs before any page script. Records when data-ready appears; optionally sets the widget's
// attributes before it upgrades; wraps requestAnimationFrame to time every callback, summed per
// frame (callbacks of one frame share its timestamp), and notes frames in which the widget drew
// (data-frame changed) or took a new batch (norm-widget-change event).
function instrument(widgetAttributes) {
  const bench = { readyAt: null, errorAt: null, frames: [], drawn: 0, tickPending: false };
  window.__bench = bench;
  const watch = (el) => {
    if (widgetAttributes)
      for (const [k, v] of Object.entries(widgetAttributes)) el.setAttribute(k, v);
    new MutationObserver(() => {
      if (bench.readyAt === null && el.hasAttribute('data-ready'))
        bench.readyAt = performance.now();
      if (bench.errorAt === null && el.hasAttribute('data-error'))
        bench.errorAt = el.getAttribute('data-error');
    }).observe(el, { attributes: true });
  };
  new MutationObserver((records) => {
    for (const r of records)
      for (const node of r.addedNodes) if (node.localName === 'norm-widget') watch(node);
  }).observe(document, { childList: true, subtree: true });
  document.addEventListener('norm-widget-change', () => {
    bench.tickPending = true;
  });

  const raf = window.requestAnimationFrame.bind(window);
  const widget = () => document.querySelector('norm-widget');
  window.requestAnimationFrame = (callback) =>
    raf((timestamp) => {
      const el = widget();
      const before = el?.getAttribute('data-frame');
      bench.tickPending = false;
      const t0 = performance.now();
      try {
        callback(timestamp);
      } finally {
        const work = performance.now() - t0;
        const drew = el ? el.getAttribute('data-frame') !== before : false;
        const last = bench.frames[bench.frames.length - 1];
        if (last && last.timestamp === timestamp) {
          last.work += work;
          last.drew ||= drew;
          last.tick ||= bench.tickPending;
        } else {
          bench.frames.push({ timestamp, work, drew, tick: bench.tickPending });
          if (bench.frames.length > 4000) bench.frames.splice(0, 1000);
        }
        if (drew) bench.drawn++;
      }
    });
}

// ---------------------------------------------------------------- measurements

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (v, q) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

async function waitReady(page, timeoutMs = 20000) {
  await page.waitForFunction(
    () => window.__bench.readyAt !== null || window.__bench.errorAt !== null,
    null,
    { timeout: timeoutMs, polling: 10 },
  );
  const { readyAt, errorAt } = await page.evaluate(() => window.__bench);
  if (errorAt !== null) throw new Error(`the widget reported data-error: ${errorAt}`);
  return readyAt;
}

// One cold load (fresh context: empty cache) of `url`; returns the ready time and the responses.
async function coldLoad(browser, server, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.location()?.url?.endsWith('/favicon.ico')) errors.push(m.text());
  });
  await page.addInitScript(instrument, null);
  server.log.length = 0;
  server.log.start = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  let readyMs;
  try {
    readyMs = await waitReady(page);
  } catch (e) {
    throw new Error(
      `${url}: the widget did not become ready (${e.message})${errors.length ? `; page errors: ${errors.join(' | ')}` : ''}`,
    );
  }
  await page.waitForLoadState('load');
  const responses = server.log.filter((r) => !r.status);
  // A page without a <link rel=icon> makes the browser ask for /favicon.ico: not the page's doing.
  const missing = server.log.filter((r) => r.status && r.path !== '/favicon.ico');
  await context.close();
  return { readyMs, responses, missing, errors };
}

function sumBytes(responses, filter = () => true) {
  const picked = responses.filter(filter);
  return {
    files: picked.map((r) => ({ path: r.path, bytes: r.bytes, gzip: r.gzip, atMs: r.atMs })),
    bytes: picked.reduce((a, r) => a + r.bytes, 0),
    gzip: picked.reduce((a, r) => a + r.gzip, 0),
  };
}

async function measureLoads(browser, server, label, url, embedFilter) {
  const runs = [];
  for (let i = 0; i < READY_RUNS; i++) runs.push(await coldLoad(browser, server, url));
  const ready = runs.map((r) => r.readyMs);
  const first = runs[0];
  const all = sumBytes(first.responses);
  const code = sumBytes(first.responses, embedFilter);
  console.log(
    `${label}: ready ${median(ready).toFixed(0)} ms median of ${runs.length} cold loads ` +
      `(${Math.min(...ready).toFixed(0)}–${Math.max(...ready).toFixed(0)}); ` +
      `all responses ${kb(all.gzip)} gzip (${kb(all.bytes)} raw), JS+wasm ${kb(code.gzip)} gzip (${kb(code.bytes)} raw)`,
  );
  // When each file was asked for, in ms from the start of navigation (as the server saw it): the
  // critical path. The median ready time is for comparison.
  for (const f of all.files) {
    console.log(
      `    ${f.path.padEnd(48)} ${kb(f.bytes).padStart(10)} ${kb(f.gzip).padStart(10)} gzip, requested at ${f.atMs.toFixed(0).padStart(4)} ms`,
    );
  }
  if (first.missing.length)
    console.log(`    not found: ${first.missing.map((m) => m.path).join(', ')}`);
  if (first.errors.length) console.log(`    page errors: ${first.errors.join(' | ')}`);
  return {
    url: url.replace(server.origin, ''),
    readyMs: ready,
    readyMedianMs: median(ready),
    all,
    code,
  };
}

async function measureFrames(browser, server) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(instrument, { 'batch-size': String(BATCH), autoplay: '' });
  await page.goto(`${server.origin}/${ENTRY}#interactive`, { waitUntil: 'commit' });
  await waitReady(page);
  const cdp = await context.newCDPSession(page);
  const heap = [];
  const started = Date.now();
  const limitMs = 60000 + FRAMES * 100;
  for (const target of HEAP_AT) {
    await page
      .waitForFunction((n) => window.__bench.drawn >= n, target, { timeout: limitMs, polling: 50 })
      .catch(async () => {
        const drawn = await page.evaluate(() => window.__bench.drawn);
        throw new Error(
          `only ${drawn} frames drawn (waiting for ${target}); is the widget playing?` +
            `${errors.length ? ` Page errors: ${errors.join(' | ')}` : ''}`,
        );
      });
    // Paused (the element's pause(), then the running tween ends), three readings each after a
    // full GC: their spread is the noise. Then play again.
    await page.evaluate(() => document.querySelector('norm-widget').pause());
    await page.waitForTimeout(600);
    const readings = [];
    for (let k = 0; k < 3; k++) {
      await cdp.send('HeapProfiler.collectGarbage');
      readings.push((await cdp.send('Runtime.getHeapUsage')).usedSize);
    }
    const drawn = await page.evaluate(() => {
      document.querySelector('norm-widget').play();
      return window.__bench.drawn;
    });
    heap.push({ frames: drawn, usedBytes: median(readings), readings });
  }
  const seconds = (Date.now() - started) / 1000;
  const { frames, batch } = await page.evaluate(() => ({
    frames: window.__bench.frames,
    batch: document.querySelector('norm-widget')?.shadowRoot?.querySelector('#batch-size')?.value,
  }));
  await context.close();
  // Frames in which the widget drew (the forced GCs above land between frames, not in them).
  const drawnFrames = frames.filter((f) => f.drew);
  const work = drawnFrames.map((f) => f.work);
  const tickWork = drawnFrames.filter((f) => f.tick).map((f) => f.work);
  const result = {
    batchSize: Number(batch),
    framesDrawn: heap[heap.length - 1].frames,
    seconds,
    frameWorkMs: {
      median: median(work),
      p95: quantile(work, 0.95),
      max: Math.max(...work),
      count: work.length,
    },
    tickFrameWorkMs: tickWork.length
      ? {
          median: median(tickWork),
          p95: quantile(tickWork, 0.95),
          max: Math.max(...tickWork),
          count: tickWork.length,
        }
      : null,
    heap,
  };
  const f = result.frameWorkMs;
  console.log(
    `Frames at batch size ${result.batchSize} while playing: ${result.framesDrawn} drawn in ${seconds.toFixed(0)} s; ` +
      `work per drawn frame median ${f.median.toFixed(2)} ms, p95 ${f.p95.toFixed(2)} ms, max ${f.max.toFixed(2)} ms (${f.count} frames)`,
  );
  if (result.tickFrameWorkMs) {
    const t = result.tickFrameWorkMs;
    console.log(
      `  frames that took a new batch (core call + charts): median ${t.median.toFixed(2)} ms, ` +
        `p95 ${t.p95.toFixed(2)} ms, max ${t.max.toFixed(2)} ms (${t.count} frames)`,
    );
  }
  console.log(
    `  JS heap after GC: ${heap.map((h) => `${h.frames} frames ${kb(h.usedBytes)}`).join(', ')}`,
  );
  if (errors.length) console.log(`  page errors: ${errors.join(' | ')}`);
  return result;
}

// ---------------------------------------------------------------- main

async function main() {
  if (!existsSync(path.join(DIST, ENTRY))) {
    throw new Error(
      `no built site at ${DIST}/${ENTRY}: run \`npx vite build\` first (./build.sh bench does)`,
    );
  }
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const results = {
    date: new Date().toISOString(),
    chromium: browser.version(),
    dist: DIST,
    loadavg: os.loadavg().map((v) => Number(v.toFixed(2))),
  };
  console.log(
    `Chromium ${results.chromium}, serving ${path.relative(process.cwd(), DIST) || '.'} on ${server.origin}; ` +
      `load average ${results.loadavg.join(' ')}`,
  );
  const isCode = (r) => r.type === 'js' || r.type === 'mjs' || r.type === 'wasm';
  try {
    results.page = await measureLoads(
      browser,
      server,
      `Entry page (${ENTRY}#interactive)`,
      `${server.origin}/${ENTRY}#interactive`,
      isCode,
    );
    const hasEmbed =
      existsSync(path.join(DIST, 'embed')) && existsSync(path.join(DIST, EMBED_PAGE));
    if (hasEmbed) {
      results.embed = await measureLoads(
        browser,
        server,
        `Embed (${EMBED_PAGE}, counting /embed/ only)`,
        `${server.origin}/${EMBED_PAGE}`,
        (r) => r.path.startsWith('/embed/'),
      );
      results.embed.source = 'dist/embed/';
    } else {
      console.log(
        "No dist/embed/ with its example page: the embed is taken as the entry page's JS + wasm.",
      );
      results.embed = { source: 'page JS + wasm', code: results.page.code };
    }
    results.frames = await measureFrames(browser, server);
  } finally {
    await browser.close();
    await server.close();
  }

  const heap = results.frames.heap;
  const first = heap[0];
  const last = heap[heap.length - 1];
  const growth = last.usedBytes - first.usedBytes;
  // Noise: twice the largest spread of the three readings at any checkpoint, and at least 1% of
  // the heap; growth from the first checkpoint to the last beyond it fails.
  const spread = Math.max(...heap.map((h) => Math.max(...h.readings) - Math.min(...h.readings)));
  const noise = Math.max(0.01 * first.usedBytes, 2 * spread);
  results.heapGrowth = { bytes: growth, noiseBytes: noise };
  const targets = [
    {
      target: `ready <= ${BUDGET.readyMs} ms (entry page)`,
      value: `${results.page.readyMedianMs.toFixed(0)} ms`,
      pass: results.page.readyMedianMs <= BUDGET.readyMs,
    },
  ];
  if (results.embed.readyMedianMs !== undefined) {
    targets.push({
      target: `ready <= ${BUDGET.readyMs} ms (embed page)`,
      value: `${results.embed.readyMedianMs.toFixed(0)} ms`,
      pass: results.embed.readyMedianMs <= BUDGET.readyMs,
    });
  }
  targets.push(
    {
      target: `embed <= 100 KB gzip all in (${results.embed.source})`,
      value: kb(results.embed.code.gzip),
      pass: results.embed.code.gzip <= BUDGET.embedGzipBytes,
    },
    {
      target: `frame work <= ${BUDGET.frameMedianMs} ms median at batch ${BATCH}`,
      value: `${results.frames.frameWorkMs.median.toFixed(2)} ms`,
      pass:
        results.frames.frameWorkMs.median <= BUDGET.frameMedianMs &&
        results.frames.batchSize === BATCH,
    },
    {
      target: `no heap growth ${first.frames} -> ${last.frames} frames beyond noise`,
      value: `${growth >= 0 ? '+' : ''}${kb(growth)} (noise ${kb(noise)})`,
      pass: growth <= noise,
    },
  );
  results.targets = targets;
  console.log('\nWidget budgets');
  for (const t of targets)
    console.log(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.target.padEnd(58)} ${t.value}`);

  let previous = {};
  try {
    previous = JSON.parse(readFileSync(JSON_OUT, 'utf8'));
  } catch {
    // none yet
  }
  await writeFile(JSON_OUT, JSON.stringify({ ...previous, widget: results }, null, 1) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), JSON_OUT)}`);
}

main().catch((e) => {
  console.error(`\nWIDGET BENCHMARK FAILED: ${e.stack ?? e}`);
  process.exit(1);
});
