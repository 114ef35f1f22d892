import { canonicalUrl } from "../../contracts/news.ts";
import type { ElementScope, ElementValues, NavigationResult, RequestGuard, ScrapeBrowser, ScrapePage } from "./browserPort.ts";
import type { ExtractTask, ScraperConfig, Task } from "./configTypes.ts";
import { DomainThrottle } from "./DomainThrottle.ts";
import { mapLimit } from "../async/mapLimit.ts";
import { NavigationPolicy, navigationRules, type HostLookup } from "./navigation/NavigationPolicy.ts";
import { NavigationRefusedError } from "./navigation/NavigationRefusedError.ts";
import { toDeclaredOrigin, UrlResolver } from "./resolveUrl.ts";
import type { ScrapedRecord, ScrapeResult, ScrapeStats, TaskError } from "./scrapeReport.ts";
import { missingPlaceholders, substitute, type FieldValues } from "./substitute.ts";

export interface EngineDeps {
  browser: ScrapeBrowser;
  /** Replaces the config's base URL origin (fixture sites, mirrors). */
  baseUrlOverride?: string;
  /** Canonical URLs already delivered by earlier runs. */
  seen?: { has(key: string): boolean };
  /** Epoch ms after which no new work starts and waits are cut short. */
  deadline?: number;
  sleep?: (ms: number) => Promise<void>;
  /** DNS for the SSRF guard (tests point names at private addresses). */
  lookup?: HostLookup;
}

/** Where tasks run: a page (shared with the parent until this context navigates), an element scope, values so far. */
interface Context {
  page?: ScrapePage;
  /** This context opened `page` and must close it; a child never navigates its parent's page away. */
  owned: boolean;
  scope: ElementScope;
  values: FieldValues;
  url?: string;
  seenKey?: string;
  errors: TaskError[];
}

type Outcome = "continue" | "stop" | "skip" | ScrapedRecord[];

const REFUSED: unique symbol = Symbol("refused");

const hasValue = (v: string | null | undefined): v is string => v !== null && v !== undefined && v.trim() !== "";

/**
 * Runs a validated config's tasks against a browser. Pure orchestration: it
 * never throws for a page that misbehaves; every failure becomes a TaskError
 * and the affected record is returned partial.
 */
export class ScrapeEngine {
  private readonly urls: UrlResolver;
  private readonly policy: NavigationPolicy;
  private readonly guard: RequestGuard;
  private readonly throttle: DomainThrottle;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly errors: TaskError[] = [];
  private readonly stats: ScrapeStats = { pages: 0, navigationRetries: 0, skippedAlreadyScraped: 0, duplicates: 0, notStarted: 0 };
  private readonly claimed = new Set<string>();
  private aborted = false;

  constructor(
    private readonly config: ScraperConfig,
    private readonly deps: EngineDeps,
  ) {
    this.urls = new UrlResolver(config.baseUrl, deps.baseUrlOverride);
    this.policy = new NavigationPolicy({ ...navigationRules(config, deps.baseUrlOverride), ...(deps.lookup ? { lookup: deps.lookup } : {}) });
    // What Chromium itself requests (redirects, frames, scripts, XHR) passes the same guard.
    // A DNS failure here lets the request go: Chromium fails to resolve it too, and
    // the address it did connect to is checked after the navigation.
    this.guard = async ({ url, navigation }) =>
      navigation ? this.policy.refuseNavigation(url).catch(() => undefined) : this.policy.refuseSubresource(url);
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.throttle = new DomainThrottle(config.politeness.delayMs, config.politeness.concurrency, this.sleep);
  }

  async run(): Promise<ScrapeResult> {
    const root: Context = { owned: true, scope: [], values: {}, errors: [] };
    let records: ScrapedRecord[];
    try {
      records = await this.runTasks(this.config.tasks, root, "tasks");
    } finally {
      await root.page?.close();
    }
    // A context that never extracted anything (its listing failed) is an error, not a record.
    records = records.filter((r) => Object.keys(r.fields).length > 0);
    return { records, errors: this.errors, stats: this.stats, aborted: this.aborted };
  }

  private remaining(): number {
    return this.deps.deadline === undefined ? Number.POSITIVE_INFINITY : this.deps.deadline - Date.now();
  }

  private timeout(own: number | undefined): number {
    return Math.max(1, Math.min(own ?? this.config.defaultTimeout, this.remaining()));
  }

  private report(ctx: Context, error: TaskError): void {
    ctx.errors.push(error);
    this.errors.push(error);
  }

