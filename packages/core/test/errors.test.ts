import * as g from '@gradsight/core';
import { describe, expect, it } from 'vitest';

/** Runs `fn`, expecting a typed error; returns it for further checks. */
function caught<E extends g.GradsightError>(
  fn: () => unknown,
  type: new (...a: any[]) => E,
  code: g.ErrorCode,
): E {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    expect(err).toBeInstanceOf(g.GradsightError);
    const e = err as E;
    expect(e.code).toBe(code);
    expect(e.name).toBe(type.name);
    return e;
  }
  throw new Error(`expected ${type.name}, but nothing was thrown`);
}

describe('ShapeError names the op and the shapes', () => {
  it('matmul [2,3]x[4,5]', () => {
    const e = caught(() => g.matmul(g.zeros([2, 3]), g.zeros([4, 5])), g.ShapeError, 'E_SHAPE');
    expect(e.message).toMatch(/^matmul: shapes \[2,3\] and \[4,5\] cannot be multiplied/);
    expect(e.message).toMatch(/inner dimensions 3 \(of a\) and 4 \(of b\) must be equal/);
  });

  it('matmul with transposes, rank < 2 and batch dims', () => {
    expect(
      caught(() => g.matmul(g.zeros([3, 2]), g.zeros([4, 5]), true), g.ShapeError, 'E_SHAPE').message,
    ).toMatch(/\[3,2\]ᵀ/);
    expect(() => g.matmul(g.zeros([3]), g.zeros([4]))).toThrow(/inner dimensions 3 .* 4/);
    expect(
      caught(() => g.matmul(g.zeros([2, 3, 4]), g.zeros([3, 4, 5])), g.ShapeError, 'E_SHAPE').message,
    ).toMatch(/\[2\] and \[3\] cannot be broadcast/);
  });

  it('broadcasting', () => {
    const e = caught(() => g.add(g.zeros([2, 3]), g.zeros([4])), g.ShapeError, 'E_SHAPE');
    expect(e.message).toMatch(/^add: shapes \[2,3\] and \[4\] cannot be broadcast together/);
    expect(e.message).toMatch(/3 vs 4/);
    expect(() => g.where(g.zeros([2], 'int32'), g.zeros([3]), 1)).toThrow(/where: shapes \[2\] and \[3\]/);
  });

  it('conv2d channel mismatch, wrong rank and a filter larger than the input', () => {
    const e = caught(() => g.conv2d(g.zeros([1, 5, 5, 3]), g.zeros([3, 3, 2, 4])), g.ShapeError, 'E_SHAPE');
    expect(e.message).toMatch(/^conv2d: input \[1,5,5,3\] has 3 channels but filter \[3,3,2,4\]/);
    expect(e.message).toMatch(/2 input channels/);
    expect(() => g.conv2d(g.zeros([5, 5, 3]), g.zeros([3, 3, 3, 4]))).toThrow(
      /conv2d: input must have rank 4 \(NHWC\), got shape \[5,5,3\]/,
    );
    expect(() => g.conv2d(g.zeros([1, 2, 2, 1]), g.zeros([3, 3, 1, 1]))).toThrow(
      /smaller than the dilated filter/,
    );
    expect(() => g.maxPool2d(g.zeros([1, 2, 2, 1]), { kernelSize: 3 })).toThrow(
      /maxPool2d: input \[1,2,2,1\] is smaller than the window/,
    );
  });

  it('reshape', () => {
    const x = g.zeros([2, 3]);
    expect(caught(() => g.reshape(x, [4, 2]), g.ShapeError, 'E_SHAPE').message).toBe(
      'reshape: cannot reshape [2,3] (6 elements) to [4,2].',
    );
    expect(() => g.reshape(x, [-1, -1])).toThrow(/only one dimension can be -1/);
    expect(() => g.reshape(x, [4, -1])).toThrow(/cannot infer -1 in \[4,-1\] for a tensor of shape \[2,3\]/);
  });

  it('slice, concat, item, assign, tensor, reductions over empty axes', () => {
    expect(() => g.slice(g.zeros([4, 5]), [3, 0], [2, 5])).toThrow(
      /slice: .*out of bounds for \[4,5\] at dim 0/,
    );
    expect(() => g.concat([g.zeros([2, 3]), g.zeros([3, 4])], 0)).toThrow(
      /concat: shapes \[2,3\], \[3,4\] differ outside axis 0/,
    );
    expect(() => g.zeros([2]).item()).toThrow(/item\(\): tensor \[2\] float32 has 2 elements, expected 1/);
    expect(() => g.zeros([2]).assign(g.zeros([3]))).toThrow(g.ShapeError);
    expect(() => g.tensor([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => g.max(g.zeros([0, 3]), 0)).toThrow(/max: cannot reduce over axis 0 of size 0 in \[0,3\]/);
    expect(() => g.softmaxCrossEntropy(g.zeros([2, 3]), g.zeros([3], 'int32'))).toThrow(
      /expected logits \[B, C\] and labels \[B\], got \[2,3\] and \[3\]/,
    );
  });
});

describe('DTypeError and ValueError', () => {
  it('int32 where float32 is needed', () => {
    const ints = g.zeros([1, 4, 4, 1], 'int32');
    expect(caught(() => g.conv2d(ints, g.zeros([2, 2, 1, 1])), g.DTypeError, 'E_DTYPE').message).toMatch(
      /conv2d: expected a float32 tensor, got \[1,4,4,1\] int32/,
    );
    expect(() => g.fusedMatmul(g.zeros([2, 2], 'int32'), g.zeros([2, 2]))).toThrow(g.DTypeError);
    expect(() => g.maxPool2d(ints, { kernelSize: 2 })).toThrow(g.DTypeError);
    expect(caught(() => g.gather(g.zeros([3]), g.zeros([2])), g.DTypeError, 'E_DTYPE').message).toMatch(
      /gather: indices must be int32, got \[2\] float32/,
    );
    expect(() => g.softmaxCrossEntropy(g.zeros([2, 3]), g.zeros([2]))).toThrow(/labels must be int32/);
    expect(caught(() => g.zeros([2], 'int32').requiresGrad_(), g.ValueError, 'E_VALUE').message).toMatch(
      /only float32 tensors can require gradients, got int32/,
    );
    expect(() => g.add(1 as unknown as g.Tensor, 2)).toThrow(/at least one operand must be a Tensor/);
  });

  it('int32 inputs to float ops are promoted, as PyTorch does', () => {
    const x = g.tensor([1, 4], [2], 'int32');
    expect(g.sqrt(x).dtype).toBe('float32');
    expect(Array.from(g.div(x, 2).dataSync())).toEqual([0.5, 2]);
    expect(g.add(x, 1).dtype).toBe('int32');
    expect(g.add(x, 0.5).dtype).toBe('float32');
  });

  it('invalid arguments', () => {
    const x = g.zeros([2, 3]);
    expect(caught(() => g.sum(x, 2), g.ValueError, 'E_VALUE').message).toMatch(
      /sum: axis 2 is out of range for a tensor of rank 2/,
    );
    expect(() => g.sum(x, [0, 0])).toThrow(/repeated axis/);
    expect(() => g.transpose(x, [0, 0])).toThrow(/transpose: perm \[0,0\] is not a permutation/);
    expect(() => g.gather(x, g.tensor([3], [1], 'int32'))).toThrow(
      /gather: index 3 is out of range for axis 0 of size 2/,
    );
    expect(() => g.clip(x, 1, 0)).toThrow(/clip: min \(1\) must not exceed max \(0\)/);
    expect(() => g.gelu(x, 'fast' as 'tanh')).toThrow(/approximate must be 'none' or 'tanh'/);
    expect(() => g.conv2d(g.zeros([1, 4, 4, 1]), g.zeros([2, 2, 1, 1]), { stride: 0 })).toThrow(
      /stride must be a positive integer/,
    );
    expect(() => g.randint(3, 3, [2])).toThrow(/expected integers low < high/);
    expect(() => g.tidy(() => Promise.resolve(1))).toThrow(/tidy only supports synchronous functions/);
  });
});

describe('DisposedError, BackendError, and the rest', () => {
  it('use after dispose, directly or by tidy', () => {
    const x = g.tensor([1, 2]);
    x.name = 'weights';
    x.dispose();
    expect(x.isDisposed).toBe(true);
    const e = caught(() => x.add(1), g.DisposedError, 'E_DISPOSED');
    expect(e.message).toMatch(/Tensor 'weights' \[2\] float32 was disposed .* cannot be used/);
    expect(() => x.dataSync()).toThrow(g.DisposedError);
    let leaked: g.Tensor | null = null;
    g.tidy(() => {
      leaked = g.ones([3]).mul(2);
    });
    expect(() => leaked!.sum()).toThrow(g.DisposedError);
    x.dispose(); // disposing twice is harmless
  });

  it('unknown backends and unsupported kernels name what is available', () => {
    const e = caught(() => g.setBackend('webgpu-turbo'), g.BackendError, 'E_BACKEND');
    expect(e.message).toMatch(/no backend named 'webgpu-turbo' is registered \(registered: .*reference/);
    const u = new g.UnsupportedKernelError('tfjs-wasm', 'conv2dBackpropFilter', 'no kernel registered');
    expect(u.code).toBe('E_UNSUPPORTED_KERNEL');
    expect(u.message).toBe(
      "Backend 'tfjs-wasm' does not support kernel 'conv2dBackpropFilter': no kernel registered.",
    );
    expect([u.backend, u.kernel]).toEqual(['tfjs-wasm', 'conv2dBackpropFilter']);
  });

  it('abort signals', () => {
    const ctl = new AbortController();
    expect(() => g.throwIfAborted(ctl.signal, 'training')).not.toThrow();
    ctl.abort();
    expect(caught(() => g.throwIfAborted(ctl.signal, 'training'), g.AbortError, 'E_ABORTED').message).toBe(
      'training was aborted.',
    );
  });
});
