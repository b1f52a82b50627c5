// A figure's state in the URL fragment: changes write it, a link with it reopens the figure as it
// was, back and forward step between states, and a hostile fragment falls back to defaults.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addWidget, startSession, waitForWidget } from './harness.mjs';

let session;
before(async () => {
  session = await startSession();
});
after(async () => session?.close());

const stateOf = (widget) => widget.evaluate((el) => el.state);
const hashOf = (page) => page.evaluate(() => location.hash);

async function waitForState(page, check) {
  await page.waitForFunction(check, undefined, { timeout: 10000 });
}

describe('<norm-widget> state in the URL', () => {
  it('a shared link reopens the figure as it was; back and forward move between states', async () => {
    const p = await session.open('/');
    let shared;
    try {
      const widget = await addWidget(p.page, { norm: 'group', 'batch-size': '2' });
      assert.equal(await hashOf(p.page), '', 'nothing written before the reader changes something');
      const batch = widget.getByLabel('Batch size', { exact: true });
      await batch.fill('3');
      await batch.press('Enter');
      await waitForState(p.page, () => location.hash.includes('batch-size=3'));
      await widget.getByRole('button', { name: 'Next stage' }).click();
      await waitForState(p.page, () => location.hash.includes('stage=centred'));
      await p.page.waitForTimeout(900); // the next change is a history entry of its own
      await widget.getByLabel('Groups').selectOption('4');
      await waitForState(p.page, () => location.hash.includes('groups=4'));
      shared = await hashOf(p.page);
      assert.match(
        shared,
        /^#figure=extra&norm=group&distribution=normal&batch-size=3&channels=4&groups=4/,
      );

      await p.page.goBack();
      await waitForState(p.page, () => document.querySelector('#extra').state.groups === 2);
      assert.equal((await stateOf(widget)).stage, 'centred');
      await p.page.goForward();
      await waitForState(p.page, () => document.querySelector('#extra').state.groups === 4);
      await p.page.goBack();
      await p.page.goBack();
      await waitForState(p.page, () => document.querySelector('#extra').state.batchSize === 2);
      const first = await stateOf(widget);
      assert.equal(first.stage, 'raw');
      assert.equal(first.groups, 2);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }

    // The link, opened afresh: the figure starts as it was, whatever its attributes say.
    const q = await session.open(`/${shared}`);
    try {
      const widget = await addWidget(q.page, { norm: 'batch' });
      const state = await stateOf(widget);
      assert.equal(state.norm, 'group');
      assert.equal(state.batchSize, 3);
      assert.equal(state.groups, 4);
      assert.equal(state.stage, 'centred');
      assert.equal(await widget.getAttribute('data-stage'), 'centred');
      assert.equal(await hashOf(q.page), shared, 'opening a link does not rewrite it');
      assert.deepEqual(q.consoleErrors, []);
    } finally {
      await q.close();
    }
  });

  it('restores γ, β, ε, mode and a norm change from back/forward', async () => {
    const hash =
      '#figure=extra&norm=batch&distribution=bimodal&batch-size=50&channels=3&seed=7' +
      '&gamma=1.5,0.5,2&beta=-0.5&eps=0.01&mode=inference&stage=shifted';
    const p = await session.open(`/${hash}`);
    try {
      const widget = await addWidget(p.page, { norm: 'layer' });
      const state = await stateOf(widget);
      assert.deepEqual(
        { ...state, playing: undefined, step: undefined, momentum: undefined, groups: undefined },
        {
          norm: 'batch',
          distribution: 'bimodal',
          batchSize: 50,
          channels: 3,
          seed: 7,
          gamma: [1.5, 0.5, 2],
          beta: [-0.5, -0.5, -0.5],
          eps: 0.01,
          mode: 'inference',
          stage: 'shifted',
          playing: undefined,
          step: undefined,
          momentum: undefined,
          groups: undefined,
        },
      );
      // Back to the page without a fragment: the figure is made again from its attributes.
      await p.page.evaluate(() => history.pushState(null, '', location.pathname));
      await p.page.goBack();
      await p.page.goForward();
      await waitForWidget(p.page, '#extra');
      await waitForState(p.page, () => document.querySelector('#extra').state?.norm === 'layer');
      assert.deepEqual((await stateOf(widget)).gamma, [1, 1, 1, 1]);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });

  it('falls back to defaults for unknown or hostile fragment values', async () => {
    const hostile =
      '#figure=extra&norm=%3Cscript%3Ealert(1)%3C%2Fscript%3E&distribution=constructor' +
      '&batch-size=1e99&channels=-3&seed=0x10&gamma=NaN&beta=Infinity&eps=-1&mode=__proto__' +
      '&stage=%22%3E%3Cimg%20src%3Dx%3E&extra=1';
    const p = await session.open(`/${hostile}`);
    try {
      const widget = await addWidget(p.page, {});
      const state = await stateOf(widget);
      assert.equal(state.norm, 'batch');
      assert.equal(state.distribution, 'normal');
      assert.equal(state.batchSize, 64);
      assert.equal(state.channels, 2);
      assert.equal(state.seed, 1);
      assert.deepEqual(state.gamma, [1, 1]);
      assert.deepEqual(state.beta, [0, 0]);
      assert.equal(state.eps, 1e-5);
      assert.equal(state.mode, 'training');
      assert.equal(state.stage, 'raw');
      assert.equal(await widget.locator('img').count(), 0);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });
});
