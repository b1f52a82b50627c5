// The small-batches figure of the Batch Normalisation entry (<norm-small-batches>, in
// "Limitations"): the batch means scatter less as the batch grows, and at batch size 2, and only
// there, a callout says every normalised value is −1 or +1 — checked against the core in Node and
// against the float64 reference.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadNormCore } from '../../web/src/core/index.js';
import {
  BATCHES,
  BATCH_SIZES,
  UNIT_TOLERANCE,
  sampleFor,
  smallBatches,
} from '../../web/src/figures/small-batches-data.js';
import { batchNormRef } from '../node/support/reference.mjs';
import { startSession, waitForWidget } from './harness.mjs';

let session;
let core;
before(async () => {
  [session, core] = await Promise.all([startSession(), loadNormCore()]);
});
after(async () => session?.close());

const headingBefore = (figure) =>
  figure.evaluate((el) => {
    let node = el;
    while (node && node.tagName !== 'H2') node = node.previousElementSibling;
    return node?.textContent;
  });

describe('the small-batches figure', () => {
  it('sits in Limitations; the batch means scatter less as the batch grows', async () => {
    const p = await session.open('/batch-normalisation.html');
    try {
      const figure = await waitForWidget(p.page, 'norm-small-batches');
      assert.equal(await headingBefore(figure), 'Limitations');
      const select = figure.getByLabel('Batch size');
      const seed = Number(await figure.getAttribute('data-seed'));
      const spreads = [];
      for (const size of BATCH_SIZES) {
        await select.selectOption(String(size));
        const shown = Number(await figure.getAttribute('data-spread'));
        const want = smallBatches(core, size, seed).spread;
        assert.ok(Math.abs(shown - want) < 1e-6, `batch ${size}: spread ${shown}, core ${want}`);
        const summary = await figure.locator('.summary').textContent();
        assert.ok(
          summary.includes(`Batch size ${size}:`) && summary.includes(want.toFixed(2)),
          summary,
        );
        spreads.push(want);
      }
      for (let i = 1; i < spreads.length; i++) {
        assert.ok(spreads[i] < spreads[i - 1], `spread shrinks: ${spreads.join(', ')}`);
      }
      // μ_B's spread follows σ/√B, so from 2 to 256 it shrinks about eleven-fold.
      assert.ok(spreads[0] / spreads.at(-1) > 5, spreads.join(', '));
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('says "−1 and +1" at batch size 2, truthfully, and not at 4', async () => {
    const p = await session.open('/batch-normalisation.html');
    try {
      const figure = await waitForWidget(p.page, 'norm-small-batches');
      const select = figure.getByLabel('Batch size');
      const callout = figure.locator('.callout');
      await select.selectOption('2');
      // Resample from the keyboard, so the claim is checked on a batch the test did not choose.
      const before = Number(await figure.getAttribute('data-seed'));
      await figure.getByRole('button', { name: 'Resample' }).press('Enter');
      const seed = Number(await figure.getAttribute('data-seed'));
      assert.equal(seed, before + 1);

      const x = core.sample(sampleFor(2, seed));
      const shape = { n: 2, c: BATCHES, s: 1 };
      const reference = batchNormRef(x, shape).y;
      const { y, nearUnit } = smallBatches(core, 2, seed);
      for (let i = 0; i < y.length; i++) {
        assert.ok(Math.abs(y[i] - reference[i]) < 1e-5, `value ${i}: ${y[i]} vs ${reference[i]}`);
      }
      for (let b = 0; b < BATCHES; b++) {
        assert.ok(Math.abs(y[b] + y[BATCHES + b]) < 1e-6, `batch ${b + 1}: one −, one +`);
        // Without ε, |y| would be exactly 1: |d| / √(d² + ε) with d half the pair's distance.
        const d = Math.abs(x[b] - x[BATCHES + b]) / 2;
        const magnitude = d / Math.sqrt(d * d + 1e-5);
        assert.ok(Math.abs(Math.abs(y[b]) - magnitude) < 1e-5, `batch ${b + 1}`);
      }
      assert.ok(nearUnit >= 0.8 * y.length, `${nearUnit} of ${y.length} near ±1`);
      assert.ok(await callout.isVisible());
      const text = await callout.textContent();
      assert.match(text, /the normalised values are −1 and \+1, one of each per batch/);
      if (nearUnit === y.length) assert.match(text, new RegExp(`all ${y.length} values are ±1`));
      else assert.match(text, new RegExp(`Here ${nearUnit} of the ${y.length} values are ±1`));

      await select.selectOption('4');
      assert.equal(await callout.isVisible(), false);
      const four = smallBatches(core, 4, seed);
      assert.ok(four.nearUnit < 0.1 * four.y.length, `batch 4: ${four.nearUnit} near ±1`);
      assert.ok(UNIT_TOLERANCE < 0.01);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('fits a 360 px screen and draws every value of a batch', async () => {
    const p = await session.open('/batch-normalisation.html', {
      viewport: { width: 360, height: 740 },
      colorScheme: 'dark',
    });
    try {
      const figure = await waitForWidget(p.page, 'norm-small-batches');
      await figure.getByLabel('Batch size').selectOption('8');
      const dots = await figure.evaluate(
        (el) => el.shadowRoot.querySelectorAll('[data-chart="values"] circle').length,
      );
      assert.equal(dots, 6 * 8);
      const means = await figure.evaluate(
        (el) => el.shadowRoot.querySelectorAll('[data-chart="means"] circle').length,
      );
      assert.equal(means, BATCHES);
      const width = await p.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `page scrollWidth ${width}`);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });
});
