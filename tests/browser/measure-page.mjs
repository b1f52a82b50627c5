// Measures the built entry page on localhost: time from navigation to the widget's data-ready, and
// the size (raw and gzip -9) of everything the page loads, by kind. Not a test; run after a build:
//   npx vite build && node tests/browser/measure-page.mjs [runs]
import { gzipSync } from 'node:zlib';
import { launchBrowser, requireBuild, serveStatic } from './harness.mjs';

const RUNS = Number(process.argv[2] ?? 7);

// Records performance.now() (milliseconds since navigation start) when data-ready appears.
const RECORD_READY = () => {
  new MutationObserver((records, observer) => {
    if (
      records.some(
        (r) => r.target.localName === 'norm-widget' && r.target.hasAttribute('data-ready'),
      )
    ) {
      window.__readyAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
};

const kindOf = (url, type) => {
  const path = new URL(url).pathname;
  if (path.endsWith('.wasm')) return 'wasm';
  if (path.endsWith('.js') || path.endsWith('.mjs')) return 'js';
  if (path.endsWith('.css')) return 'css';
  if (type.includes('html') || path.endsWith('/') || path.endsWith('.html')) return 'html';
  return 'other';
};

async function load(browser, url, { scroll }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(RECORD_READY);
  const bodies = [];
  page.on('response', async (response) => {
    bodies.push(
      response.body().then(
        (body) => ({
          url: response.url(),
          kind: kindOf(response.url(), response.headers()['content-type'] ?? ''),
          body,
        }),
        () => null,
      ),
    );
  });
  await page.goto(url, { waitUntil: 'load' });
  if (scroll) await page.locator('norm-widget').scrollIntoViewIfNeeded();
  let readyAt = null;
  if (scroll !== null) {
    await page.waitForFunction(() => window.__readyAt !== undefined, null, { timeout: 20000 });
    readyAt = await page.evaluate(() => window.__readyAt);
  } else {
    await page.waitForTimeout(500);
  }
  const timing = await page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation');
    return { domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
  });
  const files = (await Promise.all(bodies)).filter(Boolean);
  await context.close();
  return { readyAt, timing, files };
}

function sizes(files) {
  const byKind = {};
  for (const { kind, body } of files) {
    const entry = (byKind[kind] ??= { files: 0, raw: 0, gzip: 0 });
    entry.files += 1;
    entry.raw += body.length;
    entry.gzip += gzipSync(body, { level: 9 }).length;
  }
  const total = Object.values(byKind).reduce(
    (t, e) => ({ files: t.files + e.files, raw: t.raw + e.raw, gzip: t.gzip + e.gzip }),
    { files: 0, raw: 0, gzip: 0 },
  );
  return { ...byKind, total };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function printSizes(title, table) {
  console.log(`\n${title}`);
  for (const [kind, e] of Object.entries(table)) {
    console.log(
      `  ${kind.padEnd(6)} ${String(e.files).padStart(2)} file(s)  ${kb(e.raw).padStart(9)} raw  ${kb(e.gzip).padStart(9)} gzip`,
    );
  }
}

requireBuild();
const server = await serveStatic();
const browser = await launchBrowser();
try {
  // The widget in view from the start (the link to its section), so the core loads at once.
  const runs = [];
  for (let i = 0; i < RUNS; i++)
    runs.push(await load(browser, `${server.origin}/#interactive`, { scroll: false }));
  const ready = runs.map((r) => r.readyAt);
  console.log(
    `Navigation -> data-ready, widget in view on load (${RUNS} runs, localhost, headless Chromium):`,
  );
  console.log(
    `  median ${median(ready).toFixed(0)} ms, min ${Math.min(...ready).toFixed(0)} ms, max ${Math.max(...ready).toFixed(0)} ms`,
  );
  console.log(
    `  (DOMContentLoaded median ${median(runs.map((r) => r.timing.domContentLoaded)).toFixed(0)} ms, load ${median(runs.map((r) => r.timing.load)).toFixed(0)} ms)`,
  );
  printSizes('Everything the page loads once the widget runs:', sizes(runs[0].files));
  for (const f of runs[0].files)
    console.log(
      `    ${new URL(f.url).pathname}  ${kb(f.body.length)}  (${kb(gzipSync(f.body, { level: 9 }).length)} gzip)`,
    );

  // The page opened at the top: the widget is below the fold, so only the page itself loads.
  const top = await load(browser, `${server.origin}/`, { scroll: null });
  printSizes(
    'Loaded before the reader scrolls to the widget (page opened at the top):',
    sizes(top.files),
  );
} finally {
  await browser.close();
  await server.close();
}
