// Defines <norm-compare>, the side-by-side comparison of the five normalisations.
import './compare-element.js';
