import type { Browser, HTTPRequest, Page } from "puppeteer-core";
import type { ElementScope, ElementValues, NavigationResult, PageOptions, ScrapeBrowser, ScrapePage } from "./browserPort.ts";
import { chromiumPack } from "./chromiumPack.ts";

export interface ChromiumOptions {
  /** A Chromium binary to use instead of the one @sparticuz/chromium extracts (e.g. a layer's). */
  executablePath?: string;
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
  constructor(private readonly page: Page) {}

  async goto(url: string, timeoutMs: number): Promise<NavigationResult> {
    // DOMContentLoaded: the selectors wait for what they need; waiting for `load`
    // would wait for every subresource the page still fetches.
    const response = await this.page.goto(url, { waitUntil: "domcontentloaded", timeout: timeoutMs });
    return { status: response?.status() ?? null, url: this.page.url() };
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
  constructor(readonly browser: Browser) {}

  async newPage(options: PageOptions = {}): Promise<ScrapePage> {
    const page = await this.browser.newPage();
    // A scraper never answers alert/confirm/beforeunload prompts; left open they block the page.
    page.on("dialog", (dialog) => void dialog.accept().catch(() => undefined));
    if (options.userAgent) await page.setUserAgent({ userAgent: options.userAgent });
    const blocked = new Set<string>(options.blockResources ?? []);
    if (blocked.size > 0) {
      await page.setRequestInterception(true);
      page.on("request", (request: HTTPRequest) => {
        if (request.isInterceptResolutionHandled()) return;
        if (blocked.has(request.resourceType())) void request.abort("blockedbyclient");
        else void request.continue();
      });
    }
    return new PuppeteerPage(page);
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

/** The launched browser plus the Puppeteer handle, for tests that check the process is gone. */
export interface LaunchedChromium extends ScrapeBrowser {
  readonly browser: Browser;
}

/** Headless Chromium from @sparticuz/chromium, or a pack at CHROMIUM_PACK_URL (the same binary locally and in Lambda). */
export async function launchChromium(options: ChromiumOptions = {}): Promise<LaunchedChromium> {
  const pack = chromiumPack();
  const [{ default: chromium }, { default: puppeteer }] = await Promise.all([
    pack.module === "@sparticuz/chromium-min" ? import("@sparticuz/chromium-min") : import("@sparticuz/chromium"),
    import("puppeteer-core"),
  ]);
  // CHROMIUM_PATH: a ready binary (e.g. Debian's chromium); otherwise the pack (chromiumPack.ts).
  const executablePath = options.executablePath ?? (process.env.CHROMIUM_PATH || (await chromium.executablePath(pack.input)));
  const browser = await puppeteer.launch({
    executablePath,
    headless: "shell",
    // No sandbox: Lambda has no user namespaces. No background networking or
    // component updates: a scraper must only fetch what its config names.
    args: [...chromium.args, "--no-sandbox", "--disable-background-networking", "--disable-component-update"],
    defaultViewport: { width: 1280, height: 900 },
  });
  return new PuppeteerBrowser(browser);
}
