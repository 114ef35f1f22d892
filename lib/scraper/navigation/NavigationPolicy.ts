import { lookup } from "node:dns/promises";
import { addressRange, isPublicRange } from "./addressRange.ts";

/** Resolves a host name to its addresses (injectable: tests point a name at a private address). */
export type HostLookup = (hostname: string) => Promise<string[]>;

const systemLookup: HostLookup = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

export interface NavigationRules {
  /** Hosts (`host` or `host:port` as in a URL, or `*.suffix`) navigation may reach. */
  hosts: readonly string[];
  /** Hosts among them that may be (or resolve to) loopback, private or link-local addresses. */
  privateHosts: readonly string[];
  lookup?: HostLookup;
}

const NAVIGABLE_SCHEMES = new Set(["http:", "https:"]);
// Pages may embed data: and blob: resources; nothing else but the web.
const SUBRESOURCE_SCHEMES = new Set(["http:", "https:", "data:", "blob:"]);

function hostMatches(rule: string, url: URL): boolean {
  if (rule.startsWith("*.")) return url.port === "" && url.hostname.endsWith(rule.slice(1));
  return url.host === rule;
}

/**
 * Where a scraper may go (SSRF guard). Navigation: http(s) only, to the
 * config's hosts only; a host that is, or resolves to, a loopback, private or
 * link-local address only when the config opts in for it. Resources a page
 * loads (scripts, styles, XHR) may come from any public host (CDNs), never
 * from a private address the config did not opt in for. Every method answers
 * a refusal reason, or undefined when allowed.
 */
export class NavigationPolicy {
  private readonly lookup: HostLookup;
  private readonly resolved = new Map<string, Promise<string[]>>();

  constructor(private readonly rules: NavigationRules) {
    this.lookup = rules.lookup ?? systemLookup;
  }

  /** Scheme and host, no DNS: what a config's literal URLs are checked with at load time, and every URL first. */
  refuseUrl(url: string): string | undefined {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (!parsed) return `${url} is not a URL`;
    if (!NAVIGABLE_SCHEMES.has(parsed.protocol)) return `${parsed.protocol} URLs are not allowed (http and https only)`;
    if (!this.rules.hosts.some((rule) => hostMatches(rule, parsed))) {
      return `host ${parsed.host} is neither the baseUrl's host nor in allowedHosts (${this.rules.hosts.join(", ")})`;
    }
    return this.refuseLiteralAddress(parsed);
  }

  /** `refuseUrl`, then every address the host resolves to. A DNS failure throws (a navigation error, retried), it is not a refusal. */
  async refuseNavigation(url: string): Promise<string | undefined> {
    const refusal = this.refuseUrl(url);
    if (refusal) return refusal;
    return this.refuseResolved(new URL(url));
  }

  /** A request a page makes for a resource: scheme and address only. */
  async refuseSubresource(url: string): Promise<string | undefined> {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (!parsed) return `${url} is not a URL`;
    if (!SUBRESOURCE_SCHEMES.has(parsed.protocol)) return `${parsed.protocol} URLs are not allowed`;
    if (parsed.protocol === "data:" || parsed.protocol === "blob:") return undefined;
    return this.refuseLiteralAddress(parsed) ?? (await this.refuseResolved(parsed).catch(() => undefined));
  }

  /** The address Chromium actually connected to (DNS may answer Chromium differently than it answered us). */
  refuseConnectedAddress(url: string, ip: string): string | undefined {
    const parsed = new URL(url);
    const range = addressRange(ip);
    if (range === undefined || isPublicRange(range) || this.privateAllowed(parsed)) return undefined;
    return `${parsed.host} was reached at ${ip}, a ${range} address; set allowPrivateNetwork: true to allow it`;
  }

  private privateAllowed(url: URL): boolean {
    return this.rules.privateHosts.some((rule) => hostMatches(rule, url));
  }

  private refuseLiteralAddress(url: URL): string | undefined {
    const range = addressRange(url.hostname);
    if (range === undefined || isPublicRange(range) || this.privateAllowed(url)) return undefined;
    return `${url.hostname} is a ${range} address; set allowPrivateNetwork: true to allow it`;
  }

  private async refuseResolved(url: URL): Promise<string | undefined> {
    if (addressRange(url.hostname) !== undefined || this.privateAllowed(url)) return undefined;
    let addresses = this.resolved.get(url.hostname);
    if (!addresses) {
      addresses = this.lookup(url.hostname);
      this.resolved.set(url.hostname, addresses);
      addresses.catch(() => this.resolved.delete(url.hostname));
    }
    for (const ip of await addresses) {
      const range = addressRange(ip);
      if (range !== undefined && !isPublicRange(range)) {
        return `${url.hostname} resolves to ${ip}, a ${range} address; set allowPrivateNetwork: true to allow it`;
      }
    }
    return undefined;
  }
}

/**
 * The rules a config gets: its baseUrl's host and `allowedHosts`; private
 * addresses for all of them when it sets `allowPrivateNetwork`. A base-URL
 * override (`--base-url`, SCRAPER_BASE_URLS: a fixture site, a mirror) adds
 * that host, private addresses allowed, since pointing a config at it is the
 * operator's explicit choice.
 */
export function navigationRules(config: { baseUrl: string; allowedHosts: readonly string[]; allowPrivateNetwork: boolean }, override?: string): NavigationRules {
  const hosts = [new URL(config.baseUrl).host, ...config.allowedHosts];
  const privateHosts = config.allowPrivateNetwork ? [...hosts] : [];
  if (override) {
    const host = new URL(override).host;
    hosts.push(host);
    privateHosts.push(host);
  }
  return { hosts, privateHosts };
}
