/** Numeric op codes shared with the wasm module (assembly/scalar-math.ts, binary.ts, reduce.ts, fused.ts). */
import type { BinaryOp, FusedActivation, ReduceOp, UnaryOp } from '@gradsight/core';

const unaryOps: readonly UnaryOp[] = [
  'neg',
  'abs',
  'sign',
  'exp',
  'expm1',
  'log',
  'log1p',
  'sqrt',
  'rsqrt',
  'square',
  'reciprocal',
  'sin',
  'cos',
  'tanh',
  'sigmoid',
  'erf',
  'relu',
  'step',
  'leakyRelu',
  'elu',
  'selu',
  'gelu',
  'geluTanh',
  'softplus',
  'silu',
  'floor',
  'ceil',
  'round',
  'isNaN',
  'isFinite',
  'logicalNot',
];
const binaryOps: readonly BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'mod',
  'atan2',
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
  'logicalAnd',
  'logicalOr',
];

export const unaryCode = new Map<UnaryOp, number>(unaryOps.map((op, i) => [op, i]));
export const binaryCode = new Map<BinaryOp, number>(binaryOps.map((op, i) => [op, i]));
export const reduceCode: Record<ReduceOp, number> = { sum: 0, prod: 1, max: 2, min: 3 };
export const activationCode: Record<FusedActivation, number> = {
  none: 0,
  relu: 1,
  sigmoid: 2,
  tanh: 3,
  gelu: 4,
  leakyRelu: 5,
};

/** Comparisons and logical ops return an int32 0/1 mask. */
export function isMaskOp(op: BinaryOp): boolean {
  return binaryCode.get(op)! >= binaryCode.get('equal')!;
}
export function unaryIsMask(op: UnaryOp): boolean {
  return op === 'isNaN' || op === 'isFinite' || op === 'logicalNot';
}
