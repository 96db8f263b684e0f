/**
 * The 《title》 spans of a text as [start, end) offsets, outermost only: 《《》》 nests, a 》 without
 * its 《 is plain text, and a title never runs past the end of a line (an unclosed 《 is plain).
 */
export function titleSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "《") {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === "》" && depth > 0) {
      depth--;
      if (depth === 0) spans.push([start, i + 1]);
    } else if (ch === "\n") depth = 0;
  }
  return spans;
}

/** `text` with every 《title》 span (《》 included) replaced by `by(span)`. */
export function replaceTitles(text: string, by: (span: string) => string): string {
  let out = "";
  let at = 0;
  for (const [start, end] of titleSpans(text)) {
    out += text.slice(at, start) + by(text.slice(start, end));
    at = end;
  }
  return out + text.slice(at);
}
