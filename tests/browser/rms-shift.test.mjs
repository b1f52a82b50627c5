// The RMS-shift figure of the RMS Normalisation entry (<norm-rms-shift>, in "Why leaving out the
// mean works"): shifting every value leaves layer norm's output mean at 0 and moves RMS norm's;
// at shift 0 the callout says the two agree, elsewhere that RMS norm keeps the shift, each checked
// against the float64 reference.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadNormCore } from '../../web/src/core/index.js';
import { DEFAULT_SHIFT, baseExample, shifted } from '../../web/src/figures/rms-shift-data.js';
import { layerNormRef, maxAbsDiff, rmsNormRef } from '../node/support/reference.mjs';
import { startSession, waitForWidget } from './harness.mjs';
import { checkLayout, headingBefore, shownText } from './prose-figure-checks.mjs';

const PAGE = '/rms-normalisation.html';
const TAG = 'norm-rms-shift';
let session;
let core;
before(async () => {
  [session, core] = await Promise.all([startSession(), loadNormCore()]);
});
after(async () => session?.close());

const mean = (values) => values.reduce((a, v) => a + v, 0) / values.length;
const two = (v) => (Math.abs(v) < 0.005 ? '0.00' : v.toFixed(2));

/** The reference's view of the example shifted by `shift`. */
function expected(shift) {
  const x = shifted(baseExample(core), shift);
  const shape = { n: 1, c: x.length, s: 1 };
  const ln = layerNormRef(x, shape);
  const rms = rmsNormRef(x, shape);
  return {
    inputMean: mean(Array.from(x)),
    rms: rms.rms[0],
    layerMean: mean(Array.from(ln.y)),
    rmsMean: mean(Array.from(rms.y)),
    difference: maxAbsDiff(ln.y, rms.y),
  };
}

describe('the rms-shift figure', () => {
  it('sits in Why leaving out the mean works; at a shift the callout says RMS norm keeps it, with the reference’s numbers', async () => {
    const p = await session.open(PAGE);
    try {
      const figure = await waitForWidget(p.page, TAG);
      assert.equal(await headingBefore(figure), 'Why leaving out the mean works');
      // Positive control: the starting shift.
      const e = expected(DEFAULT_SHIFT);
      assert.ok(Math.abs(e.rmsMean) > 0.5 && Math.abs(e.layerMean) < 1e-6);
      const callout = await shownText(figure, '.callout');
      assert.equal(
        callout,
        `Shift +${DEFAULT_SHIFT.toFixed(2)}: layer norm’s output mean is 0.00, the shift removed; ` +
          `RMS norm’s is ${two(e.rmsMean)}, the input’s mean ${two(e.inputMean)} divided by ` +
          `RMS(x) = ${two(e.rms)}: RMS norm keeps the shift.`,
      );
      assert.equal(
        await figure.getByRole('status').textContent(),
        `Shift +${DEFAULT_SHIFT.toFixed(2)}: the input’s mean is ${two(e.inputMean)} and its RMS ` +
          `${two(e.rms)}. Output means: layer norm 0.00, RMS norm ${two(e.rmsMean)}.`,
      );
      // Shift 0 (the button): the other callout, and only it.
      await figure.getByRole('button', { name: 'Shift 0' }).click();
      const z = expected(0);
      assert.ok(z.difference < 5e-4, `reference difference at 0: ${z.difference}`);
      const zero = await shownText(figure, '.callout');
      assert.match(zero, /^Shift 0: the values average to 0\.00, so RMS\(x\) equals σ/);
      assert.doesNotMatch(zero, /keeps the shift/);
      assert.match(await figure.getByRole('status').textContent(), /RMS norm 0\.00\.$/);
      // A small shift (two steps, 0.50) is already a kept shift, not "the same output".
      const slider = figure.getByLabel('Shift every value by');
      await slider.press('ArrowRight');
      await slider.press('ArrowRight');
      const small = expected(0.5);
      assert.ok(small.difference > 0.1, `reference difference at 0.5: ${small.difference}`);
      const kept = await shownText(figure, '.callout');
      assert.match(kept, /^Shift \+0\.50: .*RMS norm keeps the shift\.$/);
      assert.match(kept, new RegExp(`RMS norm’s is ${two(small.rmsMean)}`));
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('works from the keyboard: the arrow keys shift, and every shown mean is the reference’s', async () => {
    const p = await session.open(PAGE);
    try {
      const figure = await waitForWidget(p.page, TAG);
      const slider = figure.getByLabel('Shift every value by');
      await slider.press('Home'); // -3
      for (const shift of [-3, -2.75, -2.5]) {
        assert.equal(Number(await figure.getAttribute('data-shift')), shift);
        const e = expected(shift);
        assert.ok(Math.abs(Number(await figure.getAttribute('data-rms-mean')) - e.rmsMean) < 1e-5);
        assert.ok(Math.abs(Number(await figure.getAttribute('data-layer-mean'))) < 1e-5);
        const marks = await figure.evaluate((el) =>
          [...el.shadowRoot.querySelectorAll('[data-chart="rows"] line.line')].map((l) =>
            Number(l.getAttribute('x1')),
          ),
        );
        assert.equal(marks.length, 3);
        assert.ok(
          marks[2] < marks[1],
          'RMS norm’s mean mark lies left of layer norm’s at a negative shift',
        );
        assert.match(await shownText(figure, '.callout'), /RMS norm keeps the shift/);
        await slider.press('ArrowRight');
      }
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('fits 320 px; screenshots at 1280 and 360 px, light and dark', async () => {
    await checkLayout(session, PAGE, TAG, 'rms-shift');
  });
});
