import { trainXor } from './xor.js';

console.log('gradsight demo: a 2-layer MLP learns XOR with core autograd and manual SGD\n');
const r = trainXor({
  steps: 600,
  onStep: (step, loss) => {
    if (step % 100 === 0 || step === 599) console.log(`step ${String(step).padStart(3)}  loss ${loss.toFixed(6)}`);
  },
});
console.log(`\npredictions for [0,0] [0,1] [1,0] [1,1]: ${r.predictions.map((p) => p.toFixed(3)).join('  ')}`);
