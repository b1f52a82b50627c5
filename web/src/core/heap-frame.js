// Moves arrays into and out of the WebAssembly heap for one call. One block is kept and reused
// (grown only when a call needs more), so repeated calls do not grow the module's memory. Handles
// (handles.js) are not copied: their slot points at their own block. Every copy is one `set`.
import { copyInto, lengthOf, MAX_BYTES } from './arguments.js';

// Up to these lengths a copy goes faster value by value than through set() (inputs) or subarray()
// and set() (outputs), which call into the engine and, for subarray(), make a view: measured on
// Node 20, a loop costs about 1.3 ns a value, set() 15-35 ns, subarray() and set() 45-80 ns.
const SMALL_INPUT = 8;
const SMALL_OUTPUT = 24;

export class HeapFrame {
  // `slots`: the size of the core's slot table (kSlots in cpp/bindings/embind.cpp, via slotLayout()).
  constructor(module, slots) {
    this.module = module;
    this.slots = slots;
    this.slotWord = module.slotTable() >>> 2;
    this.block = 0;
    this.capacity = 0;
    this.cursor = 0;
    // The heap's views, kept: reading them off the module costs a property look-up on a large
    // object per use. Growth detaches them (length 0), and fresh() then takes the new ones.
    this.f32 = module.HEAPF32;
    this.u32 = module.HEAPU32;
  }

  fresh() {
    if (this.f32.length === 0) {
      this.f32 = this.module.HEAPF32;
      this.u32 = this.module.HEAPU32;
    }
  }

  // Reserves room for `floats` values and clears every slot. Throws a RangeError naming `fn`
  // when the heap cannot hold them.
  begin(fn, floats) {
    this.reserve(fn, floats);
    this.u32.fill(0, this.slotWord, this.slotWord + 2 * this.slots);
  }

  // begin() without clearing the slots, for a caller that writes every slot its function reads
  // (input() and output() write a slot even for an omitted array): a call of the public API.
  reserve(fn, floats) {
    const bytes = floats * 4;
    if (bytes > this.capacity) this.grow(fn, bytes);
    this.fresh();
    this.cursor = this.block;
  }

  // Throws begin()'s RangeError now if `floats` values can never fit (before a caller allocates
  // something of that size in JavaScript).
  check(fn, floats) {
    if (floats * 4 > MAX_BYTES - 65536) throw tooBig(fn, floats * 4);
  }

  grow(fn, bytes) {
    const { module } = this;
    if (this.block) module._free(this.block);
    this.block = 0;
    this.capacity = 0;
    const ptr = bytes <= MAX_BYTES - 65536 ? module._malloc(bytes) : 0;
    if (!ptr) throw tooBig(fn, bytes);
    this.block = ptr;
    this.capacity = bytes;
  }

  setSlot(slot, address, length) {
    const word = this.slotWord + 2 * slot;
    this.u32[word] = address;
    this.u32[word + 1] = length;
  }

  take(length) {
    const address = this.cursor;
    this.cursor += length * 4;
    return address;
  }

  // Copies an input (a genuine typed array, see floatArray) into the frame; null leaves its slot
  // empty.
  input(slot, values) {
    if (values === null) {
      this.setSlot(slot, 0, 0);
      return;
    }
    const length = lengthOf(values);
    const address = this.take(length);
    const start = address >>> 2;
    const f32 = this.f32;
    if (length <= SMALL_INPUT) for (let i = 0; i < length; i++) f32[start + i] = values[i];
    else f32.set(values, start);
    this.setSlot(slot, address, length);
  }

  // Points a slot at a handle's block (handles.js): nothing is copied.
  point(slot, block) {
    this.setSlot(slot, block.address, block.length);
  }

  // Room for an output of `length` values; its address (0 for an empty output).
  output(slot, length) {
    if (length <= 0) {
      this.setSlot(slot, 0, 0);
      return 0;
    }
    const address = this.take(length);
    this.setSlot(slot, address, length);
    return address;
  }

  // After the call (which may have grown the memory): the output at `address` as `target`
  // (filled in place) or as a new Float32Array.
  read(address, length, target) {
    this.fresh();
    const start = address >>> 2;
    if (!target) return this.f32.slice(start, start + length);
    const end = start + length;
    const f32 = this.f32;
    if (length <= SMALL_OUTPUT) for (let i = start; i < end; i++) target[i - start] = f32[i];
    else copyInto(target, f32.subarray(start, end));
    return target;
  }
}

function tooBig(fn, bytes) {
  return new RangeError(
    `${fn}: the arguments and results need ${bytes} bytes of WebAssembly memory, more than the ${MAX_BYTES / 2 ** 30} GiB it can hold`,
  );
}
