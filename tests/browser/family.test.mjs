// <norm-widget> for the rest of the family, on the built entry pages (layer, instance, group and
// RMS normalisation): sections, numbers against the float64 reference for the same seed, each
// stage's statistics per set, the Groups control, RMS norm's missing centring and β, no running
// statistics, keyboard use, narrow screens; and the channels attribute.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadNormCore } from '../../web/src/core/index.js';
import { NORMS as ALL_NORMS, affineLength, normOf, setIndex } from '../../web/src/norms.js';
import { initialParams, samplingOptions, shapeOf } from '../../web/src/widget/population.js';
import {
  REPO,
  RESULTS,
  addWidget,
  controlsOutside,
  openDisclosure,
  startSession,
  waitForWidget,
} from './harness.mjs';
import {
  batchNormRef,
  groupNormRef,
  instanceNormRef,
  layerNormRef,
  rmsNormRef,
} from '../node/support/reference.mjs';

let session;
let core;
before(async () => {
  [session, core] = await Promise.all([startSession(), loadNormCore()]);
  await mkdir(RESULTS, { recursive: true });
});
after(async () => session?.close());

// The per-example norms, and the name the widget's sentences start with.
const NORMS = ALL_NORMS.filter((norm) => norm.perExample).map((norm) => norm.id);
const NAMES = Object.fromEntries(
  ALL_NORMS.map(({ id, label }) => [id, label[0].toUpperCase() + label.slice(1)]),
);
const pageOf = (norm) => `/${norm}-normalisation.html`;

