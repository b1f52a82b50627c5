// Arrays that live in the core's memory (DESIGN.md, "Arrays in the core's memory"): a call given
// handles points the core at their blocks instead of copying values in and out.
//
// A handle keeps its block (core, address, length) in a private field, so nothing outside this
// module can forge a handle or move its address; a Proxy around a handle is not a handle. Its
// `array` is a view made on demand, because growing the module's memory replaces the ArrayBuffer
// (views on the old one read as empty).

// What a call needs of a handle: its core, block address (0 once freed) and length. A class, so
// that the call path tells it from a caller's typed array with `instanceof`.
export class Block {
  constructor(owner, address, length) {
    this.owner = owner;
    this.address = address;
    this.length = length;
    // The number of the last call that read this block as an argument (see api.js, newTable): a
    // call finds a block given twice by meeting its own number, without comparing every pair.
    this.call = 0;
  }
}

// (value) -> the handle's Block, or undefined when value is not a handle. Set in the class's
// static block, which alone sees the private field.
let blockOf;

class CoreArray {
  #block;
  #view = null;

  constructor(block) {
    this.#block = block;
  }

  // A typed array never holds the field: ArrayBuffer.isView, a check of the object's type, answers
  // for the arrays of a call at half the cost of looking for the field.
  static {
    blockOf = (value) =>
      value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && #block in value
        ? value.#block
        : undefined;
  }

  get length() {
    return this.#block.length;
  }

  get freed() {
    return this.#block.address === 0;
  }

  // A Float32Array over the block, remade when memory growth has replaced the heap's buffer.
  get array() {
    const { owner, address, length } = this.#block;
    if (address === 0)
      throw new TypeError('coreArray.array: the handle has been freed, expected a live one');
    const buffer = owner.module.HEAPF32.buffer;
    if (this.#view === null || this.#view.buffer !== buffer)
      this.#view = new Float32Array(buffer, address, length);
    return this.#view;
  }

  // Returns the block to the core. Freeing twice does nothing, so `free()` and `using` combine.
  free() {
    const block = this.#block;
    if (block.address === 0) return;
    block.owner.release(block.address);
    block.address = 0;
    this.#view = null;
  }

  get [Symbol.toStringTag]() {
    return 'CoreArray';
  }
}

// Node 20 and current browsers define Symbol.dispose (for `using`); elsewhere `free()` remains.
if (typeof Symbol.dispose === 'symbol') {
  Object.defineProperty(CoreArray.prototype, Symbol.dispose, {
    value() {
      this.free();
    },
    writable: true,
    configurable: true,
  });
}

// The handles of one core instance. A handle's owner tells this core's handles from another's
// (a SIMD and a scalar core have separate memories).
export class HandleOwner {
  constructor(module, maxElements) {
    this.module = module;
    this.maxElements = maxElements;
    this.live = 0;
    // Handles freed so far: a call that sees it unchanged since it started reading its arguments
    // knows that none of the handles it read has been freed since.
    this.frees = 0;
  }

  alloc(length) {
    const fn = 'alloc';
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 1) {
      const kind = typeof length === 'number' ? RangeError : TypeError;
      throw new kind(`${fn}: length is ${describeLength(length)}, expected a whole number >= 1`);
    }
    if (length > this.maxElements) {
      throw new RangeError(
        `${fn}: length is ${length}, expected at most ${this.maxElements} (the core's largest array)`,
      );
    }
    const address = this.module._malloc(length * 4);
    if (!address) {
      throw new RangeError(
        `${fn}: length is ${length}, ${length * 4} bytes that do not fit in the core's WebAssembly memory; expected a smaller length or fewer live handles`,
      );
    }
    this.live++;
    return new CoreArray(new Block(this, address, length));
  }

  release(address) {
    this.module._free(address);
    this.live--;
    this.frees++;
  }
}

function describeLength(value) {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `a string (${JSON.stringify(value.slice(0, 20))})`;
  return value === null ? 'null' : `a ${typeof value}`;
}

// The Block of a handle of `owner` passed as argument `name` of `fn`; undefined when `value` is
// not a handle. A freed handle, or another core's, is a TypeError.
export function ownBlock(owner, fn, name, value) {
  const block = blockOf(value);
  if (block === undefined) return undefined;
  if (block.address === 0)
    throw new TypeError(`${fn}: ${name} is a freed core array, expected a live one`);
  if (block.owner !== owner) {
    throw new TypeError(
      `${fn}: ${name} is a core array of another core instance, expected one from this core's alloc()`,
    );
  }
  return block;
}

// For messages: 'a core array of 12' or 'a freed core array'; undefined when not a handle.
export function describeHandle(value) {
  const block = blockOf(value);
  if (block === undefined) return undefined;
  return block.address === 0 ? 'a freed core array' : `a core array of ${block.length}`;
}
