// @ts-check
/**
 * The .docx parse, in a worker thread with a capped heap (docx-sandbox.ts starts it). Plain
 * JavaScript because a worker does not inherit the tsx loader of the main thread (bin/, vitest).
 *
 * It first inflates word/document.xml alone, with an output cap, and counts paragraphs and text,
 * so a bomb stops while it inflates and before mammoth builds a tree of millions of nodes; then
 * mammoth extracts the text as before. Messages: see DocxWorkerReply in docx-sandbox.ts.
 */
import { parentPort, workerData } from "node:worker_threads";
import { inflateRawSync } from "node:zlib";
import mammoth from "mammoth";

const { data, document, limits } = workerData;

/** @returns {string | undefined} the limit the document passes, if any */
function breach() {
  const compressed = data.subarray(document.start, document.start + document.compressedSize);
  let xml;
  try {
    xml =
      document.method === 0
        ? compressed
        : inflateRawSync(compressed, { maxOutputLength: limits.maxXmlBytes });
  } catch (error) {
    // Node reports an output past maxOutputLength as a RangeError.
    if (error instanceof RangeError) return "bytes";
    throw error;
  }
  if (xml.byteLength > limits.maxXmlBytes) return "bytes";
  const text = new TextDecoder().decode(xml);
  const paragraphs = text.match(/<w:p[\s/>]/g)?.length ?? 0;
  if (paragraphs > limits.maxParagraphs) return "paragraphs";
  const chars = text.replace(/<[^>]*>/g, "").replace(/\s+/g, "").length;
  if (chars > limits.maxTextChars) return "text";
  return undefined;
}

try {
  const limit = breach();
  if (limit) parentPort?.postMessage({ kind: "limit", limit });
  else {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(data) });
    parentPort?.postMessage({ kind: "text", text: result.value });
  }
} catch (error) {
  parentPort?.postMessage({ kind: "bad", message: String(error?.message ?? error) });
}
