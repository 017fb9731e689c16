export * from './conformance-compare.js';
export * from './conformance-goldens.js';
