// The comparison page: for chosen cells and shapes, the filled set under each method, in the input
// and in every method's cube, is exactly the set the method's definition gives and the rest is
// dimmed, and the stated statistics are the core's; the cubes follow the focused value; the panels
// are buttons reachable by Tab with a name that says the set; batch norm's refusal at one value per
// channel is said once, in plain words, in its panel; "Does the batch matter?" compares against a
// genuinely different batch; keyboard use; 360 px without an inner scroll box, 320 px without a
// page scroll; screenshots at 1280 and 360 px in both schemes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { loadNormCore } from '../../web/src/core/index.js';
import { drawBatch, firstSamples } from '../../web/src/compare/batch-data.js';
import { setIndex } from '../../web/src/norms.js';
import {
  batchNormRef,
  groupNormRef,
  instanceNormRef,
  layerNormRef,
  rmsNormRef,
} from '../node/support/reference.mjs';
import { RESULTS, startSession } from './harness.mjs';

// Definitions, written out independently of the page: is cell b in the same set as cell a?
const SAME_SET = {
  batch: (a, b) => a.c === b.c,
  layer: (a, b) => a.n === b.n,
  rms: (a, b) => a.n === b.n,
  instance: (a, b) => a.n === b.n && a.c === b.c,
  group: (a, b, { c, groups }) =>
    a.n === b.n && Math.floor(a.c / (c / groups)) === Math.floor(b.c / (c / groups)),
};

let session, core;
before(async () => {
  session = await startSession();
  core = await loadNormCore();
});
after(async () => session?.close());

async function openComparison(options) {
  const p = await session.open('/comparison.html', options);
  await p.page.locator('norm-compare').scrollIntoViewIfNeeded();
  await p.page.waitForSelector('norm-compare[data-ready]', { timeout: 15000 });
  return p;
}

async function setShape(page, { n, c, s, groups }) {
  const field = (name) => page.locator(`norm-compare [name="${name}"]`);
  await field('c').selectOption(String(c));
  await field('groups').selectOption(String(groups));
  for (const [name, value] of [
    ['n', n],
    ['s', s],
  ]) {
    await field(name).fill(String(value));
    await field(name).press('Tab'); // commits the value: a change event
  }
}

// The input's cells (buttons) or a cube's voxels (SVG groups, read by their front face).
const cellsOf = (page, selector) =>
  page.locator(`norm-compare ${selector}`).evaluateAll((els) =>
    els.map((el) => {
      const face = el.querySelector('.front');
      const style = getComputedStyle(face ?? el);
      return {
        n: +el.dataset.n,
        c: +el.dataset.c,
        s: +el.dataset.s,
        inSet: el.classList.contains('in-set'),
        dimmed: el.classList.contains('dimmed'),
        // What the reader sees: filled cells are opaque and coloured, dimmed ones faded.
        opacity: Number(face ? style.fillOpacity : style.opacity),
        background: face ? style.fill : style.backgroundColor,
      };
    }),
  );

const cubeOf = (method) => `figure[data-method="${method}"] .cube .voxel`;
const key = ({ n, c, s }) => `${n},${c},${s}`;

// Every cell is filled exactly when the definition puts it in the chosen cell's set, dimmed
// otherwise, and the two look different.
function assertSet(cells, method, cell, params, where) {
  assert.equal(cells.length, params.n * params.c * params.s, where);
  const filled = new Set();
  for (const other of cells) {
    const expected = SAME_SET[method](cell, other, params);
    const at = `${where}, ${method}: cell ${JSON.stringify({ n: other.n, c: other.c, s: other.s })}`;
    assert.equal(other.inSet, expected, at);
    assert.equal(other.dimmed, !expected, at);
    if (expected) {
      assert.equal(other.opacity, 1, at);
      filled.add(other.background);
    } else assert.ok(other.opacity < 0.7, `${at}: not dimmed`);
  }
  assert.equal(filled.size, 1, `${where}, ${method}: one fill colour`);
  // As many filled as the set has values, by norms.js's count of sets.
  const size = cells.length / setIndex(method, params, params.groups).count;
  assert.equal(cells.filter((other) => other.inSet).length, size, `${where}, ${method}: set size`);
  const dimmedBackground = cells.find((other) => other.dimmed)?.background;
  if (dimmedBackground) assert.notEqual([...filled][0], dimmedBackground, `${where}, ${method}`);
}

