/** Encodes text as GBK for tests (Node has a GBK decoder but no encoder). */

let table: Map<string, [number, number]> | undefined;

function buildTable(): Map<string, [number, number]> {
  const decoder = new TextDecoder("gbk");
  const map = new Map<string, [number, number]>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(Uint8Array.of(lead, trail));
      if (char.length === 1 && char !== "\uFFFD" && !map.has(char)) map.set(char, [lead, trail]);
    }
  }
  return map;
}

export function encodeGbk(text: string): Uint8Array {
  table ??= buildTable();
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) {
      bytes.push(code);
      continue;
    }
    const pair = table.get(char);
    if (!pair) throw new Error(`not encodable in GBK: ${char}`);
    bytes.push(...pair);
  }
  return Uint8Array.from(bytes);
}
