// Folders the build configurations share.
import { fileURLToPath } from 'node:url';

const fromRoot = (p) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export const paths = {
  root: fromRoot('.'),
  web: fromRoot('web'),
  dist: fromRoot('dist'),
  standaloneBuild: fromRoot('build-standalone'),
};
