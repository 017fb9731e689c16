/**
 * viz depends on no workspace package, so it has its own error class, shaped like core's
 * typed errors: a stable `code` and a message naming the chart, what it got and what it expected.
 */
export class VizInputError extends Error {
  readonly code = 'E_VIZ_INPUT' as const;
  constructor(message: string) {
    super(message);
    this.name = 'VizInputError';
  }
}