  private async runTasks(tasks: readonly Task[], ctx: Context, prefix: string): Promise<ScrapedRecord[]> {
    let children: ScrapedRecord[] | undefined;
    for (const [i, task] of tasks.entries()) {
      const path = `${prefix}[${i}]`;
      if (this.remaining() <= 0) {
        this.aborted = true;
        this.report(ctx, { kind: "deadline", task: path, ...(ctx.url ? { url: ctx.url } : {}), message: "stopped: the run's deadline passed" });
        break;
      }
      let outcome: Outcome;
      try {
        outcome = await this.runTask(task, ctx, path);
      } catch (error) {
        // A driver failure (invalid selector, crashed tab) ends this context only.
        this.report(ctx, { kind: "error", task: path, ...(ctx.url ? { url: ctx.url } : {}), message: (error as Error).message.split("\n")[0]! });
        outcome = "stop";
      }
      if (outcome === "skip") return [];
      if (outcome === "stop") break;
      if (Array.isArray(outcome)) children = [...(children ?? []), ...outcome];
    }
    if (children) {
      // Several extracts merge into one record: the parent's fields sit under each child's.
      return children.map((c) => ({ ...c, fields: { ...ctx.values, ...c.fields }, errors: [...ctx.errors, ...c.errors] }));
    }
    return [{ fields: { ...ctx.values }, ...(ctx.url ? { url: ctx.url } : {}), ...(ctx.seenKey ? { seenKey: ctx.seenKey } : {}), errors: ctx.errors }];
  }

  private async runTask(task: Task, ctx: Context, path: string): Promise<Outcome> {
    switch (task.type) {
      case "navigate":
        return this.navigate(task.params, task.optional, ctx, path);
      case "checkPresence": {
        if (!ctx.page) return this.noPage(ctx, path);
        const cssSelector = substitute(task.params.cssSelector, ctx.values);
        const { timeout } = task.params;
        const wait = this.timeout(timeout);
        if (await ctx.page.waitForSelector(ctx.scope, cssSelector, wait)) return "continue";
        if (task.optional) return "continue";
        this.report(ctx, { kind: "timeout", task: path, ...(ctx.url ? { url: ctx.url } : {}), selector: cssSelector, message: `no element matched within ${wait} ms` });
        return "stop";
      }
      case "extract":
        return this.extract(task, ctx, path);
    }
  }

  private noPage(ctx: Context, path: string): Outcome {
    this.report(ctx, { kind: "error", task: path, message: "no page: a navigate task must come first" });
    return "stop";
  }

  private async navigate(params: { url: string; timeout?: number; skipIfScraped?: boolean }, optional: boolean | undefined, ctx: Context, path: string): Promise<Outcome> {
    const missing = missingPlaceholders(params.url, ctx.values);
    if (missing.length > 0) {
      this.report(ctx, { kind: "missing", task: path, field: missing[0]!, message: `cannot navigate: $${missing[0]} has no value` });
      return optional ? "continue" : "stop";
    }
    const target = this.urls.resolve(substitute(params.url, ctx.values), ctx.url);
    if (params.skipIfScraped) {
      const key = canonicalUrl(toDeclaredOrigin(this.urls, this.config.baseUrl, target));
      if (this.deps.seen?.has(key)) {
        this.stats.skippedAlreadyScraped++;
        return "skip";
      }
      // Listings often show one article twice (featured block + list): fetch it once per run.
      if (this.claimed.has(key)) {
        this.stats.duplicates++;
        return "skip";
      }
      this.claimed.add(key);
      ctx.seenKey = key;
    }
    if (!ctx.page || !ctx.owned) {
      ctx.page = await this.deps.browser.newPage({ blockResources: this.config.blockResources, guard: this.guard, ...(this.config.userAgent ? { userAgent: this.config.userAgent } : {}) });
      ctx.owned = true;
    }
    const result = await this.gotoWithRetries(ctx.page, target, params.timeout, ctx, path);
    // A refused page yields no record (a link planted in a listing is not an article); the error is in the report.
    if (result === REFUSED) return "skip";
    if (!result) return optional ? "continue" : "stop";
    this.stats.pages++;
    ctx.url = result.url;
    ctx.scope = [];
    return "continue";
  }

