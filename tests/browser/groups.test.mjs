// The groups figure of the Group Normalisation entry (<norm-groups>, in "How it works"): G steps
// through the divisors of C = 8; the callout says "equals layer norm" at G = 1 and "equals instance
// norm" at G = 8, and nothing at G = 2 or 4, each time as the float64 reference says; the bands show
// which channels share statistics.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadNormCore } from '../../web/src/core/index.js';
import {
  CHANNELS,
  EQUAL_TOLERANCE,
  GROUP_CHOICES,
  SHAPE,
  sampleFor,
} from '../../web/src/figures/groups-data.js';
import {
  groupNormRef,
  instanceNormRef,
  layerNormRef,
  maxAbsDiff,
} from '../node/support/reference.mjs';
import { startSession, waitForWidget } from './harness.mjs';
import { checkLayout, headingBefore, shownText } from './prose-figure-checks.mjs';

const PAGE = '/group-normalisation.html';
const TAG = 'norm-groups';
let session;
let core;
before(async () => {
  [session, core] = await Promise.all([startSession(), loadNormCore()]);
});
after(async () => session?.close());

const bands = (figure) =>
  figure.evaluate((el) => el.shadowRoot.querySelectorAll('[data-chart="input"] rect.band').length);

describe('the groups figure', () => {
  it('sits in How it works; says “equals layer norm” only at G = 1 and “equals instance norm” only at G = 8, as the reference says', async () => {
    const p = await session.open(PAGE);
    try {
      const figure = await waitForWidget(p.page, TAG);
      assert.equal(await headingBefore(figure), 'How it works');
      const select = figure.getByLabel('Groups G');
      const seed = Number(await figure.getAttribute('data-seed'));
      const x = core.sample(sampleFor(seed));
      const ln = layerNormRef(x, SHAPE).y;
      const inorm = instanceNormRef(x, SHAPE).y;
      // Positive controls first (G = 1 and G = 8), then the groups in between.
      for (const groups of [1, 8, 2, 4]) {
        await select.selectOption(String(groups));
        const ref = groupNormRef(x, SHAPE, { groups });
        const layerLike = maxAbsDiff(ref.y, ln) <= EQUAL_TOLERANCE;
        const instanceLike = maxAbsDiff(ref.y, inorm) <= EQUAL_TOLERANCE;
        assert.equal(layerLike, groups === 1);
        assert.equal(instanceLike, groups === CHANNELS);
        const callout = (await shownText(figure, '.callout')) ?? '';
        assert.equal(
          callout.includes('equal layer norm’s'),
          layerLike,
          `G = ${groups}: ${callout}`,
        );
        assert.equal(
          callout.includes('equal instance norm’s'),
          instanceLike,
          `G = ${groups}: ${callout}`,
        );
        assert.equal(callout === '', !layerLike && !instanceLike);
        assert.equal(await bands(figure), groups);
        // The status's group statistics are the reference's.
        const status = await figure.getByRole('status').textContent();
        assert.match(
          status,
          new RegExp(`^G = ${groups}, ${CHANNELS / groups} channels? per group\\.`),
        );
        for (let g = 0; g < groups; g++) {
          const m = new RegExp(`group ${g + 1}: μ (-?\\d+\\.\\d+), σ (-?\\d+\\.\\d+)`).exec(status);
          assert.ok(m, status);
          assert.ok(Math.abs(Number(m[1]) - ref.mean[g]) <= 0.005, `G ${groups} group ${g + 1}`);
          assert.ok(Math.abs(Number(m[2]) - Math.sqrt(ref.var[g])) <= 0.005);
        }
        assert.match(
          status,
          new RegExp(`layer norm’s by up to ${maxAbsDiff(ref.y, ln).toFixed(3)}`),
        );
      }
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('works from the keyboard: arrow keys step G, Enter draws a new example', async () => {
    const p = await session.open(PAGE);
    try {
      const figure = await waitForWidget(p.page, TAG);
      const select = figure.getByLabel('Groups G');
      await select.selectOption('1');
      await select.focus();
      const seen = [];
      for (let i = 0; i < GROUP_CHOICES.length - 1; i++) {
        await p.page.keyboard.press('ArrowDown');
        seen.push(Number(await figure.getAttribute('data-groups')));
      }
      assert.deepEqual(seen, GROUP_CHOICES.slice(1));
      assert.match(await shownText(figure, '.callout'), /equal instance norm’s/);
      const seed = Number(await figure.getAttribute('data-seed'));
      await figure.getByRole('button', { name: 'New example' }).press('Enter');
      assert.equal(Number(await figure.getAttribute('data-seed')), seed + 1);
      assert.match(await shownText(figure, '.callout'), /equal instance norm’s/);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('fits 320 px; screenshots at 1280 and 360 px, light and dark', async () => {
    await checkLayout(session, PAGE, TAG, 'groups', (figure) =>
      figure.getByLabel('Groups G').selectOption('1'),
    );
  });
});
