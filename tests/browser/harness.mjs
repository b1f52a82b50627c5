// Browser-test harness: serves the built site (dist/) from a tiny static server on 127.0.0.1,
// launches Debian's Chromium through playwright-core, and records each page's console errors
// and request URLs. Build first: `npx vite build`.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = path.join(REPO, 'dist');
export const RESULTS = path.join(REPO, 'test-results');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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
  '.txt': 'text/plain; charset=utf-8',
};

/** Throws a message that says what to do when there is no build to test. */
export function requireBuild() {
  if (!existsSync(path.join(DIST, 'index.html'))) {
    throw new Error(
      `No built site at ${DIST}/index.html: run \`npx vite build\` before \`node --test tests/browser/\`.`,
    );
  }
}

/**
 * Serves `root` on an ephemeral port of 127.0.0.1. Resolves to { origin, close() }.
 * @param {{ mounts?: Record<string, string>, headers?: (pathname: string) => Record<string, string> }} options
 *   mounts: URL prefixes served from other folders (e.g. { '/fixtures/': dir });
 *   headers: extra response headers per path (e.g. a Content-Security-Policy)
 */
export async function serveStatic(root = DIST, { mounts = {}, headers = () => ({}) } = {}) {
  const server = createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url, 'http://127.0.0.1');
      const mount = Object.keys(mounts).find((prefix) => pathname.startsWith(prefix));
      const base = mount ? mounts[mount] : root;
      const rest = mount ? pathname.slice(mount.length) : pathname;
      let file = path.normalize(path.join(base, decodeURIComponent(rest)));
      if (!file.startsWith(base))
        throw Object.assign(new Error('outside root'), { code: 'ENOENT' });
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
        ...headers(pathname),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      const status = error.code === 'ENOENT' || error.code === 'EISDIR' ? 404 : 500;
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(status === 404 ? 'Not found' : 'Server error');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Starts the server and the browser for one test file.
 * @returns {Promise<{ origin: string, browser: import('playwright-core').Browser,
 *   open: typeof openPage, close: () => Promise<void> }>}
 */
export async function startSession() {
  requireBuild();
  const server = await serveStatic();
  const browser = await launchBrowser();
  return {
    origin: server.origin,
    browser,
    open: (pagePath = '/', options = {}) => openPage(browser, server.origin, pagePath, options),
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Opens `pagePath` in a new context and records what the page does.
 * @param {object} options  context options (viewport, javaScriptEnabled, reducedMotion, …) and
 *   `wait: false` to skip waiting for the load event
 * @returns page, context, consoleErrors (console.error messages and uncaught exceptions),
 *   warnings (console.warn), requests (every URL the page asked for), foreign() (those not on
 *   the server's origin)
 */
export async function openPage(browser, origin, pagePath, { wait = true, ...contextOptions } = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    ...contextOptions,
  });
  const page = await context.newPage();
  const record = { consoleErrors: [], warnings: [], requests: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') record.consoleErrors.push(msg.text());
    if (msg.type() === 'warning') record.warnings.push(msg.text());
  });
  page.on('pageerror', (error) => record.consoleErrors.push(`uncaught: ${error.message}`));
  context.on('request', (request) => record.requests.push(request.url()));
  if (wait) await page.goto(origin + pagePath, { waitUntil: 'load' });
  return {
    page,
    context,
    ...record,
    foreign: () =>
      record.requests.filter((url) => new URL(url).origin !== origin && !url.startsWith('data:')),
    close: () => context.close(),
  };
}

/** Waits for <norm-widget> to set data-ready (or fails with its data-error). */
export async function waitForWidget(page, selector = 'norm-widget', timeout = 15000) {
  const widget = page.locator(selector);
  await widget.scrollIntoViewIfNeeded();
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel);
      if (el?.hasAttribute('data-error'))
        throw new Error(`widget failed: ${el.getAttribute('data-error')}`);
      return el?.hasAttribute('data-ready');
    },
    selector,
    { timeout },
  );
  return widget;
}

