/**
 * A tiny, strict XML reader for tests: enough to check that a chart is well-formed and to
 * count and inspect its elements, without snapshot files.
 */
export interface XmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
  parent: XmlElement | null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
function decode(s: string): string {
  if (/&(?!(amp|lt|gt|quot|#39);)/.test(s)) throw new Error(`unescaped & in ${s}`);
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e]!);
}

export function parseXml(src: string): XmlElement {
  const root: XmlElement = { tag: '#root', attrs: {}, children: [], text: '', parent: null };
  let cur = root;
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let pos = 0;
  while (pos < src.length) {
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new Error(`malformed XML at ${pos}: ${src.slice(pos, pos + 40)}`);
    pos = re.lastIndex;
    if (m[5] !== undefined) {
      cur.text += decode(m[5]);
      continue;
    }
    const [, close, tag, attrSrc, selfClose] = m as unknown as [string, string, string, string, string];
    if (close) {
      if (cur.tag !== tag) throw new Error(`mismatched </${tag}>, open element is <${cur.tag}>`);
      cur = cur.parent!;
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrSrc.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} on <${tag}>`);
      attrs[a[1]!] = decode(a[2]!);
    }
    const el: XmlElement = { tag, attrs, children: [], text: '', parent: cur };
    cur.children.push(el);
    if (!selfClose) cur = el;
  }
  if (cur !== root) throw new Error(`unclosed <${cur.tag}>`);
  if (root.children.length !== 1) throw new Error(`expected one root element, got ${root.children.length}`);
  return root.children[0]!;
}

export function findAll(
  el: XmlElement,
  pred: (e: XmlElement) => boolean,
  out: XmlElement[] = [],
): XmlElement[] {
  if (pred(el)) out.push(el);
  for (const c of el.children) findAll(c, pred, out);
  return out;
}

export const byTag = (tag: string) => (e: XmlElement) => e.tag === tag;
export const byClass = (cls: string) => (e: XmlElement) => (e.attrs.class ?? '').split(/\s+/).includes(cls);
export function allText(el: XmlElement): string {
  return el.text + el.children.map(allText).join(' ');
}
