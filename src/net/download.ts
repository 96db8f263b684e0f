import { open } from "node:fs/promises";
import type { Agent, IncomingMessage } from "node:http";
import { get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";
import { isAbsolute } from "node:path";

/**
 * Downloads a file the Bot API holds: `<apiRoot>/file/bot<token>/<file_path>` over http:// or
 * https:// (a local Bot API server often speaks plain http; the files plugin insists on https),
 * or, when the server runs with --local and answers an absolute path, from the disk. Through
 * the Bot API's proxy agent, with an HTTP status check, a time limit and a size limit.
 * node:http rather than fetch: Node 20's fetch takes no http.Agent, so no proxy.
 */

export interface DownloadOptions {
  apiRoot: string;
  token: string;
  agent?: Agent;
  maxBytes: number;
  timeoutMs: number;
}

export type DownloadFailure = "too-large" | "http-status" | "timeout" | "network";

export class DownloadError extends Error {
  override name = "DownloadError";
  constructor(
    readonly kind: DownloadFailure,
    message: string,
    /** The bytes seen when the size limit was passed. */
    readonly bytes?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const DOWNLOAD_TIMEOUT_MS = 60_000;

export async function downloadFile(filePath: string, options: DownloadOptions): Promise<Buffer> {
  if (isAbsolute(filePath)) return readLocal(filePath, options.maxBytes);
  const url = `${options.apiRoot.replace(/\/+$/, "")}/file/bot${options.token}/${filePath}`;
  return fetchBounded(url, options);
}

/** The URL with the token hidden, for messages. */
function shown(url: string, token: string): string {
  return url.replace(token, "<token>");
}

function fetchBounded(url: string, options: DownloadOptions): Promise<Buffer> {
  const get = url.startsWith("https:") ? httpsGet : httpGet;
  const where = shown(url, options.token);
  return new Promise((resolve, reject) => {
    const signal = AbortSignal.timeout(options.timeoutMs);
    const request = get(url, { signal, ...(options.agent ? { agent: options.agent } : {}) });
    const fail = (error: DownloadError): void => {
      request.destroy();
      reject(error);
    };
    const failed = (cause: Error): void =>
      fail(
        signal.aborted
          ? new DownloadError(
              "timeout",
              `download of ${where} took over ${options.timeoutMs} ms`,
              undefined,
              { cause },
            )
          : new DownloadError(
              "network",
              `download of ${where} failed: ${cause.message}`,
              undefined,
              { cause },
            ),
      );
    request.on("error", failed);
    request.on("response", (response: IncomingMessage) => {
      if (response.statusCode !== 200) {
        response.resume();
        fail(
          new DownloadError(
            "http-status",
            `download of ${where} answered HTTP ${response.statusCode}`,
          ),
        );
        return;
      }
      const announced = Number(response.headers["content-length"] ?? Number.NaN);
      if (announced > options.maxBytes) {
        fail(new DownloadError("too-large", `${where} is ${announced} bytes`, announced));
        return;
      }
      response.on("error", failed);
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > options.maxBytes)
          fail(new DownloadError("too-large", `${where} passed ${options.maxBytes} bytes`, size));
        else chunks.push(chunk);
      });
      response.on("end", () => resolve(Buffer.concat(chunks)));
    });
  });
}

async function readLocal(path: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new DownloadError("too-large", `${path} is ${size} bytes`, size);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
