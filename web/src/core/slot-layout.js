// The slot table's one description is kSlotLayout in cpp/bindings/embind.cpp (the module returns
// it from slotLayout()). The loader's own table of operations must agree with it name for name
// and in order; a disagreement stops the load with a message that says where, rather than
// letting a call hand an array to the wrong slot.

const list = (names) => names.join(' ') || '(none)';

// Throws an Error naming every difference between `operations` ({ fn: { inputs, outputs } } with
// outputs as [{ name }]) and the module's `layout`.
export function checkSlotLayout(layout, operations) {
  const problems = [];
  for (const [fn, { inputs, outputs }] of Object.entries(operations)) {
    const entry = layout.operations[fn];
    if (entry === undefined) {
      problems.push(`${fn} is missing from kSlotLayout`);
      continue;
    }
    const outputNames = outputs.map((o) => o.name);
    if (list(inputs) !== list(entry.inputs))
      problems.push(`${fn} inputs: loader ${list(inputs)}, core ${list(entry.inputs)}`);
    if (list(outputNames) !== list(entry.outputs))
      problems.push(`${fn} outputs: loader ${list(outputNames)}, core ${list(entry.outputs)}`);
    if (inputs.length + outputs.length > layout.slots)
      problems.push(
        `${fn} needs ${inputs.length + outputs.length} slots, the core has ${layout.slots}`,
      );
  }
  for (const fn of Object.keys(layout.operations)) {
    if (!(fn in operations)) problems.push(`${fn} is in kSlotLayout but not in the loader's table`);
  }
  if (problems.length > 0) {
    throw new Error(
      `loadNormCore: the loader's slot table (web/src/core/api.js) and the core's ` +
        `(cpp/bindings/embind.cpp kSlotLayout) disagree: ${problems.join('; ')}`,
    );
  }
}
