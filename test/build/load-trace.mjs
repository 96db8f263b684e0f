// Records every module a process loads, one URL or path a line, in $LOAD_TRACE_FILE:
// `node --import ./test/build/load-trace.mjs …`. ES modules through a load hook (which runs in
// a thread of its own: it imports this file again there), CommonJS through Module._load.
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";
import { isMainThread } from "node:worker_threads";

let file = process.env.LOAD_TRACE_FILE;

if (isMainThread && file) {
  register(import.meta.url, { data: { file } });
  const load = Module._load;
  Module._load = function traced(request, parent, isMain) {
    const exports = load.call(this, request, parent, isMain);
    if (!request.startsWith("node:")) {
      try {
        appendFileSync(file, `${Module._resolveFilename(request, parent, isMain)}\n`);
      } catch {
        appendFileSync(file, `${request}\n`); // a built-in without the node: prefix
      }
    }
    return exports;
  };
}

/** Hook thread: where to write. */
export function initialize(data) {
  file = data.file;
}

export async function load(url, context, next) {
  if (!url.startsWith("node:")) appendFileSync(file, `${url}\n`);
  return next(url, context);
}
