// The landing page (index.html) and pages opened from disk:
// - the landing page links every entry and the comparison, each with a summary and a drawing,
//   works without JavaScript, asks nothing of another origin and fits 320 px;
// - the drawings fill exactly the set the method's definition gives (written out here);
// - a site page and the embed example opened as file:// keep their text styled and say that a
//   server is needed, pointing at standalone.html;
// - under a host's accent colour (the embed example sets one) the set colours stay distinct.
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

import { DIST, startSession, waitForWidget } from './harness.mjs';

const PAGES = [
  'batch-normalisation.html',
  'layer-normalisation.html',
  'instance-normalisation.html',
  'group-normalisation.html',
  'rms-normalisation.html',
  'comparison.html',
];

let session;
before(async () => {
  session = await startSession();
});
after(async () => session?.close());

describe('the landing page', () => {
  it('links every entry and the comparison, each with a summary and a drawing, without JavaScript', async () => {
    const p = await session.open('/', { javaScriptEnabled: false });
    try {
      const { page } = p;
      assert.equal(await page.locator('h1').textContent(), 'Normalisation');
      const cards = page.locator('.home-card');
      assert.equal(await cards.count(), PAGES.length);
      for (let i = 0; i < PAGES.length; i++) {
        const card = cards.nth(i);
        assert.equal(await card.locator('a').getAttribute('href'), PAGES[i]);
        assert.ok((await card.locator('p').textContent()).length > 30);
        const drawing = card.locator('svg.set-preview');
        assert.ok(await drawing.isVisible(), `${PAGES[i]}: drawing visible`);
        const box = await drawing.boundingBox();
        assert.ok(box.width > 150 && box.height > 40, `${PAGES[i]}: ${JSON.stringify(box)}`);
      }
      // Every link leads to a page that exists.
      for (const href of PAGES) {
        const response = await page.request.get(`${session.origin}/${href}`);
        assert.equal(response.status(), 200, href);
      }
      assert.deepEqual(p.foreign(), []);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it("fills each method's set in its drawing as the definition gives it", async () => {
    // Drawing: a cube of 3 samples, 4 channels, 3 positions, 2 groups; the chosen value is
    // sample 2, channel 2, position 2 (indices 1, 1, 1), outlined. One voxel per value.
    const same = {
      'batch-normalisation.html': (n, c) => c === 1,
      'layer-normalisation.html': (n) => n === 1,
      'rms-normalisation.html': (n) => n === 1,
      'instance-normalisation.html': (n, c) => n === 1 && c === 1,
      'group-normalisation.html': (n, c) => n === 1 && c < 2,
    };
    const p = await session.open('/');
    try {
      for (const [href, inSet] of Object.entries(same)) {
        const svg = p.page.locator(`.home-card:has(a[href="${href}"]) svg`);
        const voxels = await svg.locator('.voxel').evaluateAll((els) =>
          els.map((el) => ({
            n: +el.dataset.n,
            c: +el.dataset.c,
            s: +el.dataset.s,
            cls: el.getAttribute('class'),
          })),
        );
        assert.equal(voxels.length, 36, href);
        assert.equal(new Set(voxels.map(({ n, c, s }) => `${n},${c},${s}`)).size, 36, href);
        for (const { n, c, s, cls } of voxels) {
          const expected = `voxel ${inSet(n, c) ? 'in-set' : 'dimmed'}`;
          assert.equal(cls, expected, `${href}: value ${n},${c},${s}`);
        }
        assert.equal(await svg.locator('.cube-focus .ring').count(), 1, `${href}: outlined value`);
        for (const axis of ['N (examples)', 'C (channels)', 'H, W (positions)'])
          assert.equal(await svg.locator('text', { hasText: axis }).count(), 1, `${href}: ${axis}`);
        // Filled and dimmed values look different in this colour scheme.
        const fills = await svg.evaluate((el) =>
          ['in-set', 'dimmed'].map(
            (cls) => getComputedStyle(el.querySelector(`.${cls} .front`)).fill,
          ),
        );
        assert.notEqual(fills[0], fills[1], href);
      }
    } finally {
      await p.close();
    }
  });

  it('fits 320 px without sideways scrolling', async () => {
    const p = await session.open('/', { viewport: { width: 320, height: 700 } });
    try {
      assert.ok(await p.page.evaluate(() => document.scrollingElement.scrollWidth <= 320));
    } finally {
      await p.close();
    }
  });
});

describe('pages opened from disk (file://)', () => {
  const fromDisk = (name) => pathToFileURL(path.join(DIST, name)).href;

  for (const name of ['batch-normalisation.html', 'comparison.html', 'index.html']) {
    it(`${name}: the text is styled, and where a server is needed the page says so`, async () => {
      const p = await session.open('/', { wait: false });
      try {
        await p.page.goto(fromDisk(name), { waitUntil: 'load' });
        // The site stylesheet applied: the header is a flex row and the body uses the site's font.
        const header = await p.page
          .locator('.site-header')
          .evaluate((el) => getComputedStyle(el).display);
        assert.equal(header, 'flex', 'site.css did not apply');
        if (name !== 'index.html') {
          const fallback = p.page.locator('.widget-fallback').first();
          assert.ok(await fallback.isVisible());
          assert.match(await fallback.textContent(), /needs a web server/);
          assert.equal(await fallback.locator('a').getAttribute('href'), 'standalone.html');
        }
      } finally {
        await p.close();
      }
    });
  }

  it('the embed example: styled, with a message pointing at standalone.html', async () => {
    const p = await session.open('/', { wait: false });
    try {
      await p.page.goto(fromDisk('embed-example.html'), { waitUntil: 'load' });
      const font = await p.page.evaluate(() => getComputedStyle(document.body).fontFamily);
      assert.match(font, /Georgia/);
      const fallback = p.page.locator('norm-widget .widget-fallback');
      assert.ok(await fallback.isVisible());
      assert.match(await fallback.textContent(), /web server/);
      assert.equal(await fallback.locator('a').getAttribute('href'), 'standalone.html');
    } finally {
      await p.close();
    }
  });
});

describe('set colours under a host accent', () => {
  const rgb = (css) => {
    const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css.trim());
    if (hex) return hex.slice(1).map((h) => parseInt(h, 16));
    const nums = css.match(/\d+(\.\d+)?/g);
    assert.ok(nums && nums.length >= 3, `not a colour: ${css}`);
    return nums.slice(0, 3).map(Number);
  };
  const distance = (a, b) => Math.hypot(...a.map((v, i) => v - b[i]));

  for (const scheme of ['light', 'dark']) {
    it(`the embed example keeps channels 1 and 2 apart from each other (${scheme})`, async () => {
      const p = await session.open('/embed-example.html', { colorScheme: scheme });
      try {
        const widget = await waitForWidget(p.page);
        // The charts read these properties (charts/setup.js readTheme); the swatches use them too.
        const colours = await widget.evaluate((el) => {
          const css = getComputedStyle(el);
          return {
            accent: css.getPropertyValue('--norm-widget-accent'),
            sets: [1, 2, 3].map((i) => css.getPropertyValue(`--norm-widget-accent-${i}`)),
          };
        });
        const [one, two, three] = colours.sets.map(rgb);
        assert.ok(distance(one, two) > 80, `channels 1 and 2: ${colours.sets}`);
        assert.ok(distance(one, three) > 80 && distance(two, three) > 80, `${colours.sets}`);
        // The host's accent (a brown close to channel 2's) styles buttons, not a channel.
        assert.ok(distance(rgb(colours.accent), one) > 80, `accent ${colours.accent} vs channel 1`);
        const swatches = await widget.evaluate((el) =>
          ['set-1', 'set-2'].map((cls) => {
            const probe = document.createElement('span');
            probe.className = `swatch ${cls}`;
            el.shadowRoot.append(probe);
            const colour = getComputedStyle(probe).borderTopColor;
            probe.remove();
            return colour;
          }),
        );
        assert.ok(distance(...swatches.map(rgb)) > 80, `swatches ${swatches}`);
      } finally {
        await p.close();
      }
    });
  }
});
