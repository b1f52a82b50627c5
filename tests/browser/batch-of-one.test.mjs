// The batch-of-one figure of the Layer Normalisation entry (<norm-batch-of-one>, in "How it
// works"): layer norm's output for one example is the same alone and in any batch; batch norm's
// moves with the batch and is refused, in plain words, at batch size 1. Numbers against the float64
// reference.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadNormCore } from '../../web/src/core/index.js';
import { FEATURES, batchOfOne } from '../../web/src/figures/batch-of-one-data.js';
import { batchNormRef, layerNormRef } from '../node/support/reference.mjs';
import { startSession, waitForWidget } from './harness.mjs';
import { checkLayout, headingBefore, shownText, tableText } from './prose-figure-checks.mjs';

const PAGE = '/layer-normalisation.html';
const TAG = 'norm-batch-of-one';
let session;
let core;
before(async () => {
  [session, core] = await Promise.all([startSession(), loadNormCore()]);
});
after(async () => session?.close());

// The table (tableText): per feature [x, LN alone, LN in batch, BN in batch or 'refused'].

describe('the batch-of-one figure', () => {
  it('sits in How it works; its numbers are the reference’s; batch size 1 gets the refusal callout, 8 does not', async () => {
    const p = await session.open(PAGE);
    try {
      const figure = await waitForWidget(p.page, TAG);
      assert.equal(await headingBefore(figure), 'How it works');
      const select = figure.getByLabel('Batch size');

      // Positive control first: at batch size 1 the callout says the output is unchanged and why
      // batch norm cannot run, in words of its own, not the core's message.
      await select.selectOption('1');
      const seed = Number(await figure.getAttribute('data-seed'));
      const callout = await shownText(figure, '.callout');
      assert.ok(callout, 'callout shown at batch size 1');
      assert.match(
        callout,
        /^Batch size 1: layer norm gives this example the same output as in a batch of 64/,
      );
      assert.match(callout, /its variance is 0/);
      assert.doesNotMatch(callout, /n\*s|RangeError|training: false/);
      const one = batchOfOne(core, 1, seed);
      const big = batchOfOne(core, 64, seed);
      const ref = layerNormRef(one.example, { n: 1, c: FEATURES, s: 1 }).y;
      const ref64 = layerNormRef(big.batch, { n: 64, c: FEATURES, s: 1 }).y.slice(0, FEATURES);
      for (let f = 0; f < FEATURES; f++) assert.ok(Math.abs(ref[f] - ref64[f]) < 1e-5);
      const shownOne = await tableText(figure);
      shownOne.forEach((row, f) => {
        assert.equal(row[1], ref[f].toFixed(3).replace(/^-(0\.000)$/, '$1'));
        assert.equal(row[2], row[1]);
        assert.equal(row[3], 'refused');
      });
      assert.match(
        await figure.getByRole('status').textContent(),
        /Batch norm refuses a batch of one\./,
      );
      const message = await figure.evaluate(
        (el) => el.shadowRoot.querySelector('[data-chart="rows"] .message')?.textContent,
      );
      assert.equal(message, 'refused: one example, no spread');

      // Batch size 8: no callout; batch norm's numbers are the reference's for this batch.
      await select.selectOption('8');
      assert.equal(await shownText(figure, '.callout'), null);
      const eight = batchOfOne(core, 8, seed);
      const bnRef = batchNormRef(eight.batch, { n: 8, c: FEATURES, s: 1 }).y;
      const lnRef = layerNormRef(eight.batch, { n: 8, c: FEATURES, s: 1 }).y;
      const shown = await tableText(figure);
      shown.forEach((row, f) => {
        assert.ok(Math.abs(Number(row[3]) - bnRef[f]) <= 0.0005, `BN feature ${f + 1}`);
        assert.ok(Math.abs(Number(row[2]) - lnRef[f]) <= 0.0005, `LN feature ${f + 1}`);
        assert.equal(row[2], shownOne[f][1], 'layer norm unchanged from batch size 1');
      });
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('New batch from the keyboard moves batch norm’s outputs and says by how much; layer norm’s stay', async () => {
    const p = await session.open(PAGE);
    try {
      const figure = await waitForWidget(p.page, TAG);
      const select = figure.getByLabel('Batch size');
      await select.focus();
      await p.page.keyboard.press('ArrowUp'); // 8 -> 4
      assert.equal(await figure.getAttribute('data-batch-size'), '4');
      assert.equal(await shownText(figure, '.callout'), null, 'no callout before a new batch');
      const before = await tableText(figure);
      const seed = Number(await figure.getAttribute('data-seed'));
      await figure.getByRole('button', { name: 'New batch' }).press('Enter');
      assert.equal(Number(await figure.getAttribute('data-seed')), seed + 1);
      const afterRows = await tableText(figure);
      const a = batchOfOne(core, 4, seed);
      const b = batchOfOne(core, 4, seed + 1);
      let moved = 0;
      for (let f = 0; f < FEATURES; f++) {
        assert.equal(afterRows[f][1], before[f][1], 'LN alone');
        assert.equal(afterRows[f][2], before[f][2], 'LN in batch');
        moved = Math.max(moved, Math.abs(a.batchNorm[f] - b.batchNorm[f]));
      }
      assert.ok(moved > 0.01);
      assert.notDeepEqual(
        afterRows.map((r) => r[3]),
        before.map((r) => r[3]),
      );
      const callout = await shownText(figure, '.callout');
      assert.match(
        callout,
        new RegExp(
          `^New batch: batch norm’s outputs for this example moved by up to ${moved.toFixed(2)}; layer norm’s did not move`,
        ),
      );
      // Changing the batch size is not a new batch: the callout goes.
      await select.selectOption('16');
      assert.equal(await shownText(figure, '.callout'), null);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('fits 320 px; screenshots at 1280 and 360 px, light and dark', async () => {
    await checkLayout(session, PAGE, TAG, 'batch-of-one', (figure) =>
      figure.getByLabel('Batch size').selectOption('1'),
    );
  });
});
