// The coupling figure of the Batch Normalisation entry (<norm-coupling>, in "Limitations"):
// moving example 1 moves every other example's output under batch norm and none under layer
// norm, with the numbers the core gives here in Node for the same batch.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadNormCore } from '../../web/src/core/index.js';
import { EXAMPLES, FEATURES, SAMPLE, coupling } from '../../web/src/figures/coupling-data.js';
import { startSession, waitForWidget } from './harness.mjs';

let session;
let core;
before(async () => {
  [session, core] = await Promise.all([startSession(), loadNormCore()]);
});
after(async () => session?.close());

/** The figure's tables: per method, the rows [example, y, change]. */
const tables = (figure) =>
  figure.evaluate((el) =>
    Object.fromEntries(
      [...el.shadowRoot.querySelectorAll('[data-method]')].map((section) => [
        section.dataset.method,
        [...section.querySelectorAll('tbody tr')].map((tr) =>
          [...tr.cells].map((td) => td.textContent),
        ),
      ]),
    ),
  );

describe('the coupling figure', () => {
  it('sits in Limitations; moving example 1 moves the others under batch norm only', async () => {
    const p = await session.open('/batch-normalisation.html');
    try {
      const figure = await waitForWidget(p.page, 'norm-coupling');
      const inLimitations = await figure.evaluate((el) => {
        let node = el;
        while (node && node.tagName !== 'H2') node = node.previousElementSibling;
        return node?.textContent;
      });
      assert.equal(inLimitations, 'Limitations');
      const slider = figure.getByLabel('Move example 1');
      await slider.focus();
      for (let i = 0; i < 20; i++) await slider.press('ArrowRight'); // 0 -> 2.0
      assert.equal(await slider.inputValue(), '2');

      const x = core.sample(SAMPLE);
      const want = coupling(core, x, 2);
      const shown = await tables(figure);
      for (const method of ['batch', 'layer']) {
        assert.equal(shown[method].length, EXAMPLES);
        shown[method].forEach(([, y], i) => {
          const expected = want[method].after[i * FEATURES];
          assert.ok(Math.abs(Number(y) - expected) <= 0.0005 + 1e-6, `${method} ${i + 1}: ${y}`);
        });
      }
      assert.ok(want.batch.largest > 0.01, 'batch norm: the other examples moved');
      assert.equal(want.layer.largest, 0, 'layer norm: the other examples did not');
      for (const [, , change] of shown.batch.slice(1)) assert.notEqual(change, 'none');
      for (const [, , change] of shown.layer.slice(1)) assert.equal(change, 'none');
      const summary = await figure.locator('.summary').textContent();
      assert.match(summary, /Batch norm: the outputs of examples 2 to 6 moved by up to \d/);
      assert.match(summary, /Layer norm: not at all/);
      await figure.getByRole('button', { name: 'Reset' }).click();
      assert.match(await figure.locator('.summary').textContent(), /nothing has moved yet/);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });
});
