// The scrapers on arm64 take Chromium from a pack at CHROMIUM_PACK_URL, fetched
// by @sparticuz/chromium-min at cold start. An arm64 pack cannot run here, but
// the mechanism is the same for any architecture: this machine's x64 pack, served
// over HTTPS from a local server, is downloaded into a fresh temp directory and launched.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { chromiumPack } from "../../lib/scraper/chromiumPack.ts";

const CERT = "test/notify/fixtures/localhost-cert.pem";
let work: string;
let server: Server;
let packUrl: string;
let requests = 0;
// The pack served is the installed @sparticuz/chromium's own, so it is that version's Chromium that must start.
const VERSION = (JSON.parse(readFileSync("node_modules/@sparticuz/chromium/package.json", "utf8")) as { version: string }).version;
const PACK_PATH = `/v${VERSION}/chromium-v${VERSION}-pack.x64.tar`;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "chromium-pack-test-"));
  // A pack is a plain tar of the brotli files, as on the releases page.
  const bin = "node_modules/@sparticuz/chromium/bin";
  execFileSync("tar", ["-cf", join(work, "pack.tar"), "-C", bin, "chromium.br", "fonts.tar.br", "swiftshader.tar.br", "al2023.tar.br"]);
  server = createServer({ key: readFileSync("test/notify/fixtures/localhost-key.pem"), cert: readFileSync(CERT) }, (req, res) => {
    requests++;
    if (req.url !== PACK_PATH) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/x-tar", "content-length": statSync(join(work, "pack.tar")).size });
    createReadStream(join(work, "pack.tar")).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  packUrl = `https://localhost:${(server.address() as AddressInfo).port}${PACK_PATH}`;
});
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

describe("Chromium from a pack URL (the arm64 option)", () => {
  it("chooses @sparticuz/chromium-min for a pack URL, the bundled pack otherwise, and refuses a URL it could not fetch", () => {
    assert.deepEqual(chromiumPack({ CHROMIUM_PACK_URL: "https://example.com/chromium-v143.0.4-pack.arm64.tar", CHROMIUM_PACK_DIR: "/x" }), { module: "@sparticuz/chromium-min", input: "https://example.com/chromium-v143.0.4-pack.arm64.tar" });
    assert.deepEqual(chromiumPack({ CHROMIUM_PACK_DIR: "/var/task/node_modules/@sparticuz/chromium/bin" }), { module: "@sparticuz/chromium", input: "/var/task/node_modules/@sparticuz/chromium/bin" });
    assert.deepEqual(chromiumPack({}), { module: "@sparticuz/chromium", input: undefined });
    assert.throws(() => chromiumPack({ CHROMIUM_PACK_URL: "http://example.com/pack.tar" }), /CHROMIUM_PACK_URL: must be an https:\/\/ URL/);
  });

  it("downloads the pack once into a fresh container's /tmp and launches the Chromium it holds", async () => {
    const fresh = mkdtempSync(join(work, "tmp-"));
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "test/scraper/helpers/launchFromPack.ts"], {
      env: { ...process.env, TMPDIR: fresh, CHROMIUM_PACK_URL: packUrl, CHROMIUM_PATH: "", CHROMIUM_PACK_DIR: "", NODE_EXTRA_CA_CERTS: CERT },
      timeout: 120_000,
    });
    assert.match(JSON.parse(stdout.trim().split("\n").at(-1)!).version, new RegExp(`^HeadlessChrome/${VERSION.split(".")[0]}\\.`));
    assert.equal(requests, 1, "fetched once");
    assert.ok(existsSync(join(fresh, "chromium-pack", "chromium.br")) && existsSync(join(fresh, "chromium")), "unpacked where @sparticuz/chromium-min puts it");
  });
});
