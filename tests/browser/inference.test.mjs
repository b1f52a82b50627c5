// The inference figure of the Batch Normalisation entry (<norm-inference>, in "At inference"): the
// formula names μ_B, σ_B in training and μ_run, σ_run in inference, example 1's output in each
// mode is the float64 reference's, and the not-converged note shows exactly in inference mode while
// the running statistics have not settled.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadNormCore } from '../../web/src/core/index.js';
import { BATCH_SIZE, dataSet } from '../../web/src/figures/running-statistics-data.js';
import {
  MOMENTUM,
  STEP_CHOICES,
  heldOutBatch,
  inference,
} from '../../web/src/figures/inference-data.js';
import { batchNormRef } from '../node/support/reference.mjs';
import { startSession, waitForWidget } from './harness.mjs';

let session;
let core;
let data;
let batch;
before(async () => {
  [session, core] = await Promise.all([startSession(), loadNormCore()]);
  data = dataSet(core);
  batch = heldOutBatch(core, data);
});
after(async () => session?.close());

const shape = { n: BATCH_SIZE, c: 1, s: 1 };

/** Example 1's output in both modes after `steps` steps, all in float64 by the reference. */
function reference(steps) {
  let runningMean = [0];
  let runningVar = [1];
  for (const x of data.batches.slice(0, steps)) {
    ({ runningMean, runningVar } = batchNormRef(x, shape, {
      momentum: MOMENTUM,
      runningMean,
      runningVar,
    }));
  }
  return {
    training: batchNormRef(batch, shape).y[0],
    inference: batchNormRef(batch, shape, { training: false, runningMean, runningVar }).y[0],
  };
}

describe('the inference figure', () => {
  it('sits in At inference; the formula and example follow the mode', async () => {
    const p = await session.open('/batch-normalisation.html');
    try {
      const figure = await waitForWidget(p.page, 'norm-inference');
      const heading = await figure.evaluate((el) => {
        let node = el;
        while (node && node.tagName !== 'H2') node = node.previousElementSibling;
        return node?.textContent;
      });
      assert.equal(heading, 'At inference');
      const formula = figure.locator('.formula .math');
      assert.equal(await figure.getAttribute('data-mode'), 'training');
      assert.match(await formula.textContent(), /μB\)/);
      assert.match(await formula.textContent(), /σB²/);
      const training = reference(3).training;
      assert.ok(Math.abs(Number(await figure.getAttribute('data-y')) - training) < 1e-4);

      // Keyboard: the radio group moves with the arrow keys.
      await figure.getByRole('radio', { name: 'Training' }).focus();
      await p.page.keyboard.press('ArrowRight');
      assert.equal(await figure.getAttribute('data-mode'), 'inference');
      assert.match(await formula.textContent(), /μrun\)/);
      assert.match(await formula.textContent(), /σrun²/);
      const want = reference(3).inference;
      const y = Number(await figure.getAttribute('data-y'));
      assert.ok(Math.abs(y - want) < 1e-4, `inference y ${y} vs reference ${want}`);
      assert.ok(Math.abs(want - training) > 0.5, 'early in training the modes disagree');
      assert.match(
        await figure.locator('.formula').textContent(),
        new RegExp(`= ${want.toFixed(2)}$`),
      );
      const active = await figure.locator('tr.active td').first().textContent();
      assert.equal(active, 'Inference');
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('shows the not-converged note exactly when inference uses unsettled statistics', async () => {
    const p = await session.open('/batch-normalisation.html', {
      viewport: { width: 360, height: 740 },
      colorScheme: 'dark',
    });
    try {
      const figure = await waitForWidget(p.page, 'norm-inference');
      const note = figure.locator('.callout');
      const seen = { converged: 0, not: 0 };
      for (const mode of ['Training', 'Inference']) {
        await figure.getByRole('radio', { name: mode }).check();
        for (const steps of STEP_CHOICES) {
          await figure.getByLabel('Training steps so far').selectOption(String(steps));
          const { converged, inference: inf } = inference(core, data, batch, steps);
          const expectNote = mode === 'Inference' && !converged;
          assert.equal(await note.isVisible(), expectNote, `${mode}, ${steps} steps`);
          assert.equal(await figure.getAttribute('data-converged'), String(converged));
          if (expectNote) {
            const text = await note.textContent();
            assert.match(text, new RegExp(`^Not converged yet: after ${steps} training step`));
            assert.ok(text.includes(`mean ${inf.batchMean.toFixed(2)} and std`), text);
          }
          if (mode === 'Inference') seen[converged ? 'converged' : 'not']++;
        }
      }
      assert.ok(seen.converged > 0 && seen.not > 0, JSON.stringify(seen));
      const width = await p.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `page scrollWidth ${width}`);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });
});
