/**
 * Module-resolution hook that lets Node load tfjs-core's ES-module files. tfjs-core 4.22's
 * Node entry (dist/tf-core.node.js) registers no gradient functions; they are registered by
 * dist/register_all_gradients.js, an ES module whose relative imports have no extension
 * ('./gradients/Abs_grad'), which Node's ESM resolver rejects ('./gradients' is even both a
 * file and a directory). This hook appends '.js' to such imports inside tfjs-core/dist.
 * The second copy of tfjs-core code that this loads shares the engine and the gradient
 * registry with the Node entry, since tfjs keeps both on a global.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<unknown>;

export async function resolve(
  specifier: string,
  context: ResolveContext,
  next: NextResolve,
): Promise<unknown> {
  const parent = context.parentURL;
  if (
    parent?.includes('/@tensorflow/tfjs-core/dist/') &&
    specifier.startsWith('.') &&
    !specifier.endsWith('.js')
  ) {
    const url = new URL(`${specifier}.js`, parent);
    if (existsSync(fileURLToPath(url))) return { url: url.href, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}