/**
 * Parses the widget's status text: "Stage: centred. Channel 1: mean 0.000, std 2.031. …" into
 * { stage, channels: [{ mean, std }, …] }.
 */
export function parseStatus(text) {
  const stage = /Stage: ([a-z]+)\./.exec(text)?.[1] ?? null;
  const channels = [
    ...text.matchAll(/Channel (\d+): mean (-?\d+\.\d{3,}), std (-?\d+\.\d{3,})/g),
  ].map((m) => ({
    channel: Number(m[1]),
    mean: Number(m[2]),
    std: Number(m[3]),
  }));
  return { stage, channels, text };
}

/**
 * The widget's full status sentence: the text behind its Details disclosure (the role=status line
 * above it holds only the stage and the ranges, see statusLine), parsed.
 */
export async function readStatus(widget) {
  return parseStatus(await widget.locator('[data-part="status-detail"]').textContent());
}

/** The short status line: the text of the widget's role=status region. */
export function statusLine(widget) {
  return widget.getByRole('status').textContent();
}

/** Waits until the status names `stage`, then returns it parsed. */
export async function statusAt(page, widget, stage) {
  await page.waitForFunction(
    (s) =>
      document
        .querySelector('norm-widget')
        ?.shadowRoot?.querySelector('[data-part="status-detail"]')
        ?.textContent.includes(`Stage: ${s}.`),
    stage,
    { timeout: 5000 },
  );
  return readStatus(widget);
}

/**
 * Opens the widget's disclosure whose summary reads `name` ("More settings", "Details", "Over
 * training steps", …) as a reader would, by clicking its summary; an open one is left open.
 */
export async function openDisclosure(widget, name) {
  const details = widget.locator('details', {
    has: widget.page().locator('summary', { hasText: name }),
  });
  assert.equal(await details.count(), 1, `one disclosure "${name}"`);
  if ((await details.getAttribute('open')) === null) {
    await details.locator('summary').first().click();
  }
  assert.notEqual(await details.getAttribute('open'), null, `"${name}" is open`);
}

/** Adds a <norm-widget id="extra"> with `attributes` at the top of <main> (so it is in view) and
 * waits for it to be ready. */
export async function addWidget(page, attributes) {
  await page.evaluate((attrs) => {
    const el = document.createElement('norm-widget');
    el.id = 'extra';
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    document.querySelector('main').prepend(el);
  }, attributes);
  return waitForWidget(page, '#extra');
}

/** The controls and charts of a widget that stick out of its box sideways (their markup, cut short). */
export function controlsOutside(widget) {
  return widget.evaluate((el) => {
    const outer = el.getBoundingClientRect();
    return [...el.shadowRoot.querySelectorAll('button, input, select, canvas, table')]
      .filter((c) => {
        const r = c.getBoundingClientRect();
        return r.left < outer.left - 0.5 || r.right > outer.right + 0.5;
      })
      .map((c) => c.outerHTML.slice(0, 60));
  });
}

/**
 * Resolves after `n` animation frames of the page: a wait counted in rendered frames, the unit in
 * which an animation advances, rather than in milliseconds.
 */
export function animationFrames(page, n) {
  return page.evaluate(
    (count) =>
      new Promise((resolve) => {
        let seen = 0;
        const tick = () => (++seen >= count ? resolve() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      }),
    n,
  );
}

/**
 * Resolves once `selector`'s first intersection report has been delivered (to an observer with
 * the widgets' 200px margin, registered after theirs) and the network has then gone quiet
 * (Playwright's 'networkidle'): by then a widget that was going to load has asked for its core.
 */
export async function settled(page, selector) {
  await page.waitForLoadState('load');
  await page.evaluate(
    (sel) =>
      new Promise((resolve) => {
        const observer = new IntersectionObserver(
          () => {
            observer.disconnect();
            resolve();
          },
          { rootMargin: '200px' },
        );
        observer.observe(document.querySelector(sel));
      }),
    selector,
  );
  await page.waitForLoadState('networkidle');
}
