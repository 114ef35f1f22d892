import type { Browser, HTTPRequest, Page } from "puppeteer-core";
import type { ElementScope, ElementValues, NavigationResult, PageOptions, RequestGuard, ScrapeBrowser, ScrapePage } from "./browserPort.ts";
import { chromiumPack } from "./chromiumPack.ts";
import { chromiumArgs, chromiumSandbox, type SandboxDecision } from "./chromiumSandbox.ts";
import { NavigationRefusedError } from "./navigation/NavigationRefusedError.ts";

export interface ChromiumOptions {
  /** A Chromium binary to use instead of the one @sparticuz/chromium extracts (e.g. a layer's). */
  executablePath?: string;
  /** Default: chromiumSandbox() (on wherever the platform allows). */
  sandbox?: SandboxDecision;
}

// Runs inside the page. Passed as source text, not as a function, because the
// TypeScript loader may wrap functions in helpers that do not exist in the page.
const FIND_IN_SCOPE = `(function (scope, selector) {
  var root = document;
  for (var i = 0; i < scope.length; i++) {
    var next = root.querySelectorAll(scope[i].selector)[scope[i].index];
    if (!next) return [];
    root = next;
  }
  return Array.prototype.slice.call(root.querySelectorAll(selector));
})`;

const EXTRACT = `(function (scope, selector, attributes, limit) {
  var found = ${FIND_IN_SCOPE}(scope, selector);
  if (limit) found = found.slice(0, limit);
  return found.map(function (el) {
    var out = {};
    attributes.forEach(function (name) {
      if (name === "text") out[name] = el.innerText !== undefined ? el.innerText : el.textContent;
      else if (name === "html") out[name] = el.innerHTML;
      // href/src as the browser resolves them: absolute, against the page's own URL.
      else if ((name === "href" || name === "src") && el.getAttribute(name) !== null && typeof el[name] === "string") out[name] = el[name];
      else out[name] = el.getAttribute(name);
    });
    return out;
  });
})`;

class PuppeteerPage implements ScrapePage {
  /** Set by the request guard when it refuses this page's own navigation (its URL or a redirect). */
  refused: { url: string; reason: string } | undefined;

  constructor(private readonly page: Page) {}

  async goto(url: string, timeoutMs: number): Promise<NavigationResult> {
    this.refused = undefined;
    let response;
    try {
      // DOMContentLoaded: the selectors wait for what they need; waiting for `load`
      // would wait for every subresource the page still fetches.
      response = await this.page.goto(url, { waitUntil: "domcontentloaded", timeout: timeoutMs });
    } catch (error) {
      this.throwIfRefused();
      throw error;
    }
    this.throwIfRefused();
    const remoteAddress = response?.remoteAddress().ip;
    return { status: response?.status() ?? null, url: this.page.url(), ...(remoteAddress ? { remoteAddress } : {}) };
  }

  /** The guard's verdict is set from another event while goto waits, hence a method TypeScript does not narrow away. */
  private throwIfRefused(): void {
    const refused = this.refused;
    if (refused) throw new NavigationRefusedError(refused.url, refused.reason);
  }

  async waitForSelector(scope: ElementScope, selector: string, timeoutMs: number): Promise<boolean> {
    const args = JSON.stringify([scope, selector]).slice(1, -1);
    try {
      await this.page.waitForFunction(`${FIND_IN_SCOPE}(${args}).length > 0`, { timeout: timeoutMs, polling: "mutation" });
      return true;
    } catch (error) {
      if ((error as Error).name === "TimeoutError") return false;
      throw error;
    }
  }

  async extract(scope: ElementScope, selector: string, attributes: readonly string[], limit?: number): Promise<ElementValues[]> {
    const args = JSON.stringify([scope, selector, attributes, limit ?? 0]).slice(1, -1);
    return (await this.page.evaluate(`${EXTRACT}(${args})`)) as ElementValues[];
  }

