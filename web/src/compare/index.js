// Defines <norm-compare>, the side-by-side comparison of the five normalisations.
export { NormCompare } from './compare-element.js';