// Statistics of the set from the float64 reference, for the same seeded batch.
function expectedStats(method, shape, groups, seed, cell) {
  const x = firstSamples(drawBatch(core, { c: shape.c, s: shape.s, seed }), shape.n, shape);
  switch (method) {
    case 'batch': {
      const r = batchNormRef(x, shape);
      return [r.mean[cell.c], Math.sqrt(r.var[cell.c])];
    }
    case 'layer': {
      const r = layerNormRef(x, shape);
      return [r.mean[cell.n], Math.sqrt(r.var[cell.n])];
    }
    case 'instance': {
      const r = instanceNormRef(x, shape);
      const i = cell.n * shape.c + cell.c;
      return [r.mean[i], Math.sqrt(r.var[i])];
    }
    case 'group': {
      const r = groupNormRef(x, shape, { groups });
      const i = cell.n * groups + Math.floor(cell.c / (shape.c / groups));
      return [r.mean[i], Math.sqrt(r.var[i])];
    }
    case 'rms':
      return [rmsNormRef(x, shape).rms[cell.n]];
    default:
      throw new Error(method);
  }
}

describe('the comparison view', () => {
  const CASES = [
    { shape: { n: 4, c: 4, s: 3 }, groups: 2, cell: { n: 2, c: 3, s: 1 } },
    { shape: { n: 3, c: 6, s: 2 }, groups: 3, cell: { n: 0, c: 2, s: 0 } },
    { shape: { n: 8, c: 8, s: 1 }, groups: 4, cell: { n: 7, c: 5, s: 0 } },
  ];
  for (const { shape, groups, cell } of CASES) {
    it(`fills the definition's set in the input and in every panel, dims the rest, and states the core's statistics on [${shape.n}, ${shape.c}, ${shape.s}], G = ${groups}`, async () => {
      const p = await openComparison();
      try {
        const { page } = p;
        await setShape(page, { ...shape, groups });
        const target = page.locator(
          `norm-compare .block.input .cell[data-n="${cell.n}"][data-c="${cell.c}"][data-s="${cell.s}"]`,
        );
        await target.hover();
        const params = { ...shape, groups };
        for (const method of Object.keys(SAME_SET)) {
          // The input shows the set of the method picked above it.
          await page.locator(`norm-compare [name="show"][value="${method}"]`).check();
          assertSet(await cellsOf(page, '.block.input .cell'), method, cell, params, 'input');
          assertSet(await cellsOf(page, cubeOf(method)), method, cell, params, 'cube');
          const text = await page
            .locator(`norm-compare figure[data-method="${method}"] .stats`)
            .textContent();
          const stated = [...text.matchAll(/(?:mean|std|rms) (-?\d+\.\d+)/g)].map((m) =>
            Number(m[1]),
          );
          const expected = expectedStats(method, shape, groups, 1, cell);
          assert.equal(stated.length, expected.length, `${method}: ${text}`);
          expected.forEach((v, i) =>
            assert.ok(Math.abs(stated[i] - v) <= 0.0005 + 1e-6, `${method}: ${text} vs ${v}`),
          );
        }
        assert.deepEqual(p.consoleErrors, []);
        assert.deepEqual(p.foreign(), []);
      } finally {
        await p.close();
      }
    });
  }

  it('fills the set visibly in dark mode too', async () => {
    const p = await openComparison({ colorScheme: 'dark' });
    try {
      const cells = await cellsOf(p.page, cubeOf('layer'));
      assertSet(cells, 'layer', { n: 0, c: 0, s: 0 }, { n: 4, c: 4, s: 3, groups: 2 }, 'dark');
      // The fill stands out against the dark page: a light colour.
      const fill = cells.find((c) => c.inSet).background;
      const [r, g, b] = fill.match(/\d+/g).map(Number);
      assert.ok(r + g + b > 3 * 128, `fill ${fill}`);
    } finally {
      await p.close();
    }
  });

  it('says once, in plain words and in its own panel, why batch norm has no output at n·s = 1', async () => {
    const p = await openComparison();
    try {
      await setShape(p.page, { n: 1, c: 4, s: 1, groups: 2 });
      const batch = await p.page
        .locator('norm-compare figure[data-method="batch"] .stats')
        .textContent();
      assert.match(batch, /single value has no variance, so training cannot normalise it/);
      const shadowText = await p.page
        .locator('norm-compare')
        .evaluate((el) => el.shadowRoot.textContent);
      // Never the core's message for programmers, and the explanation only once.
      assert.doesNotMatch(shadowText, /batchNorm:|n\*s|training: false|larger batch/);
      assert.equal(shadowText.split('has no variance').length - 1, 1);
      const layer = await p.page
        .locator('norm-compare figure[data-method="layer"] .stats')
        .textContent();
      assert.match(layer, /mean -?\d+\.\d{3}, std \d+\.\d{3}/);
      // One sample with three positions: batch norm works (it refuses only at n·s = 1).
      await setShape(p.page, { n: 1, c: 4, s: 3, groups: 2 });
      assert.match(
        await p.page.locator('norm-compare figure[data-method="batch"] .stats').textContent(),
        /^Set of 3 values: mean/,
      );
    } finally {
      await p.close();
    }
  });

  it('"Does the batch matter?": only batch norm changes when the other samples are different', async () => {
    const p = await openComparison();
    try {
      for (const n of [8, 2]) {
        await setShape(p.page, { n, c: 4, s: 3, groups: 2 });
        const rows = await p.page
          .locator('norm-compare .dependence tbody tr')
          .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
        const byMethod = Object.fromEntries(rows);
        assert.match(byMethod['Batch norm'], /^changes \(by up to \d/, `n = ${n}`);
        for (const name of ['Layer norm', 'Instance norm', 'Group norm', 'RMS norm'])
          assert.equal(byMethod[name], 'unchanged', `${name}, n = ${n}`);
      }
    } finally {
      await p.close();
    }
  });

  it('reports which methods ignore scale, shift and other samples', async () => {
    const p = await openComparison();
    try {
      const rows = await p.page
        .locator('norm-compare .invariance tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
      const byMethod = Object.fromEntries(rows.map(([name, ...rest]) => [name, rest]));
      assert.deepEqual(byMethod['Layer norm'], ['unchanged', 'unchanged', 'unchanged']);
      assert.equal(byMethod['RMS norm'][0], 'unchanged');
      assert.match(byMethod['RMS norm'][1], /^changes/);
      assert.match(byMethod['Batch norm'][2], /^changes/);
    } finally {
      await p.close();
    }
  });

  it('works from the keyboard: arrow keys move the chosen cell through channels and on into the next sample', async () => {
    const p = await openComparison();
    try {
      const { page } = p;
      await page.locator('norm-compare .block.input .cell[tabindex="0"]').focus();
      const before = await page.locator('norm-compare .summary').textContent();
      const focused = () =>
        page.evaluate(() => {
          const el = document.querySelector('norm-compare').shadowRoot.activeElement;
          return { n: +el.dataset.n, c: +el.dataset.c, s: +el.dataset.s };
        });
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight');
      assert.deepEqual(await focused(), { n: 0, c: 1, s: 1 });
      const after = await page.locator('norm-compare .summary').textContent();
      assert.notEqual(after, before);
      assert.match(after, /^Sample 1, channel 2, position 2/);
      // Past the last position (3 by default), right goes on into sample 2's tile, same channel.
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      assert.deepEqual(await focused(), { n: 1, c: 1, s: 0 });
      await page.keyboard.press('ArrowLeft');
      assert.deepEqual(await focused(), { n: 0, c: 1, s: 2 });
      // A control changed from the keyboard alone.
      await page.locator('norm-compare [name="n"]').focus();
      await page.keyboard.press('ArrowUp'); // number inputs step with the arrow keys
      await page.keyboard.press('Tab');
      assert.equal(await page.locator('norm-compare .block.input .cell[data-n="4"]').count(), 12);
    } finally {
      await p.close();
    }
  });

  it('draws a cube per method whose filled voxels follow the focused value (hover, click, keys)', async () => {
    const p = await openComparison();
    try {
      const { page } = p;
      const params = { n: 4, c: 4, s: 3, groups: 2 };
      const filledOf = async (method) =>
        (await cellsOf(page, cubeOf(method))).filter((v) => v.inSet).map(key);
      const outlineOf = (method) =>
        page
          .locator(`norm-compare figure[data-method="${method}"] .cube-focus .ring`)
          .getAttribute('d');
      const checkAll = async (cell, where) => {
        const seen = {};
        for (const method of Object.keys(SAME_SET)) {
          assert.equal(
            await page.locator(`norm-compare figure[data-method="${method}"] svg`).count(),
            1,
            `${method}: one cube`,
          );
          assertSet(await cellsOf(page, cubeOf(method)), method, cell, params, where);
          seen[method] = { filled: await filledOf(method), outline: await outlineOf(method) };
        }
        return seen;
      };
      const input = (cell) =>
        page.locator(
          `norm-compare .block.input .cell[data-n="${cell.n}"][data-c="${cell.c}"][data-s="${cell.s}"]`,
        );
      const start = await checkAll({ n: 0, c: 0, s: 0 }, 'start');
      // Every method's set moves when the value moves to another sample and another channel.
      const hovered = { n: 2, c: 3, s: 1 };
      await input(hovered).hover();
      const afterHover = await checkAll(hovered, 'hover');
      for (const method of Object.keys(SAME_SET)) {
        assert.notDeepEqual(afterHover[method].filled, start[method].filled, method);
        assert.notEqual(afterHover[method].outline, start[method].outline, method);
      }
      const clicked = { n: 1, c: 0, s: 2 };
      await input(clicked).click();
      await page.mouse.move(0, 0); // leave the block, so no hover moves the focus again
      await checkAll(clicked, 'click');
      await page.keyboard.press('ArrowDown');
      await checkAll({ ...clicked, c: 1 }, 'arrow key');
    } finally {
      await p.close();
    }
  });

  it('makes each panel a button reachable by Tab, named by its set, that Enter and Space choose', async () => {
    const p = await openComparison();
    try {
      const { page } = p;
      await page.locator('norm-compare .block.input .cell[tabindex="0"]').focus();
      const reached = [];
      for (let i = 0; i < 12 && reached.length < 5; i++) {
        await page.keyboard.press('Tab');
        const method = await page.evaluate(
          () =>
            document.querySelector('norm-compare').shadowRoot.activeElement?.dataset.method ?? null,
        );
        if (method) reached.push(method);
      }
      assert.deepEqual(reached, ['batch', 'layer', 'instance', 'group', 'rms']);
      // The focus ring shows on the focused panel (the last reached, RMS norm's).
      const ring = await page
        .locator('norm-compare figure[data-method="rms"]')
        .evaluate((el) => getComputedStyle(el).outlineStyle);
      assert.equal(ring, 'solid');
      // Names say the method, its groups where it has them, and the set's size and statistics.
      const name =
        /^Group norm, G = 2: the focused value is normalised with 6 values: mean -?\d+\.\d{3}, std \d+\.\d{3}; it becomes -?\d+\.\d{3}\.$/;
      assert.equal(await page.getByRole('button', { name }).count(), 1);
      assert.equal(
        await page
          .getByRole('button', {
            name: /^Layer norm: the focused value is normalised with 12 values/,
          })
          .count(),
        1,
      );
      const shown = () =>
        page.locator('norm-compare [name="show"]:checked').evaluate((el) => el.value);
      const pressed = (method) =>
        page.locator(`norm-compare figure[data-method="${method}"]`).getAttribute('aria-pressed');
      assert.equal(await shown(), 'batch');
      assert.equal(await pressed('batch'), 'true');
      await page.locator('norm-compare figure[data-method="layer"]').focus();
      await page.keyboard.press('Enter');
      assert.equal(await shown(), 'layer');
      assert.equal(await pressed('layer'), 'true');
      assert.equal(await pressed('batch'), 'false');
      const params = { n: 4, c: 4, s: 3, groups: 2 };
      const focus = { n: 0, c: 0, s: 0 };
      assertSet(await cellsOf(page, '.block.input .cell'), 'layer', focus, params, 'Enter');
      await page.locator('norm-compare figure[data-method="group"]').focus();
      const scrollFocused = await page.evaluate(() => scrollY);
      await page.keyboard.press(' ');
      assert.equal(await shown(), 'group');
      assertSet(await cellsOf(page, '.block.input .cell'), 'group', focus, params, 'Space');
      assert.equal(await page.evaluate(() => scrollY), scrollFocused, 'Space does not scroll');
    } finally {
      await p.close();
    }
  });

  it('names a refusing panel in plain words', async () => {
    const p = await openComparison();
    try {
      await setShape(p.page, { n: 1, c: 4, s: 1, groups: 2 });
      const label = await p.page
        .locator('norm-compare figure[data-method="batch"]')
        .getAttribute('aria-label');
      assert.match(label, /^Batch norm: No output\. With one sample and one position/);
      assert.doesNotMatch(label, /batchNorm:|n\*s|RangeError/);
    } finally {
      await p.close();
    }
  });

  // The input block sits in the page's flow: no scroll box of its own, inside the element's width.
  const inputFits = (page) =>
    page.locator('norm-compare').evaluate((host) => {
      const block = host.shadowRoot.querySelector('.block.input');
      const outer = host.getBoundingClientRect();
      const inner = block.getBoundingClientRect();
      const scrollBoxes = [];
      for (let el = block; el; el = el.parentElement) {
        if (/auto|scroll/.test(getComputedStyle(el).overflowX)) scrollBoxes.push(el.className);
      }
      return {
        scrollBoxes,
        overflow: block.scrollWidth - block.clientWidth,
        outside: Math.max(inner.right - outer.right, outer.left - inner.left),
      };
    });

  for (const shape of [
    { n: 4, c: 4, s: 3, groups: 2 },
    { n: 8, c: 8, s: 4, groups: 4 },
  ]) {
    it(`fits the input at 360 px without its own scroll box, and 320 px without page scroll, on [${shape.n}, ${shape.c}, ${shape.s}]`, async () => {
      for (const width of [360, 320]) {
        const p = await openComparison({ viewport: { width, height: 800 } });
        try {
          await setShape(p.page, shape);
          const fit = await inputFits(p.page);
          assert.deepEqual(fit.scrollBoxes, [], `${width} px`);
          assert.ok(fit.overflow <= 0, `${width} px: the block overflows by ${fit.overflow}`);
          assert.ok(fit.outside <= 0.5, `${width} px: the block sticks out by ${fit.outside}`);
          const page = await p.page.evaluate(() => [
            document.scrollingElement.scrollWidth,
            innerWidth,
          ]);
          assert.ok(page[0] <= page[1], `${width} px: page ${page[0]} wide in ${page[1]}`);
        } finally {
          await p.close();
        }
      }
    });
  }

  for (const colorScheme of ['light', 'dark']) {
    for (const width of [1280, 360]) {
      it(`screenshot at ${width} px, ${colorScheme}: test-results/compare-${width}-${colorScheme}.png`, async () => {
        const p = await openComparison({ viewport: { width, height: 900 }, colorScheme });
        try {
          await p.page.locator('norm-compare').screenshot({
            path: path.join(RESULTS, `compare-${width}-${colorScheme}.png`),
          });
          assert.deepEqual(p.consoleErrors, []);
        } finally {
          await p.close();
        }
      });
    }
  }
});
