// Assertions that compare a result with a float64 reference: lengths first, then each element
// against its own tolerance, naming the first element that is out.
import assert from 'node:assert/strict';

import { ownBytes } from './reference.mjs';

// `tolerance` is a number or a function of the index. NaN matches NaN only.
export function assertClose(actual, expected, tolerance, label) {
  assert.ok(actual, `${label}: missing`);
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i],
      e = expected[i];
    if (Number.isNaN(e)) {
      assert.ok(Number.isNaN(a), `${label}[${i}]: ${a}, expected NaN`);
      continue;
    }
    const tol = typeof tolerance === 'function' ? tolerance(i) : tolerance;
    const off = Math.abs(a - e);
    if (!(off <= tol)) {
      assert.fail(`${label}[${i}]: ${a}, expected ${e} within ${tol} (off by ${off})`);
    }
  }
}

// Same length and the same bits in the bytes each array covers (not the buffers behind them).
export function assertSameBits(a, b, label) {
  assert.equal(a.length, b.length, `${label}: length`);
  const x = ownBytes(a),
    y = ownBytes(b);
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i])
      assert.fail(`${label}: differs at element ${i >> 2}: ${a[i >> 2]} vs ${b[i >> 2]}`);
  }
}
