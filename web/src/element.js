// The package's `./element` entry: importing it defines every custom element of the glossary.
// Each element loads the core (and its .wasm, located with new URL(…, import.meta.url), which
// bundlers such as Vite follow and emit) only when it nears the viewport.
import { NormWidget } from './widget/index.js';
import { NormCompare } from './compare/index.js';

export { NormWidget, NormCompare };
