// <norm-lab> in the built Batch Normalisation page (strict CSP, module worker): it becomes ready,
// trains while playing and stops while paused, each preset sets its controls and its default-seed
// claim holds at its step budget, the main thread's frames stay short while the worker trains,
// and it lays out at 1280 and 360 px in light and dark (screenshots in test-results/).
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { presetList } from '../../web/src/lab/preset-view.js';
import { DEFAULTS, formatSetting } from '../../web/src/lab/settings.js';
import { networkNames } from '../../web/src/lab/status.js';
import { PRESETS } from '../../web/src/lab/presets.js';
import { fileURLToPath } from 'node:url';
import {
  DIST,
  RESULTS,
  controlsOutside,
  openPage,
  serveStatic,
  startSession,
  waitForWidget,
} from './harness.mjs';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

let session;
before(async () => {
  session = await startSession();
  await mkdir(RESULTS, { recursive: true });
});
after(async () => session?.close());

/** Opens the entry and waits for the lab's data-ready (or fails with its data-error). */
async function openLab(options = {}) {
  const p = await session.open('/batch-normalisation.html', options);
  const lab = p.page.locator('norm-lab');
  await lab.scrollIntoViewIfNeeded();
  await waitForLab(p.page);
  return { ...p, lab };
}

function waitForLab(page, timeout = 20000) {
  return page.waitForFunction(
    () => {
      const el = document.querySelector('norm-lab');
      if (el?.hasAttribute('data-error')) throw new Error(`lab failed: ${el.dataset.error}`);
      return el?.hasAttribute('data-ready') && !el.shadowRoot.querySelector('button').disabled;
    },
    null,
    { timeout },
  );
}

const stepOf = (lab) => lab.evaluate((el) => Number(el.dataset.step));

/** Waits until the lab has paused (data-playing gone), then returns its step. */
async function waitPaused(page, lab, timeout = 10000) {
  await page.waitForFunction(
    () => !document.querySelector('norm-lab').hasAttribute('data-playing'),
    null,
    { timeout },
  );
  return stepOf(lab);
}

/** The status text, parsed: one { name, step, loss, accuracy, diverged } per network. */
export function parseLabStatus(text) {
  const nets = [];
  const re =
    /([A-Za-z ]+(?: \(\d\))?): step (\d+), (?:loss (\S+), accuracy ([\d.]+) %|(diverged))/g;
  for (const m of text.matchAll(re)) {
    nets.push({
      name: m[1].trim(),
      step: Number(m[2]),
      loss: m[5] ? NaN : Number(m[3]),
      accuracy: m[5] ? NaN : Number(m[4]) / 100,
      diverged: Boolean(m[5]),
    });
  }
  return nets;
}

// Eight hidden layers and batches of 256 (the largest the controls allow): a run to the step budget
// then lasts seconds rather than a fraction of one, on a quiet machine too.
async function makeRunLong(page, lab) {
  const depth = lab.getByLabel('Hidden layers', { exact: true });
  await depth.focus();
  await depth.press('End');
  await waitForLab(page);
  const batch = lab.getByLabel('Batch size', { exact: true });
  await batch.fill('256');
  await batch.press('Tab'); // commits the value (a change event)
  await page.waitForFunction(
    () =>
      document.querySelector('norm-lab').shadowRoot.querySelector('[name="batch-size"]')
        .disabled === false &&
      document.querySelector('norm-lab').shadowRoot.querySelector('[data-value="depth"]')
        .textContent === '8',
  );
  await waitForLab(page);
}

