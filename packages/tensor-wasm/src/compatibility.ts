/**
 * Conformance cases this backend skips, each with the reason (kernel or case name → reason).
 * Empty: every case of core's conformance suite passes on every build. The README's
 * compatibility table is generated from this list (core's `compatibilityTable`).
 */
export const WASM_SKIP: Readonly<Record<string, string>> = {};
