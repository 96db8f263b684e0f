/**
 * Why a call gave no usable answer: it ran out of time (the call's limit, the silence limit or the
 * draft's deadline), the reply was cut (finish_reason other than "stop", or no finish at all), or
 * the endpoint failed (HTTP error, connection refused, unreadable stream).
 */
export type LlmFailureKind = "timeout" | "truncated" | "call";

export class LlmError extends Error {
  override name = "LlmError";
  constructor(
    readonly kind: LlmFailureKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
