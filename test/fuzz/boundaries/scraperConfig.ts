// The scraper config loader: YAML text of any shape — the shipped configs with
// a value replaced, the original crawler's format, arbitrary documents, deep
// nesting, aliases. It returns a config whose literal navigations the SSRF
// guard allows, or refuses with a ScraperConfigError naming a reason; nothing
// else (no RangeError, no TypeError), before any browser could start.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import type { Task } from "../../../lib/scraper/configTypes.ts";
import { parseScraperConfig } from "../../../lib/scraper/loadScraperConfig.ts";
import { NavigationPolicy, navigationRules } from "../../../lib/scraper/navigation/NavigationPolicy.ts";
import { ScraperConfigError } from "../../../lib/scraper/ScraperConfigError.ts";
import { placeholders } from "../../../lib/scraper/substitute.ts";
import { deeplyNested, hostileJson, hostileText, urlLike } from "../arbitraries.ts";
import type { Boundary } from "../harness.ts";

const SHIPPED = ["scrapers/u.today.yaml", "scrapers/coindesk.yaml", "scrapers/cryptocompare.yaml", "scrapers/coinmarketcap.yaml", "test/fixtures/seed-configs/crawler-config-u.today.yaml"].map((file) => parse(readFileSync(file, "utf8")) as unknown);

/** Every path to a value in a document, so one can be replaced. */
function paths(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function replaced(document: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

const arbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SHIPPED).map((d) => stringify(d)) },
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.constantFrom(...SHIPPED), fc.nat(), fc.oneof(hostileJson({ maxDepth: 3 }), urlLike, fc.constantFrom("navigate", "extract", "checkPresence", "news", "prices", "webhook", "stdout", true, 0, -1, "$link", "$nope", "file:///etc/passwd", "http://169.254.169.254/", "*.u.today", "127.0.0.1")))
      .map(([document, n, value]) => {
        const all = paths(document);
        return stringify(replaced(document, all[n % all.length]!, value));
      }),
  },
  { weight: 1, arbitrary: hostileJson({ maxDepth: 4 }).map((v) => stringify(v)) },
  { weight: 1, arbitrary: hostileText({ maxLength: 200 }) },
  { weight: 1, arbitrary: deeplyNested.map((d) => `domain: u.today\ntasks: ${d}\n`) },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 5000 }).map((n) => `${"- ".repeat(n)}x\n`) },
  { weight: 1, arbitrary: fc.constantFrom("a: &a [*a]\n", "domain: x\ntasks: &t\n  - type: extract\n    params: { cssSelector: a }\n    tasks: *t\n", "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n", "{", "tasks:\n\t- x", "%YAML 9.9\n---\n", "!!binary x") },
);

function literalNavigations(tasks: readonly Task[], out: string[] = []): string[] {
  for (const task of tasks) {
    if (task.type === "navigate" && placeholders(task.params.url).length === 0) out.push(task.params.url);
    if (task.type === "extract" && task.tasks) literalNavigations(task.tasks, out);
  }
  return out;
}

export const scraperConfigBoundary: Boundary<string> = {
  name: "scraper config loader (YAML)",
  async start() {
    return {
      arbitrary,
      async check(text) {
        let config;
        try {
          config = parseScraperConfig("fuzz.yaml", text);
        } catch (error) {
          if (!(error instanceof ScraperConfigError) || error.reason === "") throw new Error(`the loader threw ${String(error)}`);
          return "refused";
        }
        if (!["news", "prices"].includes(config.kind) || !/^https?:\/\//.test(config.baseUrl)) throw new Error(`accepted a config with kind ${config.kind}, baseUrl ${config.baseUrl}`);
        if (config.sink === "webhook" && !config.webhook) throw new Error("accepted a webhook sink without a webhook");
        const policy = new NavigationPolicy(navigationRules(config));
        for (const url of literalNavigations(config.tasks)) {
          const refusal = policy.refuseUrl(new URL(url, config.baseUrl).toString());
          if (refusal) throw new Error(`accepted a navigation the guard refuses: ${url} (${refusal})`);
        }
        return "accepted";
      },
      stop: async () => undefined,
    };
  },
};
