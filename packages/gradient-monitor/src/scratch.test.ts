import { it } from 'vitest';
import { watch } from './index.js';
import { mlp, residualNet, train } from '../test/fixtures.js';
import { L, L_COLS } from './record.js';

it('explore', () => {
  const nets = {
    sigmoid20: mlp({ depth: 20, act: 'sigmoid' }),
    reluHe20: mlp({ depth: 20, act: 'relu', init: 'he' }),
    sigmoidBn20: mlp({ depth: 20, act: 'sigmoid', batchNorm: true }),
    tanh3: mlp({ depth: 20, act: 'tanh', init: { gain: 3 } }),
    res: residualNet({ blocks: 10, act: 'relu' }),
    resSig: residualNet({ blocks: 10, act: 'sigmoid' }),
  };
  for (const [name, net] of Object.entries(nets)) {
    const t0 = performance.now();
    const m = watch(net);
    train(net, m, 5, 0.01);
    const rec = m.history.last(1)[0]!;
    const prof = m.map.layers.filter((l) => l.isWeightLayer).map((l) => rec.layers[l.index * L_COLS + L.gradRms]!.toExponential(1));
    console.log(name, (performance.now() - t0).toFixed(0), 'ms', prof.join(' '));
    console.log(m.diagnose().map((f) => `${f.kind} ${f.severity} ${f.layers.join(',')} :: ${f.evidence}`).join('\n'));
  }
});
