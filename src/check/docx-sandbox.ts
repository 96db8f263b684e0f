import { Worker } from "node:worker_threads";
import pLimit from "p-limit";
import {
  entryDataOffset,
  readZipDirectory,
  type ZipEntry,
  ZipFormatError,
} from "./zip-directory.js";

/**
 * Parses a .docx within bounds, for the chat upload, the terminal and the `check` CLI alike:
 * 1. the zip's central directory is read first, and a file whose declared sizes or entry count
 *    are beyond any report is refused before anything is inflated;
 * 2. the parse runs in a worker thread with a capped heap and a wall-clock limit, so a bomb that
 *    lies about its sizes kills only the worker, and other chats keep being answered meanwhile;
 * 3. the worker stops while inflating document.xml (bytes, paragraphs, text), before mammoth.
 */

export interface DocxLimits {
  /** Declared, and then inflated, size of word/document.xml. */
  maxXmlBytes: number;
  /** Declared size of all entries together. */
  maxTotalBytes: number;
  maxEntries: number;
  maxParagraphs: number;
  /** Characters of text in document.xml (outside the markup). */
  maxTextChars: number;
  /** The worker's old-generation heap. */
  heapMb: number;
  /** Wall-clock limit of one parse. */
  timeoutMs: number;
}

/** A real report's document.xml is well under 2 MB; these leave ten times the room. */
export const DOCX_LIMITS: DocxLimits = {
  maxXmlBytes: 20 * 1024 * 1024,
  maxTotalBytes: 50 * 1024 * 1024,
  maxEntries: 1000,
  maxParagraphs: 50_000,
  maxTextChars: 300_000,
  heapMb: 256,
  timeoutMs: 20_000,
};

/** At most this many parses at once: each may take its heap limit. */
const PARALLEL_PARSES = 2;
const parses = pLimit(PARALLEL_PARSES);

/** Why a document was refused: "too-large" covers every bound, "bad" a damaged file. */
export type DocxOutcome =
  | { kind: "text"; text: string }
  | { kind: "too-large"; reason: string }
  | { kind: "too-long" }
  | { kind: "bad"; reason: string };

/** What the worker posts (docx-worker.mjs). */
type DocxWorkerReply =
  | { kind: "text"; text: string }
  | { kind: "limit"; limit: "bytes" | "paragraphs" | "text" }
  | { kind: "bad"; message: string };

const WORKER = new URL("./docx-worker.mjs", import.meta.url);
const DOCUMENT = "word/document.xml";

export function parseDocxBounded(
  data: Uint8Array,
  limits: DocxLimits = DOCX_LIMITS,
): Promise<DocxOutcome> {
  let document: ZipEntry;
  let start: number;
  try {
    const entries = readZipDirectory(data);
    const refusal = declaredRefusal(entries, limits);
    if (refusal) return Promise.resolve({ kind: "too-large", reason: refusal });
    const found = entries.find((e) => e.name === DOCUMENT);
    if (!found) return Promise.resolve({ kind: "bad", reason: `no ${DOCUMENT}` });
    document = found;
    start = entryDataOffset(data, found);
  } catch (error) {
    if (!(error instanceof ZipFormatError)) throw error;
    return Promise.resolve({ kind: "bad", reason: error.message });
  }
  return parses(() => inWorker(data, { ...document, start }, limits));
}

function declaredRefusal(entries: ZipEntry[], limits: DocxLimits): string | undefined {
  if (entries.length > limits.maxEntries) return `${entries.length} entries`;
  const xml = entries.find((e) => e.name === DOCUMENT)?.uncompressedSize ?? 0;
  if (xml > limits.maxXmlBytes) return `${xml} bytes declared for ${DOCUMENT}`;
  const total = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (total > limits.maxTotalBytes) return `${total} bytes declared in all`;
  return undefined;
}

function inWorker(
  data: Uint8Array,
  document: ZipEntry & { start: number },
  limits: DocxLimits,
): Promise<DocxOutcome> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER, {
      workerData: { data, document, limits },
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 16 },
    });
    let settled = false;
    const settle = (outcome: DocxOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => settle({ kind: "too-large", reason: `no result within ${limits.timeoutMs} ms` }),
      limits.timeoutMs,
    );
    worker.on("message", (reply: DocxWorkerReply) => settle(outcomeOf(reply)));
    worker.on("error", (error: Error & { code?: string }) =>
      settle(
        error.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? { kind: "too-large", reason: `heap limit of ${limits.heapMb} MB reached` }
          : { kind: "bad", reason: error.message },
      ),
    );
    worker.on("exit", (code) => settle({ kind: "bad", reason: `worker exited (${code})` }));
  });
}

function outcomeOf(reply: DocxWorkerReply): DocxOutcome {
  switch (reply.kind) {
    case "text":
      return reply;
    case "limit":
      return reply.limit === "text"
        ? { kind: "too-long" }
        : { kind: "too-large", reason: `${reply.limit} limit while inflating` };
    case "bad":
      return { kind: "bad", reason: reply.message };
  }
}