// The status prints 3 decimals; allow the rounding plus float noise.
const DISPLAY = 0.0005 + 1e-6;
const near = (actual, expected, tolerance, what) =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected}`,
  );

/**
 * "Stage: scaled. Example 1, channel 2: mean 0.000, std 1.000. …" into { stage, sets: [{ label,
 * mean, std, rms }] } (rms only for RMS norm).
 */
function parseStatus(text) {
  const stage = /Stage: ([^.]+)\./.exec(text)?.[1] ?? null;
  const number = '(-?\\d+\\.\\d{3,})';
  const pattern = new RegExp(
    `((?:Channel|Example) \\d+(?:, (?:channel|group) \\d+)?): mean ${number}, std ${number}(?:, rms ${number})?\\.`,
    'g',
  );
  const sets = [...text.matchAll(pattern)].map((m) => ({
    label: m[1],
    mean: Number(m[2]),
    std: Number(m[3]),
    rms: m[4] === undefined ? undefined : Number(m[4]),
  }));
  return { stage, sets, text };
}

// The full sentence, behind the status line's Details disclosure.
const readStatus = async (widget) =>
  parseStatus(await widget.locator('[data-part="status-detail"]').textContent());

// The float64 reference's forward operation for a family member (RMS norm has no beta).
function referenceForward(norm, x, shape, options, groups) {
  const ref = {
    layer: layerNormRef,
    instance: instanceNormRef,
    group: groupNormRef,
    rms: rmsNormRef,
  };
  if (!ref[norm]) throw new Error(`referenceForward: no reference for norm ${norm}`);
  return ref[norm](x, shape, { ...options, groups });
}

/**
 * What the float64 reference says about a widget's values: x for these parameters (and, at the
 * scaled stage, the reference's forward operation on it), and, by label, the statistics of each
 * set the status names: the sets from norms.js setIndex, their mean, variance and rms in float64.
 */
function expected(norm, overrides = {}, { step = 0, stage = 'raw' } = {}) {
  const description = normOf(norm);
  const params = initialParams(norm, overrides, core.defaults);
  const x = core.sample(samplingOptions({ ...params, step }));
  const shape = shapeOf(params);
  const { n, c, s } = shape;
  const { eps, groups } = params;
  const values = stage === 'scaled' ? referenceForward(norm, x, shape, { eps }, groups).y : x;
  const index = setIndex(norm, shape, groups);
  const sums = Array.from({ length: index.count }, () => ({ count: 0, sum: 0, squares: 0 }));
  for (let e = 0; e < n; e++) {
    for (let ch = 0; ch < c; ch++) {
      const set = sums[index.of(e, ch)];
      for (let p = 0; p < s; p++) {
        const v = values[(e * c + ch) * s + p];
        set.count += 1;
        set.sum += v;
        set.squares += v * v;
      }
    }
  }
  const sets = new Map();
  sums.forEach(({ count, sum, squares }, k) => {
    const mean = sum / count;
    const variance = squares / count - mean * mean;
    sets.set(description.sets.label(k, shape, groups), {
      mean,
      var: variance,
      std: Math.sqrt(variance),
      rms: description.spread === 'rms' ? Math.sqrt(squares / count) : undefined,
    });
  });
  return { params, x, shape, sets };
}

function assertSetsMatch(status, want, what) {
  assert.ok(status.sets.length > 0, `${what}: no sets in the status: ${status.text}`);
  assert.equal(
    status.sets.length,
    Math.min(want.sets.size, 8),
    `${what}: sets listed: ${status.text}`,
  );
  for (const set of status.sets) {
    const w = want.sets.get(set.label);
    assert.ok(w, `${what}: unexpected set "${set.label}"`);
    near(set.mean, w.mean, DISPLAY, `${what}, ${set.label}: mean`);
    near(set.std, w.std, DISPLAY, `${what}, ${set.label}: std`);
    if (w.rms !== undefined) near(set.rms, w.rms, DISPLAY, `${what}, ${set.label}: rms`);
  }
}

async function openEntry(norm, options = {}) {
  const p = await session.open(pageOf(norm), options);
  const widget = await waitForWidget(p.page);
  return { ...p, widget };
}

async function press(locator, key, times = 1) {
  await locator.focus();
  for (let i = 0; i < times; i++) await locator.press(key);
}

/** Presses Step until data-stage is `stage` (at most once round); returns the status. */
async function stepTo(widget, stage) {
  const button = widget.getByRole('button', { name: 'Next stage', exact: true });
  for (let i = 0; i < 4 && (await widget.getAttribute('data-stage')) !== stage; i++)
    await button.press('Enter');
  assert.equal(await widget.getAttribute('data-stage'), stage);
  return readStatus(widget);
}

const headingsOf = (norm) =>
  readFileSync(path.join(REPO, 'web/content', `${norm}-normalisation.md`), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('## '))
    .map((line) => line.slice(3).trim());

describe('the family entries: numbers and stages', () => {
  for (const norm of NORMS) {
    it(`${norm} normalisation: sections, the core's numbers for each set, each stage, no running statistics`, async () => {
      const p = await openEntry(norm);
      try {
        const { page, widget } = p;
        assert.deepEqual(await page.locator('main h2').allTextContents(), headingsOf(norm));
        assert.equal(await widget.getAttribute('norm'), norm);

        const raw = await readStatus(widget);
        assert.equal(raw.stage, 'raw');
        const want = expected(norm);
        assertSetsMatch(raw, want, 'raw');
        assert.match(
          raw.text,
          new RegExp(`${NAMES[norm]}, batch size ${want.params.batchSize}\\b`),
        );
        // The sets differ before normalisation (each example has a shift and a gain of its own).
        const means = raw.sets.map((s) => s.mean);
        assert.ok(Math.max(...means) - Math.min(...means) > 1, `raw means differ: ${raw.text}`);
        const histograms = await widget.locator('[data-chart="histogram"] canvas').count();
        assert.equal(histograms, Math.min(want.sets.size, 8), 'a histogram per set');

        const { eps } = want.params;
        const description = normOf(norm);
        if (!description.centres) {
          // No centring: Step goes from raw straight to scaled, and the list says why.
          const skipped = widget.locator('.stages li[data-stage="centred"]');
          assert.ok((await skipped.textContent()).includes(description.skips.centred));
          assert.ok(await skipped.isVisible());
          await widget.getByRole('button', { name: 'Next stage', exact: true }).press('Enter');
          assert.equal(await widget.getAttribute('data-stage'), 'scaled');
          const scaled = await readStatus(widget);
          assertSetsMatch(scaled, expected(norm, {}, { stage: 'scaled' }), 'scaled');
          for (const set of scaled.sets) {
            const w = want.sets.get(set.label);
            near(set.rms, 1, 1e-3, `${set.label}: rms after scaling`);
            near(
              set.mean,
              w.mean / Math.sqrt(w.rms ** 2 + eps),
              DISPLAY,
              `${set.label}: mean / rms (not centred)`,
            );
          }
          assert.ok(
            scaled.sets.some((s) => Math.abs(s.mean) > 0.1),
            `the means stay away from 0: ${scaled.text}`,
          );
        } else {
          const centred = await stepTo(widget, 'centred');
          for (const set of centred.sets) {
            near(set.mean, 0, DISPLAY, `${set.label}: centred mean`);
            near(
              set.std,
              want.sets.get(set.label).std,
              DISPLAY,
              `${set.label}: centring keeps the spread`,
            );
          }
          const scaled = await stepTo(widget, 'scaled');
          for (const set of scaled.sets) {
            const w = want.sets.get(set.label);
            near(set.mean, 0, DISPLAY, `${set.label}: scaled mean`);
            near(set.std, 1, 1e-3, `${set.label}: scaled std`);
            near(
              set.std,
              Math.sqrt(w.var / (w.var + eps)),
              DISPLAY,
              `${set.label}: scaled std (exact)`,
            );
          }
        }

        // γ and β from the keyboard, then the last stage.
        await press(widget.getByLabel('Gamma', { exact: true }), 'ArrowRight', 5); // 1.0 -> 1.5
        const beta = widget.getByLabel('Beta', { exact: true });
        if (!description.shift) {
          assert.ok(await beta.isDisabled(), 'no shift: β is disabled');
          assert.match(await widget.locator('#beta-note').textContent(), /no shift β/);
          const last = await stepTo(widget, 'shifted');
          assert.equal(last.stage, 'scaled by γ');
          for (const set of last.sets) near(set.rms, 1.5, 2e-3, `${set.label}: rms = γ`);
        } else {
          await press(beta, 'ArrowLeft', 5); // 0.0 -> -0.5
          const last = await stepTo(widget, 'shifted');
          assert.equal(last.stage, 'shifted');
          for (const set of last.sets) {
            near(set.mean, -0.5, 2e-3, `${set.label}: mean = β`);
            near(set.std, 1.5, 2e-3, `${set.label}: std = γ`);
          }
        }
        const again = await stepTo(widget, 'raw');
        assertSetsMatch(again, want, 'raw after a full cycle');

        // No running statistics: Mode is fixed and says why; example 1 alone equals example 1 in the batch.
        await openDisclosure(widget, 'Example 1 alone and in the batch');
        for (const name of ['Training', 'Inference'])
          assert.ok(await widget.getByRole('radio', { name }).isDisabled());
        assert.match(
          await widget.locator('#mode-note').textContent(),
          new RegExp(
            `${NAMES[norm]} has no running statistics: training and inference are identical`,
          ),
        );
        assert.equal(await widget.getByRole('slider', { name: 'Momentum' }).count(), 0);
        assert.equal(
          await widget.getByRole('button', { name: 'Reset running statistics' }).count(),
          0,
        );
        const rows = await widget
          .locator('table.example tbody tr')
          .evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
        assert.equal(rows.length, want.shape.c);
        const { c, s } = want.shape;
        const length = affineLength(norm, want.shape);
        const options = {
          gamma: new Float32Array(length).fill(1.5),
          beta: new Float32Array(length).fill(-0.5), // RMS norm has no beta: its reference ignores it
          eps,
        };
        const one = { n: 1, c, s };
        const first = want.x.subarray(0, c * s);
        const y = referenceForward(norm, first, one, options, want.params.groups).y;
        rows.forEach(([, x, inBatch, single], ch) => {
          assert.equal(inBatch, single, `channel ${ch + 1}: y in the batch = y alone`);
          near(Number(x), want.x[ch * s], DISPLAY, `example 1 x, channel ${ch + 1}`);
          near(Number(single), y[ch * s], DISPLAY, `example 1 y alone, channel ${ch + 1}`);
        });
        assert.match(
          await widget.locator('.training-text').textContent(),
          /largest difference over its \d+ outputs is 0\./,
        );
        assert.deepEqual(p.consoleErrors, [], 'console errors');
        assert.deepEqual(p.warnings, [], 'console warnings');
        assert.deepEqual(p.foreign(), [], 'requests to other origins');
      } finally {
        await p.close();
      }
    });
  }

  it("group norm: the Groups control (keyboard) changes the sets; one group gives layer norm's statistics", async () => {
    const p = await openEntry('group');
    try {
      const { widget } = p;
      const groups = widget.getByLabel('Groups');
      assert.equal(await groups.count(), 1);
      assert.deepEqual(await groups.locator('option').allTextContents(), ['1', '2', '4']);
      assert.equal(await groups.inputValue(), '2');
      assertSetsMatch(await readStatus(widget), expected('group', { groups: 2 }), 'G = 2');

      await press(groups, 'ArrowDown'); // 2 -> 4: one channel per group, instance norm's sets
      assert.equal(await groups.inputValue(), '4');
      const four = await readStatus(widget);
      assert.match(four.text, /4 groups/);
      assertSetsMatch(four, expected('group', { groups: 4 }), 'G = 4');
      assert.ok(
        four.sets.some((s) => s.label === 'Example 2, group 4'),
        four.text,
      );
      assert.equal(await widget.locator('[data-chart="histogram"] canvas').count(), 8);
      const instance = expected('instance');
      for (const set of four.sets) {
        const [, e, g] = /Example (\d+), group (\d+)/.exec(set.label);
        near(
          set.mean,
          instance.sets.get(`Example ${e}, channel ${g}`).mean,
          DISPLAY,
          `G = C equals instance norm, ${set.label}`,
        );
      }

      await press(groups, 'ArrowUp', 2); // 4 -> 1: all channels in one group
      assert.equal(await groups.inputValue(), '1');
      const one = await readStatus(widget);
      assertSetsMatch(one, expected('group', { groups: 1 }), 'G = 1');
      assert.equal(one.sets.length, 2, 'one set per example');
      const layer = expected('layer', { batchSize: 2 });
      near(
        one.sets[1].mean,
        layer.sets.get('Example 2').mean,
        DISPLAY,
        'G = 1 pools like layer norm',
      );
      near(
        one.sets[1].std,
        layer.sets.get('Example 2').std,
        DISPLAY,
        'G = 1 pools like layer norm (std)',
      );
      assert.equal(await widget.locator('[data-chart="histogram"] canvas').count(), 2);

      // The stage survives a change of groups, and the new sets are normalised.
      await stepTo(widget, 'scaled');
      await press(groups, 'ArrowDown'); // 1 -> 2
      const scaled = await readStatus(widget);
      assert.equal(scaled.stage, 'scaled');
      assert.equal(scaled.sets.length, 4);
      for (const set of scaled.sets) near(set.std, 1, 1e-3, `${set.label}: scaled std with G = 2`);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it("plays new batches without running statistics: step s is the core's batch for seed + s", async () => {
    const p = await openEntry('layer');
    try {
      const { page, widget } = p;
      await widget.getByRole('button', { name: 'Play' }).press('Enter');
      await page.waitForFunction(
        () =>
          /step [2-9]/.test(
            document
              .querySelector('norm-widget')
              .shadowRoot.querySelector('[data-part="status-detail"]').textContent,
          ),
        null,
        { timeout: 15000 }, // Play shows every stage of a batch before the next
      );
      await widget.getByRole('button', { name: 'Pause' }).press('Enter');
      const frames = Number(await widget.getAttribute('data-frame'));
      assert.ok(frames > 20, `frames drawn: ${frames}`);
      const status = await readStatus(widget);
      const step = Number(/step (\d+);/.exec(status.text)[1]);
      assertSetsMatch(status, expected('layer', {}, { step }), `step ${step}`);
      assert.match(
        await widget.locator('.training-text').textContent(),
        new RegExp(`step ${step} is normalised exactly as any other`),
      );
      await openDisclosure(widget, 'Example 1 alone and in the batch');
      assert.ok(await widget.getByRole('radio', { name: 'Training' }).isDisabled());
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });
});

describe('the family entries: keyboard and layout', () => {
  const STAGE_BUTTONS = ['stage raw', 'stage centred', 'stage scaled', 'stage shifted'];
  // At 320 px the histograms stick to the top and, when they need more than their share of the
  // screen (8 of them: instance norm's 2 examples × 4 channels), scroll inside: a keyboard stop.
  const PHONE_CHARTS = 'Charts';
  // The widget's stops in Tab order, written out here (not read from the widget): the same for
  // every norm but for the stages it shows, the scrolling charts, a Groups control, and β where
  // the norm shifts. Enter on "More settings" opens it: its controls come next.
  const tabOrder = ({
    stages = STAGE_BUTTONS,
    scrolls = false,
    groups = false,
    beta = true,
  } = {}) => [
    'Play',
    'Next stage',
    'Next batch',
    ...stages,
    ...(scrolls ? [PHONE_CHARTS] : []),
    'Batch size',
    'Resample',
    ...(groups ? ['Groups'] : []),
    'γ and β of',
    'Gamma',
    ...(beta ? ['Beta'] : []),
    'Fit axes',
    'Details',
    'More settings',
    'Distribution',
    'Seed',
    'Epsilon',
    'Example 1 alone and in the batch',
    'Copy as PyTorch',
  ];
  const ORDER = {
    layer: tabOrder(),
    instance: tabOrder({ scrolls: true }),
    group: tabOrder({ groups: true }),
    rms: tabOrder({ stages: ['stage raw', 'stage scaled', 'stage shifted'], beta: false }),
  };

  for (const norm of NORMS) {
    it(`${norm} normalisation: Tab reaches every live control in order; 320 px has no horizontal scroll; screenshots at 360 and 1280 px`, async () => {
      const p = await openEntry(norm, { viewport: { width: 320, height: 800 } });
      try {
        const { page, widget } = p;
        await widget.getByRole('button', { name: 'Play' }).focus();
        const names = [];
        for (let i = 0; i < 24; i++) {
          const info = await widget.evaluate((el) => {
            const f = el.shadowRoot.activeElement;
            if (!f) return null;
            const style = getComputedStyle(f);
            return {
              label: f.dataset.stage
                ? `stage ${f.dataset.stage}`
                : (f.getAttribute('aria-label') ??
                  f.labels?.[0]?.textContent.trim() ??
                  f.textContent.trim()),
              outline: `${style.outlineStyle} ${style.outlineWidth}`,
            };
          });
          if (!info) break;
          names.push(info.label);
          assert.equal(info.outline, 'solid 3px', `visible focus on ${info.label}`);
          if (info.label === 'More settings') await page.keyboard.press('Enter');
          await page.keyboard.press('Tab');
        }
        assert.deepEqual(names, ORDER[norm]);
        // Every disclosure open, so that what they hold is checked for overflow below too.
        await openDisclosure(widget, 'Details');
        await openDisclosure(widget, 'Example 1 alone and in the batch');
        // The batch size (examples) stays within this norm's limits: 1..8.
        const batch = widget.getByLabel('Batch size', { exact: true });
        assert.equal(await batch.getAttribute('max'), '8');
        await batch.fill('1');
        await batch.press('Enter');
        assert.match((await readStatus(widget)).text, /batch size 1\b/);

        for (const width of [320, 360, 1280]) {
          await page.setViewportSize({ width, height: 900 });
          await page.waitForTimeout(150);
          const scrollWidth = await page.evaluate(() => document.scrollingElement.scrollWidth);
          assert.ok(scrollWidth <= width, `${width} px: page scrollWidth ${scrollWidth}`);
          const outside = await controlsOutside(widget);
          assert.deepEqual(outside, [], `${width} px: controls inside the widget`);
          const sizes = await widget
            .locator('canvas')
            .evaluateAll((cs) => cs.map((c) => [c.width, c.height]));
          for (const [w, h] of sizes) assert.ok(w > 100 && h > 80, `${width} px: canvas ${w}×${h}`);
          if (width !== 320) {
            await batch.fill(String(expected(norm).params.batchSize));
            await batch.press('Enter');
            await page.waitForTimeout(700);
            await widget.screenshot({ path: path.join(RESULTS, `family-${norm}-${width}.png`) });
          }
        }
        assert.deepEqual(p.consoleErrors, []);
      } finally {
        await p.close();
      }
    });
  }
});

describe('the channels attribute', () => {
  it('is honoured: batch norm with 4 channels, instance norm with 3 channels of one example', async () => {
    const p = await session.open(pageOf('layer'));
    try {
      const batch = await addWidget(p.page, {
        norm: 'batch',
        channels: '4',
        'batch-size': '128',
        seed: '5',
      });
      const status = await readStatus(batch);
      assert.equal(status.sets.length, 4, status.text);
      const params = initialParams(
        'batch',
        { channels: 4, batchSize: 128, seed: 5 },
        core.defaults,
      );
      const x = core.sample(samplingOptions(params));
      const r = batchNormRef(x, shapeOf(params), { training: true });
      status.sets.forEach((set, ch) => {
        assert.equal(set.label, `Channel ${ch + 1}`);
        near(set.mean, r.mean[ch], DISPLAY, `channel ${ch + 1} mean`);
        near(set.std, Math.sqrt(r.var[ch]), DISPLAY, `channel ${ch + 1} std`);
      });
      assert.equal(await batch.locator('[data-chart="histogram"] canvas').count(), 4);
      assert.equal(await batch.locator('table.example tbody tr').count(), 4);
      await p.page.evaluate(() => document.querySelector('#extra').remove());

      const instance = await addWidget(p.page, {
        norm: 'instance',
        channels: '3',
        'batch-size': '1',
      });
      const three = await readStatus(instance);
      assertSetsMatch(
        three,
        expected('instance', { channels: 3, batchSize: 1 }),
        'instance, 3 channels, 1 example',
      );
      assert.deepEqual(
        three.sets.map((s) => s.label),
        ['Example 1, channel 1', 'Example 1, channel 2', 'Example 1, channel 3'],
      );
      assert.deepEqual(p.warnings, []);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('falls back to the default, with a warning, for invalid values', async () => {
    const p = await session.open(pageOf('group'));
    try {
      const batch = await addWidget(p.page, { norm: 'batch', channels: '9' });
      assert.equal((await readStatus(batch)).sets.length, 2, 'batch norm: default 2 channels');
      await p.page.evaluate(() => document.querySelector('#extra').remove());
      const group = await addWidget(p.page, { norm: 'group', channels: 'two', 'batch-size': '20' });
      assertSetsMatch(
        await readStatus(group),
        expected('group'),
        'group norm with default channels and batch size',
      );
      assert.equal(p.warnings.length, 3, p.warnings.join('\n'));
      assert.ok(
        p.warnings.some((w) => w.includes('channels="9"')),
        p.warnings.join('\n'),
      );
      assert.ok(
        p.warnings.some((w) => w.includes('channels="two"')),
        p.warnings.join('\n'),
      );
      assert.ok(
        p.warnings.some((w) => w.includes('batch-size="20"') && w.includes('from 1 to 8')),
        p.warnings.join('\n'),
      );
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });
});
