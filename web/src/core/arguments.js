// Checks of JavaScript-level argument types. Range and size rules live in the C++ core, which
// reports them by message; here we only make sure each value can cross into WebAssembly.
//
// Everything the caller's code can do (getters, Proxies, subclasses, an own `length` property)
// happens here, while the arguments are read: arrays of numbers are copied into Float32Arrays and
// typed arrays are measured with the intrinsic accessors. So once a call starts writing into the
// WebAssembly heap, no caller code runs and the sizes reserved are the sizes copied.

import { describeHandle } from './handles.js';

export const MAX_BYTES = 2 ** 31; // the module's maximum memory

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const intrinsic = (key) => Object.getOwnPropertyDescriptor(TypedArrayPrototype, key).get;
const typedLength = intrinsic('length');
const typedKind = intrinsic(Symbol.toStringTag);
const typedBuffer = intrinsic('buffer');

// 'Float32Array', 'Int8Array', ... for a genuine typed array; undefined for anything else (a
// DataView, a Proxy around a typed array, an array-like object).
export function typedArrayKind(value) {
  return ArrayBuffer.isView(value) ? typedKind.call(value) : undefined;
}

// target.set(source) for a genuine typed array target, whatever its own `set` property says.
const typedSet = TypedArrayPrototype.set;
export function copyInto(target, source) {
  typedSet.call(target, source);
}

// The element count of a genuine typed array, whatever its own `length` property says.
export function lengthOf(typedArray) {
  return typedLength.call(typedArray);
}

function isDetached(typedArray) {
  if (typedLength.call(typedArray) !== 0) return false;
  try {
    new Uint8Array(typedBuffer.call(typedArray));
    return false;
  } catch {
    return true; // a view can not be made on a detached (transferred) ArrayBuffer
  }
}

function isArray(value) {
  try {
    return Array.isArray(value);
  } catch {
    return false; // a revoked Proxy
  }
}

export function describe(value) {
  if (value === null) return 'null';
  const handle = describeHandle(value);
  if (handle !== undefined) return handle;
  const kind = typedArrayKind(value);
  if (kind !== undefined) return `a ${kind} of ${typedLength.call(value)}`;
  if (ArrayBuffer.isView(value)) return 'a DataView';
  if (isArray(value)) return `an array of ${value.length}`;
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

// object[name] for the names of the core's arrays, each through a property load of its own: one
// load site that sees many names (options[name] in a loop over gamma, beta, ...) is slow on every
// call, a site per name stays fast. Undefined for any other name: the loader checks at load that
// every name in its table of operations is here (see api.js).
export function namedProperty(object, name) {
  switch (name) {
    case 'x':
      return object.x;
    case 'dy':
      return object.dy;
    case 'gamma':
      return object.gamma;
    case 'beta':
      return object.beta;
    case 'runningMean':
      return object.runningMean;
    case 'runningVar':
      return object.runningVar;
    case 'offset':
      return object.offset;
    case 'scale':
      return object.scale;
    case 'y':
      return object.y;
    case 'mean':
      return object.mean;
    case 'var':
      return object.var;
    case 'rms':
      return object.rms;
    case 'values':
      return object.values;
    case 'dx':
      return object.dx;
    case 'dgamma':
      return object.dgamma;
    case 'dbeta':
      return object.dbeta;
  }
  return undefined;
}

// A whole number that converts exactly to a C++ int64; its range is the core's to judge.
export function wholeNumber(fn, name, value, fallback) {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number') throw typeError(fn, name, value, 'a whole number');
  if (!Number.isInteger(value)) throw rangeError(fn, name, value, 'a whole number');
  if (!Number.isSafeInteger(value))
    throw rangeError(
      fn,
      name,
      value,
      `a whole number of magnitude at most ${Number.MAX_SAFE_INTEGER}`,
    );
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

function detachedError(fn, name, kind) {
  return new TypeError(
    `${fn}: ${name} is a ${kind} whose ArrayBuffer has been detached (transferred), expected one that can be read`,
  );
}

// An array of numbers, copied into a Float32Array. Its length is read once: a getter may change it.
function copyNumbers(fn, name, values) {
  const length = values.length;
  if (!Number.isSafeInteger(length) || length < 0)
    throw typeError(fn, `${name}.length`, length, 'a whole number >= 0');
  if (length > MAX_BYTES / 4) {
    throw new RangeError(
      `${fn}: ${name} has ${length} values, more than the ${MAX_BYTES / 2 ** 30} GiB of WebAssembly memory can hold`,
    );
  }
  const copy = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (typeof v !== 'number') throw typeError(fn, `${name}[${i}]`, v, 'a number');
    copy[i] = v;
  }
  return copy;
}

// A typed array of numbers as it is, or an array of numbers as a new Float32Array; null when omitted.
export function floatArray(fn, name, value, required) {
  if (value === undefined || value === null) {
    if (required) throw typeError(fn, name, value, 'a Float32Array or an array of numbers');
    return null;
  }
  const kind = typedArrayKind(value);
  if (kind !== undefined && !kind.startsWith('Big')) {
    if (isDetached(value)) throw detachedError(fn, name, kind);
    return value;
  }
  if (kind === undefined && isArray(value)) return copyNumbers(fn, name, value);
  throw typeError(fn, name, value, 'a Float32Array or an array of numbers');
}

export function outputArray(fn, name, value, expected, expectedExpr) {
  if (value === undefined) return null;
  if (typedArrayKind(value) !== 'Float32Array') throw typeError(fn, name, value, 'a Float32Array');
  const length = typedLength.call(value);
  if (length !== expected) {
    if (isDetached(value)) throw detachedError(fn, name, 'Float32Array');
    throw new RangeError(
      `${fn}: ${name} has ${length} values, expected ${expectedExpr} = ${expected}`,
    );
  }
  return value;
}
