/** Conformance cases for the layout kernels: transpose, slice, concat, pad, gather, scatterAdd. */
import { EXACT, type HostTensor } from './conformance-compare.js';
import {
  type CaseSpec,
  caseRng,
  checkKernel,
  host,
  ints,
  type KernelCall,
  type SuiteContext,
  scaled,
  uniform,
} from './conformance-harness.js';
import type { Generator } from './random.js';

const nan = Number.NaN;

/** float32 with NaN, ±Inf and −0 mixed in: layout kernels move bits, they never compute. */
function values(g: Generator, shape: readonly number[], dtype: 'float32' | 'int32'): HostTensor {
  if (dtype === 'int32') return ints(g, shape, -1000, 1000);
  const t = uniform(g, shape, -5, 5);
  const v = t.values as Float32Array;
  const specials = [nan, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0];
  for (let i = 0; i < v.length; i += 7) v[i] = specials[(i / 7) % 4]!;
  return t;
}

function each(
  ctx: SuiteContext,
  kernel: string,
  variants: [label: string, shapes: number[][], call: KernelCall, int32Inputs?: number[]][],
): CaseSpec[] {
  const out: CaseSpec[] = [];
  for (const dtype of ['float32', 'int32'] as const) {
    const name = `${kernel}/${dtype}`;
    out.push({
      name,
      kernel,
      run: (backend) => {
        const g = caseRng(ctx, name);
        for (const [label, shapes, call] of variants) {
          checkKernel(
            `${kernel}/${dtype} ${label}`,
            backend,
            ctx,
            shapes.map((s) => values(g, s, dtype)),
            call,
            EXACT,
          );
        }
      },
    });
  }
  return out;
}

function transposeCases(ctx: SuiteContext): CaseSpec[] {
  const perms: [number[], number[]][] = [
    [
      [2, 3],
      [1, 0],
    ],
    [
      [2, 3, 4],
      [2, 0, 1],
    ],
    [
      [2, 3, 4],
      [0, 2, 1],
    ],
    [
      [2, 3, 4, 5],
      [3, 1, 0, 2],
    ],
    [
      [1, 4, 1, 3],
      [2, 0, 3, 1],
    ],
    [
      [2, 1, 3, 2, 2],
      [4, 2, 0, 3, 1],
    ],
    [[], []],
    [[5], [0]],
    [
      [0, 3],
      [1, 0],
    ],
    [
      [2, 0, 3],
      [2, 1, 0],
    ],
    [
      [3, 4],
      [0, 1],
    ],
    [
      [65, 47],
      [1, 0],
    ],
  ];
  return each(
    ctx,
    'transpose',
    perms.map(([shape, perm]) => [
      `${JSON.stringify(shape)} perm ${JSON.stringify(perm)}`,
      [shape],
      (b, xs) => b.transpose(xs[0]!, perm),
    ]),
  );
}

function sliceCases(ctx: SuiteContext): CaseSpec[] {
  const specs: [number[], number[], number[]][] = [
    [
      [4, 5],
      [1, 2],
      [2, 3],
    ],
    [
      [4, 5],
      [0, 0],
      [4, 5],
    ],
    [
      [2, 3, 4],
      [1, 0, 1],
      [1, 3, 2],
    ],
    [
      [2, 3, 4],
      [0, 1, 3],
      [2, 2, 1],
    ],
    [
      [4, 5],
      [2, 1],
      [0, 3],
    ],
    [[], [], []],
    [[5], [4], [1]],
    [
      [0, 3],
      [0, 1],
      [0, 2],
    ],
    [
      [3, 4, 5, 6],
      [1, 1, 2, 0],
      [2, 2, 3, 6],
    ],
  ];
  return each(
    ctx,
    'slice',
    specs.map(([shape, begin, size]) => [
      `${JSON.stringify(shape)} begin ${JSON.stringify(begin)} size ${JSON.stringify(size)}`,
      [shape],
      (b, xs) => b.slice(xs[0]!, begin, size),
    ]),
  );
}

function concatCases(ctx: SuiteContext): CaseSpec[] {
  const specs: [number[][], number][] = [
    [
      [
        [2, 3],
        [2, 4],
      ],
      1,
    ],
    [
      [
        [2, 3],
        [1, 3],
        [3, 3],
      ],
      0,
    ],
    [
      [
        [2, 3],
        [2, 0],
        [2, 2],
      ],
      1,
    ],
    [[[4, 2]], 0],
    [
      [
        [2, 3, 2],
        [2, 1, 2],
        [2, 2, 2],
      ],
      1,
    ],
    [
      [
        [2, 2, 3],
        [2, 2, 1],
      ],
      2,
    ],
    [
      [
        [0, 3],
        [0, 3],
      ],
      0,
    ],
    [
      [
        [0, 3],
        [2, 3],
      ],
      0,
    ],
    [[[5], [1], [3]], 0],
  ];
  return each(
    ctx,
    'concat',
    specs.map(([shapes, axis]) => [
      `${JSON.stringify(shapes)} axis ${axis}`,
      shapes,
      (b, xs) => b.concat(xs, axis),
    ]),
  );
}

