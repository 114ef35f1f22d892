// A failed API request, classified by what a user can do about it, and said in
// words a user understands: which way it failed, not a stack of fetch internals.

export type FailureKind =
  /** No complete answer within the request timeout. */
  | "timeout"
  /** The browser reports itself offline. */
  | "offline"
  /** No answer at all: refused connection, DNS, TLS, or a CORS refusal (indistinguishable from the page). */
  | "network"
  /** An answer with an error status. */
  | "http"
  /** A 2xx answer that is not JSON, or not the shape asked for. */
  | "malformed";

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    /** "GET /candles?symbol=BTCUSDT&tf=1h" */
    readonly request: string,
    readonly kind: FailureKind,
    /** HTTP status; 0 when there was no answer. */
    readonly status: number,
    /** The API's own message, the timeout, or what was wrong with the answer. */
    readonly detail: string,
    /** For "timeout": the limit that was hit. */
    readonly timeoutMs = 0,
  ) {
    super("");
    this.message = `${request}: ${describeFailure(this)}`;
  }
}

/** Why a request failed, as a clause: "the API did not answer within 12 s". */
export function describeFailure(error: Pick<ApiError, "kind" | "status" | "detail" | "timeoutMs">): string {
  const detail = error.detail ? `: ${error.detail}` : "";
  switch (error.kind) {
    case "timeout":
      return `the API did not answer within ${error.timeoutMs >= 1_000 ? `${Math.round(error.timeoutMs / 1000)} s` : `${error.timeoutMs} ms`}`;
    case "offline":
      return "the browser is offline";
    case "network":
      return "the API could not be reached (is it running, and does it allow this page's origin?)";
    case "malformed":
      return `the API answered with malformed data${detail}`;
    case "http":
      if (error.status === 401) return `the API did not accept the sign-in (401${detail}): sign in again, or reload the page`;
      if (error.status === 403) return `the API refused access (403${detail}): sign in with an account that has the dashboard role`;
      if (error.status >= 500) return `the API answered ${error.status}${detail}`;
      return `the API refused the request (${error.status}${detail})`;
  }
}

/**
 * Whether trying again later can help: a timeout, a lost connection, a server
 * error, a throttle or a garbled answer may pass; a refused sign-in or a bad or
 * unknown request will be refused the same way until someone changes something.
 */
export function retryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.kind !== "http") return true;
  return error.status >= 500 || error.status === 408 || error.status === 429;
}

/**
 * Whether the failure means the API is not serving this page (the connection
 * badge must not say "live"): every kind except a request the API answered and
 * refused on its merits (400, 404, …), which says the API works.
 */
export function apiUnavailable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.kind !== "http") return true;
  return error.status >= 500 || error.status === 401 || error.status === 403 || error.status === 408 || error.status === 429;
}

/** The one-line summary the connection badge shows for an API that is not serving. */
export function badgeSummary(error: ApiError): string {
  if (error.kind === "http" && (error.status === 401 || error.status === 403)) return "API refuses sign-in";
  if (error.kind === "http" || error.kind === "malformed") return "API failing";
  return "API not answering";
}
