/**
 * A tiny SVG tree and its serialiser. Charts build `SvgNode`s rather than strings so that
 * callers can compose them (wrap a chart in a `<g>`, put two side by side) before serialising
 * once with {@link svgToString}. No DOM is involved, so this runs in Node and in the browser.
 */

export type AttrValue = string | number | boolean | null | undefined;

export interface SvgNode {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, AttrValue>>;
  readonly children: readonly SvgChild[];
}

/** A child is a node or raw text (escaped when serialised). */
export type SvgChild = SvgNode | string;

export type SvgChildren = SvgChild | null | undefined | false | readonly SvgChildren[];

/** Creates an element. `null`/`undefined`/`false` attributes and children are omitted; arrays are flattened. */
export function h(tag: string, attrs: Record<string, AttrValue> = {}, ...children: SvgChildren[]): SvgNode {
  const flat: SvgChild[] = [];
  const add = (c: SvgChildren): void => {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) for (const x of c as readonly SvgChildren[]) add(x);
    else flat.push(c as SvgChild);
  };
  for (const c of children) add(c);
  return { tag, attrs, children: flat };
}

/** Escapes text and attribute values for XML. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => {
    switch (ch) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&#39;';
    }
  });
}

function fmtAttr(v: AttrValue): string | null {
  if (v === null || v === undefined || v === false) return null;
  if (v === true) return '';
  if (typeof v === 'number') {
    // Coordinates rounded to 0.01 px keep files small and diffs stable.
    return Number.isFinite(v) ? String(Math.round(v * 100) / 100) : '0';
  }
  return v;
}

/** Serialises a node (and its subtree). A root `<svg>` gets the SVG namespace if it lacks one. */
export function svgToString(node: SvgNode, indent = false): string {
  const out: string[] = [];
  const write = (n: SvgChild, depth: number): void => {
    const pad = indent ? `\n${'  '.repeat(depth)}` : '';
    if (typeof n === 'string') {
      out.push(escapeXml(n));
      return;
    }
    let attrs = '';
    const all =
      n.tag === 'svg' && depth === 0 && !('xmlns' in n.attrs)
        ? { xmlns: 'http://www.w3.org/2000/svg', ...n.attrs }
        : n.attrs;
    for (const [k, v] of Object.entries(all)) {
      const s = fmtAttr(v);
      if (s === null) continue;
      attrs += ` ${k}="${escapeXml(s)}"`;
    }
    if (n.children.length === 0) {
      out.push(`${depth > 0 ? pad : ''}<${n.tag}${attrs}/>`);
      return;
    }
    out.push(`${depth > 0 ? pad : ''}<${n.tag}${attrs}>`);
    const textOnly = n.children.every((c) => typeof c === 'string');
    for (const c of n.children) write(c, depth + 1);
    out.push(`${textOnly || !indent ? '' : pad}</${n.tag}>`);
  };
  write(node, 0);
  return out.join('');
}

let idCounter = 0;
/**
 * A document-unique id prefix for `aria-labelledby`, gradients and patterns. Callers that need
 * reproducible output (committed SVGs, tests) pass their own `id`.
 */
export function uniqueId(prefix: string): string {
  idCounter++;
  return `${prefix}-${idCounter}`;
}
