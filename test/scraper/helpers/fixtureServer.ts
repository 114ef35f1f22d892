import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize } from "node:path";

export interface FixtureServer {
  url: string;
  /** Every request path, in arrival order. */
  requests: string[];
  /** Every request with its arrival time and user agent. */
  timeline: Array<{ path: string; at: number; userAgent: string | undefined }>;
  /** Per path prefix: answer after this many ms (slow pages). */
  delays: Map<string, number>;
  /** Per exact path: answer 503 this many more times before serving (flaky pages). */
  failures: Map<string, number>;
  /** Per exact path: answer 302 to this URL (redirects off the site). */
  redirects: Map<string, string>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  png: "image/png", jpg: "image/jpeg", svg: "image/svg+xml", woff2: "font/woff2", mp4: "video/mp4", js: "text/javascript",
};

/**
 * Serves a fixture site from disk on 127.0.0.1, port 0: `/a/b` → `a/b.html`,
 * `/` → `index.html`. `/static/*` answers placeholder bytes of the right
 * content type, so that resource blocking can be observed in `requests`.
 * `extra` may answer paths itself (generated sites).
 */
export async function serveFixtureSite(dir: string | undefined, extra?: (path: string) => string | undefined): Promise<FixtureServer> {
  const requests: string[] = [];
  const timeline: FixtureServer["timeline"] = [];
  const delays = new Map<string, number>();
  const failures = new Map<string, number>();
  const redirects = new Map<string, string>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    requests.push(path);
    timeline.push({ path, at: Date.now(), userAgent: req.headers["user-agent"] });
    for (const [prefix, ms] of delays) if (path.startsWith(prefix)) await new Promise((r) => setTimeout(r, ms));
    const redirect = redirects.get(path);
    if (redirect) {
      res.writeHead(302, { Location: redirect }).end();
      return;
    }
    const failuresLeft = failures.get(path) ?? 0;
    if (failuresLeft > 0) {
      failures.set(path, failuresLeft - 1);
      res.writeHead(503, { "Content-Type": "text/plain" }).end("try again");
      return;
    }
    if (path.startsWith("/static/")) {
      const ext = path.split(".").pop() ?? "";
      res.writeHead(200, { "Content-Type": TYPES[ext] ?? "application/octet-stream" }).end(ext === "js" ? "void 0;" : Buffer.alloc(64));
      return;
    }
    const generated = extra?.(path);
    if (generated !== undefined) {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(generated);
      return;
    }
    if (!dir) {
      res.writeHead(404).end("not found");
      return;
    }
    const relative = normalize(path === "/" ? "/index" : path.replace(/\/$/, "")).replace(/^(\.\.[/\\])+/, "");
    try {
      const html = await readFile(join(dir, `${relative}.html`));
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html);
    } catch {
      res.writeHead(404, { "Content-Type": "text/html" }).end("<h1>not found</h1>");
    }
  };
  const server = createServer((req, res) => void handle(req, res).catch(() => res.writeHead(500).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    timeline,
    delays,
    failures,
    redirects,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const fixtureDir = (site: string) => join(import.meta.dirname, "..", "..", "fixtures", "sites", site);
