/**
 * The small browser surface the engine needs. The engine is written against it,
 * not against Puppeteer, so that it stays testable and a different driver
 * (Playwright, CDP directly) is one adapter away.
 */

/** A path to an element: each step selects the index-th match of `selector` inside the previous one. */
export type ElementScope = ReadonlyArray<{ selector: string; index: number }>;

/** One matched element's values, by attribute name (`text`, `html`, `href`, …); null when absent. */
export type ElementValues = Record<string, string | null>;

export interface NavigationResult {
  /** HTTP status of the main document, null when the driver could not tell. */
  status: number | null;
  /** Final URL after redirects. */
  url: string;
  /** The IP address Chromium connected to for the document, when it tells. */
  remoteAddress?: string;
}

/** A request Chromium is about to make, as the guard sees it. */
export interface OutgoingRequest {
  url: string;
  /** A document load (a navigation or a redirect of one), in any frame. */
  navigation: boolean;
  mainFrame: boolean;
}

/** Why a request must not go out (SSRF guard), or undefined to let it. Applied to every request and redirect Chromium makes. */
export type RequestGuard = (request: OutgoingRequest) => Promise<string | undefined>;

export interface ScrapePage {
  /** Throws NavigationRefusedError when the guard refused the page's own navigation (e.g. a redirect to another host). */
  goto(url: string, timeoutMs: number): Promise<NavigationResult>;
  /** True once `selector` matches inside `scope`; false when `timeoutMs` passes first. */
  waitForSelector(scope: ElementScope, selector: string, timeoutMs: number): Promise<boolean>;
  /** Values of the first `limit` elements matching `selector` inside `scope`, in document order. */
  extract(scope: ElementScope, selector: string, attributes: readonly string[], limit?: number): Promise<ElementValues[]>;
  close(): Promise<void>;
}

/** Per page, because one browser serves several configs in an invocation. */
export interface PageOptions {
  /** Resource types aborted before they download. */
  blockResources?: readonly string[];
  userAgent?: string;
  guard?: RequestGuard;
}

export interface ScrapeBrowser {
  /** Whether the browser runs sandboxed and why (not), when the adapter knows. */
  readonly sandbox?: { enabled: boolean; reason: string };
  newPage(options?: PageOptions): Promise<ScrapePage>;
  close(): Promise<void>;
}
