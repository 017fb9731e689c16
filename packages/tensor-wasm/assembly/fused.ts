// Fused training kernels. Each performs the same float32 operations in the same order as core's
// composition from primitives (see core's ops-fused.ts), so the fused and composed paths agree
// to the last bit or so; sums accumulate in float64 like the reference's reductions.
import { SIMD } from './common';
import { U_GELU, U_LEAKY_RELU, U_RELU, U_SIGMOID, U_TANH } from './scalar-math';
import { unaryF32 } from './unary';

const ACT_RELU = 1;
const ACT_SIGMOID = 2;
const ACT_TANH = 3;
const ACT_GELU = 4;
const ACT_LEAKY_RELU = 5;

/**
 * y[r, j] = act(y[r, j] + bias[j % biasLen]) in place over rows×n; biasLen is n (a row bias),
 * 1 (a scalar) or 0 (no bias).
 */
export function biasAct(y: usize, bias: usize, rows: i32, n: i32, biasLen: i32, act: i32, alpha: f64): void {
  if (biasLen > 0) {
    for (let r = 0; r < rows; r++) {
      const row = y + ((<usize>r * <usize>n) << 2);
      let j = 0;
      if (SIMD) {
        if (biasLen == 1) {
          const bv = v128.load32_splat(bias);
          for (; j + 4 <= n; j += 4) {
            const o = <usize>j << 2;
            v128.store(row + o, f32x4.add(v128.load(row + o), bv));
          }
        } else {
          for (; j + 4 <= n; j += 4) {
            const o = <usize>j << 2;
            v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(bias + o)));
          }
        }
      }
      for (; j < n; j++) {
        const o = <usize>j << 2;
        store<f32>(row + o, load<f32>(row + o) + load<f32>(biasLen == 1 ? bias : bias + o));
      }
    }
  }
  const total = rows * n;
  if (act == ACT_RELU) unaryF32(U_RELU, y, y, total, 0, 0, 0);
  else if (act == ACT_SIGMOID) unaryF32(U_SIGMOID, y, y, total, 0, 0, 0);
  else if (act == ACT_TANH) unaryF32(U_TANH, y, y, total, 0, 0, 0);
  else if (act == ACT_GELU) unaryF32(U_GELU, y, y, total, 0, 0, 0);
  else if (act == ACT_LEAKY_RELU) unaryF32(U_LEAKY_RELU, y, y, total, alpha, 0, 0);
}

/** acc[j] (float64) += v (float32x4 → two float64x2 lanes) for channels j..j+3. */
// @ts-ignore: decorator
@inline function accumulate4(acc: usize, j: i32, v: v128): void {
  const q = acc + (<usize>j << 3);
  v128.store(q, f64x2.add(v128.load(q), f64x2.promote_low_f32x4(v)));
  v128.store(q, f64x2.add(v128.load(q, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))), 16);
}

/** acc[j] (float64) = Σ_r f(x[r, j]) where f is x itself (sq = 0) or (x − mean[j])² (sq = 1). */
function channelSums(x: usize, mean: usize, rows: i32, c: i32, sq: bool, acc: usize): void {
  memory.fill(acc, 0, <usize>c << 3);
  for (let r = 0; r < rows; r++) {
    const row = x + ((<usize>r * <usize>c) << 2);
    let j = 0;
    if (SIMD) {
      for (; j + 4 <= c; j += 4) {
        let v = v128.load(row + (<usize>j << 2));
        if (sq) {
          const d = f32x4.sub(v, v128.load(mean + (<usize>j << 2)));
          v = f32x4.mul(d, d);
        }
        accumulate4(acc, j, v);
      }
    }
    for (; j < c; j++) {
      let v = load<f32>(row + (<usize>j << 2));
      if (sq) {
        const d = v - load<f32>(mean + (<usize>j << 2));
        v = d * d;
      }
      const q = acc + (<usize>j << 3);
      store<f64>(q, load<f64>(q) + <f64>v);
    }
  }
}

/**
 * Batch norm over rows×c (channels last): mean, biased variance, invStd = 1/√(var + eps) and
 * y = ((x − mean)·invStd)·gamma + beta. `acc` is scratch of c float64.
 */
export function batchNormTrain(
  x: usize, gamma: usize, beta: usize, y: usize, mean: usize, invStd: usize,
  rows: i32, c: i32, eps: f32, acc: usize,
): void {
  const count = <f32>rows;
  channelSums(x, 0, rows, c, false, acc);
  for (let j = 0; j < c; j++) store<f32>(mean + (<usize>j << 2), <f32>load<f64>(acc + (<usize>j << 3)) / count);
  channelSums(x, mean, rows, c, true, acc);
  for (let j = 0; j < c; j++) {
    const variance = <f32>load<f64>(acc + (<usize>j << 3)) / count;
    const ve = variance + eps;
    store<f32>(invStd + (<usize>j << 2), <f32>(1.0 / Math.sqrt(<f64>ve)));
  }
  for (let r = 0; r < rows; r++) {
    const o = (<usize>r * <usize>c) << 2;
    let j = 0;
    if (SIMD) {
      for (; j + 4 <= c; j += 4) {
        const q = <usize>j << 2;
        const d = f32x4.sub(v128.load(x + o + q), v128.load(mean + q));
        const t = f32x4.mul(f32x4.mul(d, v128.load(invStd + q)), v128.load(gamma + q));
        v128.store(y + o + q, f32x4.add(t, v128.load(beta + q)));
      }
    }
    for (; j < c; j++) {
      const q = <usize>j << 2;
      const d = load<f32>(x + o + q) - load<f32>(mean + q);
      store<f32>(y + o + q, d * load<f32>(invStd + q) * load<f32>(gamma + q) + load<f32>(beta + q));
    }
  }
}

