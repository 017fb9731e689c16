/**
 * `@gradsight/core/conformance`: the test suite every backend must pass, as plain data (no test
 * framework). A backend package runs it with its own runner:
 *
 * ```ts
 * import { conformanceSuite } from '@gradsight/core/conformance';
 * for (const c of conformanceSuite({ backend: () => createWasmBackend(), skip: SKIP })) {
 *   it.skipIf(c.skipReason !== undefined)(c.name, c.run);
 * }
 * ```
 *
 * Every case compares the backend under test with a private `ReferenceBackend` (kernel by
 * kernel, on fixed edge cases and on fast-check properties), checks each optional fused kernel
 * against core's composition, and checks the gradient of every differentiable op against central
 * finite differences on the backend under test. Pass `goldens` (the parsed
 * packages/core/test/fixtures/ops.json) to also compare with PyTorch.
 */
import { type Backend, optionalKernels } from './backend.js';
import { convPoolCases } from './conformance-conv.js';
import { elementwiseCases } from './conformance-elementwise.js';
import { fusedCases } from './conformance-fused.js';
import { type GoldenFixture, goldenKernel, runGoldenCase } from './conformance-goldens.js';
import { elementwiseGradSpecs, gradCases } from './conformance-gradients.js';
import { nnGradSpecs } from './conformance-gradients-nn.js';
import { type CaseSpec, type SuiteContext, withBackend } from './conformance-harness.js';
import { layoutCases } from './conformance-layout.js';
import { propertyCases } from './conformance-properties.js';
import { reduceMatmulCases } from './conformance-reduce.js';
import { semanticsCases } from './conformance-semantics.js';
import { storageCases } from './conformance-storage.js';
import { unaryCases } from './conformance-unary.js';
import { ReferenceBackend } from './reference-backend.js';

export type { HostTensor, Tolerance } from './conformance-compare.js';
export { assertClose, closeEnough, EXACT, fmtValues, multiIndex } from './conformance-compare.js';
export type { GoldenCase, GoldenFixture, GoldenTensor } from './conformance-goldens.js';
export { goldenKernel, goldenOps, goldenTolerance, runGoldenCase } from './conformance-goldens.js';

export interface ConformanceCase {
  /** Unique, `/`-separated: `group/kernel-or-op/variant`, e.g. `matmul/odd-13x37@37x11/transposeA=true/transposeB=false`. */
  name: string;
  /** The Backend kernel the case is about (`unary`, `conv2dBackpropFilter`, `fusedMatmul`, `storage`, …). */
  kernel: string;
  /** Set when the skip list excludes the case; `run` then does nothing. */
  skipReason?: string;
  /** Throws a descriptive Error on any mismatch. */
  run(): void | Promise<void>;
}

export interface ConformanceOptions {
  /** The backend under test, or a (possibly async) factory called once, on the first case run. */
  backend: Backend | (() => Backend | Promise<Backend>);
  /**
   * Cases to skip, each with a reason (the compatibility table). A key matches a case when it
   * equals the case name or its kernel, or is a `/`-bounded prefix of the name
   * (`'unary/sin'` skips `unary/sin` and `unary/sin/specials`, not `unary/sinh`).
   */
  skip?: Record<string, string>;
  /** Seed of every random input and property run (default 0). */
  seed?: number;
  /** Runs per property test (default 100). */
  numRuns?: number;
  /** The PyTorch golden fixture (packages/core/test/fixtures/ops.json), to run its cases too. */
  goldens?: GoldenFixture;
}

function matches(key: string, c: { name: string; kernel: string }): boolean {
  return c.name === key || c.kernel === key || c.name.startsWith(key.endsWith('/') ? key : `${key}/`);
}

function skipReasonFor(
  skip: Record<string, string>,
  c: { name: string; kernel: string },
): string | undefined {
  for (const [key, reason] of Object.entries(skip)) if (matches(key, c)) return reason;
  return undefined;
}