  async close(): Promise<void> {
    if (this.page.isClosed()) return;
    // After two failed navigations Chromium leaves Target.closeTarget (the
    // default close) pending until the browser exits; Page.close (runBeforeUnload)
    // returns. Dialogs are accepted (see newPage) and a last timeout keeps a wedged
    // tab from holding up the run: the browser's own close takes it down.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.page.close({ runBeforeUnload: true }).catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, 3_000))),
    ]);
    clearTimeout(timer);
  }
}

class PuppeteerBrowser implements ScrapeBrowser {
  constructor(
    readonly browser: Browser,
    readonly sandbox: SandboxDecision,
  ) {}

  async newPage(options: PageOptions = {}): Promise<ScrapePage> {
    const page = await this.browser.newPage();
    // A scraper never answers alert/confirm/beforeunload prompts; left open they block the page.
    page.on("dialog", (dialog) => void dialog.accept().catch(() => undefined));
    if (options.userAgent) await page.setUserAgent({ userAgent: options.userAgent });
    const scrapePage = new PuppeteerPage(page);
    const blocked = new Set<string>(options.blockResources ?? []);
    // Every request is intercepted, so that what Chromium fetches on its own (a
    // redirect, a frame, a script's XHR) passes the same SSRF guard as our navigations.
    await page.setRequestInterception(true);
    page.on("request", (request: HTTPRequest) => void decide(request, page, scrapePage, blocked, options.guard).catch(() => undefined));
    return scrapePage;
  }

  async close(): Promise<void> {
    // close() asks politely; if Chromium is wedged, kill the process so no zombie outlives the invocation.
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([this.browser.close(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("close timed out")), 5_000)))]);
    } catch {
      this.browser.process()?.kill("SIGKILL");
    } finally {
      clearTimeout(timer);
    }
  }
}

async function decide(request: HTTPRequest, page: Page, scrapePage: PuppeteerPage, blocked: ReadonlySet<string>, guard: RequestGuard | undefined): Promise<void> {
  if (request.isInterceptResolutionHandled()) return;
  if (blocked.has(request.resourceType())) return request.abort("blockedbyclient");
  const navigation = request.isNavigationRequest();
  const mainFrame = request.frame() === page.mainFrame();
  const refusal = guard ? await guard({ url: request.url(), navigation, mainFrame }) : undefined;
  if (request.isInterceptResolutionHandled()) return;
  if (refusal === undefined) return request.continue();
  if (navigation && mainFrame) scrapePage.refused = { url: request.url(), reason: refusal };
  return request.abort("accessdenied");
}

/** The launched browser plus the Puppeteer handle, for tests that check the process is gone. */
export interface LaunchedChromium extends ScrapeBrowser {
  readonly browser: Browser;
  /** Whether Chromium runs sandboxed, and why (not). */
  readonly sandbox: SandboxDecision;
}

/**
 * Headless Chromium from @sparticuz/chromium, or a pack at CHROMIUM_PACK_URL (the same
 * binary locally and in Lambda), sandboxed where the platform allows.
 */
export async function launchChromium(options: ChromiumOptions = {}): Promise<LaunchedChromium> {
  const pack = chromiumPack();
  const [{ default: chromium }, { default: puppeteer }] = await Promise.all([
    pack.module === "@sparticuz/chromium-min" ? import("@sparticuz/chromium-min") : import("@sparticuz/chromium"),
    import("puppeteer-core"),
  ]);
  // CHROMIUM_PATH: a ready binary (e.g. Debian's chromium); otherwise the pack (chromiumPack.ts).
  const executablePath = options.executablePath ?? (process.env.CHROMIUM_PATH || (await chromium.executablePath(pack.input)));
  const sandbox = options.sandbox ?? chromiumSandbox();
  const browser = await puppeteer.launch({
    executablePath,
    headless: "shell",
    // No background networking or component updates: a scraper must only fetch what its config names.
    args: [...chromiumArgs(chromium.args, sandbox), "--disable-background-networking", "--disable-component-update"],
    defaultViewport: { width: 1280, height: 900 },
  });
  return new PuppeteerBrowser(browser, sandbox);
}
