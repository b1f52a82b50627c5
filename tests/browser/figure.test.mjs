// The widget as an explorable figure (issue 11): where the first figure starts on each entry,
// Play telling the whole story, stage buttons, the formula lit at each stage, axes that stay put
// when γ changes, callouts that appear exactly while their state holds, the charts in view on a
// phone while a control is used, and screenshots of every page at two widths in both schemes.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NORMS, normOf } from '../../web/src/norms.js';
import { RESULTS, openDisclosure, readStatus, startSession, waitForWidget } from './harness.mjs';

let session;
before(async () => {
  session = await startSession();
  await mkdir(RESULTS, { recursive: true });
});
after(async () => session?.close());

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const pageOf = (norm) => `/${normOf(norm).page}.html`;

const near = (actual, expected, tolerance, what) =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected}`,
  );

const stageOf = (widget) => widget.getAttribute('data-stage');

/** The lit term of the widget's formula, or null. */
const litTerm = (widget) =>
  widget.evaluate(
    (el) => el.shadowRoot.querySelector('.figure-formula .term.lit')?.dataset.term ?? null,
  );

/** The status's sets by label: { mean, std } (the full sentence, behind Details). */
async function readFamilyStatus(widget) {
  const text = await widget.locator('[data-part="status-detail"]').textContent();
  const sets = new Map();
  const pattern =
    /((?:Channel|Example) \d+(?:, (?:channel|group) \d+)?): mean (-?\d+\.\d+), std (-?\d+\.\d+)/g;
  for (const m of text.matchAll(pattern)) sets.set(m[1], { mean: Number(m[2]), std: Number(m[3]) });
  return sets;
}

async function openFigure(norm, options = {}) {
  const p = await session.open(pageOf(norm), { viewport: DESKTOP, ...options });
  const widget = await waitForWidget(p.page);
  return { ...p, widget };
}

describe('the first figure on each entry', () => {
  it('starts inside the first screen at 1280×800 and inside the first two at 360×740', async () => {
    const offsets = {};
    for (const { id } of NORMS) {
      offsets[id] = {};
      for (const [name, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ]) {
        const p = await session.open(pageOf(id), { viewport });
        try {
          const top = await p.page.evaluate(
            () => document.querySelector('norm-widget').getBoundingClientRect().top + scrollY,
          );
          offsets[id][name] = Math.round(top);
          const limit = name === 'desktop' ? viewport.height : 2 * viewport.height;
          assert.ok(top < limit, `${id}, ${name}: the figure starts at ${top} px, limit ${limit}`);
        } finally {
          await p.close();
        }
      }
    }
    await writeFile(path.join(RESULTS, 'figure-offsets.json'), JSON.stringify(offsets, null, 2));
    console.log('first figure top offset (px):', JSON.stringify(offsets));
  });
});

describe('Play, the stage buttons and the formula', () => {
  for (const { id } of NORMS) {
    it(`${id}: Play walks every stage, then a new batch, with no other input`, async () => {
      const p = await openFigure(id);
      try {
        const { page, widget } = p;
        const stages = normOf(id).stages.map((s) => s.id);
        await widget.getByRole('button', { name: 'Play' }).click();
        const seen = [];
        const deadline = Date.now() + 4 * 700 * stages.length + 3000;
        while (Date.now() < deadline) {
          const stage = await stageOf(widget);
          if (seen.at(-1) !== stage) seen.push(stage);
          if (/step 1\b/.test((await readStatus(widget)).text) && seen.length > stages.length)
            break;
          await page.waitForTimeout(50);
        }
        await widget.getByRole('button', { name: 'Pause' }).click();
        assert.deepEqual(seen.slice(0, stages.length + 1), [...stages, stages[0]], seen.join(' '));
        assert.match(
          (await readStatus(widget)).text,
          /step 1\b/,
          'a new batch after the last stage',
        );
      } finally {
        await p.close();
      }
    });

    it(`${id}: a stage button goes to its stage, and the formula lights the term it applies`, async () => {
      const p = await openFigure(id);
      try {
        const { widget } = p;
        assert.equal(await litTerm(widget), null, 'raw: nothing applied yet');
        // Backwards, so that no button is the next stage anyway.
        for (const stage of [...normOf(id).stages].reverse()) {
          const button = widget.locator(`.stages button[data-stage="${stage.id}"]`);
          await button.click();
          assert.equal(await stageOf(widget), stage.id);
          assert.equal(await button.getAttribute('aria-pressed'), 'true');
          assert.equal(await litTerm(widget), stage.term, `${stage.id}: lit term`);
        }
        // The stage control and the training-step control have different names.
        const names = await widget.locator('.buttons button').allTextContents();
        assert.deepEqual(names.slice(1), [
          'Next stage',
          normOf(id).runningStats ? 'Training step' : 'Next batch',
        ]);
      } finally {
        await p.close();
      }
    });
  }

  it('batch norm in inference mode writes the running statistics into the formula', async () => {
    const p = await openFigure('batch');
    try {
      const { widget } = p;
      const formula = widget.locator('.figure-formula');
      assert.match(await formula.textContent(), /μB/);
      await openDisclosure(widget, 'Over training steps');
      await widget.getByRole('radio', { name: 'Inference' }).check();
      assert.match(await formula.textContent(), /μrun/);
      assert.doesNotMatch(await formula.textContent(), /μB/);
      await widget.getByRole('radio', { name: 'Training' }).check();
      assert.match(await formula.textContent(), /μB/);
    } finally {
      await p.close();
    }
  });
});

describe('cause and effect', () => {
  it('the axes stay put when γ changes, and move only when asked (Fit axes)', async () => {
    const p = await openFigure('batch');
    try {
      const { widget } = p;
      await widget.locator('.stages button[data-stage="shifted"]').click();
      const axes = () => widget.locator('[data-part="charts"]').getAttribute('data-axes');
      const before = await axes();
      const gamma = widget.getByLabel('Gamma', { exact: true });
      await gamma.focus();
      for (let i = 0; i < 10; i++) await gamma.press('ArrowRight'); // 1.0 -> 2.0
      assert.match((await readStatus(widget)).text, /std 2\.0/);
      assert.equal(await axes(), before, 'γ changed the values, not the axes');
      await widget.getByRole('button', { name: 'Fit axes' }).click();
      assert.notEqual(await axes(), before, 'Fit axes refits to the stretched values');
    } finally {
      await p.close();
    }
  });

  for (const { id } of NORMS) {
    it(`${id}: γ_c and β_c change only their channel`, async () => {
      const p = await openFigure(id);
      try {
        const { widget } = p;
        await widget.locator('.stages button[data-stage="shifted"]').click();
        const before = await readFamilyStatus(widget);
        await widget.getByLabel('γ and β of').selectOption({ label: 'channel 2' });
        const gamma = widget.getByLabel('Gamma', { exact: true });
        await gamma.focus();
        for (let i = 0; i < 10; i++) await gamma.press('ArrowRight'); // γ_2: 1.0 -> 2.0
        if (normOf(id).shift) {
          const beta = widget.getByLabel('Beta', { exact: true });
          await beta.focus();
          for (let i = 0; i < 5; i++) await beta.press('ArrowRight'); // β_2: 0 -> 0.5
        }
        const after = await readFamilyStatus(widget);
        const description = normOf(id);
        // The sets that hold channel 2: batch norm's channel 2, instance norm's channel 2 of each
        // example; layer, group and RMS norm mix channels in one set, so all of theirs move but
        // only channel 2's values: the example table's channel 2 row.
        if (!description.perExample || id === 'instance') {
          for (const [label, stats] of before) {
            const ofChannel2 = /[Cc]hannel 2$/.test(label);
            const moved = Math.abs(after.get(label).std - stats.std) > 0.5;
            assert.equal(moved, ofChannel2, `${label}: ${stats.std} -> ${after.get(label).std}`);
          }
        }
        const rows = await widget
          .locator('table.example tbody tr')
          .evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
        const ys = rows.map((r) => Number(r[2]));
        // Channel 1 keeps γ_1 = 1, β_1 = 0: its output is x̂; channel 2's is 2·x̂ (+ 0.5).
        assert.ok(rows.length >= 2);
        await widget.getByLabel('γ and β of').selectOption({ label: 'channel 1' });
        assert.equal(await gamma.inputValue(), '1', 'channel 1 keeps γ = 1');
        await widget.getByLabel('γ and β of').selectOption({ label: 'channel 2' });
        assert.equal(await gamma.inputValue(), '2', 'channel 2 has γ = 2');
        assert.ok(ys.every(Number.isFinite));
      } finally {
        await p.close();
      }
    });
  }

  it('every histogram has bins, whatever the norm (γ is per channel: its smallest |γ_c| sets the bin width)', async () => {
    for (const { id } of NORMS) {
      const p = await openFigure(id);
      try {
        const { widget } = p;
        const bins = async () =>
          JSON.parse(await widget.locator('[data-part="charts"]').getAttribute('data-axes')).bins;
        assert.ok((await bins()) >= 10, `${id}: ${await bins()} bins`);
        // γ of channel 2 at 0.5: the axes refit keep bins, finer for a narrower set.
        await widget.getByLabel('γ and β of').selectOption({ label: 'channel 2' });
        const gamma = widget.getByLabel('Gamma', { exact: true });
        await gamma.focus();
        for (let i = 0; i < 5; i++) await gamma.press('ArrowLeft'); // γ_2: 1.0 -> 0.5
        await widget.getByRole('button', { name: 'Fit axes' }).click();
        assert.ok((await bins()) >= 10, `${id} with γ_2 = 0.5: ${await bins()} bins`);
      } finally {
        await p.close();
      }
    }
  });

  it('each figure tells the reader what to try (norms.js), above its controls', async () => {
    for (const { id } of NORMS) {
      const p = await openFigure(id);
      try {
        const text = await p.widget.locator('.try').textContent();
        assert.match(text, /^Try: press Play/);
      } finally {
        await p.close();
      }
    }
  });

  it('the batch-2 callout appears exactly at batch size 2 in training', async () => {
    const p = await openFigure('batch');
    try {
      const { widget } = p;
      const callout = widget.locator('.callout');
      const size = widget.getByLabel('Batch size', { exact: true });
      assert.ok(await callout.isHidden(), 'batch size 64: no callout');
      await size.fill('2');
      await size.press('Enter');
      assert.ok(await callout.isVisible(), 'batch size 2: the callout');
      assert.match(await callout.textContent(), /Batch size 2: .* every value is \+1 or −1/);
      // What it says holds: the scaled values are ±1.
      await widget.locator('.stages button[data-stage="scaled"]').click();
      const { channels } = await readStatus(widget);
      for (const ch of channels) {
        assert.equal(Math.abs(ch.mean), 0, 'two values ±1 average 0');
        assert.ok(Math.abs(ch.std - 1) < 0.001, `std ${ch.std}`);
      }
      await size.fill('3');
      await size.press('Enter');
      assert.ok(await callout.isHidden(), 'batch size 3: no callout');
    } finally {
      await p.close();
    }
  });

  it('the not-settled callout appears in inference exactly while the running statistics are off', async () => {
    const p = await openFigure('batch');
    try {
      const { widget } = p;
      const callout = widget.locator('.callout');
      await openDisclosure(widget, 'Over training steps');
      await widget.getByRole('radio', { name: 'Inference' }).check();
      assert.ok(await callout.isVisible(), 'step 0: running statistics are 0 and 1');
      assert.match(await callout.textContent(), /have not settled yet: after 0 training steps/);
      // What it says holds: at the scaled stage the status shows the same mean, not 0.
      await widget.locator('.stages button[data-stage="scaled"]').click();
      const said = /channel 1 have mean (-?\d+\.\d+)/.exec(await callout.textContent());
      const shown = (await readStatus(widget)).channels[0].mean;
      assert.ok(said && Math.abs(Number(said[1]) - shown) < 0.0015, `${said?.[1]} vs ${shown}`);
      assert.ok(Math.abs(shown) > 0.1, 'not centred');
      await widget.getByRole('radio', { name: 'Training' }).check();
      assert.ok(await callout.isHidden(), 'training: no such callout');
      // A big batch with momentum 1 sets the running statistics to this batch's: settled.
      const size = widget.getByLabel('Batch size', { exact: true });
      await size.fill('1024');
      await size.press('Enter');
      const momentum = widget.getByLabel('Momentum');
      await momentum.focus();
      await momentum.press('End');
      await widget.getByRole('button', { name: 'Training step' }).click();
      await widget.getByRole('radio', { name: 'Inference' }).check();
      assert.ok(await callout.isHidden(), 'settled after a step at momentum 1');
    } finally {
      await p.close();
    }
  });
});

// The controls the first view offers beside the charts (the Tune band, and Fit axes under the
// wide chart): the selectors of those a norm has.
const BESIDE = [
  '#batch-size',
  '[data-action="resample"]',
  '#groups',
  '#affine-channel',
  '#gamma',
  '#beta',
];

/**
 * Boxes (page coordinates) of the histograms, the wide chart, and each control of the first view
 * that is rendered, enabled or not, outside the toolbar, the stages and any closed disclosure.
 */
function firstViewBoxes(widget, beside) {
  return widget.evaluate((el, selectors) => {
    const root = el.shadowRoot;
    const box = (node) => {
      const r = node.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY };
    };
    const rendered = (node) => node.getClientRects().length > 0;
    const controls = [...root.querySelectorAll('button, input, select, summary')].filter(
      (c) =>
        rendered(c) &&
        !c.closest('.toolbar, .stages') &&
        c.localName !== 'summary' &&
        !c.closest('details:not([open])'),
    );
    return {
      // The histograms' region: on a phone, the sticky box they scroll inside.
      histograms: box(root.querySelector('[data-part="charts"]')),
      // The wide chart's figure: its caption and its chart.
      wide: box(root.querySelector('figure.wide')),
      controls: controls.map((c) => c.id || c.dataset.action),
      beside: selectors
        .map((sel) => root.querySelector(sel))
        .filter((c) => c && rendered(c))
        .map((c) => ({ name: c.id || c.dataset.action, box: box(c) })),
      fit: box(root.querySelector('[data-action="fit"]')),
      band: box(root.querySelector('[data-part="tune"]')),
    };
  }, beside);
}

// The gap between two boxes: 0 when they touch or overlap.
const gap = (a, b) =>
  Math.hypot(
    Math.max(0, a.left - b.right, b.left - a.right),
    Math.max(0, a.top - b.bottom, b.top - a.bottom),
  );

describe('controls beside the charts they change', () => {
  // Every control within this many pixels of each chart (the band between them is taller on a
  // phone, where it is one column, and for group norm, whose G has a note).
  const NEAR = { desktop: 240, phone: 360 };

  for (const { id } of NORMS) {
    it(`${id}: the first view's controls sit beside the histograms and the wide chart, about three per chart`, async () => {
      for (const [name, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ]) {
        const p = await openFigure(id, { viewport });
        try {
          // The widget's top at the top of the screen: the phone's sticky charts at rest.
          await p.widget.evaluate((el) => scrollTo(0, el.getBoundingClientRect().top + scrollY));
          const boxes = await firstViewBoxes(p.widget, BESIDE);
          const expected = [
            'batch-size',
            'resample',
            ...(normOf(id).takesGroups ? ['groups'] : []),
            'affine-channel',
            'gamma',
            'beta',
            'fit',
          ];
          assert.deepEqual(boxes.controls, expected, `${id} ${name}: the first view's controls`);
          assert.ok(
            boxes.controls.length <= 7,
            `${id} ${name}: ${boxes.controls.length} controls for two charts`,
          );
          const farthest = { histograms: 0, wide: 0 };
          for (const { name: control, box } of boxes.beside) {
            for (const chart of ['histograms', 'wide']) {
              const d = gap(box, boxes[chart]);
              farthest[chart] = Math.max(farthest[chart], Math.round(d));
              assert.ok(
                d <= NEAR[name],
                `${id} ${name}: ${control} is ${Math.round(d)} px from the ${chart}`,
              );
            }
          }
          // The order down the figure: histograms, the controls, then the wide chart, with the
          // band of controls touching both (its border 24 px or less from each).
          const controls = boxes.beside.map((c) => c.box);
          assert.ok(
            controls.every((b) => b.top >= boxes.histograms.bottom),
            `${id} ${name}: under`,
          );
          assert.ok(
            controls.every((b) => b.bottom <= boxes.wide.top),
            `${id} ${name}: over`,
          );
          for (const chart of ['histograms', 'wide']) {
            const d = gap(boxes.band, boxes[chart]);
            assert.ok(d <= 24, `${id} ${name}: the band is ${Math.round(d)} px from the ${chart}`);
          }
          console.log(`${id} ${name}: farthest control from each chart (px):`, farthest);
          // Fit axes follows the wide chart's key, which wraps to three lines on a phone.
          const fit = gap(boxes.fit, boxes.wide);
          assert.ok(
            fit <= 100,
            `${id} ${name}: Fit axes ${Math.round(fit)} px from the wide chart`,
          );
        } finally {
          await p.close();
        }
      }
    });
  }

  it('the first screen of the batch norm entry (1280×800) shows Play, the stages and a chart', async () => {
    const p = await openFigure('batch');
    try {
      const { page, widget } = p;
      await page.evaluate(() => scrollTo(0, 0));
      const seen = await widget.evaluate((el, height) => {
        const root = el.shadowRoot;
        const inScreen = (node) => {
          const r = node.getBoundingClientRect();
          return r.top >= 0 && r.bottom <= height && r.height > 0;
        };
        const canvas = root
          .querySelector('[data-chart="histogram"] canvas')
          .getBoundingClientRect();
        return {
          play: inScreen(root.querySelector('[data-action="play"]')),
          stages: [...root.querySelectorAll('.stages li')].map(inScreen),
          chartShown: (Math.min(canvas.bottom, height) - canvas.top) / canvas.height,
        };
      }, DESKTOP.height);
      assert.ok(seen.play, 'Play in the first screen');
      assert.deepEqual(seen.stages, [true, true, true, true], 'every stage in the first screen');
      assert.ok(
        seen.chartShown >= 0.5,
        `at least half of the first histogram in the first screen: ${seen.chartShown.toFixed(2)}`,
      );
      console.log(`first screen: ${Math.round(100 * seen.chartShown)}% of the first histogram`);
    } finally {
      await p.close();
    }
  });
});

