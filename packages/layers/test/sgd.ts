/**
 * A minimal SGD with momentum and optional global-norm gradient clipping, for tests (the real
 * optimisers live in @gradsight/optim, written in parallel).
 */
import { keep, noGrad, type Tensor, tidy } from '@gradsight/core';

export class TinySgd {
  private readonly velocity = new Map<Tensor, Tensor>();
  constructor(
    private readonly params: Tensor[],
    private readonly lr: number,
    private readonly momentum = 0,
    private readonly maxNorm = Number.POSITIVE_INFINITY,
  ) {}

  zeroGrad(): void {
    for (const p of this.params) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  step(): void {
    tidy(() =>
      noGrad(() => {
        let sq = 0;
        for (const p of this.params) if (p.grad) sq += p.grad.square().sum().item();
        const norm = Math.sqrt(sq);
        const scale = norm > this.maxNorm ? this.maxNorm / norm : 1;
        for (const p of this.params) {
          if (!p.grad) continue;
          let d = scale === 1 ? p.grad : p.grad.mul(scale);
          if (this.momentum) {
            const v = this.velocity.get(p);
            const next = keep(v ? v.mul(this.momentum).add(d) : d.clone());
            v?.dispose();
            this.velocity.set(p, next);
            d = next;
          }
          p.assign(p.sub(d.mul(this.lr)));
        }
      }),
    );
  }
}
