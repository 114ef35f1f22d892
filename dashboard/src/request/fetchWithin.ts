// Every request the page makes ends within a bounded time: a hung server (or a
// proxy holding the connection open) must turn into an error the page can show
// and retry, never into a "Loading…" that lasts forever.

/**
 * How long any request may take, answer body included. The API function itself
 * gives up at 10 s (serverless.yml `timeout: 10`) and the gateway then answers
 * with an error; 2 s more lets that answer, which says more than our own abort
 * would, arrive instead of racing it.
 */
export const REQUEST_TIMEOUT_MS = 12_000;

/** The request was cut off after `timeoutMs` without a complete answer. */
export class RequestTimeout extends Error {
  override readonly name = "RequestTimeout";
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${Math.round(timeoutMs / 1000)} s`);
  }
}

/**
 * fetch(url) and read the answer with `read`, both cancelled (AbortController)
 * after `timeoutMs` or when the caller's `signal` aborts. A timeout throws
 * RequestTimeout; the caller's abort rethrows the browser's AbortError.
 */
export async function fetchWithin<T>(
  url: string,
  init: RequestInit,
  read: (response: Response) => Promise<T>,
  timeoutMs: number = REQUEST_TIMEOUT_MS,
): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  // Not AbortSignal.any: it is younger than the browsers the build targets.
  const outer = init.signal;
  const forward = () => controller.abort();
  if (outer?.aborted) controller.abort();
  else outer?.addEventListener("abort", forward, { once: true });
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    return await read(response);
  } catch (error) {
    if (timedOut && !outer?.aborted) throw new RequestTimeout(timeoutMs);
    throw error;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", forward);
  }
}