function allSpecs(ctx: SuiteContext, goldens?: GoldenFixture): CaseSpec[] {
  const specs = [
    ...storageCases(ctx),
    ...semanticsCases(),
    ...unaryCases(ctx),
    ...elementwiseCases(ctx),
    ...reduceMatmulCases(ctx),
    ...convPoolCases(ctx),
    ...layoutCases(ctx),
    ...fusedCases(ctx),
    ...propertyCases(ctx),
    ...gradCases(ctx, [...elementwiseGradSpecs(), ...nnGradSpecs()]),
  ];
  for (const c of goldens?.cases ?? []) {
    specs.push({
      name: `golden/${c.name}`,
      kernel: goldenKernel(c.op),
      run: (b) => withBackend(b, () => runGoldenCase(c)),
    });
  }
  return specs;
}

/**
 * The comparison backend: the reference kernels without any optional fused kernel, so that
 * fused cases always compare with core's composition. Its own name keeps it from replacing the
 * engine's 'reference' instance when a case activates it.
 */
class ConformanceReference extends ReferenceBackend {
  override readonly name: string = 'conformance-reference';
  constructor() {
    super();
    for (const k of optionalKernels) Object.defineProperty(this, k, { value: undefined });
  }
}

/** The conformance cases for one backend, in a stable order, with the skip list applied. */
export function conformanceSuite(options: ConformanceOptions): ConformanceCase[] {
  const ctx: SuiteContext = {
    reference: new ConformanceReference(),
    seed: options.seed ?? 0,
    numRuns: options.numRuns ?? 100,
  };
  let backend: Promise<Backend> | null = null;
  const resolve = (): Promise<Backend> => {
    const b = options.backend;
    backend ??= Promise.resolve(typeof b === 'function' ? b() : b);
    return backend;
  };
  const skip = options.skip ?? {};
  const specs = allSpecs(ctx, options.goldens);
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name)) throw new Error(`conformance: duplicate case name '${s.name}'.`);
    seen.add(s.name);
  }
  return specs.map((s) => {
    const skipReason = skipReasonFor(skip, s);
    return {
      name: s.name,
      kernel: s.kernel,
      ...(skipReason !== undefined ? { skipReason } : {}),
      run: async () => {
        if (skipReason !== undefined) return;
        const b = await resolve();
        try {
          await s.run(b);
        } catch (err) {
          if (err instanceof Error && !err.message.includes(s.name))
            err.message = `[${s.name}] ${err.message}`;
          throw err;
        }
      },
    };
  });
}

/**
 * A markdown table for a backend's README: one row per kernel with its number of cases and
 * which are skipped and why. Built from the case list alone, so it needs no backend.
 */
export function compatibilityTable(
  skip: Record<string, string>,
  options: { goldens?: GoldenFixture } = {},
): string {
  const cases = conformanceSuite({ backend: () => new ReferenceBackend(), skip, goldens: options.goldens });
  const byKernel = new Map<string, ConformanceCase[]>();
  for (const c of cases) byKernel.set(c.kernel, [...(byKernel.get(c.kernel) ?? []), c]);
  const rows = [...byKernel].map(([kernel, list]) => {
    const skipped = list.filter((c) => c.skipReason !== undefined);
    let status: string;
    if (skipped.length === 0) status = '✅ supported';
    else if (skipped.length === list.length) status = '❌ not supported';
    else status = '⚠️ partial';
    const reasons = new Map<string, string[]>();
    for (const c of skipped) reasons.set(c.skipReason!, [...(reasons.get(c.skipReason!) ?? []), c.name]);
    const notes = [...reasons]
      .map(([reason, names]) => {
        const which =
          names.length === list.length
            ? 'all cases'
            : names.length <= 3
              ? names.map((n) => `\`${n}\``).join(', ')
              : `${names.length} cases`;
        return `${which}: ${reason.replace(/\|/g, '\\|')}`;
      })
      .join('; ');
    return `| \`${kernel}\` | ${status} | ${list.length - skipped.length}/${list.length} | ${notes} |`;
  });
  const unused = Object.keys(skip).filter((k) => !cases.some((c) => matches(k, c)));
  const lines = ['| kernel | status | cases run | skipped (reason) |', '|---|---|---|---|', ...rows];
  if (unused.length)
    lines.push('', `Skip entries matching no case: ${unused.map((k) => `\`${k}\``).join(', ')}.`);
  return `${lines.join('\n')}\n`;
}
