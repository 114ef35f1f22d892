// The REST API client: every call carries the bearer token when there is one, and a
// failure says which request failed and how (status, the API's own message).

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    /** "GET /candles?symbol=BTCUSDT&tf=1h" */
    readonly request: string,
    /** HTTP status, or 0 when the request never got an answer. */
    readonly status: number,
    detail: string,
  ) {
    super(`${request} failed: ${status === 0 ? detail : `HTTP ${status}${detail ? ` ${detail}` : ""}`}`);
  }
}

export type Query = Record<string, string | number | undefined>;

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: () => string | undefined,
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  async get<T>(path: string, query: Query = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, String(v));
    const qs = params.toString();
    const pathAndQuery = `${path}${qs ? `?${qs}` : ""}`;
    const label = `GET ${pathAndQuery}`;
    const headers: Record<string, string> = { accept: "application/json" };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${pathAndQuery}`, { headers, cache: "no-store" });
    } catch (error) {
      // A CORS refusal and a refused connection look the same from here.
      throw new ApiError(label, 0, `no answer from ${this.baseUrl} (${(error as Error).message}): is the API running, and does it allow this origin?`);
    }
    if (!response.ok) {
      if (response.status === 401) this.onUnauthorized();
      let detail = "";
      try {
        const body = (await response.json()) as { message?: string; field?: string; error?: string };
        detail = [body.message ?? body.error, body.field ? `(${body.field})` : ""].filter(Boolean).join(" ");
      } catch {
        /* not JSON: the status says enough */
      }
      throw new ApiError(label, response.status, detail);
    }
    return (await response.json()) as T;
  }
}
