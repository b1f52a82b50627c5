// <norm-widget> follows its attributes after connecting: each observed attribute changes the
// figure, each is mirrored by a property, invalid values fall back with a warning, and the change
// event's detail carries the whole state.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadNormCore } from '../../web/src/core/index.js';
import { samplingOptions } from '../../web/src/widget/population.js';
import { addWidget, openDisclosure, readStatus, startSession, waitForWidget } from './harness.mjs';

let session;
let core;
before(async () => {
  [session, core] = await Promise.all([startSession(), loadNormCore()]);
});
after(async () => session?.close());

const STATE_KEYS = [
  'norm',
  'distribution',
  'batchSize',
  'channels',
  'groups',
  'seed',
  'gamma',
  'beta',
  'eps',
  'momentum',
  'mode',
  'stage',
  'playing',
  'step',
].sort();

/** Batch norm's per-channel means of the raw batch, as the core computes them here. */
function rawMeans({ distribution = 'normal', batchSize, seed }) {
  const x = core.sample(samplingOptions({ distribution, batchSize, channels: 2, seed }));
  return Array.from(core.batchNorm(x, { n: batchSize, c: 2, s: 1 }).mean);
}

// Records norm-widget-change details on the page, in order.
function recordChanges(page) {
  return page.evaluate(() => {
    window.changes = [];
    document
      .querySelector('#extra')
      .addEventListener('norm-widget-change', (e) => window.changes.push(e.detail));
  });
}

const changes = (page) => page.evaluate(() => window.changes);

async function waitForChange(page, count) {
  await page.waitForFunction((n) => window.changes.length >= n, count, { timeout: 10000 });
  return (await changes(page)).at(-1);
}

describe('<norm-widget> attributes after connecting', () => {
  it('a new batch-size, seed or distribution redraws the figure with the core’s numbers', async () => {
    const p = await session.open('/');
    try {
      const widget = await addWidget(p.page, { 'batch-size': '32', seed: '5' });
      await recordChanges(p.page);
      const before = await readStatus(widget);
      rawMeans({ batchSize: 32, seed: 5 }).forEach((m, i) =>
        assert.ok(Math.abs(before.channels[i].mean - m) < 0.0006, `channel ${i + 1} before`),
      );

      await widget.evaluate((el) => el.setAttribute('batch-size', '200'));
      let detail = await waitForChange(p.page, 1);
      assert.equal(detail.batchSize, 200);
      const after = await readStatus(widget);
      rawMeans({ batchSize: 200, seed: 5 }).forEach((m, i) =>
        assert.ok(
          Math.abs(after.channels[i].mean - m) < 0.0006,
          `channel ${i + 1}: ${after.channels[i].mean} vs ${m}`,
        ),
      );
      assert.equal(await widget.getByLabel('Batch size', { exact: true }).inputValue(), '200');

      // The property sets the attribute, which redraws.
      await widget.evaluate((el) => {
        el.seed = 9;
        el.distribution = 'bimodal';
      });
      detail = await waitForChange(p.page, 3);
      assert.equal(await widget.getAttribute('seed'), '9');
      assert.equal(detail.seed, 9);
      assert.equal(detail.distribution, 'bimodal');
      const bimodal = await readStatus(widget);
      rawMeans({ distribution: 'bimodal', batchSize: 200, seed: 9 }).forEach((m, i) =>
        assert.ok(Math.abs(bimodal.channels[i].mean - m) < 0.0006, `bimodal channel ${i + 1}`),
      );
      assert.deepEqual(Object.keys(detail).sort(), STATE_KEYS);
      // Seed and Distribution sit in the closed More settings: set from outside, they show the
      // new values once the reader opens it.
      const more = widget.locator('details[data-part="more"]');
      assert.equal(await more.getAttribute('open'), null, 'More settings stayed closed');
      await openDisclosure(widget, 'More settings');
      const seed = widget.getByLabel('Seed', { exact: true });
      assert.ok(await seed.isVisible());
      assert.equal(await seed.inputValue(), '9');
      assert.equal(
        await widget.getByLabel('Distribution', { exact: true }).inputValue(),
        'bimodal',
      );
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('a new norm or channel count makes the figure again, announced with norm and groups', async () => {
    const p = await session.open('/');
    try {
      const widget = await addWidget(p.page, {});
      await recordChanges(p.page);
      assert.equal(await widget.evaluate((el) => el.norm), 'batch');
      await widget.evaluate((el) => el.setAttribute('norm', 'group'));
      const detail = await waitForChange(p.page, 1);
      await waitForWidget(p.page, '#extra');
      assert.equal(detail.norm, 'group');
      assert.equal(detail.channels, 4); // group norm's default
      assert.equal(detail.groups, 2);
      assert.equal(detail.batchSize, 2);
      assert.ok(await widget.getByLabel(/groups/i).isVisible(), 'the Groups control is shown');
      assert.match((await readStatus(widget)).text, /Example 1, group 1/);

      await widget.evaluate((el) => (el.channels = 6));
      const six = await waitForChange(p.page, 2);
      assert.equal(six.channels, 6);
      assert.equal(six.norm, 'group');
      assert.deepEqual(await widget.evaluate((el) => [el.norm, el.channels, el.state.channels]), [
        'group',
        6,
        6,
      ]);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('an invalid value set later falls back to the default with a warning', async () => {
    const p = await session.open('/');
    try {
      const widget = await addWidget(p.page, { 'batch-size': '40' });
      await recordChanges(p.page);
      await widget.evaluate((el) => el.setAttribute('batch-size', 'lots'));
      const detail = await waitForChange(p.page, 1);
      assert.equal(detail.batchSize, 64);
      assert.equal(await widget.evaluate((el) => el.batchSize), 64);
      assert.ok(
        p.warnings.some((w) => w.includes('batch-size="lots"')),
        `warnings: ${p.warnings.join(' | ')}`,
      );
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });
});
