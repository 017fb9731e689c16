/** The kernels exported by the wasm module (assembly/index.ts). Pointers are byte offsets. */
export interface WasmExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  fill32(dst: number, n: number, bits: number): void;
  copy32(dst: number, src: number, n: number): void;
  unaryF32(op: number, x: number, y: number, n: number, alpha: number, beta: number, threshold: number): void;
  unaryI32(op: number, x: number, y: number, n: number, alpha: number, beta: number, threshold: number): void;
  binaryF32(op: number, mode: number, a: number, b: number, out: number, n: number): void;
  binaryI32(op: number, mode: number, a: number, b: number, out: number, n: number): void;
  binaryBroadcast(
    op: number,
    isInt: number,
    a: number,
    b: number,
    out: number,
    rank: number,
    p: number,
  ): void;
  whereBroadcast(c: number, a: number, b: number, out: number, rank: number, p: number): void;
  castF32ToI32(x: number, y: number, n: number): void;
  castI32ToF32(x: number, y: number, n: number): void;
  reduceRows(op: number, isInt: number, x: number, out: number, outer: number, n: number): void;
  reduceCols(
    op: number,
    isInt: number,
    x: number,
    out: number,
    outer: number,
    r: number,
    inner: number,
    acc: number,
  ): void;
  argReduce(
    isMax: number,
    isInt: number,
    x: number,
    out: number,
    outer: number,
    n: number,
    inner: number,
    state: number,
  ): void;
  sgemm(
    m: number,
    n: number,
    k: number,
    a: number,
    rsA: number,
    csA: number,
    b: number,
    rsB: number,
    csB: number,
    c: number,
    ldc: number,
    accumulate: number,
    work: number,
  ): void;
  gemmSetBlocking(kc: number, mc: number, nc: number): void;
  gemmWorkBytes(): number;
  im2col(x: number, col: number, r0: number, rows: number, p: number): void;
  col2im(col: number, dx: number, r0: number, rows: number, p: number): void;
  convDirectSupported(): number;
  convPackFilter(f: number, k: number, cout: number, dst: number): void;
  convOffsets(p: number, offs: number): void;
  conv2dDirect(
    x: number,
    fp: number,
    y: number,
    p: number,
    offs: number,
    k0: number,
    kc: number,
    acc: number,
    tmp: number,
  ): void;
  convFlipFilter(f: number, dst: number, kh: number, kw: number, cin: number, cout: number): void;
  maxPool2d(x: number, y: number, p: number): void;
  maxPool2dBackward(dy: number, x: number, dx: number, p: number): void;
  avgPool2d(x: number, y: number, p: number): void;
  avgPool2dBackward(dy: number, dx: number, p: number): void;
  stridedCopy(src: number, dst: number, rank: number, p: number): void;
  transpose2d(src: number, dst: number, batch: number, rows: number, cols: number): void;
  gather(x: number, idx: number, out: number, outer: number, n: number, k: number, inner: number): void;
  scatterAdd(
    idx: number,
    upd: number,
    out: number,
    outer: number,
    n: number,
    k: number,
    inner: number,
    isInt: number,
  ): void;
  biasAct(
    y: number,
    bias: number,
    rows: number,
    n: number,
    biasLen: number,
    act: number,
    alpha: number,
  ): void;
  batchNormTrain(
    x: number,
    gamma: number,
    beta: number,
    y: number,
    mean: number,
    invStd: number,
    rows: number,
    c: number,
    eps: number,
    acc: number,
  ): void;
  batchNormBackward(
    dy: number,
    x: number,
    gamma: number,
    mean: number,
    invStd: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    rows: number,
    c: number,
    acc: number,
  ): void;
  softmaxCrossEntropy(
    logits: number,
    labels: number,
    loss: number,
    probs: number,
    b: number,
    cls: number,
  ): void;
  adamUpdate(
    param: number,
    grad: number,
    m: number,
    v: number,
    vMax: number,
    n: number,
    beta1: number,
    omb1: number,
    beta2: number,
    omb2: number,
    eps: number,
    wdCoupled: number,
    decayScale: number,
    useDecoupled: number,
    stepSize: number,
    bc2Sqrt: number,
  ): void;
  sgdUpdate(
    param: number,
    grad: number,
    buf: number,
    n: number,
    lr: number,
    momentum: number,
    omDampening: number,
    wd: number,
    nesterov: number,
    firstStep: number,
  ): void;
}
