import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { expectedListings } from "./helpers/expectedRecords.ts";
import { fixtureDir, serveFixtureSite } from "./helpers/fixtureServer.ts";

const run = promisify(execFile);

describe("npm run scrape (scripts/scrape.ts)", () => {
  it("prints the records as JSON lines on stdout and a summary per config on stderr", async () => {
    const site = await serveFixtureSite(fixtureDir("coinmarketcap"));
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        ["--import", "tsx", "scripts/scrape.ts", "scrapers/coinmarketcap.yaml", "--sink", "stdout", "--base-url", site.url],
        { timeout: 60_000 },
      );
      const records = stdout.trim().split("\n").map((line) => JSON.parse(line));
      assert.deepEqual(records, expectedListings("coinmarketcap"));
      const summary = JSON.parse(stderr.trim().split("\n").pop()!);
      assert.equal(summary.domain, "coinmarketcap.com");
      assert.equal(summary.records, 5);
      assert.deepEqual(summary.errors, []);
    } finally {
      await site.close();
    }
  });

  it("refuses unknown options and sinks with usage, exit code 2", async () => {
    await assert.rejects(run(process.execPath, ["--import", "tsx", "scripts/scrape.ts", "scrapers/u.today.yaml", "--sink", "kafka"]), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 2);
      assert.match(e.stderr, /--sink must be one of sqs, webhook, stdout, got "kafka"/);
      return true;
    });
  });
});
