// The comparison page: for chosen cells and shapes, the outlined set under each method is exactly
// the set the method's definition gives, and the stated statistics are the core's; batch norm's
// refusal at one value per channel is shown; keyboard use; 320 px.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { loadNormCore } from '../../web/src/core/index.js';
import { drawBatch, firstSamples } from '../../web/src/compare/batch-data.js';
import {
  batchNormRef,
  groupNormRef,
  instanceNormRef,
  layerNormRef,
  rmsNormRef,
} from '../node/support/reference.mjs';
import { startSession } from './harness.mjs';

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

const cellsOf = (page, selector) =>
  page.locator(`norm-compare ${selector}`).evaluateAll((els) =>
    els.map((el) => ({
      n: +el.dataset.n,
      c: +el.dataset.c,
      s: +el.dataset.s,
      inSet: el.classList.contains('in-set'),
    })),
  );

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
    it(`outlines the definition's set and states the core's statistics on [${shape.n}, ${shape.c}, ${shape.s}], G = ${groups}`, async () => {
      const p = await openComparison();
      try {
        const { page } = p;
        await setShape(page, { ...shape, groups });
        const target = page.locator(
          `norm-compare .block.input .cell[data-n="${cell.n}"][data-c="${cell.c}"][data-s="${cell.s}"]`,
        );
        await target.hover();
        for (const method of Object.keys(SAME_SET)) {
          const cells = await cellsOf(page, `figure[data-method="${method}"] .mini .cell`);
          assert.equal(cells.length, shape.n * shape.c * shape.s);
          for (const other of cells) {
            assert.equal(
              other.inSet,
              SAME_SET[method](cell, other, { ...shape, groups }),
              `${method}: cell ${JSON.stringify(other)}`,
            );
          }
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

  it('shows batch norm refusing to train with one value per channel, and the others unaffected', async () => {
    const p = await openComparison();
    try {
      await setShape(p.page, { n: 1, c: 4, s: 1, groups: 2 });
      const batch = await p.page
        .locator('norm-compare figure[data-method="batch"] .stats')
        .textContent();
      assert.match(
        batch,
        /Refused by the core: batchNorm: training needs more than one value per channel, got n\*s = 1/,
      );
      const layer = await p.page
        .locator('norm-compare figure[data-method="layer"] .stats')
        .textContent();
      assert.match(layer, /mean -?\d+\.\d{3}, std \d+\.\d{3}/);
      const rows = await p.page.locator('norm-compare .dependence tbody tr').allTextContents();
      assert.match(rows[0], /refused/);
      for (const row of rows.slice(1)) assert.match(row, /unchanged/);
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

  it('works from the keyboard: arrow keys move the chosen cell and its sets', async () => {
    const p = await openComparison();
    try {
      const { page } = p;
      await page.locator('norm-compare .block.input .cell[tabindex="0"]').focus();
      const before = await page.locator('norm-compare .summary').textContent();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight');
      const focused = await page.evaluate(() => {
        const el = document.querySelector('norm-compare').shadowRoot.activeElement;
        return { n: el.dataset.n, c: el.dataset.c, s: el.dataset.s };
      });
      assert.deepEqual(focused, { n: '1', c: '0', s: '1' });
      const after = await page.locator('norm-compare .summary').textContent();
      assert.notEqual(after, before);
      assert.match(after, /^Sample 2, channel 1, position 2/);
      // A control changed from the keyboard alone.
      await page.locator('norm-compare [name="n"]').focus();
      await page.keyboard.press('ArrowUp'); // number inputs step with the arrow keys
      await page.keyboard.press('Tab');
      assert.equal(await page.locator('norm-compare .block.input .cell[data-n="4"]').count(), 12);
    } finally {
      await p.close();
    }
  });

  it('fits a 320 px screen without sideways scrolling of the page', async () => {
    const p = await openComparison({ viewport: { width: 320, height: 800 } });
    try {
      assert.ok(await p.page.evaluate(() => document.scrollingElement.scrollWidth <= 320));
    } finally {
      await p.close();
    }
  });
});
