// The widget's "Copy as PyTorch" panel in the browser: closed at first, its text made on opening
// for the figure on show (module, batch), followed when the figure changes, and copied by the
// button (or left selected where the clipboard is refused).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addWidget, startSession } from './harness.mjs';

let session;
before(async () => {
  session = await startSession();
});
after(async () => session?.close());

describe('Copy as PyTorch', () => {
  it('opens on the figure’s code, follows its changes, and copies it', async () => {
    const p = await session.open('/');
    try {
      await p.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: new URL(p.page.url()).origin,
      });
      const widget = await addWidget(p.page, { norm: 'group', 'batch-size': '2' });
      const code = widget.getByLabel('PyTorch code for this figure');
      assert.equal(await code.isVisible(), false, 'closed until asked for');
      await widget.getByText('Copy as PyTorch').click();
      // The details element's toggle event, which fills the text, is a task queued after the
      // click: reading the text at once raced it (an empty text, now and then, in CI).
      const textOf = () =>
        document.querySelector('#extra').shadowRoot.querySelector('.pytorch textarea').value;
      await p.page.waitForFunction(textOf);
      assert.match(await code.inputValue(), /^layer = nn\.GroupNorm\(2, 4, eps=/m);
      assert.match(await code.inputValue(), /\.reshape\(2, 4, 64\)$/m);

      await widget.evaluate((el) => el.setAttribute('batch-size', '3'));
      await p.page.waitForFunction(() =>
        /\.reshape\(3, 4, 64\)$/m.test(
          document.querySelector('#extra').shadowRoot.querySelector('.pytorch textarea').value,
        ),
      );

      await widget.getByRole('button', { name: 'Copy', exact: true }).click();
      await widget.getByText('Copied.').waitFor();
      const copied = await p.page.evaluate(() => navigator.clipboard.readText());
      assert.equal(copied, await code.inputValue());
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });
});
