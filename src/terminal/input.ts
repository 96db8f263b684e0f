/**
 * Typed lines → messages. A terminal delivers one line at a time, but an answer or a report is
 * often several lines; these rules make one message of them:
 * - a bracketed paste (the terminal wraps pasted text in ESC[200~ … ESC[201~ once the program
 *   asks for it) is one message, however many lines it has;
 * - a line ending in `\` continues on the next line;
 * - a line `"""` (or a line ending in `"""`, such as `/check """`) opens a block that the next
 *   line `"""` closes.
 * The same rules apply to `chat --script` files.
 */

export const PASTE_START = "\x1b[200~";
export const PASTE_END = "\x1b[201~";
export const BLOCK_FENCE = '"""';
/** Asks the terminal to mark pastes (xterm and every common emulator), and to stop again. */
export const BRACKETED_PASTE_ON = "\x1b[?2004h";
export const BRACKETED_PASTE_OFF = "\x1b[?2004l";

type Open = "paste" | "block" | "continued";

export class MessageReader {
  #open: Open | undefined;
  #lines: string[] = [];

  /** True while a message spans lines and is not complete yet. */
  get open(): boolean {
    return this.#open !== undefined;
  }

  /** Takes one line; returns a complete message, or undefined while one is open (or blank). */
  push(raw: string): string | undefined {
    const line = raw.replace(/\r$/, "");
    switch (this.#open) {
      case "paste":
        return line.includes(PASTE_END)
          ? this.#close(line.replace(PASTE_END, ""))
          : this.#add(line);
      case "block":
        return line.trim() === BLOCK_FENCE ? this.#close() : this.#add(line);
      case "continued":
        return line.endsWith("\\") ? this.#add(line.slice(0, -1)) : this.#close(line);
      default:
        return this.#start(line);
    }
  }

  /** At the end of input: what an unclosed block or paste holds, as one message. */
  end(): string | undefined {
    return this.#open ? this.#close() : undefined;
  }

  #start(line: string): string | undefined {
    if (line.includes(PASTE_START)) {
      const rest = line.replace(PASTE_START, "");
      if (rest.includes(PASTE_END)) return nonEmpty(rest.replace(PASTE_END, ""));
      return this.#begin("paste", rest);
    }
    const trimmed = line.trimEnd();
    if (trimmed.endsWith(BLOCK_FENCE)) {
      return this.#begin("block", trimmed.slice(0, -BLOCK_FENCE.length));
    }
    if (trimmed.endsWith("\\")) return this.#begin("continued", trimmed.slice(0, -1));
    return nonEmpty(line);
  }

  #begin(open: Open, first: string): undefined {
    this.#open = open;
    this.#lines = first.trim() === "" ? [] : [first];
    return undefined;
  }

  #add(line: string): undefined {
    this.#lines.push(line);
    return undefined;
  }

  #close(last?: string): string | undefined {
    if (last !== undefined) this.#lines.push(last);
    const message = this.#lines.join("\n");
    this.#open = undefined;
    this.#lines = [];
    return nonEmpty(message);
  }
}

function nonEmpty(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === "" ? undefined : trimmed;
}
