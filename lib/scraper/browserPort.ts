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
}

export interface ScrapePage {
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
}

export interface ScrapeBrowser {
  newPage(options?: PageOptions): Promise<ScrapePage>;
  close(): Promise<void>;
}
