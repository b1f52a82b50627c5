// "Copy as PyTorch": Python that rebuilds a figure's numbers with torch.nn — the sampled batch as a
// tensor, the layer with the figure's ε, momentum, γ, β and mode (running statistics included),
// and the outputs our core computed, printed next to PyTorch's for comparison. Which module and
// which shapes follow from the norm's description in norms.js.
import { normOf } from './norms.js';

// float32 values survive a round trip through 9 significant digits.
const number = (v) => {
  if (Number.isNaN(v)) return 'float("nan")';
  if (!Number.isFinite(v)) return v > 0 ? 'float("inf")' : 'float("-inf")';
  return String(Number(v.toPrecision(9)));
};

const list = (values) => `[${Array.from(values, number).join(', ')}]`;

const tensor = (values, dims) =>
  `torch.tensor(${list(values)}, dtype=torch.float32).reshape(${dims.join(', ')})`;

/**
 * The torch.nn module for a norm and the shape x takes in PyTorch. Batch norm keeps x as [n, c]
 * when s = 1 (BatchNorm1d over features) and [n, c, s] otherwise; the per-example norms see
 * [n, c, s]. A description's `affine` ('c' or 'c*s') decides LayerNorm's and RMSNorm's
 * normalized_shape.
 */
function moduleFor(description, { n, c, s }, params) {
  const eps = number(params.eps);
  const dims = s === 1 && description.runningStats ? [n, c] : [n, c, s];
  const normalized = description.affine === 'c*s' ? `[${c}, ${s}]` : `[${c}]`;
  const code = description.pytorch({
    c,
    normalized,
    eps,
    momentum: number(params.momentum),
    groups: params.groups,
  });
  return { dims, code };
}

/**
 * @param {object} figure
 * @param {string} figure.norm  an id of norms.js
 * @param {{ n: number, c: number, s: number }} figure.shape
 * @param {{ distribution: string, seed: number, gamma: number | number[], beta: number | number[], eps: number,
 *   momentum: number, mode: 'training' | 'inference', groups: number }} figure.params
 * @param {number} figure.step  the training step the batch belongs to
 * @param {Float32Array} figure.x  the batch, row-major in shape
 * @param {Float32Array} figure.y  the layer's output our core computed
 * @param {{ mean: Float32Array, var: Float32Array }} [figure.running]  running statistics the
 *   layer holds before this batch (norms that keep them)
 * @param {{ mean: Float32Array, var: Float32Array }} [figure.runningAfter]  what our core says
 *   they become after the batch (training mode)
 * @returns {string} Python source
 */
export function pytorchSnippet(figure) {
  const { norm, shape, params, step, x, y, running, runningAfter } = figure;
  const description = normOf(norm);
  const { dims, code } = moduleFor(description, shape, params);
  const training = !description.runningStats || params.mode === 'training';
  const { c, s } = shape;
  const perChannel = (value) =>
    typeof value === 'number' ? new Array(c).fill(value) : Array.from(value);
  // One γ (and β) per channel; LayerNorm's and RMSNorm's weight is [c, s]: each channel's value
  // at every position.
  const affine = (name, value) =>
    description.affine === 'c*s'
      ? `    layer.${name}.copy_(torch.tensor(${list(perChannel(value))}).unsqueeze(1).expand(${c}, ${s}))`
      : `    layer.${name}.copy_(torch.tensor(${list(perChannel(value))}))`;
  const lines = [
    `# ${description.name}: the figure's batch (${params.distribution}, seed ${params.seed}, ` +
      `step ${step}) through torch.nn, against what our WebAssembly core computed.`,
    description.pytorchNote ? `# ${description.pytorchNote}` : null,
    'import torch',
    'from torch import nn',
    '',
    `x = ${tensor(x, dims)}`,
    `layer = ${code}`,
    'with torch.no_grad():',
    affine('weight', params.gamma),
    description.shift ? affine('bias', params.beta) : null,
  ];
  if (description.runningStats) {
    lines.push(
      `    layer.running_mean.copy_(torch.tensor(${list(running.mean)}))`,
      `    layer.running_var.copy_(torch.tensor(${list(running.var)}))`,
    );
  }
  lines.push(
    training ? 'layer.train()' : 'layer.eval()  # inference: the running statistics normalise',
    'with torch.no_grad():',
    '    y = layer(x)',
    '',
    '# What our core computed: the numbers the figure shows',
    `expected_y = ${tensor(y, dims)}`,
    'print("largest |y - expected_y|:", (y - expected_y).abs().max().item())',
  );
  if (description.runningStats && training && runningAfter) {
    lines.push(
      `expected_running_mean = torch.tensor(${list(runningAfter.mean)})`,
      `expected_running_var = torch.tensor(${list(runningAfter.var)})`,
      'print("largest |running_mean - expected|:", ' +
        '(layer.running_mean - expected_running_mean).abs().max().item())',
      'print("largest |running_var - expected|:", ' +
        '(layer.running_var - expected_running_var).abs().max().item())',
    );
  }
  return `${lines.filter((line) => line !== null).join('\n')}\n`;
}
