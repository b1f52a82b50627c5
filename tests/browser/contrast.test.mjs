// The contrast figure of the Instance Normalisation entry (<norm-contrast>, in "Why and when it is
// used"): example 1's brightness and contrast change its channels' statistics before instance norm
// and not after; the callout speaks while example 1 and example 2 differ before, and not when they
// match; every number shown is the float64 reference's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadNormCore } from '../../web/src/core/index.js';
import { CHANNELS, EXAMPLES, LOOKS, SHAPE, images } from '../../web/src/figures/contrast-data.js';
import { instanceNormRef } from '../node/support/reference.mjs';
import { startSession, waitForWidget } from './harness.mjs';
import { checkLayout, headingBefore, shownText, tableText } from './prose-figure-checks.mjs';

const PAGE = '/instance-normalisation.html';
const TAG = 'norm-contrast';
let session;
let core;
before(async () => {
  [session, core] = await Promise.all([startSession(), loadNormCore()]);
});
after(async () => session?.close());

const tableOf = async (figure) => (await tableText(figure)).map((row) => row.map(Number));

/** Sets a range input to `value` as a reader's drag would (an input event). */
const setRange = (figure, id, value) =>
  figure.evaluate(
    (el, [sel, v]) => {
      const input = el.shadowRoot.querySelector(sel);
      input.value = String(v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    [`#${id}`, value],
  );

/** The table must show the reference's statistics, before and after, for `look`. */
async function assertTableIsReference(figure, look) {
  const x = images(core, look);
  const ref = instanceNormRef(x, SHAPE);
  const after = instanceNormRef(Float32Array.from(ref.y), SHAPE);
  const rows = await tableOf(figure);
  assert.equal(rows.length, EXAMPLES * CHANNELS);
  rows.forEach(([meanBefore, stdBefore, meanAfter, stdAfter], i) => {
    const near = (a, b, what) =>
      assert.ok(Math.abs(a - b) <= 0.005, `row ${i + 1} ${what}: ${a} vs ${b}`);
    near(meanBefore, ref.mean[i], 'mean before');
    near(stdBefore, Math.sqrt(ref.var[i]), 'std before');
    near(meanAfter, after.mean[i], 'mean after');
    near(stdAfter, Math.sqrt(after.var[i]), 'std after');
    assert.equal(meanAfter, 0);
    assert.equal(stdAfter, 1);
  });
}

describe('the contrast figure', () => {
  it('sits in Why and when it is used; the callout speaks while examples 1 and 2 differ, not when they match', async () => {
    const p = await session.open(PAGE);
    try {
      const figure = await waitForWidget(p.page, TAG);
      assert.equal(await headingBefore(figure), 'Why and when it is used');
      // Positive control: the starting look is brighter and sharper than example 2.
      await assertTableIsReference(figure, LOOKS[0]);
      const callout = await shownText(figure, '.callout');
      assert.match(callout, /^Before, example 1 and example 2 differ in level or contrast/);
      assert.match(callout, /every channel of both has mean 0\.00 and std 1\.00/);
      // Example 1 given example 2's look: nothing to point out.
      await setRange(figure, 'brightness', LOOKS[1].brightness);
      await setRange(figure, 'contrast', LOOKS[1].contrast);
      assert.equal(await shownText(figure, '.callout'), null);
      await assertTableIsReference(figure, LOOKS[1]);
      // Only the contrast apart (three times example 2's): the callout is back.
      await setRange(figure, 'contrast', 3);
      assert.match(await shownText(figure, '.callout'), /channel 1: mean .*, std .* against/);
      await assertTableIsReference(figure, { brightness: LOOKS[1].brightness, contrast: 3 });
      const status = await figure.getByRole('status').textContent();
      assert.match(status, /After it, means all 0\.00 and standard deviations all 1\.00\.$/);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('works from the keyboard: arrow keys move example 1’s sliders', async () => {
    const p = await session.open(PAGE);
    try {
      const figure = await waitForWidget(p.page, TAG);
      const brightness = figure.getByLabel('Example 1 brightness');
      for (let i = 0; i < 4; i++) await brightness.press('ArrowLeft'); // 2 -> 1
      const contrast = figure.getByLabel('Example 1 contrast');
      for (let i = 0; i < 2; i++) await contrast.press('ArrowRight'); // 2.5 -> 3
      const look = { brightness: 1, contrast: 3 };
      assert.equal(Number(await figure.getAttribute('data-brightness')), look.brightness);
      assert.equal(Number(await figure.getAttribute('data-contrast')), look.contrast);
      await assertTableIsReference(figure, look);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('fits 320 px; screenshots at 1280 and 360 px, light and dark', async () => {
    await checkLayout(session, PAGE, TAG, 'contrast');
  });
});
