// Durability of the local endpoint (local only: a real cluster has its own):
// restart on the same data directory, snapshots, and kill -9 while bulks are
// in flight — every acknowledged write must survive.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@opensearch-project/opensearch";
import { startSearchServer } from "../src/index.ts";
import { Cluster } from "../src/cluster/Cluster.ts";
import { indexDocument } from "../src/rest/documentWrites.ts";
import { pauseAfterChunk, snapshotShare } from "../src/storage/snapshotPacing.ts";
import { WriteAheadLog } from "../src/storage/WriteAheadLog.ts";
import { REAL_URL } from "./target.ts";

const skip = REAL_URL ? "durability of the local endpoint only" : false;
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "search-durable-"));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("restart", { skip }, () => {
  it("keeps indices, mappings, templates, documents, versions and sequence numbers across a clean restart", async () => {
    const data = join(dir, "restart");
    let server = await startSearchServer({ port: 0, dataDir: data });
    let client = new Client({ node: server.url });
    await client.indices.putIndexTemplate({ name: "tpl", body: { index_patterns: ["r-*"], priority: 1, template: { mappings: { properties: { s: { type: "keyword" } } } } } });
    await client.indices.create({ index: "r-1", body: { mappings: { properties: { n: { type: "long" } } } } });
    const docs = Array.from({ length: 50 }, (_, i) => ({ id: String(i), n: i, s: `k${i % 5}`, extra: i * 1.5 + 0.25 }));
    const body = docs.flatMap((d) => [{ index: { _index: "r-1", _id: d.id } }, { n: d.n, s: d.s, extra: d.extra }]);
    await client.bulk({ body });
    await client.update({ index: "r-1", id: "3", body: { doc: { n: 300 } } });
    await client.delete({ index: "r-1", id: "4" });
    const last = await client.index({ index: "r-1", id: "3", body: { n: 301, s: "k3" }, version: 50, version_type: "external" });
    await client.close();
    await server.close();

    server = await startSearchServer({ port: 0, dataDir: data });
    client = new Client({ node: server.url });
    try {
      assert.equal((await client.count({ index: "r-1" })).body.count, 49);
      const three = await client.get({ index: "r-1", id: "3" });
      assert.deepEqual(three.body._source, { n: 301, s: "k3" });
      assert.equal(three.body._version, 50);
      assert.equal(three.body._seq_no, last.body._seq_no);
      assert.equal((await client.exists({ index: "r-1", id: "4" })).body, false);
      const props = (await client.indices.getMapping({ index: "r-1" })).body["r-1"]!.mappings.properties as Record<string, { type: string }>;
      assert.deepEqual([props.n!.type, props.s!.type, props.extra!.type], ["long", "keyword", "float"]);
      assert.equal((await client.indices.getIndexTemplate({ name: "tpl" })).body.index_templates.length, 1);
      const next = await client.index({ index: "r-1", id: "new", body: { n: 1 }, refresh: true });
      assert.ok(next.body._seq_no > last.body._seq_no);
      const agg = await client.search({ index: "r-1", body: { size: 0, aggs: { s: { sum: { field: "n" } } } } });
      const want = docs.filter((d) => d.id !== "4" && d.id !== "3").reduce((a, d) => a + d.n, 0) + 301 + 1;
      assert.equal((agg.body.aggregations as { s: { value: number } }).s.value, want);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it("replays the log written after a snapshot and drops older segments", async () => {
    const data = join(dir, "snapshot");
    const a = new Cluster();
    await a.open(data);
    for (let i = 0; i < 100; i++) indexDocument(a, "snap", String(i), JSON.stringify({ i }), "index");
    await a.sync();
    await a.snapshot();
    for (let i = 100; i < 150; i++) indexDocument(a, "snap", String(i), JSON.stringify({ i }), "index");
    indexDocument(a, "snap", "0", JSON.stringify({ i: -1 }), "index");
    await a.sync();
    const files = readdirSync(data).filter((f) => f !== "LOCK").sort();
    assert.deepEqual(files, ["CURRENT", "snapshot-1.ndjson", "wal-1.log"]);
    // no clean close: simulate a crash by simply opening the directory again
    const b = new Cluster();
    await b.open(data);
    const ix = b.indices.get("snap")!;
    assert.equal(ix.liveCount, 150);
    assert.equal(JSON.parse(ix.sourceString(ix.lookup("0")!.slot)).i, -1);
    assert.equal(ix.lookup("0")!.version, 2);
    await a.close();
    await b.close();
  });
});

describe("snapshot policy", { skip }, () => {
  it("starts a snapshot only once the log outgrows both the threshold and the last snapshot, across restarts", async () => {
    const data = join(dir, "policy");
    const line = (n: number) => `${"x".repeat(n - 1)}\n`;
    let wal = new WriteAheadLog(data, { snapshotThreshold: 1000 });
    await wal.recover(() => undefined, () => undefined);
    wal.append(line(1500));
    await wal.sync();
    assert.equal(wal.needsSnapshot(), true, "past the threshold, no snapshot yet");
    await wal.snapshot(() => async (w) => w.write(line(10_000)));
    wal.append(line(5000));
    await wal.sync();
    assert.equal(wal.needsSnapshot(), false, "the log (5,000 bytes) is smaller than the last snapshot (10,000)");
    await wal.close();

    wal = new WriteAheadLog(data, { snapshotThreshold: 1000 });
    await wal.recover(() => undefined, () => undefined);
    assert.equal(wal.needsSnapshot(), false, "after a restart the last snapshot's size still counts");
    wal.append(line(6000));
    await wal.sync();
    assert.equal(wal.needsSnapshot(), true, "the log (11,000 bytes) has outgrown the last snapshot");
    await wal.close();
  });

  it("writes a snapshot of many chunks (paced between them) that restores every document", async () => {
    const data = join(dir, "chunks");
    const a = new Cluster();
    await a.open(data);
    const pad = "p".repeat(200);
    for (let i = 0; i < 20_000; i++) indexDocument(a, "big", String(i), JSON.stringify({ i, pad }), "index");
    await a.sync();
    await a.snapshot(); // ~4.6 MB: five chunks
    await a.close();
    const b = new Cluster();
    await b.open(data);
    const ix = b.indices.get("big")!;
    assert.equal(ix.liveCount, 20_000);
    assert.equal(JSON.parse(ix.sourceString(ix.lookup("19999")!.slot)).i, 19_999);
    await b.close();
  });
});

describe("snapshot contents and pacing", { skip }, () => {
  it("restores ids and sources byte for byte: non-ASCII, escapes, and a source larger than a chunk", async () => {
    const data = join(dir, "bytes");
    const a = new Cluster();
    await a.open(data);
    const docs = new Map<string, string>([
      ['quote"and\\backslash', JSON.stringify({ t: 'a "quoted" \\ value' })],
      ["ünïcødé-€-😀", JSON.stringify({ t: "price 98 220 € — 😀", n: 1 })],
      ["tab\tand\u2028line", JSON.stringify({ t: "x\u2028y" })],
      ["big", JSON.stringify({ pad: "é".repeat(700_000) })], // 1.4 MB: more than one chunk on its own
    ]);
    for (let i = 0; i < 5_000; i++) docs.set(`binance:BTCUSDT:${i}`, JSON.stringify({ i, s: "∑" }));
    for (const [id, src] of docs) indexDocument(a, "bytes", id, src, "index");
    await a.sync();
    await a.snapshot();
    await a.close();
    const b = new Cluster();
    await b.open(data);
    const ix = b.indices.get("bytes")!;
    assert.equal(ix.liveCount, docs.size);
    for (const [id, src] of docs) {
      const state = ix.lookup(id);
      assert.ok(state, `${JSON.stringify(id.slice(0, 40))} restored`);
      assert.equal(ix.sourceString(state.slot), src, `source of ${JSON.stringify(id.slice(0, 40))}`);
    }
    await b.close();
  });

  it("takes a quarter of the thread when requests are quiet and a twentieth when they keep it busy", () => {
    assert.equal(snapshotShare(0), 0.25);
    assert.equal(snapshotShare(0.5), 0.25);
    assert.ok(Math.abs(snapshotShare(0.7) - 0.15) < 1e-9);
    assert.equal(snapshotShare(0.95), 0.05);
    assert.equal(snapshotShare(1.2), 0.05, "a measurement above 1 is held to 1");
    assert.equal(pauseAfterChunk(4, 0), 12, "4 ms of work, 12 ms of pause: a quarter");
    assert.ok(Math.abs(pauseAfterChunk(4, 0.95) - 76) < 1e-9, "a twentieth");
  });
});

function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", main, "--port", "0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (c: Buffer) => {
      buf += c.toString();
      const nl = buf.indexOf("\n");
      if (nl >= 0) resolve({ child, url: (JSON.parse(buf.slice(0, nl)) as { url: string }).url });
    });
    child.once("exit", (code) => reject(new Error(`server exited early (${code})`)));
  });
}

