/**
 * Why a REST call to an exchange gave nothing usable. Each ends the exchange's
 * backfill for this window (its gaps stay recorded, retried next window); none
 * fails the window. `kind` says which: the exchange asked us to slow down
 * (429, or 418 = banned for not slowing down), refused this location (451/403),
 * or could not be reached or answered something else.
 */
export type RestFailureKind = "rate-limited" | "refused" | "unavailable";

export class RestFailure extends Error {
  override readonly name = "RestFailure";
  constructor(
    readonly exchange: string,
    readonly kind: RestFailureKind,
    message: string,
    /** Retry-After in ms, when the exchange sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(`${exchange} REST ${kind}: ${message}`);
  }
}

/** The call would wait past the window's deadline for its rate-limit tokens. */
export class RestBudgetExhausted extends Error {
  override readonly name = "RestBudgetExhausted";
}

/** GET a JSON answer, turning every failure into a RestFailure that names the exchange. */
export async function restGetJson(exchange: string, url: string, signal: AbortSignal, timeoutMs = 5000): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
  } catch (error) {
    throw new RestFailure(exchange, "unavailable", `${withoutQuery(url)}: ${(error as Error).message}`);
  }
  if (response.status === 429 || response.status === 418) {
    const retryAfter = Number(response.headers.get("retry-after"));
    await response.body?.cancel();
    throw new RestFailure(exchange, "rate-limited", `HTTP ${response.status}`, Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined);
  }
  if (response.status === 451 || response.status === 403) {
    await response.body?.cancel();
    throw new RestFailure(exchange, "refused", `HTTP ${response.status} to ${withoutQuery(url)}`);
  }
  if (!response.ok) {
    const text = (await response.text().catch(() => "")).slice(0, 200);
    throw new RestFailure(exchange, "unavailable", `HTTP ${response.status} to ${withoutQuery(url)} ${text}`);
  }
  try {
    return await response.json();
  } catch (error) {
    throw new RestFailure(exchange, "unavailable", `unreadable answer from ${withoutQuery(url)}: ${(error as Error).message}`);
  }
}

const withoutQuery = (url: string) => url.split("?")[0]!;
