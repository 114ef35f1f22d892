import { ConfigError } from "../../config/ConfigError.ts";
import type { ScraperConfig } from "../configTypes.ts";
import type { ScrapedRecord, TaskError } from "../scrapeReport.ts";
import type { RecordSink, SinkOutcome } from "./RecordSink.ts";

const ITEMS_PER_REQUEST = 500; // the ingest webhook's limit

/** `${env:NAME}` in a header value: secrets live in the environment, never in the config file. */
export function resolveHeaderSecrets(headers: Record<string, string>, env: Record<string, string | undefined> = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_whole, variable: string) => {
      const secret = env[variable];
      if (secret === undefined || secret === "") throw new ConfigError(variable, `is required by webhook header ${name} but not set`);
      return secret;
    });
  }
  return out;
}

/**
 * The original crawler's behaviour: POST `{source, items}` with the config's
 * headers, in chunks the ingest webhook accepts. Retries server errors.
 */
export class WebhookSink implements RecordSink {
  constructor(
    private readonly options: { attempts?: number; timeoutMs?: number; env?: Record<string, string | undefined> } = {},
  ) {}

  async write(config: ScraperConfig, records: readonly ScrapedRecord[]): Promise<SinkOutcome> {
    const webhook = config.webhook!;
    const headers = { "Content-Type": "application/json", ...resolveHeaderSecrets(webhook.headers, this.options.env) };
    const delivered: ScrapedRecord[] = [];
    const rejected: TaskError[] = [];
    const reject = (r: ScrapedRecord, message: string, field?: string) =>
      rejected.push({ kind: "rejected", task: "sink", ...(r.url ? { url: r.url } : {}), ...(field ? { field } : {}), message: `webhook ${webhook.url}: ${message}` });
    for (let i = 0; i < records.length; i += ITEMS_PER_REQUEST) {
      let chunk = records.slice(i, i + ITEMS_PER_REQUEST);
      while (chunk.length > 0) {
        const body = JSON.stringify({ source: config.domain, items: chunk.map((r) => r.fields) });
        const failure = await this.post(webhook.url, headers, body);
        if (failure === undefined) {
          delivered.push(...chunk);
          break;
        }
        // The ingest webhook names the item at fault (`items[3].title`): drop that
        // record alone and send the rest again, so one bad page does not cost the run.
        const bad = failure.item;
        if (bad !== undefined && bad < chunk.length) {
          reject(chunk[bad]!, failure.message, failure.field!.replace(/^items\[\d+\]\.?/, ""));
          chunk = chunk.filter((_, k) => k !== bad);
          continue;
        }
        for (const r of chunk) reject(r, failure.message);
        break;
      }
    }
    return { delivered, rejected };
  }

  private async post(url: string, headers: Record<string, string>, body: string): Promise<{ message: string; field?: string; item?: number } | undefined> {
    const attempts = this.options.attempts ?? 3;
    let last = "";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
        if (response.ok) return undefined;
        const text = await response.text();
        last = `HTTP ${response.status} ${text.slice(0, 300)}`;
        if (response.status === 400) return { message: last, ...itemAtFault(text) };
        if (response.status < 500 && response.status !== 429) return { message: last };
      } catch (error) {
        last = (error as Error).message;
      }
      if (attempt < attempts) await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
    return { message: last };
  }
}

/** The item a 400 names in its `field` (`items[3].title` → 3), when it names one. */
function itemAtFault(text: string): { field?: string; item?: number } {
  try {
    const field = (JSON.parse(text) as { field?: unknown }).field;
    const match = typeof field === "string" ? /^items\[(\d+)\]/.exec(field) : null;
    return match ? { field: field as string, item: Number(match[1]) } : {};
  } catch {
    return {};
  }
}
