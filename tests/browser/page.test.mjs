// The built entry page in headless Chromium: its sections with and without JavaScript, the
// widget's lazy start, layout at 1280, 360 and 320 px (screenshots in test-results/), no console
// errors and no request to another origin.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RESULTS, controlsOutside, settled, startSession, waitForWidget } from './harness.mjs';

// The entry's sections, from web/content/batch-normalisation.md.
const SECTIONS = [
  'Interactive',
  'During training',
  'At inference',
  'Why it helps',
  'Limitations',
  'Alternatives',
  'Video',
  'Related terms',
  'Discussed in',
  'References',
];

let session;
before(async () => {
  session = await startSession();
  await mkdir(RESULTS, { recursive: true });
});
after(async () => session?.close());

async function headings(page) {
  return page.locator('main h2').allTextContents();
}

describe('the Batch Normalisation entry', () => {
  it('shows every section, the formulae and the widget fallback with JavaScript disabled', async () => {
    const p = await session.open('/batch-normalisation.html', { javaScriptEnabled: false });
    try {
      assert.equal(await p.page.locator('h1').textContent(), 'Batch Normalisation');
      assert.deepEqual(await headings(p.page), SECTIONS);
      assert.ok(
        (await p.page.locator('main math').count()) >= 4,
        'MathML formulae are in the static HTML',
      );
      const fallback = p.page.locator('norm-widget .widget-fallback');
      assert.ok(await fallback.isVisible(), 'the fallback paragraph is visible without JavaScript');
      assert.match(await fallback.textContent(), /needs JavaScript/);
      assert.equal(await p.page.locator('norm-widget').getAttribute('data-ready'), null);
      assert.deepEqual(p.foreign(), []);
    } finally {
      await p.close();
    }
  });

  it('with JavaScript: same sections, the widget replaces its fallback, nothing leaves the origin', async () => {
    const p = await session.open('/batch-normalisation.html');
    try {
      assert.deepEqual(await headings(p.page), SECTIONS);
      const widget = await waitForWidget(p.page);
      assert.equal(
        await p.page.locator('norm-widget .widget-fallback').isVisible(),
        false,
        'fallback hidden',
      );
      assert.ok(await widget.getByRole('button', { name: 'Play' }).isVisible());
      assert.ok(
        p.requests.some((url) => url.endsWith('.wasm')),
        'the core was loaded',
      );
      assert.deepEqual(p.foreign(), [], 'requests to other origins');
      assert.deepEqual(p.consoleErrors, [], 'console errors');
    } finally {
      await p.close();
    }
  });

  it('loads the core only when the widget nears the viewport', async () => {
    // Positive control: with the widget in a tall first screen, settling is long enough to see the
    // core requested.
    const control = await session.open('/batch-normalisation.html', {
      viewport: { width: 1280, height: 4000 },
    });
    try {
      await settled(control.page, 'norm-widget');
      assert.ok(
        control.requests.some((url) => url.endsWith('.wasm')),
        'control: .wasm requested with the widget in view',
      );
    } finally {
      await control.close();
    }
    // The figure now sits right after the definition, so a short window keeps it out of view.
    const height = 100;
    const p = await session.open('/batch-normalisation.html', {
      viewport: { width: 1280, height },
    });
    try {
      const widget = p.page.locator('norm-widget');
      const top = await widget.evaluate((el) => el.getBoundingClientRect().top);
      assert.ok(top > height + 400, `the widget starts ${top}px down, well below the first screen`);
      await settled(p.page, 'norm-widget');
      assert.equal(
        p.requests.filter((url) => url.endsWith('.wasm')).length,
        0,
        'no .wasm before scrolling',
      );
      assert.equal(await widget.getAttribute('data-ready'), null);
      await waitForWidget(p.page);
      assert.equal(
        p.requests.filter((url) => url.endsWith('.wasm')).length,
        1,
        'exactly one .wasm after scrolling',
      );
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('shows a short message instead of the charts when the core cannot load', async () => {
    const p = await session.open('/batch-normalisation.html', { wait: false });
    try {
      await p.page.route('**/*.wasm', (route) => route.abort());
      await p.page.goto(`${session.origin}/batch-normalisation.html`);
      const widget = p.page.locator('norm-widget');
      await widget.scrollIntoViewIfNeeded();
      await p.page.waitForFunction(() =>
        document.querySelector('norm-widget').hasAttribute('data-error'),
      );
      assert.equal(await widget.getAttribute('data-ready'), null);
      assert.match(await widget.getByText('could not start').textContent(), /WebAssembly/);
      assert.equal(await widget.locator('canvas').first().isVisible(), false, 'charts hidden');
    } finally {
      await p.close();
    }
  });

  for (const width of [1280, 360]) {
    for (const scheme of ['light', 'dark']) {
      it(`renders at ${width} px wide (${scheme}) without overflow; screenshots saved`, async () => {
        const p = await session.open('/batch-normalisation.html', {
          viewport: { width, height: 900 },
          colorScheme: scheme,
        });
        try {
          const widget = await waitForWidget(p.page);
          await widget.getByRole('button', { name: 'Next stage' }).click();
          await p.page.waitForTimeout(800); // let the stage transition finish
          const box = await widget.boundingBox();
          assert.ok(
            box.x >= 0 && box.x + box.width <= width,
            `widget inside the viewport: ${JSON.stringify(box)}`,
          );
          // Every chart got a real size (Chart.js in a shadow root can end up 0×0).
          const sizes = await widget
            .locator('canvas')
            .evaluateAll((cs) => cs.map((c) => [c.width, c.height]));
          assert.equal(sizes.length, 5);
          for (const [w, h] of sizes) assert.ok(w > 100 && h > 100, `canvas ${w}×${h}`);
          // No control sticks out of the widget.
          const outside = await controlsOutside(widget);
          assert.deepEqual(outside, []);
          const scrollWidth = await p.page.evaluate(() => document.scrollingElement.scrollWidth);
          assert.ok(scrollWidth <= width, `page scrollWidth ${scrollWidth} > ${width}`);
          await widget.screenshot({ path: path.join(RESULTS, `widget-${width}-${scheme}.png`) });
          if (scheme === 'light') {
            await p.page.screenshot({
              path: path.join(RESULTS, `page-${width}.png`),
              fullPage: true,
            });
          }
          assert.deepEqual(p.consoleErrors, []);
        } finally {
          await p.close();
        }
      });
    }
  }

  it('has no horizontal scroll at 320 px', async () => {
    const p = await session.open('/batch-normalisation.html', {
      viewport: { width: 320, height: 800 },
    });
    try {
      await waitForWidget(p.page);
      await p.page.waitForTimeout(100);
      const scrollWidth = await p.page.evaluate(() => document.scrollingElement.scrollWidth);
      assert.ok(scrollWidth <= 320, `scrollWidth ${scrollWidth}`);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });
});
