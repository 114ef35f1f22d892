// The local search endpoint against hostile bodies: decompression bombs are
// stopped at http.max_content_length as they inflate (never expanded in
// memory), and JSON nested past opensearch.xcontent.depth.max is a 400 naming
// the limit — for queries, aggregations and bulk documents — never a stack
// overflow. Just under the limit, the same shapes answer without a 5xx.
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { createDeflate, gzipSync } from "node:zlib";
import { startSearchServer, type SearchServer } from "../src/index.ts";
import { MAX_JSON_DEPTH } from "../src/http/checkJsonDepth.ts";

let server: SearchServer;
let small: SearchServer;
const SMALL_LIMIT = 8 * 1024 * 1024;

before(async () => {
  [server, small] = await Promise.all([startSearchServer({ port: 0 }), startSearchServer({ port: 0, maxContentLength: SMALL_LIMIT })]);
});
after(async () => {
  await Promise.all([server.close(), small.close()]);
});

interface Answer {
  status: number;
  json: { error?: { type?: string; reason?: string }; errors?: boolean; items?: unknown[]; count?: number } & Record<string, unknown>;
}

/** A raw request (fetch would not send a Content-Encoding we choose without re-encoding). */
function send(target: SearchServer, method: string, path: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(path, target.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { "content-type": "application/json", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString() || "{}") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** `count` gzip members of 1 MiB of zeros each, one after the other: a valid gzip body of ~1 kB per MiB it expands to. */
function gzipBomb(mebibytes: number): Buffer {
  const member = gzipSync(Buffer.alloc(1024 * 1024));
  return Buffer.concat(Array.from({ length: mebibytes }, () => member));
}

async function deflateBomb(mebibytes: number): Promise<Buffer> {
  const deflate = createDeflate();
  const out: Buffer[] = [];
  deflate.on("data", (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => deflate.on("end", resolve));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < mebibytes; i++) if (!deflate.write(zeros)) await new Promise((r) => deflate.once("drain", r));
  deflate.end();
  await done;
  return Buffer.concat(out);
}

describe("decompression bombs", () => {
  it("stops a 306 kB gzip body that would expand to 300 MB at the limit, with 413 naming it", async () => {
    const bomb = gzipBomb(300);
    assert.ok(bomb.length < 400_000, `${bomb.length} bytes`);
    const answer = await send(server, "POST", "/_bulk", bomb, { "content-encoding": "gzip", "content-type": "application/x-ndjson" });
    assert.equal(answer.status, 413);
    assert.equal(answer.json.error?.type, "content_too_long_exception");
    assert.match(answer.json.error?.reason ?? "", /decompressed \(gzip\) is larger than http\.max_content_length \[104857600b\]/);
  });

  it("never holds more than the limit of decompressed bytes: 300 MB bombs against an 8 MiB limit leave memory flat", async () => {
    const gzip = gzipBomb(300);
    const deflate = await deflateBomb(300);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      for (let i = 0; i < 3; i++) {
        for (const [body, encoding] of [[gzip, "gzip"], [deflate, "deflate"]] as const) {
          const answer = await send(small, "POST", "/_search", body, { "content-encoding": encoding });
          assert.equal(answer.status, 413, encoding);
          assert.match(answer.json.error?.reason ?? "", new RegExp(`decompressed \\(${encoding}\\) is larger than http\\.max_content_length \\[${SMALL_LIMIT}b\\]`));
        }
      }
    } finally {
      clearInterval(sampler);
    }
    const grewMb = (peak - before) / 1024 / 1024;
    assert.ok(grewMb < 120, `RSS grew ${grewMb.toFixed(0)} MB for six 300 MB bombs`);
  });

  it("still reads compressed bodies within the limit, and refuses a corrupt one with 400", async () => {
    await send(server, "PUT", "/zipped", "{}");
    const ndjson = '{"index":{"_index":"zipped","_id":"1"}}\n{"n":1}\n';
    const ok = await send(server, "POST", "/_bulk?refresh=true", gzipSync(ndjson), { "content-encoding": "gzip", "content-type": "application/x-ndjson" });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.errors, false);
    const corrupt = await send(server, "POST", "/_search", Buffer.from("not gzip at all"), { "content-encoding": "gzip" });
    assert.equal(corrupt.status, 400);
    assert.match(corrupt.json.error?.reason ?? "", /failed to decode gzip request body/);
  });
});