  private async gotoWithRetries(page: ScrapePage, url: string, timeout: number | undefined, ctx: Context, path: string): Promise<NavigationResult | typeof REFUSED | undefined> {
    const { attempts, backoffMs, factor } = this.config.retries;
    const refused = (where: string, reason: string): typeof REFUSED => {
      this.report(ctx, { kind: "refused", task: path, url: where, message: `not loaded: ${reason}` });
      return REFUSED;
    };
    let last = "";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.remaining() <= 0) {
        this.aborted = true;
        this.report(ctx, { kind: "deadline", task: path, url, message: `not loaded: the run's deadline passed (${last || "before the first attempt"})` });
        return undefined;
      }
      try {
        // Before the request: scheme, host, and the addresses the host resolves to (a DNS failure throws: retried).
        const refusal = await this.policy.refuseNavigation(url);
        if (refusal) return refused(url, refusal);
        const result = await this.throttle.run(new URL(url).host, () => page.goto(url, this.timeout(timeout)));
        // After it: where it ended up, and the address Chromium actually connected to.
        const after = this.policy.refuseUrl(result.url) ?? (result.remoteAddress ? this.policy.refuseConnectedAddress(result.url, result.remoteAddress) : undefined);
        if (after) return refused(result.url, after);
        if (result.status === null || result.status < 400) return result;
        last = `HTTP ${result.status}`;
        // A 4xx other than 429 will not change on retry.
        if (result.status < 500 && result.status !== 429) break;
      } catch (error) {
        if (error instanceof NavigationRefusedError) return refused(error.url, error.reason);
        last = (error as Error).message.split("\n")[0]!;
      }
      if (attempt < attempts) {
        this.stats.navigationRetries++;
        await this.sleep(Math.max(0, Math.min(backoffMs * factor ** (attempt - 1), this.remaining())));
      }
    }
    this.report(ctx, { kind: "navigation", task: path, url, message: `not loaded: ${last}` });
    return undefined;
  }

  private async extract(task: ExtractTask, ctx: Context, path: string): Promise<Outcome> {
    if (!ctx.page) return this.noPage(ctx, path);
    const { extractAttributes, limit, timeout } = task.params;
    // `$name` works in selectors too (e.g. `#item-$id .price`).
    const cssSelector = substitute(task.params.cssSelector, ctx.values);
    const attributes = Object.keys(extractAttributes);
    // An optional extract does not wait: the page is loaded, and waiting for
    // something that is usually absent would cost its timeout on every page.
    if (!task.optional) {
      const wait = this.timeout(timeout);
      if (!(await ctx.page.waitForSelector(ctx.scope, cssSelector, wait))) {
        this.report(ctx, { kind: "timeout", task: path, ...(ctx.url ? { url: ctx.url } : {}), selector: cssSelector, message: `no element matched within ${wait} ms` });
        return task.tasks ? [] : "continue";
      }
    }
    const elements = await ctx.page.extract(ctx.scope, cssSelector, attributes, limit);
    if (!task.tasks) {
      this.merge(task, elements, ctx, path, cssSelector);
      return "continue";
    }
    const children: Context[] = elements.map((element, index) => {
      const child: Context = { page: ctx.page!, owned: false, scope: [...ctx.scope, { selector: cssSelector, index }], values: { ...ctx.values }, errors: [], ...(ctx.url ? { url: ctx.url } : {}) };
      this.merge(task, [element], child, path, cssSelector);
      return child;
    });
    const results = await mapLimit(children, this.config.politeness.concurrency, async (child) => {
      if (this.remaining() <= 0) {
        this.aborted = true;
        this.stats.notStarted++;
        return [];
      }
      try {
        return await this.runTasks(task.tasks!, child, `${path}.tasks`);
      } finally {
        if (child.owned) await child.page?.close();
      }
    });
    return results.flat();
  }

  private merge(task: ExtractTask, elements: ElementValues[], ctx: Context, path: string, selector: string): void {
    for (const [attribute, spec] of Object.entries(task.params.extractAttributes)) {
      if (spec.all) {
        const values = elements.map((e) => e[attribute]).filter(hasValue);
        if (values.length > 0) ctx.values[spec.as] = values;
        else if (!spec.optional && !task.optional) this.missing(ctx, path, selector, spec.as, attribute);
        continue;
      }
      const value = elements[0]?.[attribute];
      if (hasValue(value)) ctx.values[spec.as] = value;
      else if (!spec.optional && !task.optional) this.missing(ctx, path, selector, spec.as, attribute);
    }
  }

  private missing(ctx: Context, path: string, selector: string, field: string, attribute: string): void {
    this.report(ctx, {
      kind: "missing",
      task: path,
      ...(ctx.url ? { url: ctx.url } : {}),
      selector,
      field,
      message: `${attribute} is absent or empty`,
    });
  }
}
