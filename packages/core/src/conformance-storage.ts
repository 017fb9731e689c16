/** Conformance cases for storage (write/read/dispose), memory accounting and the interface shape. */
import type { Backend, DType, TypedArray } from './backend.js';
import { optionalKernels } from './backend.js';
import { type CaseSpec, type SuiteContext, withBackend } from './conformance-harness.js';
import { tensor } from './creation.js';
import { engine, memory, tidy } from './engine.js';
import { slice } from './ops-shape.js';

const REQUIRED = [
  'write',
  'readSync',
  'read',
  'disposeData',
  'memory',
  'unary',
  'binary',
  'where',
  'cast',
  'reduce',
  'argReduce',
  'matmul',
  'conv2d',
  'conv2dBackpropInput',
  'conv2dBackpropFilter',
  'maxPool2d',
  'maxPool2dBackward',
  'avgPool2d',
  'avgPool2dBackward',
  'transpose',
  'slice',
  'concat',
  'pad',
  'gather',
  'scatterAdd',
] as const;

function bitsEqual(what: string, got: TypedArray, want: ArrayLike<number>, dtype: DType): void {
  const typed = dtype === 'float32' ? got instanceof Float32Array : got instanceof Int32Array;
  if (!typed)
    throw new Error(
      `${what}: expected a ${dtype === 'float32' ? 'Float32Array' : 'Int32Array'}, got ${got.constructor.name}.`,
    );
  if (got.length !== want.length) throw new Error(`${what}: ${got.length} values, expected ${want.length}.`);
  for (let i = 0; i < want.length; i++) {
    const ok = Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i]));
    if (!ok) throw new Error(`${what}: value ${i} is ${got[i]}, expected ${want[i]} (bit for bit).`);
  }
}

const FLOATS = Float32Array.from([
  0,
  -0,
  1,
  -1.5,
  3.4028234663852886e38,
  -1.17549435e-38,
  1e-40,
  Number.NaN,
  Infinity,
  -Infinity,
  Math.PI,
]);
const INTS = Int32Array.from([0, 1, -1, 2147483647, -2147483648, 123456789]);

function roundTrip(b: Backend, values: TypedArray, dtype: DType, what: string): void {
  const source = values.slice();
  const id = b.write(source, dtype);
  try {
    source.fill(7); // the backend must have copied
    bitsEqual(`${what}: readSync after write`, b.readSync(id), values, dtype);
    const first = b.readSync(id);
    first.fill(9); // readSync must return a copy
    bitsEqual(`${what}: readSync after mutating an earlier readSync result`, b.readSync(id), values, dtype);
  } finally {
    b.disposeData(id);
  }
}

export function storageCases(ctx: SuiteContext): CaseSpec[] {
  return [
    {
      name: 'storage/interface',
      kernel: 'storage',
      run: (b) => {
        if (b.backendVersion !== 1)
          throw new Error(`backendVersion is ${String(b.backendVersion)}, expected 1.`);
        if (typeof b.name !== 'string' || b.name.length === 0)
          throw new Error('name must be a non-empty string.');
        const missing = REQUIRED.filter(
          (k) => typeof (b as unknown as Record<string, unknown>)[k] !== 'function',
        );
        if (missing.length)
          throw new Error(`backend '${b.name}' lacks required kernel(s): ${missing.join(', ')}.`);
        const bad = optionalKernels.filter((k) => k in b && typeof b[k] !== 'function' && b[k] !== undefined);
        if (bad.length)
          throw new Error(
            `backend '${b.name}': optional kernel(s) ${bad.join(', ')} must be functions or absent.`,
          );
      },
    },
    {
      name: 'storage/roundtrip',
      kernel: 'storage',
      run: (b) => {
        roundTrip(b, FLOATS, 'float32', 'float32 (±0, extremes, subnormal, NaN, ±Inf)');
        roundTrip(b, INTS, 'int32', 'int32 (extremes)');
        roundTrip(b, new Float32Array(0), 'float32', 'empty float32');
        roundTrip(b, new Int32Array(0), 'int32', 'empty int32');
        const big = Float32Array.from({ length: 100_003 }, (_, i) => Math.sin(i) * 1000);
        roundTrip(b, big, 'float32', '100003 float32 values');
      },
    },
    {
      name: 'storage/read-async',
      kernel: 'storage',
      run: async (b) => {
        const id = b.write(FLOATS, 'float32');
        try {
          bitsEqual('read()', await b.read(id), FLOATS, 'float32');
          const ints = b.write(INTS, 'int32');
          bitsEqual('read() int32', await b.read(ints), INTS, 'int32');
          b.disposeData(ints);
        } finally {
          b.disposeData(id);
        }
      },
    },
    {
      name: 'storage/memory-accounting',
      kernel: 'storage',
      run: (b) => {
        const m0 = b.memory();
        const ids = [
          b.write(new Float32Array(100), 'float32'),
          b.write(new Int32Array(50), 'int32'),
          b.write(new Float32Array(0), 'float32'),
        ];
        const m1 = b.memory();
        if (m1.numDataIds !== m0.numDataIds + 3)
          throw new Error(`memory().numDataIds went ${m0.numDataIds} → ${m1.numDataIds} after 3 writes.`);
        if (m1.numBytes < m0.numBytes + 600)
          throw new Error(`memory().numBytes went ${m0.numBytes} → ${m1.numBytes} after writing 600 bytes.`);
        for (const id of ids) b.disposeData(id);
        const m2 = b.memory();
        if (m2.numDataIds !== m0.numDataIds || m2.numBytes !== m0.numBytes) {
          throw new Error(
            `after disposing, memory() is ${JSON.stringify(m2)}, expected ${JSON.stringify(m0)} again.`,
          );
        }
        // churn: storage is reused or released, never accumulated
        for (let i = 0; i < 2000; i++) b.disposeData(b.write(new Float32Array(1 + (i % 97)), 'float32'));
        const m3 = b.memory();
        if (m3.numDataIds !== m0.numDataIds || m3.numBytes !== m0.numBytes) {
          throw new Error(
            `after 2000 write/dispose pairs, memory() is ${JSON.stringify(m3)}, expected ${JSON.stringify(m0)}.`,
          );
        }
      },
    },
    {
      name: 'storage/core-tensors',
      kernel: 'storage',
      run: (b) => {
        // through core: tidy frees kernel outputs on this backend; tensors created on another
        // backend move here on first use
        const elsewhere = withBackend(ctx.reference, () => tensor([1, 2, 3]));
        try {
          withBackend(b, () => {
            const m0 = memory();
            const sum = tidy(() => {
              const x = tensor([
                [1, 2],
                [3, 4],
              ]);
              return x
                .mul(2)
                .add(slice(elsewhere, [0], [2]))
                .sum()
                .item();
            });
            if (sum !== 26) throw new Error(`core ops on '${b.name}' computed ${sum}, expected 26.`);
            const m1 = memory();
            if (m1.numDataIds !== m0.numDataIds + 1 || m1.numTensors !== m0.numTensors) {
              throw new Error(
                `tidy left ${m1.numDataIds - m0.numDataIds - 1} extra handle(s) on '${b.name}' (numTensors ${m0.numTensors} → ${m1.numTensors}).`,
              );
            }
            const moved = elsewhere.dataSync();
            bitsEqual('a tensor moved from another backend', moved, [1, 2, 3], 'float32');
          });
        } finally {
          elsewhere.dispose();
        }
        if (engine.scopes.length !== 0) throw new Error('a tidy scope was left open.');
      },
    },
  ];
}
