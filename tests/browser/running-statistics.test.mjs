// The running-statistics figure of the Batch Normalisation entry (<norm-running-statistics>, in
// "During training"): stepping through training, the running mean the figure shows is the one a
// float64 reference of PyTorch's update gives for the same batches, and it approaches the data
// set's mean; a smaller momentum gets there more slowly and moves less per step.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadNormCore } from '../../web/src/core/index.js';
import {
  BATCH_SIZE,
  MOMENTA,
  STEPS,
  dataSet,
  trajectory,
} from '../../web/src/figures/running-statistics-data.js';
import { batchNormRef } from '../node/support/reference.mjs';
import { startSession, waitForWidget } from './harness.mjs';

let session;
let core;
let data;
before(async () => {
  [session, core] = await Promise.all([startSession(), loadNormCore()]);
  data = dataSet(core);
});
after(async () => session?.close());

/** The running mean after each step, carried in float64 by the reference implementation. */
function referenceRunningMeans(momentum) {
  const means = [0];
  let runningMean = [0];
  let runningVar = [1];
  for (const x of data.batches) {
    ({ runningMean, runningVar } = batchNormRef(
      x,
      { n: BATCH_SIZE, c: 1, s: 1 },
      {
        momentum,
        runningMean,
        runningVar,
      },
    ));
    means.push(runningMean[0]);
  }
  return means;
}

const shown = async (figure) => ({
  step: Number(await figure.getAttribute('data-step')),
  runningMean: Number(await figure.getAttribute('data-running-mean')),
  summary: await figure.locator('.summary').textContent(),
});

describe('the running-statistics figure', () => {
  it('sits in During training; each step shows the reference running mean', async () => {
    const p = await session.open('/batch-normalisation.html');
    try {
      const figure = await waitForWidget(p.page, 'norm-running-statistics');
      const heading = await figure.evaluate((el) => {
        let node = el;
        while (node && node.tagName !== 'H2') node = node.previousElementSibling;
        return node?.textContent;
      });
      assert.equal(heading, 'During training');
      assert.match(
        (await shown(figure)).summary,
        /Before training, momentum 0\.1: the running mean is 0/,
      );
      const reference = referenceRunningMeans(0.1);
      const next = figure.getByRole('button', { name: 'Next training step' });
      await next.focus();
      for (let t = 1; t <= 5; t++) {
        await p.page.keyboard.press(t % 2 ? 'Enter' : 'Space');
        const now = await shown(figure);
        assert.equal(now.step, t);
        assert.ok(
          Math.abs(now.runningMean - reference[t]) < 1e-4,
          `step ${t}: ${now.runningMean} vs ${reference[t]}`,
        );
        assert.match(
          now.summary,
          new RegExp(
            `^Step ${t} of ${STEPS}, momentum 0\\.1: running mean ${reference[t].toFixed(2)}`,
          ),
        );
      }
      await figure.getByRole('button', { name: 'Reset' }).click();
      assert.equal((await shown(figure)).step, 0);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('Play runs training; the running mean approaches the data set mean', async () => {
    const p = await session.open('/batch-normalisation.html');
    try {
      const figure = await waitForWidget(p.page, 'norm-running-statistics');
      const play = figure.getByRole('button', { name: 'Play' });
      await play.click();
      await p.page.waitForFunction(
        () => Number(document.querySelector('norm-running-statistics').dataset.step) >= 4,
      );
      await figure.getByRole('button', { name: 'Pause' }).click();
      const paused = (await shown(figure)).step;
      await p.page.waitForTimeout(300);
      assert.equal((await shown(figure)).step, paused, 'Pause stops training');
      assert.ok(paused < STEPS);
      await play.click();
      await p.page.waitForFunction(
        (steps) => Number(document.querySelector('norm-running-statistics').dataset.step) === steps,
        STEPS,
        { timeout: 20000 },
      );
      const end = await shown(figure);
      const start = Math.abs(0 - data.mean);
      const gap = Math.abs(end.runningMean - data.mean);
      assert.ok(gap < 0.1 * start, `after ${STEPS} steps: gap ${gap}, at the start ${start}`);
      assert.ok(Math.abs(end.runningMean - referenceRunningMeans(0.1)[STEPS]) < 1e-4);
      assert.equal(
        await figure.getByRole('button', { name: 'Next training step' }).isDisabled(),
        true,
      );
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('with reduced motion Play shows the finished run; momentum changes what it shows', async () => {
    const p = await session.open('/batch-normalisation.html', {
      reducedMotion: 'reduce',
      viewport: { width: 360, height: 740 },
    });
    try {
      const figure = await waitForWidget(p.page, 'norm-running-statistics');
      await figure.getByRole('button', { name: 'Play' }).click();
      assert.equal((await shown(figure)).step, STEPS);
      const gaps = {};
      for (const momentum of MOMENTA) {
        await figure.getByLabel('Momentum').selectOption(String(momentum));
        const now = await shown(figure);
        assert.equal(now.step, STEPS, 'changing momentum keeps the step');
        const want = referenceRunningMeans(momentum)[STEPS];
        assert.ok(Math.abs(now.runningMean - want) < 1e-4, `momentum ${momentum}`);
        gaps[momentum] = Math.abs(now.runningMean - data.mean);
      }
      // "A smaller momentum moves more slowly": 0.01 is still far off after 100 steps.
      assert.ok(gaps[0.01] > 5 * gaps[0.1], JSON.stringify(gaps));
      // "... and more smoothly; a larger one follows each batch more closely": over the last half
      // of training, the mean step of the running mean grows with the momentum.
      const wiggle = MOMENTA.map((m) => {
        const path = trajectory(core, data.batches, m).runningMean;
        let sum = 0;
        for (let t = STEPS / 2 + 1; t <= STEPS; t++) sum += Math.abs(path[t] - path[t - 1]);
        return sum / (STEPS / 2);
      });
      for (let i = 1; i < wiggle.length; i++) assert.ok(wiggle[i] > wiggle[i - 1], wiggle.join());
      const width = await p.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `page scrollWidth ${width}`);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });
});