describe('<norm-lab> on the Batch Normalisation entry', () => {
  it('becomes ready, paused at step 0, with a status sentence per network', async () => {
    const p = await openLab();
    try {
      assert.equal(await p.lab.getAttribute('data-step'), '0');
      assert.equal(await p.lab.getAttribute('data-playing'), null, 'no autoplay');
      const text = await p.lab.getByRole('status').textContent();
      const nets = parseLabStatus(text);
      assert.deepEqual(
        nets.map((n) => n.name),
        ['No norm', 'Batch norm'],
        text,
      );
      for (const n of nets) {
        assert.equal(n.step, 0);
        assert.ok(n.accuracy >= 0 && n.accuracy <= 1, text);
      }
      assert.equal(await p.page.locator('norm-lab .widget-fallback').isVisible(), false);
      assert.deepEqual(p.foreign(), [], 'requests to other origins');
      assert.deepEqual(p.consoleErrors, [], 'console errors');
    } finally {
      await p.close();
    }
  });

  it('advances while playing and stops while paused (keyboard: Enter on Play and Pause)', async () => {
    const p = await openLab();
    try {
      // A run long enough that Pause arrives before the step budget, on a busy machine too.
      await makeRunLong(p.page, p.lab);
      const play = p.lab.getByRole('button', { name: 'Play', exact: true });
      await play.focus();
      const t0 = Date.now();
      await play.press('Enter');
      // The positive first: steps advance, and go on advancing.
      await p.page.waitForFunction(
        () => Number(document.querySelector('norm-lab').dataset.step) >= 100,
      );
      const s1 = await stepOf(p.lab);
      await p.page.waitForFunction(
        (s) => Number(document.querySelector('norm-lab').dataset.step) >= s + 100,
        s1,
      );
      const playedMs = Date.now() - t0;
      const pause = p.lab.getByRole('button', { name: 'Pause', exact: true });
      await pause.press('Enter');
      const stopped = await waitPaused(p.page, p.lab);
      assert.ok(stopped >= s1 + 100, `paused at step ${stopped}`);
      // Paused for as long as it took to train 200+ steps: not one more step may appear.
      await p.page.waitForTimeout(playedMs);
      assert.equal(await stepOf(p.lab), stopped, 'the step did not move while paused');
      const nets = parseLabStatus(await p.lab.getByRole('status').textContent());
      assert.ok(
        nets.every((n) => n.step === stopped),
        'the status names the paused step',
      );
      assert.match(await p.lab.getByRole('status').textContent(), /^Paused\./);
      // Play resumes from there.
      await p.lab.getByRole('button', { name: 'Play', exact: true }).press('Enter');
      await p.page.waitForFunction(
        (s) => Number(document.querySelector('norm-lab').dataset.step) > s,
        stopped,
      );
      await p.lab.getByRole('button', { name: 'Pause', exact: true }).click();
      await waitPaused(p.page, p.lab);
      assert.deepEqual(p.consoleErrors, [], 'console errors');
    } finally {
      await p.close();
    }
  });

  it('starts a new worker and trains again after being moved in the page', async () => {
    const p = await openLab();
    try {
      await p.page.evaluate(() => {
        const lab = document.querySelector('norm-lab');
        document.querySelector('main').prepend(lab); // disconnect, then connect elsewhere
      });
      assert.equal(await p.lab.getAttribute('data-ready'), null, 'not ready without a worker');
      await p.lab.scrollIntoViewIfNeeded();
      await waitForLab(p.page);
      await p.lab.getByRole('button', { name: 'Play', exact: true }).click();
      await p.page.waitForFunction(
        () => Number(document.querySelector('norm-lab').dataset.step) >= 50,
      );
      await p.lab.getByRole('button', { name: 'Pause', exact: true }).click();
      await waitPaused(p.page, p.lab);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('every control has a label, and the sliders move with the keyboard', async () => {
    const p = await openLab();
    try {
      for (const label of [
        'Learning rate',
        'Initial weight scale',
        'Hidden layers',
        'Batch size',
        'Data set',
      ]) {
        assert.equal(await p.lab.getByLabel(label, { exact: true }).count(), 1, label);
      }
      assert.equal(await p.lab.getByLabel('Network 1: normalisation').count(), 1);
      const depth = p.lab.getByLabel('Hidden layers', { exact: true });
      const before = Number(await depth.inputValue());
      await depth.focus();
      await depth.press('ArrowRight');
      await waitForLab(p.page);
      assert.equal(Number(await depth.inputValue()), before + 1);
      assert.equal(await p.lab.locator('[data-value="depth"]').textContent(), String(before + 1));
      const lr = p.lab.getByLabel('Learning rate', { exact: true });
      const lrText = await p.lab.locator('[data-value="lr"]').textContent();
      await lr.focus();
      await lr.press('ArrowRight');
      await waitForLab(p.page);
      assert.ok(Number(await p.lab.locator('[data-value="lr"]').textContent()) > Number(lrText));
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('each preset button sets its controls and its networks', async () => {
    const p = await openLab();
    try {
      for (const preset of presetList()) {
        const button = p.lab.locator(`button[data-preset="${preset.id}"]`);
        assert.equal(await button.textContent(), preset.label);
        await button.click();
        await waitForLab(p.page);
        const s = preset.settings;
        assert.equal(await button.getAttribute('aria-pressed'), 'true', preset.id);
        assert.equal(
          await p.lab.locator('[data-value="lr"]').textContent(),
          formatSetting(s.lr),
          `${preset.id} lr`,
        );
        assert.equal(
          await p.lab.locator('[data-value="init-scale"]').textContent(),
          formatSetting(s.initScale),
          `${preset.id} init`,
        );
        assert.equal(
          await p.lab.getByLabel('Hidden layers').inputValue(),
          String(s.depth),
          `${preset.id} depth`,
        );
        assert.equal(
          await p.lab.getByLabel('Batch size').inputValue(),
          String(s.batchSize),
          `${preset.id} batch`,
        );
        assert.equal(
          await p.lab.getByLabel('Data set').inputValue(),
          s.dataset,
          `${preset.id} dataset`,
        );
        const norms = await p.lab
          .locator('select[name="norm"]')
          .evaluateAll((els) => els.map((e) => e.value));
        assert.deepEqual(norms, s.norms, `${preset.id} norms`);
        assert.equal(await p.lab.getByText(preset.lookFor).count(), 1, `${preset.id} line`);
        assert.equal(await p.lab.getAttribute('data-step'), '0');
      }
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  for (const preset of PRESETS) {
    it(`preset "${preset.label}": its claim holds at the default seed when played to step ${preset.settings.steps}`, async (t) => {
      const p = await openLab();
      try {
        await p.lab.locator(`button[data-preset="${preset.id}"]`).click();
        await waitForLab(p.page);
        await p.lab.getByRole('button', { name: 'Play', exact: true }).click();
        // Play sets data-playing at once; the lab drops it when the budget is reached (or every
        // network has diverged).
        await p.page.waitForFunction(
          () => {
            const el = document.querySelector('norm-lab');
            return !el.hasAttribute('data-playing') && Number(el.dataset.step) > 0;
          },
          null,
          { timeout: 180000, polling: 250 },
        );
        const text = await p.lab.getByRole('status').textContent();
        t.diagnostic(text);
        const nets = parseLabStatus(text);
        assert.deepEqual(
          nets.map((n) => n.name),
          networkNames(preset.settings.norms),
          text,
        );
        assert.ok(
          nets.every((n) => n.step === preset.settings.steps || n.diverged),
          `played to step ${preset.settings.steps}: ${text}`,
        );
        // What presets.js's claim is about, as the lab states it: held-out accuracy per norm
        // (NaN once diverged) and batch norm's accuracy with running against batch statistics.
        const accuracy = {};
        preset.settings.norms.forEach((norm, i) => (accuracy[norm] = nets[i].accuracy));
        const evalModes = {};
        const mode =
          /left in training mode at evaluation \(batch statistics\): accuracy ([\d.]+) %, against ([\d.]+) % in inference mode/.exec(
            text,
          );
        if (mode) {
          evalModes.batch = { batch: Number(mode[1]) / 100, running: Number(mode[2]) / 100 };
        }
        if (preset.evalBatch) assert.ok(mode, `the status states batch norm's two modes: ${text}`);
        assert.ok(
          preset.claim.check({ accuracy, evalModes }),
          `${preset.id}: "${preset.claim.statement}" does not hold on: ${text}`,
        );
        assert.deepEqual(p.consoleErrors, []);
      } finally {
        await p.close();
      }
    });
  }

  it('keeps the main thread’s frame work short while the worker trains (median under 4 ms)', async () => {
    const p = await session.open('/batch-normalisation.html', { wait: false });
    try {
      // Time every rAF callback and every message from a worker: that is all the page does per frame.
      await p.page.addInitScript(() => {
        const work = (window.__labWork = { frames: [], current: 0, messages: [], draws: [] });
        const raf = window.requestAnimationFrame.bind(window);
        window.requestAnimationFrame = (cb) =>
          raf((t) => {
            const s = performance.now();
            cb(t);
            work.current += performance.now() - s;
            work.draws.push(performance.now() - s);
          });
        // One frame's work: all callbacks and messages since the previous frame.
        const tick = () => {
          if (work.current > 0) work.frames.push(work.current);
          work.current = 0;
          raf(tick);
        };
        raf(tick);
        const set = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage').set;
        Object.defineProperty(Worker.prototype, 'onmessage', {
          set(fn) {
            set.call(this, (e) => {
              const s = performance.now();
              fn(e);
              work.current += performance.now() - s;
              work.messages.push(performance.now() - s);
            });
          },
        });
        window.__longTasks = [];
        new PerformanceObserver((list) =>
          window.__longTasks.push(...list.getEntries().map((e) => e.duration)),
        ).observe({ type: 'longtask' });
      });
      await p.page.goto(`${session.origin}/batch-normalisation.html`);
      // The page's own widget starts its core on the main thread when it nears the viewport: let
      // it finish first, so that only the lab's work is measured.
      await waitForWidget(p.page);
      const lab = p.page.locator('norm-lab');
      await lab.scrollIntoViewIfNeeded();
      await waitForLab(p.page);
      // The default run can end within half a second here: too few frames to measure.
      await makeRunLong(p.page, lab);
      await p.page.evaluate(() => {
        window.__labWork.frames.length = 0;
        window.__labWork.messages.length = 0;
        window.__labWork.draws.length = 0;
        window.__longTasks.length = 0;
      });
      const runStart = Date.now();
      await lab.getByRole('button', { name: 'Play', exact: true }).click();
      // The whole run to its step budget; polled slowly, so that the test's own polling adds
      // little to the main thread it measures.
      await p.page.waitForFunction(
        (steps) => document.querySelector('norm-lab').dataset.step === String(steps),
        DEFAULTS.steps,
        { timeout: 120000, polling: 250 },
      );
      await waitPaused(p.page, lab);
      const runMs = Date.now() - runStart;
      const { frames, longTasks, messages, draws } = await p.page.evaluate(() => ({
        messages: window.__labWork.messages,
        draws: window.__labWork.draws,
        frames: window.__labWork.frames,
        longTasks: window.__longTasks,
      }));
      frames.sort((a, b) => a - b);
      const top = (list) =>
        list
          .sort((a, b) => b - a)
          .slice(0, 5)
          .map((v) => v.toFixed(1))
          .join(', ');
      console.log(
        `lab: ${messages.length} messages (longest ${top(messages)} ms); ${draws.length} rAF callbacks (longest ${top(draws)} ms)`,
      );
      const q = (f) => frames[Math.min(frames.length - 1, Math.floor(f * frames.length))];
      const summary = `${frames.length} frames with work; median ${q(0.5).toFixed(2)} ms, 95th percentile ${q(0.95).toFixed(2)} ms, max ${frames.at(-1).toFixed(2)} ms; long tasks ${JSON.stringify(longTasks)} in a run of ${runMs} ms`;
      console.log(`lab main-thread work: ${summary}`);
      assert.ok(frames.length >= 20, summary);
      // The design target is under 4 ms of work per frame; timings are wall-clock, so on a
      // machine shared with other jobs a frame can be descheduled mid-draw. Hence: the typical
      // frame within the target, and even the 95th percentile within one 60 Hz frame. (Training
      // on the main thread would fail both by far: a slice of the worker's loop is 20 ms.)
      assert.ok(q(0.5) < 4, `median frame work: ${summary}`);
      assert.ok(q(0.95) < 16.7, `95th percentile of frame work: ${summary}`);
      // Long tasks (50 ms or more: layout, painting, collection, or a deschedule) take a small
      // share of the run; a training loop on the main thread would fill nearly all of it.
      const longMs = longTasks.reduce((a, b) => a + b, 0);
      assert.ok(
        longMs < 0.5 * runMs,
        `long tasks take ${longMs.toFixed(0)} of ${runMs} ms: ${summary}`,
      );
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  for (const width of [1280, 360]) {
    for (const scheme of ['light', 'dark']) {
      it(`lays out at ${width} px (${scheme}) without horizontal scroll; screenshot saved`, async () => {
        const p = await openLab({ viewport: { width, height: 900 }, colorScheme: scheme });
        try {
          await p.lab.getByRole('button', { name: 'Play', exact: true }).click();
          await p.page.waitForFunction(
            () => Number(document.querySelector('norm-lab').dataset.step) >= 400,
            null,
            { timeout: 60000 },
          );
          await p.lab.getByRole('button', { name: 'Pause', exact: true }).click();
          await waitPaused(p.page, p.lab);
          await p.page.evaluate(
            () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
          );
          assert.equal(
            await p.page.evaluate(() => document.documentElement.scrollWidth),
            width,
            'page width',
          );
          assert.deepEqual(await controlsOutside(p.lab), [], 'controls outside the lab');
          const sizes = await p.lab
            .locator('canvas')
            .evaluateAll((cs) => cs.map((c) => [c.width, c.height]));
          assert.ok(
            sizes.every(([w, h]) => w > 50 && h > 50),
            `canvas sizes ${JSON.stringify(sizes)}`,
          );
          await p.lab.screenshot({ path: path.join(RESULTS, `lab-${width}-${scheme}.png`) });
          assert.deepEqual(p.consoleErrors, []);
        } finally {
          await p.close();
        }
      });
    }
  }

  it('runs from the embed bundle on a host page that sends a strict CSP header', async () => {
    const server = await serveStatic(DIST, {
      mounts: { '/fixtures/': FIXTURES },
      headers: () => ({ 'Content-Security-Policy': STRICT_CSP }),
    });
    const p = await openPage(session.browser, server.origin, '/fixtures/lab-embed.html', {
      wait: false,
    });
    try {
      const violations = [];
      await p.page.exposeFunction('reportViolation', (v) => violations.push(v));
      await p.context.addInitScript(() =>
        document.addEventListener('securitypolicyviolation', (e) =>
          window.reportViolation(`${e.violatedDirective} ${e.blockedURI}`),
        ),
      );
      await p.page.goto(`${server.origin}/fixtures/lab-embed.html`);
      await waitForLab(p.page);
      const lab = p.page.locator('norm-lab');
      assert.equal(
        await lab.locator('button[data-preset="tiny-batches"]').getAttribute('aria-pressed'),
        'true',
      );
      await lab.getByRole('button', { name: 'Play', exact: true }).click();
      await p.page.waitForFunction(
        () => Number(document.querySelector('norm-lab').dataset.step) >= 50,
      );
      await lab.getByRole('button', { name: 'Pause', exact: true }).click();
      await waitPaused(p.page, lab);
      assert.ok(
        p.requests.some((url) => /\/embed\/.*\.wasm$/.test(url)),
        'the worker fetched the .wasm from the embed folder',
      );
      assert.deepEqual(violations, [], 'CSP violations');
      assert.deepEqual(p.foreign(), []);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
      await server.close();
    }
  });
});