/**
 * Gradient of batchNormTrain: dbeta = Σdy, dgamma = Σ dy·x̂,
 * dx = (gamma·(invStd/N))·((dy·N − dbeta) − x̂·dgamma). `acc` is scratch of 2c float64.
 */
export function batchNormBackward(
  dy: usize, x: usize, gamma: usize, mean: usize, invStd: usize,
  dx: usize, dgamma: usize, dbeta: usize, rows: i32, c: i32, acc: usize,
): void {
  const count = <f32>rows;
  const accG = acc + (<usize>c << 3);
  memory.fill(acc, 0, <usize>c << 4);
  for (let r = 0; r < rows; r++) {
    const o = (<usize>r * <usize>c) << 2;
    let j = 0;
    if (SIMD) {
      for (; j + 4 <= c; j += 4) {
        const q = <usize>j << 2;
        const g = v128.load(dy + o + q);
        const xhat = f32x4.mul(f32x4.sub(v128.load(x + o + q), v128.load(mean + q)), v128.load(invStd + q));
        accumulate4(acc, j, g);
        accumulate4(accG, j, f32x4.mul(g, xhat));
      }
    }
    for (; j < c; j++) {
      const q = <usize>j << 2;
      const g = load<f32>(dy + o + q);
      const xhat = (load<f32>(x + o + q) - load<f32>(mean + q)) * load<f32>(invStd + q);
      const qb = acc + (<usize>j << 3);
      const qg = accG + (<usize>j << 3);
      store<f64>(qb, load<f64>(qb) + <f64>g);
      store<f64>(qg, load<f64>(qg) + <f64>(g * xhat));
    }
  }
  for (let j = 0; j < c; j++) {
    store<f32>(dbeta + (<usize>j << 2), <f32>load<f64>(acc + (<usize>j << 3)));
    store<f32>(dgamma + (<usize>j << 2), <f32>load<f64>(accG + (<usize>j << 3)));
  }
  for (let r = 0; r < rows; r++) {
    const o = (<usize>r * <usize>c) << 2;
    let j = 0;
    if (SIMD) {
      const vc = f32x4.splat(count);
      for (; j + 4 <= c; j += 4) {
        const q = <usize>j << 2;
        const is = v128.load(invStd + q);
        const xhat = f32x4.mul(f32x4.sub(v128.load(x + o + q), v128.load(mean + q)), is);
        const scale = f32x4.mul(v128.load(gamma + q), f32x4.div(is, vc));
        const t = f32x4.sub(f32x4.mul(v128.load(dy + o + q), vc), v128.load(dbeta + q));
        const inner = f32x4.sub(t, f32x4.mul(xhat, v128.load(dgamma + q)));
        v128.store(dx + o + q, f32x4.mul(scale, inner));
      }
    }
    for (; j < c; j++) {
      const q = <usize>j << 2;
      const is = load<f32>(invStd + q);
      const xhat = (load<f32>(x + o + q) - load<f32>(mean + q)) * is;
      const scale = load<f32>(gamma + q) * (is / count);
      const inner = load<f32>(dy + o + q) * count - load<f32>(dbeta + q) - xhat * load<f32>(dgamma + q);
      store<f32>(dx + o + q, scale * inner);
    }
  }
}

/**
 * Row-wise softmax cross-entropy of logits [b, cls] and int32 labels [b]:
 * loss[r] = −logSoftmax(row)[label], probs = exp(logSoftmax(row)).
 */
export function softmaxCrossEntropy(logits: usize, labels: usize, loss: usize, probs: usize, b: i32, cls: i32): void {
  for (let r = 0; r < b; r++) {
    const row = logits + ((<usize>r * <usize>cls) << 2);
    const pr = probs + ((<usize>r * <usize>cls) << 2);
    let m: f32 = -Infinity;
    for (let j = 0; j < cls; j++) {
      const v = load<f32>(row + (<usize>j << 2));
      if (isNaN(m)) break;
      if (isNaN(v) || v > m) m = v;
    }
    if (!isFinite(m)) m = 0;
    let s: f64 = 0;
    for (let j = 0; j < cls; j++) s += <f64>(<f32>Math.exp(<f64>(load<f32>(row + (<usize>j << 2)) - m)));
    const lse = <f32>Math.log(<f64>(<f32>s)) + m;
    for (let j = 0; j < cls; j++) {
      const lsm = load<f32>(row + (<usize>j << 2)) - lse;
      store<f32>(pr + (<usize>j << 2), <f32>Math.exp(<f64>lsm));
    }
    const label = load<i32>(labels + (<usize>r << 2));
    store<f32>(loss + (<usize>r << 2), -(load<f32>(row + (<usize>label << 2)) - lse));
  }
}
