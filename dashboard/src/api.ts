// The REST API client: every call carries the bearer token when there is one, ends
// within the request timeout (fetchWithin), and either answers or throws an
// ApiError saying which request failed and how. Every outcome is reported, so the
// connection badge can say whether the API answers.
import { ApiError } from "./request/apiError.ts";
import { fetchWithin, REQUEST_TIMEOUT_MS, RequestTimeout } from "./request/fetchWithin.ts";

export { ApiError } from "./request/apiError.ts";

export type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  /** Aborts the request (the view went away, or asked another question): nothing is reported. */
  signal?: AbortSignal;
  /** Who asked (a loader's id): a failure stays counted against the API until this source succeeds. */
  source?: string;
  /** Checks an answer's shape; returns what is wrong, if anything. */
  check?: (answer: unknown) => string | undefined;
}

export interface ApiClientOptions {
  baseUrl: string;
  token: () => string | undefined;
  onUnauthorized?: () => void;
  /** Every request that ended other than by the caller's abort: `error` undefined when it succeeded. */
  onSettled?: (source: string | undefined, error: ApiError | undefined) => void;
  timeoutMs?: number;
}

const offline = () => typeof navigator !== "undefined" && navigator.onLine === false;

function messageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; field?: unknown; error?: unknown };
    const message = typeof body.message === "string" ? body.message : typeof body.error === "string" ? body.error : "";
    return [message, typeof body.field === "string" ? `(${body.field})` : ""].filter(Boolean).join(" ");
  } catch {
    return ""; // not JSON: the status says enough
  }
}

export class ApiClient {
  readonly timeoutMs: number;
  constructor(private readonly options: ApiClientOptions) {
    this.timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  async get<T>(path: string, query: Query = {}, options: RequestOptions = {}): Promise<T> {
    try {
      const answer = await this.#get<T>(path, query, options);
      this.options.onSettled?.(options.source, undefined);
      return answer;
    } catch (error) {
      if (error instanceof ApiError) this.options.onSettled?.(options.source, error);
      throw error;
    }
  }

  async #get<T>(path: string, query: Query, options: RequestOptions): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, String(v));
    const qs = params.toString();
    const pathAndQuery = `${path}${qs ? `?${qs}` : ""}`;
    const label = `GET ${pathAndQuery}`;
    const headers: Record<string, string> = { accept: "application/json" };
    const token = this.options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let answer: { status: number; ok: boolean; text: string };
    try {
      answer = await fetchWithin(
        `${this.options.baseUrl}${pathAndQuery}`,
        { headers, cache: "no-store", ...(options.signal ? { signal: options.signal } : {}) },
        async (response) => ({ status: response.status, ok: response.ok, text: await response.text() }),
        this.timeoutMs,
      );
    } catch (error) {
      if (options.signal?.aborted) throw error; // the caller's own abort: not a failure of the API
      if (error instanceof RequestTimeout) throw new ApiError(label, "timeout", 0, "", error.timeoutMs);
      // A CORS refusal and a refused connection look the same from here.
      throw new ApiError(label, offline() ? "offline" : "network", 0, (error as Error).message);
    }
    if (!answer.ok) {
      if (answer.status === 401) this.options.onUnauthorized?.();
      throw new ApiError(label, "http", answer.status, messageOf(answer.text));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.text);
    } catch {
      throw new ApiError(label, "malformed", answer.status, `not JSON (${JSON.stringify(answer.text.slice(0, 60))})`);
    }
    const problem = options.check?.(parsed);
    if (problem) throw new ApiError(label, "malformed", answer.status, problem);
    return parsed as T;
  }
}
