import { add, fmtShape, shapesEqual, type Tensor } from '@gradsight/core';
import { Module } from './module.js';

/**
 * `block(x) + shortcut(x)`, the shortcut being the identity unless given (e.g. a 1×1 Conv2d or
 * a Linear when the block changes the width). The identity path carries gradients past the
 * block undiminished, which is why deep residual nets train.
 */
export class Residual extends Module {
  readonly typeName: string = 'Residual';
  readonly block: Module;
  readonly shortcut: Module | null;

  constructor(block: Module, shortcut?: Module | null) {
    super();
    this.block = this.registerModule('block', block);
    this.shortcut = shortcut ? this.registerModule('shortcut', shortcut) : null;
  }

  forward(x: Tensor): Tensor {
    const y = this.block.call(x);
    const s = this.shortcut ? this.shortcut.call(x) : x;
    if (!shapesEqual(y.shape, s.shape)) {
      throw this.shapeError(
        x.shape,
        `an input for which the block and the shortcut agree`,
        `the block gives ${fmtShape(y.shape)} but the ${this.shortcut ? 'shortcut' : 'identity shortcut'} gives ${fmtShape(s.shape)}; pass a shortcut that maps the input to the block's output shape`,
      );
    }
    return add(y, s);
  }
}
