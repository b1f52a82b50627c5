// The figure's "Copy as PyTorch" panel: a disclosure holding the Python that rebuilds the current
// numbers (pytorch-snippet.js), selectable in a read-only text area, and a button that copies it.
// The text is made only while the panel is open: a batch of 1,024 × 8 values is 100 kB of Python.
import { pytorchSnippet } from '../pytorch-snippet.js';

const CSS = `
.pytorch { margin-top: 0.75rem; }
.pytorch summary { cursor: pointer; }
.pytorch .row { display: flex; gap: 0.5rem; align-items: center; margin: 0.5rem 0; flex-wrap: wrap; }
.pytorch textarea { box-sizing: border-box; width: 100%; min-height: 12em; resize: vertical;
  font: 0.8rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  color: inherit; background: var(--norm-widget-bg, Canvas); border: 1px solid var(--norm-widget-border, GrayText); }
`;

let sheet = null;
function panelStyles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

/**
 * The snippet's inputs from the widget's state: its batch, its output (the last stage), and for
 * a norm with running statistics the ones the figure holds now and, in training mode, what the
 * core says they become after this batch.
 * @param {import('./state.js').WidgetState} state
 */
export function snippetOf(state) {
  const { params } = state;
  let running;
  let runningAfter;
  if (state.hasRunning) {
    running = state.running;
    if (params.mode === 'training') {
      const r = state.engine.train(state.x, params, state.running);
      runningAfter = { mean: r.runningMean, var: r.runningVar };
    }
  }
  return pytorchSnippet({
    norm: state.norm,
    shape: state.shape,
    params,
    step: state.step,
    x: state.x,
    y: state.stages.shifted,
    running,
    runningAfter,
  });
}

/**
 * Adds the panel to the widget's shadow root.
 * @param {ShadowRoot} root
 * @param {() => string} makeText  the snippet for the current state
 * @returns {{ refresh: () => void }}  refresh(): call after every change of state
 */
export function addPytorchPanel(root, makeText) {
  if (!root.adoptedStyleSheets.includes(panelStyles()))
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, panelStyles()];
  const details = document.createElement('details');
  details.className = 'pytorch';
  details.innerHTML = `<summary>Copy as PyTorch</summary>
<p class="note">Python that rebuilds this figure's numbers with torch.nn: the batch, the layer with
these settings, and the outputs computed here, printed next to PyTorch's.</p>
<div class="row"><button type="button" data-action="copy-pytorch">Copy</button>
<span class="note" role="status" data-part="copy-status"></span></div>
<textarea readonly spellcheck="false" aria-label="PyTorch code for this figure"></textarea>`;
  const text = details.querySelector('textarea');
  const status = details.querySelector('[data-part="copy-status"]');
  (root.querySelector('.widget') ?? root).append(details);

  const refresh = () => {
    if (!details.open) return;
    text.value = makeText();
    status.textContent = '';
  };
  details.addEventListener('toggle', refresh);
  details.querySelector('button').addEventListener('click', async () => {
    refresh();
    try {
      await navigator.clipboard.writeText(text.value);
      status.textContent = 'Copied.';
    } catch {
      // No clipboard access (an insecure origin, or permission refused): leave it selected.
      text.focus();
      text.select();
      status.textContent = 'Selected: press Ctrl+C (⌘C on a Mac) to copy.';
    }
  });
  return { refresh };
}
