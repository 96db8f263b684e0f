/**
 * Control characters shown, not obeyed: a file name or text that carries terminal escape
 * sequences (ESC [ 2 J clears the screen, OSC sets the title) or bidirectional overrides is
 * printed with those characters as \uXXXX. Line feeds, tabs and CRLF line ends stay as they are.
 * The \uXXXX form is also a valid escape inside a JSON string, so JSON output stays valid.
 */
const CONTROLS = /(?!\t|\n|\r\n)\p{Cc}|[\u202A-\u202E\u2066-\u2069]/gu;

export function showControls(text: string): string {
  return text.replace(
    CONTROLS,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
}