const boolNested = (levels: number) => '{"query":' + '{"bool":{"must":['.repeat(levels) + '{"match_all":{}}' + "]}}".repeat(levels) + "}";
const aggsNested = (levels: number) => '{"size":0,"aggs":' + '{"a":{"terms":{"field":"s"},"aggs":'.repeat(levels) + '{"m":{"max":{"field":"n"}}}' + "}}".repeat(levels) + "}";
const docNested = (levels: number) => '{"d":'.repeat(levels) + "1" + "}".repeat(levels);

describe(`nesting past opensearch.xcontent.depth.max (${MAX_JSON_DEPTH})`, () => {
  before(async () => {
    await send(server, "PUT", "/deep", JSON.stringify({ mappings: { properties: { n: { type: "long" }, s: { type: "keyword" } } } }));
    await send(server, "POST", "/deep/_doc/1?refresh=true", JSON.stringify({ n: 1, s: "a" }));
  });

  const refusedForDepth = (answer: Answer) => {
    assert.equal(answer.status, 400, JSON.stringify(answer.json).slice(0, 300));
    assert.equal(answer.json.error?.type, "x_content_parse_exception");
    assert.match(answer.json.error?.reason ?? "", /exceeds the maximum allowed \(1000, from `opensearch\.xcontent\.depth\.max`\)/);
  };

  it("refuses a bool query 2,000 deep and aggregations 3,000 deep with 400 naming the limit", async () => {
    refusedForDepth(await send(server, "POST", "/deep/_search", boolNested(2000)));
    refusedForDepth(await send(server, "POST", "/deep/_search", aggsNested(3000)));
    refusedForDepth(await send(server, "POST", "/deep/_count", boolNested(2000)));
    refusedForDepth(await send(server, "POST", "/_msearch", '{"index":"deep"}\n' + boolNested(2000) + "\n", { "content-type": "application/x-ndjson" }));
  });

  it("refuses a bulk request with a document 50,000 deep as a whole, indexing nothing", async () => {
    const body = '{"index":{"_index":"deep","_id":"ok"}}\n{"n":2}\n{"index":{"_index":"deep","_id":"bomb"}}\n' + docNested(50_000) + "\n";
    refusedForDepth(await send(server, "POST", "/_bulk?refresh=true", body, { "content-type": "application/x-ndjson" }));
    refusedForDepth(await send(server, "PUT", "/deep/_doc/bomb", docNested(50_000)));
    const count = await send(server, "POST", "/deep/_count", "{}");
    assert.equal(count.json.count, 1, "neither the deep document nor its neighbour was written");
  });

  it("refuses an _msearch header that is not an object with 400 (found by the fuzz suite: it was a 500)", async () => {
    for (const header of ["null", "42", "[]", '"index"']) {
      const answer = await send(server, "POST", "/_msearch", `${header}\n{}\n`, { "content-type": "application/x-ndjson" });
      assert.equal(answer.status, 400, header);
      assert.equal(answer.json.error?.type, "x_content_parse_exception");
      assert.match(answer.json.error?.reason ?? "", /^\[msearch\] line 1: expected START_OBJECT/);
    }
  });

  it("answers the same shapes just under the limit without a 5xx", async () => {
    // Each bool level opens 3 JSON levels, each aggregation level 3, plus the body's own.
    const answers = [
      await send(server, "POST", "/deep/_search", boolNested(330)),
      await send(server, "POST", "/deep/_search", aggsNested(330)),
      await send(server, "PUT", "/deep/_doc/almost", docNested(MAX_JSON_DEPTH)),
      await send(server, "POST", "/_bulk", '{"index":{"_index":"deep","_id":"almost2"}}\n' + docNested(MAX_JSON_DEPTH) + "\n", { "content-type": "application/x-ndjson" }),
    ];
    for (const answer of answers) assert.ok(answer.status < 500, `${answer.status} ${JSON.stringify(answer.json).slice(0, 300)}`);
    assert.equal(answers[0]!.status, 200);
  });
});
