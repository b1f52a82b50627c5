// <norm-widget> in the built page: its numbers against the float64 reference for the same
// seed, the four stages' statistics, training and inference, the animation loop, keyboard use of
// every control, attributes and events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadNormCore } from '../../web/src/core/index.js';
import { DEFAULTS, samplingOptions } from '../../web/src/widget/population.js';
import {
  addWidget,
  animationFrames,
  openDisclosure,
  readStatus,
  startSession,
  statusAt,
  waitForWidget,
} from './harness.mjs';
import { batchNormRef } from '../node/support/reference.mjs';

let session;
let core;
before(async () => {
  [session, core] = await Promise.all([startSession(), loadNormCore()]);
});
after(async () => session?.close());

const C = 2;

/**
 * The widget's batch (drawn by the core's seeded sampler) and its per-channel mean and biased
 * std from the independent float64 reference, so a bug the widget and the core share still fails.
 */
function coreStats({
  distribution = DEFAULTS.distribution,
  batchSize = DEFAULTS.batchSize,
  seed = DEFAULTS.seed,
  step = 0,
} = {}) {
  const x = core.sample(samplingOptions({ distribution, batchSize, seed, step }));
  const r = batchNormRef(x, { n: batchSize, c: C, s: 1 }, { training: true });
  return { x, mean: r.mean, var: r.var, std: r.var.map(Math.sqrt) };
}

