/**
 * A small XML reader for the OOXML parts docx writes: elements, attributes, text and the five
 * predefined entities plus character references. No DTDs, no CDATA (docx writes neither).
 * Test-only and about 80 lines: smaller than what an XML library would add to follow styles.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === "#") {
      return String.fromCodePoint(
        e[1] === "x" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
      );
    }
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[e] ?? "";
  });
}

const TOKEN =
  /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<\/([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
const ATTR = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: "#document", attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  let consumed = 0;
  for (const m of xml.matchAll(TOKEN)) {
    if (m.index !== consumed)
      throw new Error(`unparsed XML at ${consumed}: ${xml.slice(consumed, consumed + 40)}`);
    consumed = m.index + m[0].length;
    const [, close, open, attrText, selfClose, text] = m;
    const top = stack.at(-1) as XmlElement;
    if (close) {
      if (top.name !== close) throw new Error(`</${close}> closes <${top.name}>`);
      stack.pop();
    } else if (open) {
      const attrs: Record<string, string> = {};
      for (const a of (attrText ?? "").matchAll(ATTR))
        attrs[a[1] as string] = decode(a[2] ?? a[3] ?? "");
      const el: XmlElement = { name: open, attrs, children: [] };
      top.children.push(el);
      if (!selfClose) stack.push(el);
    } else if (text !== undefined) {
      top.children.push(decode(text));
    }
  }
  if (consumed !== xml.length || stack.length !== 1) throw new Error("truncated XML");
  const doc = root.children.find((c): c is XmlElement => typeof c !== "string");
  if (!doc) throw new Error("no root element");
  return doc;
}

export function elements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== "string");
}

/** The first child named `name`. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el ? elements(el).find((c) => c.name === name) : undefined;
}

/** Every descendant named `name`, in document order. */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of elements(e)) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

/** The first descendant named `name`. */
export function find(el: XmlElement, name: string): XmlElement | undefined {
  return descendants(el, name)[0];
}

/** The text a reader sees: every w:t in order. */
export function wText(el: XmlElement): string {
  if (el.name === "w:t") return el.children.filter((c) => typeof c === "string").join("");
  return elements(el).map(wText).join("");
}
