// Santurkar et al.'s two measures of the loss landscape along the current gradient, taken on a
// probe copy of a network so that training is not disturbed:
//   spread:    max − min of the loss at w − η·g for η from lr/4 to 4·lr ("loss landscape")
//   gradient change: max over the same η of ‖∇L(w − η·g) − ∇L(w)‖ / ‖η·g‖ ("effective β-smoothness")
// The core exposes no gradient directly; one SGD step with lr = 1 and no momentum moves the
// weights by exactly −g, so g = w − w_after (lr = 1 keeps that difference well above rounding).

const FACTORS = [0.25, 0.5, 1, 2, 4];

function subtractInto(out, a, b) {
  for (let k = 0; k < out.length; k++) {
    for (let i = 0; i < out[k].length; i++) out[k][i] = a[k][i] - b[k][i];
  }
}

function norm(arrays) {
  let sum = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) sum += a[i] * a[i];
  return Math.sqrt(sum);
}

/** Gradient at the probe's current weights `w` on the batch; returns { loss, grad }. */
function gradientAt(probe, w, x, labels) {
  const loss = probe.step(x, labels, { lr: 1, momentum: 0 });
  const after = probe.parameters();
  const grad = w.map((a) => new Float32Array(a.length));
  subtractInto(grad, w, after);
  return { loss, grad };
}

/**
 * @param probe  a network of the same shape and norm, used as scratch
 * @param {Float32Array[]} weights  the trained network's parameters()
 * @returns {{ spread: number, gradientChange: number }} NaN where the loss is not finite
 */
export function measureLandscape(probe, weights, x, labels, lr) {
  probe.setParameters(weights);
  const base = gradientAt(probe, weights, x, labels);
  const gNorm = norm(base.grad);
  if (!Number.isFinite(base.loss) || !(gNorm > 0)) return { spread: NaN, gradientChange: NaN };
  let lo = base.loss;
  let hi = base.loss;
  let change = 0;
  const moved = weights.map((a) => new Float32Array(a.length));
  const diff = weights.map((a) => new Float32Array(a.length));
  for (const f of FACTORS) {
    const eta = f * lr;
    for (let k = 0; k < moved.length; k++) {
      for (let i = 0; i < moved[k].length; i++) moved[k][i] = weights[k][i] - eta * base.grad[k][i];
    }
    probe.setParameters(moved);
    const there = gradientAt(probe, moved, x, labels);
    if (!Number.isFinite(there.loss)) return { spread: Infinity, gradientChange: Infinity };
    lo = Math.min(lo, there.loss);
    hi = Math.max(hi, there.loss);
    subtractInto(diff, there.grad, base.grad);
    change = Math.max(change, norm(diff) / (eta * gNorm));
  }
  return { spread: hi - lo, gradientChange: change };
}