const near = (actual, expected, tolerance, what) =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected}`,
  );

// The status prints 3 decimals; allow the rounding plus float noise.
const DISPLAY = 0.0005 + 1e-6;

async function openWidget(options = {}) {
  const p = await session.open('/batch-normalisation.html', options);
  const widget = await waitForWidget(p.page);
  return { ...p, widget };
}

/** Types `value` into the number input labelled `label` and commits it with Enter. */
async function typeInto(widget, label, value) {
  const input = widget.getByLabel(label, { exact: true });
  await input.focus();
  await input.press('Control+A');
  await input.pressSequentially(String(value));
  await input.press('Enter');
}

async function press(locator, key, times = 1) {
  await locator.focus();
  for (let i = 0; i < times; i++) await locator.press(key);
}

async function stepTo(page, widget, stage) {
  const button = widget.getByRole('button', { name: 'Next stage', exact: true });
  for (let i = 0; i < 4 && (await widget.getAttribute('data-stage')) !== stage; i++)
    await button.press('Enter');
  return statusAt(page, widget, stage);
}

describe('<norm-widget> numbers', () => {
  it('shows the raw batch statistics the core computes for the same seed and batch size', async () => {
    const p = await openWidget();
    try {
      const status = await readStatus(p.widget);
      assert.equal(status.stage, 'raw');
      assert.equal(await p.widget.getAttribute('data-stage'), 'raw');
      assert.equal(status.channels.length, 2, status.text);
      const expected = coreStats();
      for (let ch = 0; ch < C; ch++) {
        near(status.channels[ch].mean, expected.mean[ch], DISPLAY, `channel ${ch + 1} mean`);
        near(status.channels[ch].std, expected.std[ch], DISPLAY, `channel ${ch + 1} std`);
      }
      // The channels differ, as the population says (means 3 and -2, stds 2 and 0.5).
      assert.ok(status.channels[0].mean > 1.5 && status.channels[1].mean < -1, status.text);
      assert.ok(status.channels[0].std > 2 * status.channels[1].std, status.text);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('centres, scales, then scales and shifts with γ and β set from the keyboard (batch 256)', async () => {
    const p = await openWidget();
    try {
      const { page, widget } = p;
      await typeInto(widget, 'Batch size', 256);
      await openDisclosure(widget, 'More settings');
      await typeInto(widget, 'Seed', 7);
      const distribution = widget.getByLabel('Distribution', { exact: true });
      await press(distribution, 'ArrowDown'); // normal -> lognormal (skewed)
      assert.equal(await distribution.inputValue(), 'lognormal');
      const params = { distribution: 'lognormal', batchSize: 256, seed: 7 };
      const expected = coreStats(params);
      const eps = core.defaults.eps;

      const raw = await statusAt(page, widget, 'raw');
      assert.match(raw.text, /batch size 256/);
      for (let ch = 0; ch < C; ch++) {
        near(raw.channels[ch].mean, expected.mean[ch], DISPLAY, `raw mean ${ch + 1}`);
        near(raw.channels[ch].std, expected.std[ch], DISPLAY, `raw std ${ch + 1}`);
      }

      const centred = await stepTo(page, widget, 'centred');
      for (let ch = 0; ch < C; ch++) {
        near(centred.channels[ch].mean, 0, 1e-3, `centred mean ${ch + 1}`);
        near(
          centred.channels[ch].std,
          expected.std[ch],
          DISPLAY,
          `centred std ${ch + 1} (centring keeps the spread)`,
        );
      }

      const scaled = await stepTo(page, widget, 'scaled');
      for (let ch = 0; ch < C; ch++) {
        near(scaled.channels[ch].mean, 0, 1e-3, `scaled mean ${ch + 1}`);
        near(scaled.channels[ch].std, 1, 1e-2, `scaled std ${ch + 1}`);
        near(
          scaled.channels[ch].std,
          Math.sqrt(expected.var[ch] / (expected.var[ch] + eps)),
          DISPLAY,
          `scaled std ${ch + 1} (exact)`,
        );
      }

      await press(widget.getByLabel('Gamma', { exact: true }), 'ArrowRight', 10); // 1.0 -> 2.0
      await press(widget.getByLabel('Beta', { exact: true }), 'ArrowLeft', 10); // 0.0 -> -1.0
      assert.equal(await widget.getByLabel('Gamma', { exact: true }).inputValue(), '2');
      assert.equal(await widget.getByLabel('Beta', { exact: true }).inputValue(), '-1');
      const shifted = await stepTo(page, widget, 'shifted');
      for (let ch = 0; ch < C; ch++) {
        near(shifted.channels[ch].mean, -1, 1e-2, `shifted mean ${ch + 1} ≈ β`);
        near(shifted.channels[ch].std, 2, 1e-2, `shifted std ${ch + 1} ≈ |γ|`);
      }

      // A negative γ flips the values: the std is |γ|.
      await press(widget.getByLabel('Gamma', { exact: true }), 'ArrowLeft', 35); // 2.0 -> -1.5
      const flipped = await readStatus(widget);
      for (let ch = 0; ch < C; ch++)
        near(flipped.channels[ch].std, 1.5, 1e-2, `std with γ = -1.5, channel ${ch + 1}`);

      // Back to raw: the numbers are the raw ones again.
      const again = await stepTo(page, widget, 'raw');
      near(again.channels[0].mean, expected.mean[0], DISPLAY, 'raw mean after a full cycle');
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('epsilon typed in changes the scaled std as the core says', async () => {
    const p = await openWidget();
    try {
      const { page, widget } = p;
      await stepTo(page, widget, 'scaled');
      await openDisclosure(widget, 'More settings');
      await typeInto(widget, 'Epsilon', 0.5);
      const status = await readStatus(widget);
      const expected = coreStats();
      for (let ch = 0; ch < C; ch++) {
        near(
          status.channels[ch].std,
          Math.sqrt(expected.var[ch] / (expected.var[ch] + 0.5)),
          DISPLAY,
          `std with ε = 0.5, channel ${ch + 1}`,
        );
      }
      // Channel 2 (variance about 0.25 to 0.4) is squeezed well below 1 by ε = 0.5.
      assert.ok(status.channels[1].std < 0.9, status.text);
    } finally {
      await p.close();
    }
  });

  it('changing the batch size resamples', async () => {
    const p = await openWidget();
    try {
      const { widget } = p;
      const before64 = await readStatus(widget);
      await typeInto(widget, 'Batch size', 8);
      const after8 = await readStatus(widget);
      assert.match(after8.text, /batch size 8\b/);
      assert.notDeepEqual(after8.channels, before64.channels, 'new numbers');
      const expected = coreStats({ batchSize: 8 });
      near(after8.channels[0].mean, expected.mean[0], DISPLAY, 'batch of 8, channel 1 mean');
      // Keyboard stepping on the number input also resamples.
      await widget.getByLabel('Batch size', { exact: true }).press('ArrowUp');
      const after9 = await readStatus(widget);
      assert.match(after9.text, /batch size 9\b/);
      assert.notDeepEqual(after9.channels, after8.channels);
      // An out-of-range entry snaps to the limit when committed.
      await typeInto(widget, 'Batch size', 5000);
      assert.equal(await widget.getByLabel('Batch size', { exact: true }).inputValue(), '1024');
      assert.match((await readStatus(widget)).text, /batch size 1024\b/);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });
});

describe('<norm-widget> training and inference', () => {
  it('plays: frames advance, each step draws a batch and updates the running statistics as the core does; pausing stops', async () => {
    const p = await openWidget();
    try {
      const { page, widget } = p;
      await openDisclosure(widget, 'Over training steps');
      await press(widget.getByLabel('Momentum'), 'ArrowRight', 10); // 0.10 -> 0.20
      const play = widget.getByRole('button', { name: 'Play' });
      await play.press('Enter');
      const pause = widget.getByRole('button', { name: 'Pause' });
      assert.ok(await pause.isVisible(), 'the Play button reads "Pause" while playing');
      const frame0 = Number((await widget.getAttribute('data-frame')) ?? 0);
      await page.waitForFunction(
        () =>
          /Training step [3-9]/.test(
            document.querySelector('norm-widget').shadowRoot.querySelector('.training-text')
              .textContent,
          ),
        null,
        { timeout: 15000 }, // Play shows every stage of a batch before the next
      );
      const frame1 = Number(await widget.getAttribute('data-frame'));
      assert.ok(frame1 > frame0 + 20, `frames advanced from ${frame0} to ${frame1}`);
      // Positive control: 30 rendered frames advance the animation while it plays.
      const playing = Number(await widget.getAttribute('data-frame'));
      await animationFrames(page, 30);
      assert.ok(Number(await widget.getAttribute('data-frame')) > playing, 'frames while playing');
      await pause.press('Space');
      assert.ok(await widget.getByRole('button', { name: 'Play' }).isVisible());
      // The last transition ends: wait until 10 rendered frames leave the frame count alone.
      let frame2 = -1;
      for (let now = Number(await widget.getAttribute('data-frame')); now !== frame2;) {
        frame2 = now;
        await animationFrames(page, 10);
        now = Number(await widget.getAttribute('data-frame'));
      }
      await animationFrames(page, 30);
      assert.equal(
        Number(await widget.getAttribute('data-frame')),
        frame2,
        'no frames while paused',
      );

      // Replay the training in float64: same batches (seed + step), same momentum.
      const text = await widget.locator('.training-text').textContent();
      const step = Number(/Training step (\d+)/.exec(text)[1]);
      let runningMean = [0, 0];
      let runningVar = [1, 1];
      let batch;
      for (let s = 1; s <= step; s++) {
        batch = coreStats({ step: s });
        const r = batchNormRef(
          batch.x,
          { n: DEFAULTS.batchSize, c: C, s: 1 },
          { training: true, momentum: 0.2, runningMean, runningVar },
        );
        ({ runningMean, runningVar } = r);
      }
      const shown = [...text.matchAll(/batch mean (-?\d+\.\d+), running mean (-?\d+\.\d+)/g)].map(
        (m) => m.slice(1).map(Number),
      );
      for (let ch = 0; ch < C; ch++) {
        near(shown[ch][0], batch.mean[ch], DISPLAY, `step ${step} batch mean, channel ${ch + 1}`);
        near(
          shown[ch][1],
          runningMean[ch],
          DISPLAY,
          `step ${step} running mean, channel ${ch + 1}`,
        );
      }
      // The status describes the latest batch, read at the raw stage (Play may pause on any stage).
      await widget.locator('.stages button[data-stage="raw"]').click();
      const status = await statusAt(page, widget, 'raw');
      assert.match(status.text, new RegExp(`step ${step}\\.`));
      near(status.channels[0].mean, batch.mean[0], DISPLAY, 'status follows the latest batch');
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('inference mode uses the running statistics (mean 0, variance 1 at step 0)', async () => {
    const p = await openWidget();
    try {
      const { page, widget } = p;
      await openDisclosure(widget, 'Over training steps');
      const training = widget.getByRole('radio', { name: 'Training' });
      const inference = widget.getByRole('radio', { name: 'Inference' });
      assert.ok(await training.isChecked());
      await press(training, 'ArrowDown');
      assert.ok(await inference.isChecked(), 'arrow key moves the Mode radio to Inference');
      const expected = coreStats();
      const centred = await stepTo(page, widget, 'centred');
      assert.match(centred.text, /Inference mode/);
      // Running mean 0: "centring" leaves the batch mean where it was.
      near(
        centred.channels[0].mean,
        expected.mean[0],
        DISPLAY,
        'inference centred mean = batch mean - running mean 0',
      );
      // The example table: y for example 1 with running statistics, from the reference.
      const y = batchNormRef(
        expected.x.subarray(0, C),
        { n: 1, c: C, s: 1 },
        { training: false },
      ).y;
      const cells = await widget
        .locator('table.example tbody td[data-mode="inference"]')
        .allTextContents();
      near(Number(cells[0]), y[0], DISPLAY, 'example 1 y (inference), channel 1');
      const active = await widget
        .locator('table.example td.active')
        .first()
        .getAttribute('data-mode');
      assert.equal(active, 'inference');
      await press(inference, 'ArrowUp');
      assert.ok(await training.isChecked());
      const back = await readStatus(widget);
      near(back.channels[0].mean, 0, 1e-3, 'training mode centres with the batch mean again');
    } finally {
      await p.close();
    }
  });
});

describe('<norm-widget> keyboard and accessibility', () => {
  // The Tab stops from Play on, named as a reader hears them; Enter on a stop named in `open`
  // (a disclosure's summary) opens it, as a keyboard user would, before the next Tab.
  async function tabStops(page, widget, count, { open = [] } = {}) {
    await widget.getByRole('button', { name: 'Play' }).focus();
    const names = [];
    for (let i = 0; i < count; i++) {
      const info = await widget.evaluate((el) => {
        const f = el.shadowRoot.activeElement;
        if (!f) return null;
        const style = getComputedStyle(f);
        const label = f.dataset.stage
          ? `stage ${f.dataset.stage}`
          : (f.labels?.[0]?.textContent.trim() ?? f.textContent.trim());
        return { label, outline: `${style.outlineStyle} ${style.outlineWidth}` };
      });
      if (!info) break;
      names.push(info.label);
      assert.equal(info.outline, 'solid 3px', `visible focus on ${info.label}`);
      if (open.includes(info.label)) await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
    }
    return names;
  }

  // The first view: the controls beside the charts, then the disclosures, each one stop.
  const FIRST_VIEW = [
    'Play',
    'Next stage',
    'Training step',
    'stage raw',
    'stage centred',
    'stage scaled',
    'stage shifted',
    'Batch size',
    'Resample',
    'γ and β of',
    'Gamma',
    'Beta',
    'Fit axes',
    'Details',
    'More settings',
    'Over training steps',
    'Copy as PyTorch',
  ];

  it('reaches every control with Tab, in order, with a visible focus ring; More settings and Over training steps opened add theirs', async () => {
    const p = await openWidget();
    try {
      const { page, widget } = p;
      assert.deepEqual(await tabStops(page, widget, 21), FIRST_VIEW);
      const more = FIRST_VIEW.indexOf('More settings') + 1;
      const training = FIRST_VIEW.indexOf('Over training steps') + 1;
      const opened = await tabStops(page, widget, 30, {
        open: ['More settings', 'Over training steps'],
      });
      assert.deepEqual(opened, [
        ...FIRST_VIEW.slice(0, more),
        'Distribution',
        'Seed',
        'Epsilon',
        ...FIRST_VIEW.slice(more, training),
        'Momentum',
        'Training',
        'Reset running statistics',
        ...FIRST_VIEW.slice(training),
      ]);
    } finally {
      await p.close();
    }
  });

  it('has accessible names on every control and a polite status region', async () => {
    const p = await openWidget();
    try {
      const { widget } = p;
      await openDisclosure(widget, 'More settings');
      await openDisclosure(widget, 'Over training steps');
      for (const label of [
        'Batch size',
        'Gamma',
        'Beta',
        'Epsilon',
        'Momentum',
        'Distribution',
        'Seed',
      ]) {
        assert.equal(
          await widget.getByLabel(label, { exact: true }).count(),
          1,
          `one control named "${label}"`,
        );
      }
      for (const name of ['Play', 'Next stage', 'Resample']) {
        assert.equal(
          await widget.getByRole('button', { name, exact: true }).count(),
          1,
          `button "${name}"`,
        );
      }
      assert.equal(await widget.getByRole('group', { name: 'Mode' }).count(), 1);
      assert.equal(await widget.getByRole('radio').count(), 2);
      const status = widget.getByRole('status');
      assert.equal(await status.count(), 1);
      assert.equal(await status.getAttribute('aria-live'), 'polite');
      assert.ok(
        await widget.locator('[data-field="gamma"]').getByText('γ', { exact: true }).isVisible(),
        'γ beside Gamma',
      );
      assert.ok(await widget.getByText('β', { exact: true }).isVisible(), 'β beside Beta');
      assert.ok(await widget.getByText('ε', { exact: true }).isVisible(), 'ε beside Epsilon');
    } finally {
      await p.close();
    }
  });

  it('Step, Resample and Restart work from the keyboard; each change fires norm-widget-change', async () => {
    const p = await openWidget();
    try {
      const { page, widget } = p;
      await openDisclosure(widget, 'More settings');
      await openDisclosure(widget, 'Over training steps');
      await page.evaluate(() => {
        window.__changes = [];
        document.addEventListener('norm-widget-change', (e) =>
          window.__changes.push({ ...e.detail, composed: e.composed, bubbles: e.bubbles }),
        );
      });
      await widget.getByRole('button', { name: 'Next stage' }).press('Space');
      assert.equal(await widget.getAttribute('data-stage'), 'centred');
      await widget.getByRole('button', { name: 'Next stage' }).press('Enter');
      assert.equal(await widget.getAttribute('data-stage'), 'scaled');
      const seedBefore = await widget.getByLabel('Seed').inputValue();
      await widget.getByRole('button', { name: 'Resample' }).press('Enter');
      const seedAfter = await widget.getByLabel('Seed').inputValue();
      assert.notEqual(seedAfter, seedBefore, 'Resample draws a new seed');
      assert.equal((await readStatus(widget)).stage, 'scaled', 'Resample keeps the stage');
      // The raw numbers are those of the new seed.
      const raw = await stepTo(page, widget, 'raw');
      const expected = coreStats({ seed: Number(seedAfter) });
      near(
        raw.channels[0].mean,
        expected.mean[0],
        DISPLAY,
        `raw mean after Resample (seed ${seedAfter})`,
      );
      assert.notEqual(raw.channels[0].mean.toFixed(3), coreStats().mean[0].toFixed(3));
      await widget.getByRole('button', { name: 'Reset running statistics' }).press('Enter');
      const changes = await page.evaluate(() => window.__changes);
      assert.ok(changes.length >= 5, JSON.stringify(changes));
      assert.deepEqual(
        { ...changes[0] },
        {
          norm: 'batch',
          stage: 'centred',
          batchSize: 64,
          channels: 2,
          groups: 1,
          seed: 1,
          distribution: 'normal',
          gamma: [1, 1],
          beta: [0, 0],
          eps: 1e-5,
          momentum: 0.1,
          mode: 'training',
          playing: false,
          step: 0,
          composed: true,
          bubbles: true,
        },
      );
      assert.equal(changes[2].seed, Number(seedAfter));
      assert.equal(changes[2].stage, 'scaled');
      assert.equal(changes.at(-1).stage, 'raw');
    } finally {
      await p.close();
    }
  });
});

describe('<norm-widget> attributes and motion preferences', () => {
  it('reads distribution, batch-size and seed', async () => {
    const p = await session.open('/batch-normalisation.html');
    try {
      const widget = await addWidget(p.page, {
        norm: 'batch',
        distribution: 'bimodal',
        'batch-size': '128',
        seed: '11',
      });
      const status = await readStatus(widget);
      assert.match(status.text, /batch size 128\b/);
      const expected = coreStats({ distribution: 'bimodal', batchSize: 128, seed: 11 });
      near(
        status.channels[1].std,
        expected.std[1],
        DISPLAY,
        'bimodal, 128, seed 11: channel 2 std',
      );
      assert.equal(await widget.getByLabel('Distribution').inputValue(), 'bimodal');
      assert.deepEqual(p.warnings, []);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('falls back to defaults with a console warning (not an error) for invalid attributes', async () => {
    const p = await session.open('/batch-normalisation.html');
    try {
      const widget = await addWidget(p.page, {
        norm: 'banana',
        distribution: 'cauchy',
        'batch-size': '1',
        seed: '-3',
      });
      const status = await readStatus(widget);
      assert.match(status.text, /batch size 64\b/);
      near(status.channels[0].mean, coreStats().mean[0], DISPLAY, 'default batch');
      assert.equal(p.warnings.length, 4, p.warnings.join('\n'));
      for (const name of ['norm', 'distribution', 'batch-size', 'seed']) {
        assert.ok(
          p.warnings.some((w) => w.includes(`${name}=`)),
          `warning for ${name}`,
        );
      }
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('autoplay plays when motion is welcome', async () => {
    const p = await session.open('/batch-normalisation.html');
    try {
      const widget = await addWidget(p.page, { autoplay: '' });
      assert.ok(await widget.getByRole('button', { name: 'Pause' }).isVisible());
      await p.page.waitForFunction(
        () => Number(document.querySelector('#extra').getAttribute('data-frame')) > 5,
      );
      await widget.getByRole('button', { name: 'Pause' }).click();
    } finally {
      await p.close();
    }
  });

  it('with prefers-reduced-motion: no autoplay, and stages change at once without animation frames', async () => {
    // Positive control: without the preference, an autoplaying widget draws frames within 90
    // rendered frames (1.5 s at 60 Hz: two training ticks of 700 ms).
    const control = await session.open('/batch-normalisation.html');
    try {
      const widget = await addWidget(control.page, { autoplay: '' });
      await animationFrames(control.page, 90);
      assert.notEqual(await widget.getAttribute('data-frame'), null, 'control: frames drawn');
    } finally {
      await control.close();
    }
    const p = await session.open('/batch-normalisation.html', { reducedMotion: 'reduce' });
    try {
      const widget = await addWidget(p.page, { autoplay: '' });
      assert.ok(await widget.getByRole('button', { name: 'Play' }).isVisible(), 'not playing');
      await animationFrames(p.page, 90);
      assert.equal(await widget.getAttribute('data-frame'), null, 'no animation frames');
      await widget.getByRole('button', { name: 'Next stage' }).press('Enter');
      const status = await readStatus(widget);
      assert.equal(status.stage, 'centred');
      await animationFrames(p.page, 20);
      assert.equal(
        await widget.getAttribute('data-frame'),
        null,
        'the stage changed without a transition',
      );
    } finally {
      await p.close();
    }
  });
});
