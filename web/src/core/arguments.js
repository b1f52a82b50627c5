// Checks of JavaScript-level argument types. Range and size rules live in the C++ core, which
// reports them by message; here we only make sure each value can cross into WebAssembly.

export function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)})`;
    case 'number':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

export function typeError(fn, name, value, expected) {
  return new TypeError(`${fn}: ${name} is ${describe(value)}, expected ${expected}`);
}

export function rangeError(fn, name, value, expected) {
  return new RangeError(`${fn}: ${name} is ${describe(value)}, expected ${expected}`);
}

export function optionsObject(fn, name, value) {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw typeError(fn, name, value, 'an object');
  }
  return value;
}

// A whole number that converts exactly to a C++ int64; its range is the core's to judge.
export function wholeNumber(fn, name, value, fallback) {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number') throw typeError(fn, name, value, 'a whole number');
  if (!Number.isInteger(value)) throw rangeError(fn, name, value, 'a whole number');
  if (!Number.isSafeInteger(value)) throw rangeError(fn, name, value, `a whole number of magnitude at most ${Number.MAX_SAFE_INTEGER}`);
  return value;
}

export function numberOption(fn, name, value, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw typeError(fn, name, value, 'a number');
  return value;
}

export function booleanOption(fn, name, value, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw typeError(fn, name, value, 'true or false');
  return value;
}

// A Float32Array or an array (or other typed array) of numbers; undefined/null when omitted.
export function floatArray(fn, name, value, required) {
  if (value === undefined || value === null) {
    if (required) throw typeError(fn, name, value, 'a Float32Array or an array of numbers');
    return null;
  }
  if (value instanceof Float32Array || Array.isArray(value)) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView) && typeof value[0] !== 'bigint') return value;
  throw typeError(fn, name, value, 'a Float32Array or an array of numbers');
}

export function outputArray(fn, name, value, expected, expectedExpr) {
  if (value === undefined) return null;
  if (!(value instanceof Float32Array)) throw typeError(fn, name, value, 'a Float32Array');
  if (value.length !== expected) {
    throw new RangeError(`${fn}: ${name} has ${value.length} values, expected ${expectedExpr} = ${expected}`);
  }
  return value;
}
