// The sync-batch-norm figure of the Batch Normalisation entry (<norm-sync-batch-norm>, in
// "Limitations"): split over devices, each device's μ is its own slice's and they differ; with
// synchronisation every device uses the whole batch's μ. Both checked against the float64
// reference (tests/node/support/reference.mjs), never against the core the figure uses.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadNormCore } from '../../web/src/core/index.js';
import {
  DEVICE_CHOICES,
  GLOBAL_BATCH,
  globalBatch,
  slices,
} from '../../web/src/figures/sync-batch-norm-data.js';
import { batchNormRef } from '../node/support/reference.mjs';
import { startSession, waitForWidget } from './harness.mjs';

let session;
let core;
before(async () => {
  [session, core] = await Promise.all([startSession(), loadNormCore()]);
});
after(async () => session?.close());

const meanOf = (values) => batchNormRef(values, { n: values.length, c: 1, s: 1 }).mean[0];
const range = (values) => Math.max(...values) - Math.min(...values);

describe('the sync-batch-norm figure', () => {
  it('per-device means differ; synchronised ones all equal the whole batch mean', async () => {
    const p = await session.open('/batch-normalisation.html');
    try {
      const figure = await waitForWidget(p.page, 'norm-sync-batch-norm');
      const heading = await figure.evaluate((el) => {
        let node = el;
        while (node && node.tagName !== 'H2') node = node.previousElementSibling;
        return node?.textContent;
      });
      assert.equal(heading, 'Limitations');
      await figure.getByRole('button', { name: 'Resample' }).press('Enter');
      const seed = Number(await figure.getAttribute('data-seed'));
      const x = globalBatch(core, seed); // the figure's batch: the same bytes in Node and browser
      const whole = meanOf(x);
      const sync = figure.getByLabel('Synchronise statistics (SyncBN)');
      const ranges = {};
      for (const devices of DEVICE_CHOICES) {
        await figure.getByLabel('Devices').selectOption(String(devices));
        await sync.setChecked(false);
        const own = JSON.parse(await figure.getAttribute('data-means'));
        const want = slices(x, devices).map(meanOf);
        assert.equal(own.length, devices);
        own.forEach((m, k) =>
          assert.ok(Math.abs(m - want[k]) < 1e-5, `device ${k + 1} of ${devices}`),
        );
        ranges[devices] = range(own);
        if (devices > 1) assert.ok(ranges[devices] > 0.05, `${devices} devices: ${own}`);
        const rows = await figure.evaluate(
          (el) => el.shadowRoot.querySelectorAll('[data-chart="devices"] circle').length,
        );
        assert.equal(rows, GLOBAL_BATCH, 'every example drawn once');

        await sync.press('Space');
        assert.equal(await figure.getAttribute('data-synced'), 'true');
        const shared = JSON.parse(await figure.getAttribute('data-means'));
        assert.equal(shared.length, devices);
        for (const m of shared) assert.ok(Math.abs(m - whole) < 1e-5, `synced ${m} vs ${whole}`);
        assert.match(
          await figure.locator('.summary').textContent(),
          new RegExp(`use the whole batch’s μ = ${whole.toFixed(2)}`),
        );
      }
      assert.equal(ranges[1], 0);
      // "The more so the fewer examples it holds."
      assert.ok(ranges[8] > ranges[2], JSON.stringify(ranges));
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('fits a 360 px screen in dark mode', async () => {
    const p = await session.open('/batch-normalisation.html', {
      viewport: { width: 360, height: 740 },
      colorScheme: 'dark',
    });
    try {
      const figure = await waitForWidget(p.page, 'norm-sync-batch-norm');
      await figure.getByLabel('Devices').selectOption('8');
      const width = await p.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `page scrollWidth ${width}`);
      assert.match(
        await figure.locator('.summary').textContent(),
        /^Each of 8 devices uses its own μ/,
      );
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });
});
