import { fmtShape, ShapeError } from '@gradsight/core';

/**
 * The error every layer raises for a bad input: it names the layer type and its path in the
 * model, the shape received and the shape expected, so a user can find the culprit in a deep
 * model from the message alone.
 */
export function layerShapeError(
  layer: string,
  received: readonly number[],
  expected: string,
  detail = '',
): ShapeError {
  return new ShapeError(
    `${layer}: got input of shape ${fmtShape(received)}, expected ${expected}${detail ? `; ${detail}` : ''}.`,
  );
}
