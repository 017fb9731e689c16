// Entry point of the wasm module: every export is a kernel JS calls with pointers into the
// module's own linear memory (managed by the allocator in src/heap.ts).
export { heapBase, fill32, copy32 } from './common';
export { unaryF32, unaryI32 } from './unary';
export { binaryF32, binaryI32, binaryBroadcast } from './binary';
export { whereBroadcast, castF32ToI32, castI32ToF32 } from './where-cast';
export { reduceRows, reduceCols, argReduce } from './reduce';
export { sgemm, gemmSetBlocking, gemmWorkBytes } from './gemm';
export { im2col, col2im } from './conv';
export { maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward } from './pool';
export { stridedCopy, transpose2d, gather, scatterAdd } from './layout';
export { biasAct, batchNormTrain, batchNormBackward, softmaxCrossEntropy } from './fused';
export { adamUpdate, sgdUpdate } from './optim';
export { convDirectSupported, convPackFilter, convOffsets, conv2dDirect, convFlipFilter } from './conv-direct';
