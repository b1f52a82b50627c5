// Both builds of the core, loaded once per test file.
import { loadNormCore } from '../../../web/src/core/index.js';

export const simd = await loadNormCore({ variant: 'simd' });
export const scalar = await loadNormCore({ variant: 'scalar' });
export const builds = [simd, scalar];
