/** Registers tfjs-core's gradient functions in Node (see tfjs-esm-hook.ts for why this is needed). */
import { register } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

let done = false;

export async function registerTfjsGradients(): Promise<void> {
  if (done) return;
  register(new URL('./tfjs-esm-hook.ts', import.meta.url));
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  // Without the gradient table, variableGrads would fail only at the first backward pass.
  for (const kernel of ['BatchMatMul', 'Conv2D', 'MaxPool', 'Relu', 'Add']) {
    if (!tf.getGradient(kernel)) throw new Error(`tfjs gradient for '${kernel}' is still not registered`);
  }
  done = true;
}