/** The numbers of a short-line range "a…b" (or "a", every set alike) as [low, high]. */
function parseRange(text) {
  const numbers = text.split('…').map((t) => Number(t.replace('\u2212', '-')));
  return [numbers[0], numbers.at(-1)];
}

describe('phones', () => {
  it('at 360 px the histograms are in view while a control beside them or in More settings has focus and changes them', async () => {
    for (const { id } of NORMS) {
      const p = await openFigure(id, { viewport: PHONE });
      try {
        const { page, widget } = p;
        const used = [
          ['Batch size', 'ArrowUp'],
          ...(normOf(id).takesGroups ? [['Groups', 'ArrowDown']] : []),
          ['Gamma', 'ArrowRight'],
          ['Epsilon', 'ArrowUp'],
        ];
        for (const [label, key] of used) {
          if (label === 'Epsilon') await openDisclosure(widget, 'More settings');
          const control = widget.getByLabel(label, { exact: true });
          const before = await widget.evaluate((el) => JSON.stringify(el.state));
          await control.focus();
          await control.press(key);
          const after = await widget.evaluate((el) => JSON.stringify(el.state));
          assert.notEqual(after, before, `${id}: ${label} changed the figure`);
          const boxes = await widget.evaluate((el) => {
            const root = el.shadowRoot;
            const r = (node) => node.getBoundingClientRect();
            return {
              control: r(root.activeElement),
              histogram: r(root.querySelector('[data-chart="histogram"] canvas')),
            };
          });
          const inView = (b) => b.top >= 0 && b.bottom <= PHONE.height && b.height > 0;
          assert.ok(inView(boxes.control), `${id}: ${label} is on screen`);
          assert.ok(
            inView(boxes.histogram),
            `${id}, ${label}: the first histogram is wholly on screen: ${JSON.stringify(boxes)}`,
          );
        }
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= PHONE.width, `${id}: no horizontal scroll (${width} px)`);
      } finally {
        await p.close();
      }
    }
  });

  it('at 360 px the status is one short line at every stage, and its detail opens on a tap', async () => {
    for (const { id } of NORMS) {
      const p = await openFigure(id, { viewport: PHONE, hasTouch: true });
      try {
        const { widget } = p;
        const status = widget.getByRole('status');
        for (const stage of normOf(id).stages) {
          await widget.locator(`.stages button[data-stage="${stage.id}"]`).tap();
          const line = await status.evaluate((node) => {
            const style = getComputedStyle(node);
            return {
              text: node.textContent,
              height: node.getBoundingClientRect().height,
              lineHeight: parseFloat(style.lineHeight),
            };
          });
          assert.ok(line.text.length <= 48, `${id} ${stage.id}: "${line.text}" is short`);
          assert.ok(
            line.height < 1.5 * line.lineHeight,
            `${id} ${stage.id}: "${line.text}" on one line (${line.height} px high)`,
          );
          // The line's numbers are the extremes of the sets' numbers in the full sentence (which
          // has three decimals: the line's two agree within their rounding).
          const detail = await readStatus(widget);
          const sets = [
            ...detail.text.matchAll(/mean (-?\d+\.\d+), std (-?\d+\.\d+)(?:, rms (-?\d+\.\d+))?/g),
          ];
          const spread = normOf(id).spread;
          const m = new RegExp(`: mean (\\S+), ${spread} (\\S+)$`).exec(line.text);
          assert.ok(m, `${id} ${stage.id}: "${line.text}" names mean and ${spread}`);
          const column = spread === 'rms' ? 3 : 2;
          for (const [shown, values] of [
            [parseRange(m[1]), sets.map((x) => Number(x[1]))],
            [parseRange(m[2]), sets.map((x) => Number(x[column]))],
          ]) {
            near(shown[0], Math.min(...values), 0.0051, `${id} ${stage.id}: low of "${line.text}"`);
            near(
              shown[1],
              Math.max(...values),
              0.0051,
              `${id} ${stage.id}: high of "${line.text}"`,
            );
          }
        }
        const details = widget.locator('details[data-part="status-details"]');
        const sentence = widget.locator('[data-part="status-detail"]');
        assert.ok(await sentence.isHidden(), `${id}: the detail waits behind its summary`);
        await details.locator('summary').tap();
        assert.notEqual(await details.getAttribute('open'), null, `${id}: a tap opens Details`);
        assert.ok(await sentence.isVisible(), `${id}: the full sentence shows`);
        assert.match(await sentence.textContent(), /^Stage: [a-zγ ]+\. /);
        const width = await p.page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(
          width <= PHONE.width,
          `${id}: no horizontal scroll with Details open (${width} px)`,
        );
      } finally {
        await p.close();
      }
    }
  });

  it('no horizontal scroll at 320 px on any entry, with every disclosure open', async () => {
    for (const { id } of NORMS) {
      const p = await openFigure(id, { viewport: { width: 320, height: 700 } });
      try {
        const width = await p.page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 320, `${id}: page is ${width} px wide`);
        for (const name of [
          'Details',
          'More settings',
          normOf(id).runningStats ? 'Over training steps' : 'Example 1 alone',
        ]) {
          await openDisclosure(p.widget, name);
        }
        const open = await p.page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(open <= 320, `${id}: page is ${open} px wide with every disclosure open`);
      } finally {
        await p.close();
      }
    }
  });
});

describe('screenshots', () => {
  it('of every entry at both widths in both colour schemes', async () => {
    const dir = path.join(RESULTS, 'figures');
    await mkdir(dir, { recursive: true });
    for (const { id } of NORMS) {
      for (const [name, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ]) {
        for (const colorScheme of ['light', 'dark']) {
          const p = await session.open(pageOf(id), { viewport, colorScheme });
          try {
            await waitForWidget(p.page);
            // The whole page (a phone's charts stick to the top while scrolled, which an element
            // screenshot, taken while scrolling, would smear).
            await p.page.screenshot({
              path: path.join(dir, `${id}-${name}-${colorScheme}.png`),
              fullPage: true,
            });
            await p.page.evaluate(() => scrollTo(0, 0));
            await p.page.screenshot({
              path: path.join(dir, `${id}-${name}-${colorScheme}-top.png`),
            });
            assert.deepEqual(p.consoleErrors, [], `${id} ${name} ${colorScheme}: console errors`);
          } finally {
            await p.close();
          }
        }
      }
    }
  });
});