describe("kill -9", { skip }, () => {
  it("loses no acknowledged bulk when the server is killed mid-stream", async () => {
    const data = join(dir, "kill");
    const first = await startChild(data);
    await assert.rejects(startSearchServer({ port: 0, dataDir: data }), /in use/);
    const client = new Client({ node: first.url, maxRetries: 0, requestTimeout: 5000 });
    const acknowledged = new Map<string, number>();
    let batch = 0;
    let killed = false;
    const writer = async (w: number): Promise<void> => {
      while (!killed) {
        const b = batch++;
        const ids = Array.from({ length: 200 }, (_, i) => `w${w}-b${b}-${i}`);
        try {
          const r = await client.bulk({ body: ids.flatMap((id, i) => [{ index: { _index: "k", _id: id } }, { v: b * 1000 + i }]) });
          if ((r.body as { errors: boolean }).errors) throw new Error("unexpected item errors");
          ids.forEach((id, i) => acknowledged.set(id, b * 1000 + i));
        } catch (err) {
          if (!killed) throw err;
        }
      }
    };
    const writers = [writer(0), writer(1)];
    while (acknowledged.size < 4000) await new Promise((r) => setTimeout(r, 5));
    killed = true;
    first.child.kill("SIGKILL");
    await Promise.all(writers);
    await new Promise((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r(null) : first.child.once("exit", r)));
    await client.close();

    const second = await startChild(data);
    const c2 = new Client({ node: second.url });
    try {
      await c2.indices.refresh({ index: "k" });
      const total = (await c2.count({ index: "k" })).body.count;
      assert.ok(total >= acknowledged.size, `${total} documents after restart, ${acknowledged.size} acknowledged`);
      const ids = [...acknowledged.keys()];
      for (let i = 0; i < ids.length; i += 1000) {
        const r = await c2.mget({ index: "k", body: { ids: ids.slice(i, i + 1000) } });
        for (const d of r.body.docs as { _id: string; found: boolean; _source?: { v: number } }[]) {
          assert.equal(d.found, true, `acknowledged ${d._id} lost`);
          assert.equal(d._source!.v, acknowledged.get(d._id));
        }
      }
    } finally {
      await c2.close();
      second.child.kill("SIGTERM");
      await new Promise((r) => second.child.once("exit", r));
    }
  });
});