function padCases(ctx: SuiteContext): CaseSpec[] {
  const specs: [number[], [number, number][], number][] = [
    [
      [2, 3],
      [
        [1, 2],
        [0, 1],
      ],
      0,
    ],
    [
      [2, 3],
      [
        [0, 0],
        [2, 0],
      ],
      -1.5,
    ],
    [
      [2, 2, 3],
      [
        [1, 0],
        [0, 1],
        [2, 2],
      ],
      7,
    ],
    [[4], [[3, 1]], 2],
    [[], [], 0],
    [
      [0, 2],
      [
        [1, 1],
        [0, 0],
      ],
      3,
    ],
    [
      [2, 3],
      [
        [0, 0],
        [0, 0],
      ],
      0,
    ],
    [
      [1, 3, 3, 2],
      [
        [0, 0],
        [1, 2],
        [2, 1],
        [0, 0],
      ],
      Number.NEGATIVE_INFINITY,
    ],
  ];
  return each(
    ctx,
    'pad',
    specs.map(([shape, paddings, value]) => [
      `${JSON.stringify(shape)} paddings ${JSON.stringify(paddings)} value ${value}`,
      [shape],
      (b, xs) => b.pad(xs[0]!, paddings, xs[0]!.dtype === 'int32' && !Number.isFinite(value) ? -9 : value),
    ]),
  );
}

interface IndexSpec {
  x: number[];
  indices: number[];
  indexShape: number[];
  axis: number;
}

const INDEX_SPECS: IndexSpec[] = [
  { x: [4, 3], indices: [2, 0, 2, 3], indexShape: [4], axis: 0 },
  { x: [4, 3], indices: [1, 1, 0], indexShape: [3], axis: 1 },
  { x: [2, 3, 4], indices: [2, 1, 2, 0], indexShape: [2, 2], axis: 1 },
  { x: [2, 3, 4], indices: [3, 0, 3, 3], indexShape: [4], axis: 2 },
  { x: [5], indices: [4], indexShape: [], axis: 0 },
  { x: [3, 2], indices: [], indexShape: [0], axis: 0 },
  { x: [1, 6], indices: [5, 0, 5, 1, 1, 2], indexShape: [2, 3], axis: 1 },
];

function gatherCases(ctx: SuiteContext): CaseSpec[] {
  const out: CaseSpec[] = [];
  for (const dtype of ['float32', 'int32'] as const) {
    const name = `gather/${dtype}`;
    out.push({
      name,
      kernel: 'gather',
      run: (backend) => {
        const g = caseRng(ctx, name);
        for (const s of INDEX_SPECS) {
          const inputs = [values(g, s.x, dtype), host(s.indexShape, 'int32', s.indices)];
          checkKernel(
            `${name} x${JSON.stringify(s.x)} indices ${JSON.stringify(s.indices)} axis ${s.axis}`,
            backend,
            ctx,
            inputs,
            (b, xs) => b.gather(xs[0]!, xs[1]!, s.axis),
            EXACT,
          );
        }
      },
    });
  }
  out.push({
    name: 'scatterAdd/float32',
    kernel: 'scatterAdd',
    run: (backend) => {
      const g = caseRng(ctx, 'scatterAdd/float32');
      for (const s of INDEX_SPECS) {
        const updShape = [...s.x.slice(0, s.axis), ...s.indexShape, ...s.x.slice(s.axis + 1)];
        const inputs = [host(s.indexShape, 'int32', s.indices), uniform(g, updShape)];
        const call: KernelCall = (b, xs) => b.scatterAdd(xs[0]!, xs[1]!, s.x, s.axis);
        // repeated indices add in any order: 1e-5 of Σ|updates| per cell
        checkKernel(
          `scatterAdd x${JSON.stringify(s.x)} indices ${JSON.stringify(s.indices)} axis ${s.axis}`,
          backend,
          ctx,
          inputs,
          call,
          scaled(ctx.reference, call, 1e-5, 0),
        );
      }
    },
  });
  return out;
}

export function layoutCases(ctx: SuiteContext): CaseSpec[] {
  return [
    ...transposeCases(ctx),
    ...sliceCases(ctx),
    ...concatCases(ctx),
    ...padCases(ctx),
    ...gatherCases(ctx),
  ];
}
