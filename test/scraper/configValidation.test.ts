import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { loadScraperConfig, parseScraperConfig } from "../../lib/scraper/loadScraperConfig.ts";
import { ScraperConfigError } from "../../lib/scraper/ScraperConfigError.ts";

const run = promisify(execFile);

const valid = `
domain: example.com
kind: news
baseUrl: https://example.com
tasks:
  - type: navigate
    params: { url: /news }
  - type: checkPresence
    params: { cssSelector: .item }
  - type: extract
    params:
      cssSelector: .item a
      extractAttributes: { href: { as: link }, text: { as: title } }
    tasks:
      - type: navigate
        params: { url: $link }
`;

function refused(text: string, path: string, reason: RegExp) {
  assert.throws(
    () => parseScraperConfig("bad.yaml", text),
    (error: unknown) => {
      assert.ok(error instanceof ScraperConfigError, String(error));
      assert.equal(error.file, "bad.yaml");
      assert.equal(error.path, path);
      assert.match(error.reason, reason);
      assert.equal(error.message, `bad.yaml: ${path || "(document)"}: ${error.reason}`);
      return true;
    },
  );
}

describe("config validation: file, path inside it, reason", () => {
  it("accepts the shipped configs and applies defaults", async () => {
    for (const name of ["u.today", "coindesk", "cryptocompare", "coinmarketcap"]) {
      const config = await loadScraperConfig(`scrapers/${name}.yaml`);
      assert.equal(config.sink, "sqs");
    }
    const config = parseScraperConfig("ok.yaml", valid);
    assert.deepEqual(config.politeness, { delayMs: 1000, concurrency: 2 });
    assert.deepEqual(config.blockResources, ["image", "font", "media"]);
    assert.equal(config.defaultTimeout, 10_000);
  });

  it("an original crawler config (webhook block, no sink) keeps posting to its webhook", () => {
    const config = parseScraperConfig("orig.yaml", `${valid}webhook:\n  url: "http://localhost:9000"\n  headers: { Authorization: "Basic xxxx" }\n`);
    assert.equal(config.sink, "webhook");
    assert.deepEqual(config.webhook, { url: "http://localhost:9000", headers: { Authorization: "Basic xxxx" } });
  });

  it("names the nested field at fault", () => {
    refused(valid.replace("cssSelector: .item }", "cssSelector: '' }"), "tasks[1].params.cssSelector", /non-empty CSS selector/);
    refused(valid.replace("url: $link }", "url: $link, timeout: -5 }"), "tasks[2].tasks[0].params.timeout", /at least 1 ms/);
    refused(valid.replace("type: checkPresence", "type: click"), "tasks[1].type", /must be one of navigate, checkPresence, extract, got "click"/);
    refused(valid.replace("{ href: { as: link }, text: { as: title } }", "{ href: { as: 'my link' } }"), "tasks[2].params.extractAttributes.href.as", /field name/);
    refused(valid.replace("params: { cssSelector: .item }", "params: { cssSelector: .item, wait: 3 }"), "tasks[1].params", /wait/);
    refused(valid.replace("kind: news", "kind: weather"), "kind", /news|prices/);
    refused(valid.replace("baseUrl: https://example.com", "baseUrl: example"), "baseUrl", /http\(s\) URL/);
  });

  it("checks references and meaning, not only shapes", () => {
    refused(valid.replace("url: $link }", "url: $lnik }"), "tasks[2].tasks[0].params.url", /\$lnik is not extracted.*known: link, title/);
    refused(valid.replace("  - type: navigate\n    params: { url: /news }\n", ""), "tasks[0].type", /first task must be navigate/);
    refused(`${valid}postProcess:\n  summary: [trim]\n`, "postProcess.summary", /no task extracts a field "summary"/);
    refused(`${valid}postProcess:\n  title: [{ date: { format: "dd/qq/yyyy" } }]\n`, "postProcess.title[0].date.format", /unknown date token "q"/);
    refused(`${valid}postProcess:\n  title: [{ regex: { pattern: "([a-z" } }]\n`, "postProcess.title[0].regex.pattern", /Invalid regular expression/);
    refused(`${valid}sink: webhook\n`, "webhook", /required when sink is webhook/);
    refused(valid.replace("extractAttributes: { href: { as: link }, text: { as: title } }\n    tasks:\n      - type: navigate\n        params: { url: $link }\n", "limit: 3\n"), "tasks[2].params.extractAttributes", /required/);
  });

  it("reports YAML syntax errors with their line", () => {
    refused("domain: [unclosed\nkind: news\n", "line 2, column 1", /not valid YAML/);
    refused("- just\n- a list\n", "", /must be a mapping/);
  });

  it("refuses nesting past the limit, however written, naming where and the limit, without overflowing the stack", () => {
    const deepFlow = `${valid}postProcess:\n  title: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`;
    refused(deepFlow, "line 18, column 72", /nests deeper than the limit of 64 levels/); // the 65th level: title's 63rd bracket
    refused(`domain: x\nweird: ${"{a: ".repeat(20_000)}1${"}".repeat(20_000)}\n`, "line 2, column 260", /limit of 64 levels/);
    refused(`${"- ".repeat(20_000)}x\n`, "line 1, column 129", /limit of 64 levels/);
    const blockMaps = Array.from({ length: 5000 }, (_, i) => `${" ".repeat(i)}k:`).join("\n") + " 1\n";
    refused(blockMaps, "line 65, column 65", /limit of 64 levels/);
    // Within the limit, the same shapes are only as wrong as their content.
    refused(`${valid}postProcess:\n  title: ${"[".repeat(40)}${"]".repeat(40)}\n`, "postProcess.title[0]", /Invalid input/);
  });

  it("refuses an alias that contains itself and aliases that multiply values, naming the limit", () => {
    assert.throws(() => parseScraperConfig("loop.yaml", `${valid}postProcess: &loop\n  title: [*loop]\n`), (error: unknown) => {
      assert.ok(error instanceof ScraperConfigError);
      assert.match(error.path, /^postProcess(\.title(\[0\])?)+$/);
      assert.match(error.reason, /limit of 64 levels \(an alias that contains itself\?\)/);
      return true;
    });
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n");
    assert.throws(() => parseScraperConfig("laughs.yaml", laughs), (error: unknown) => {
      assert.ok(error instanceof ScraperConfigError);
      assert.match(error.reason, /alias|limit of 100000 values/i);
      return true;
    });
  });

  it("the CLI refuses an invalid config with one line and exit code 1, without starting a browser", async () => {
    const dir = await mkdtemp(join(tmpdir(), "scraper-config-"));
    const file = join(dir, "broken.yaml");
    await writeFile(file, valid.replace("cssSelector: .item }", "cssSelector: 42 }"));
    // CHROMIUM_PATH points at nothing: had a browser been launched, the error would be about it.
    const started = Date.now();
    await assert.rejects(
      run(process.execPath, ["--import", "tsx", "scripts/scrape.ts", file, "--sink", "stdout"], { env: { ...process.env, CHROMIUM_PATH: "/nonexistent/chromium" } }),
      (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 1);
        assert.equal(error.stderr.trim(), `invalid scraper config: ${file}: tasks[1].params.cssSelector: Invalid input: expected string, received number`);
        return true;
      },
    );
    assert.ok(Date.now() - started < 15_000);
  });
});
