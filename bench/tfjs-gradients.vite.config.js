// Bundles TensorFlow.js's gradient registrations (@tensorflow/tfjs-core/dist/register_all_gradients,
// ES modules with extension-less imports that Node cannot load) into one module for the training
// benchmark. Its copy of the ops shares TF.js's engine and gradient registry, which tfjs-core keeps
// on globalThis, so importing it after tfjs-core makes tf.grads and optimizers work in Node.
import { fileURLToPath } from 'node:url';

export default {
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../build-bench/', import.meta.url)),
    emptyOutDir: false,
    minify: false,
    lib: {
      entry: fileURLToPath(
        new URL(
          '../node_modules/@tensorflow/tfjs-core/dist/register_all_gradients.js',
          import.meta.url,
        ),
      ),
      formats: ['es'],
      fileName: () => 'tfjs-gradients.mjs',
    },
  },
};
