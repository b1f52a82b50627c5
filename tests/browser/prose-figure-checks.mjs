// Checks every prose figure of the family entries shares: where it sits in its entry, its layout at
// phone widths, and screenshots in both colour schemes at 1280 and 360 px (test-results/figures/).
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { RESULTS, waitForWidget } from './harness.mjs';

/** The text of the nearest <h2> before `figure` in the page. */
export const headingBefore = (figure) =>
  figure.evaluate((el) => {
    let node = el;
    while (node && node.tagName !== 'H2') node = node.previousElementSibling;
    return node?.textContent;
  });

/** The figure's table body as text: per row, the cells after the first (the row's label). */
export const tableText = (figure) =>
  figure.evaluate((el) =>
    [...el.shadowRoot.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.cells].slice(1).map((td) => td.textContent),
    ),
  );

/** The figure's shadow-root text at `selector`, or null while it is hidden. */
export const shownText = (figure, selector) =>
  figure.evaluate((el, sel) => {
    const node = el.shadowRoot.querySelector(sel);
    return node && !node.hidden ? node.textContent : null;
  }, selector);

/**
 * Opens `pagePath` at 320 px (no sideways scroll, every control inside the figure), then at 1280 and
 * 360 px in light and dark, screenshots the figure to test-results/figures/<name>-<width>-<scheme>.png;
 * `prepare(figure)` may set a state worth seeing first.
 */
export async function checkLayout(session, pagePath, tag, name, prepare = async () => {}) {
  const narrow = await session.open(pagePath, { viewport: { width: 320, height: 700 } });
  try {
    const figure = await waitForWidget(narrow.page, tag);
    await prepare(figure);
    const width = await narrow.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `${name}: page is ${width} px wide at 320 px`);
    const outside = await figure.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return [...el.shadowRoot.querySelectorAll('button, input, select, svg')]
        .filter((c) => {
          const r = c.getBoundingClientRect();
          return r.left < box.left - 0.5 || r.right > box.right + 0.5;
        })
        .map((c) => c.outerHTML.slice(0, 60));
    });
    assert.deepEqual(outside, [], `${name}: controls or charts outside the figure at 320 px`);
    assert.deepEqual(narrow.consoleErrors, []);
  } finally {
    await narrow.close();
  }
  const dir = path.join(RESULTS, 'figures');
  await mkdir(dir, { recursive: true });
  for (const width of [1280, 360]) {
    for (const colorScheme of ['light', 'dark']) {
      const p = await session.open(pagePath, { viewport: { width, height: 900 }, colorScheme });
      try {
        const figure = await waitForWidget(p.page, tag);
        await prepare(figure);
        await figure.screenshot({ path: path.join(dir, `${name}-${width}-${colorScheme}.png`) });
        assert.deepEqual(p.consoleErrors, [], `${name} ${width} ${colorScheme}`);
      } finally {
        await p.close();
      }
    }
  }
}
