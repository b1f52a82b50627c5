// Embedding (dist/embed/norm-widget.js): a third-party page, two widgets sharing one core, a
// strict CSP sent as a header, dist/standalone.html from file://, the entry page framed by
// another origin, a host stylesheet with aggressive global rules, bad attribute values, and the
// WebAssembly fetched only when a widget nears the viewport.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

import {
  DIST,
  RESULTS,
  launchBrowser,
  openPage,
  requireBuild,
  serveStatic,
  settled,
  waitForWidget,
} from './harness.mjs';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const isWasm = (url) => url.endsWith('.wasm');

let browser, site, strict, open;
before(async () => {
  requireBuild();
  await mkdir(RESULTS, { recursive: true });
  browser = await launchBrowser();
  site = await serveStatic(DIST, { mounts: { '/fixtures/': FIXTURES } });
  strict = await serveStatic(DIST, { headers: () => ({ 'Content-Security-Policy': STRICT_CSP }) });
  open = (pagePath, options, origin = site.origin) => openPage(browser, origin, pagePath, options);
});
after(async () => {
  await browser?.close();
  await site?.close();
  await strict?.close();
});

// Records CSP violations reported to the document, from before any script of the page runs.
async function recordViolations(context) {
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
}

describe('the embed', () => {
  it('works in the third-party example page, with its own header, styles and attributes', async (t) => {
    const p = await open('/embed-example.html', { wait: false });
    try {
      const start = Date.now();
      await p.page.goto(`${site.origin}/embed-example.html`);
      await waitForWidget(p.page);
      t.diagnostic(`time to data-ready: ${Date.now() - start} ms`);
      assert.equal(await p.page.locator('.masthead .brand').textContent(), 'Deep Learning Notes');
      const widget = p.page.locator('norm-widget');
      assert.equal(await widget.getByLabel('Batch size', { exact: true }).inputValue(), '128');
      assert.equal(
        await widget.getByLabel('Distribution', { exact: true }).inputValue(),
        'bimodal',
      );
      assert.equal(await widget.getByLabel('Seed', { exact: true }).inputValue(), '11');
      assert.deepEqual(p.consoleErrors, []);
      assert.deepEqual(p.foreign(), []);
      await p.page.screenshot({
        path: path.join(RESULTS, 'embed-example-1280.png'),
        fullPage: true,
      });
    } finally {
      await p.close();
    }
  });

  it('runs two widgets on one page from one core instance, each animating on its own', async () => {
    const p = await open('/fixtures/two-widgets.html');
    try {
      const first = p.page.locator('#first'),
        second = p.page.locator('#second');
      await waitForWidget(p.page, '#first');
      await waitForWidget(p.page, '#second');
      assert.equal(
        p.requests.filter(isWasm).length,
        1,
        `wasm requests: ${p.requests.filter(isWasm)}`,
      );
      const frame = (w) => w.evaluate((el) => Number(el.getAttribute('data-frame') ?? 0));
      await first.getByRole('button', { name: 'Play' }).click();
      const secondBefore = await frame(second);
      await p.page.waitForFunction(
        () => Number(document.querySelector('#first').getAttribute('data-frame')) > 10,
      );
      assert.equal(
        await frame(second),
        secondBefore,
        'the second widget stays still while the first plays',
      );
      await second.getByRole('button', { name: 'Play' }).click();
      const firstNow = await frame(first);
      await p.page.waitForFunction(
        (n) =>
          Number(document.querySelector('#second').getAttribute('data-frame')) > 10 &&
          Number(document.querySelector('#first').getAttribute('data-frame')) > n,
        firstNow,
      );
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('fetches the WebAssembly only when a widget nears the viewport', async () => {
    // Positive control: with the widget within reach of a tall viewport, settling is long enough
    // to see the core requested.
    const control = await open('/fixtures/far-below.html', {
      viewport: { width: 800, height: 5400 },
    });
    try {
      await settled(control.page, 'norm-widget');
      assert.equal(control.requests.filter(isWasm).length, 1, 'control: wasm requested in view');
    } finally {
      await control.close();
    }
    const p = await open('/fixtures/far-below.html');
    try {
      await settled(p.page, 'norm-widget');
      assert.deepEqual(p.requests.filter(isWasm), [], 'no wasm before scrolling');
      await waitForWidget(p.page); // scrolls it into view
      assert.equal(p.requests.filter(isWasm).length, 1);
    } finally {
      await p.close();
    }
  });

  for (const pagePath of ['/embed-example.html', '/batch-normalisation.html']) {
    it(`works under a strict Content-Security-Policy header: ${pagePath}`, async () => {
      const p = await open(pagePath, { wait: false }, strict.origin);
      try {
        await recordViolations(p.context);
        const response = await p.page.goto(strict.origin + pagePath);
        assert.equal(response.headers()['content-security-policy'], STRICT_CSP);
        await waitForWidget(p.page);
        await p.page.locator('norm-widget').getByRole('button', { name: 'Next stage' }).click();
        assert.deepEqual(await p.page.evaluate(() => window.cspViolations), []);
        assert.deepEqual(p.consoleErrors, []);
      } finally {
        await p.close();
      }
    });
  }

  it('keeps working under a host stylesheet with aggressive global rules', async () => {
    const p = await open('/fixtures/hostile-styles.html');
    try {
      await waitForWidget(p.page);
      const widget = p.page.locator('#widget');
      for (const name of ['Play', 'Next stage', 'Resample']) {
        assert.ok(await widget.getByRole('button', { name }).isVisible(), `${name} is visible`);
      }
      const canvases = await widget.evaluate((el) =>
        [...el.shadowRoot.querySelectorAll('canvas')]
          .map((c) => c.getBoundingClientRect())
          .map((r) => [r.width, r.height]),
      );
      assert.ok(
        canvases.length >= 3 && canvases.every(([w, h]) => w > 100 && h > 80),
        JSON.stringify(canvases),
      );
      // ...and the widget leaves the host's own elements to the host's rules.
      assert.equal(await p.page.locator('#host-canvas').isVisible(), false);
      assert.equal(await p.page.locator('#host-button').isVisible(), false);
      assert.deepEqual(p.consoleErrors, []);
      await p.page.screenshot({
        path: path.join(RESULTS, 'embed-hostile-styles.png'),
        fullPage: true,
      });
    } finally {
      await p.close();
    }
  });

  it('falls back to defaults, with a warning, for invalid attribute values', async () => {
    const p = await open('/fixtures/bad-attributes.html');
    try {
      await waitForWidget(p.page);
      const widget = p.page.locator('#widget');
      assert.equal(await widget.getByLabel('Batch size', { exact: true }).inputValue(), '64');
      assert.equal(await widget.getByLabel('Distribution', { exact: true }).inputValue(), 'normal');
      for (const bad of ['batch-size="banana"', 'distribution="cauchy"', 'seed="-4"']) {
        assert.ok(
          p.warnings.some((w) => w.includes(bad)),
          `a warning names ${bad}: ${p.warnings}`,
        );
      }
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });
});

describe('the standalone page and the framed entry', () => {
  it('dist/standalone.html works opened from disk', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const requests = [];
    context.on('request', (r) => requests.push(r.url()));
    try {
      await page.goto(pathToFileURL(path.join(DIST, 'standalone.html')).href);
      await waitForWidget(page);
      assert.equal(await page.locator('h1').textContent(), 'Batch Normalisation');
      assert.deepEqual(
        requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')),
        [],
      );
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('posts its height to a host page on another origin', async () => {
    const p = await open(
      `/fixtures/iframe-host.html?entry=${encodeURIComponent(`${strict.origin}/batch-normalisation.html`)}`,
    );
    try {
      assert.notEqual(new URL(strict.origin).port, new URL(site.origin).port);
      await p.page.waitForFunction(() => window.heightMessages?.length > 0, null, {
        timeout: 15000,
      });
      const [message] = await p.page.evaluate(() => window.heightMessages);
      assert.equal(message.type, 'norm-glossary:height');
      assert.equal(message.page, '/batch-normalisation.html');
      assert.ok(
        Number.isInteger(message.height) && message.height > 1000,
        `height ${message.height}`,
      );
      // Read in one task: the height can change (and a new message arrive) between two reads.
      const [last, frameHeight] = await p.page.evaluate(() => [
        window.heightMessages.at(-1).height,
        document.getElementById('entry').getAttribute('height'),
      ]);
      assert.equal(frameHeight, String(last));
    } finally {
      await p.close();
    }
  });
});
