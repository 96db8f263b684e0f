/**
 * Start-up failures of the network layer, apart from proxy.ts and startup.ts so that the command
 * line can recognise them without loading grammY or the proxy agents (issue 17: load per command).
 */

/** A proxy URL that cannot be used (unknown scheme, malformed). */
export class ProxyError extends Error {
  override name = "ProxyError";
}

/** The Bot API could not be reached at start-up; `zh` and `en` say what to do. */
export class StartupError extends Error {
  override name = "StartupError";
  constructor(
    readonly zh: string,
    readonly en: string,
    options?: { cause?: unknown },
  ) {
    super(en, options);
  }
}
