import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, open, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { inflateRawSync } from "node:zlib";
import * as ort from "onnxruntime-node";
import { buildOnnxLayer, LAMBDA_UNPACKED_LIMIT, zip, type OnnxLayerResult } from "../../scripts/build-onnx-layer.ts";
import { writeTinyBert } from "../../scripts/make-tiny-bert.ts";

let root: string;
let layer: OnnxLayerResult;

before(async () => {
  root = await mkdtemp(join(tmpdir(), "onnx-layer-"));
  layer = await buildOnnxLayer({ outDir: join(root, "onnxruntime-arm64"), zipPath: join(root, "onnxruntime-arm64.zip") });
});
after(() => rm(root, { recursive: true, force: true }));

const ORT = "nodejs/node_modules/onnxruntime-node";

/** Reads a zip's central directory and inflates every entry: an independent check of the writer. */
function unzip(bytes: Buffer): Map<string, Buffer> {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, "end of central directory");
  const count = bytes.readUInt16LE(end + 10);
  let p = bytes.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    assert.equal(bytes.readUInt32LE(p), 0x02014b50);
    const method = bytes.readUInt16LE(p + 10);
    const size = bytes.readUInt32LE(p + 20);
    const nameLength = bytes.readUInt16LE(p + 28);
    const extra = bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
    const local = bytes.readUInt32LE(p + 42);
    const name = bytes.toString("utf8", p + 46, p + 46 + nameLength);
    const dataStart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const body = bytes.subarray(dataStart, dataStart + size);
    out.set(name, method === 8 ? inflateRawSync(body) : Buffer.from(body));
    p += 46 + nameLength + extra;
  }
  return out;
}

test("the layer holds onnxruntime-node with only linux/arm64 binaries, plus onnxruntime-common", async () => {
  const binaries = layer.files.filter((f) => f.startsWith(`${ORT}/bin/`));
  assert.ok(binaries.length >= 2);
  for (const b of binaries) assert.match(b, /^nodejs\/node_modules\/onnxruntime-node\/bin\/napi-v\d+\/linux\/arm64\/[^/]+$/);
  assert.ok(!layer.files.some((f) => /darwin|win32|linux\/x64|\.dll$|\.dylib$|providers_(cuda|tensorrt)/.test(f)), "no other platform or GPU provider");
  assert.ok(!layer.files.some((f) => f.includes("/node_modules/onnxruntime-node/node_modules/") || f.includes("/script/")), "install-time files left out");

  const pkg = JSON.parse(await readFile(join(layer.dir, ORT, "package.json"), "utf8"));
  assert.equal(pkg.name, "onnxruntime-node");
  assert.equal(pkg.version, layer.onnxruntimeVersion);
  const common = JSON.parse(await readFile(join(layer.dir, "nodejs/node_modules/onnxruntime-common/package.json"), "utf8"));
  assert.equal(common.version, pkg.dependencies["onnxruntime-common"].replace(/^[\^~]/, ""));

  // What dist/binding.js requires on Lambda: bin/napi-v<N>/linux/arm64/onnxruntime_binding.node, next to libonnxruntime.so.1 (RUNPATH $ORIGIN).
  for (const napi of pkg.binary.napi_versions as number[]) {
    for (const file of ["onnxruntime_binding.node", "libonnxruntime.so.1"]) {
      const path = join(layer.dir, ORT, `bin/napi-v${napi}/linux/arm64`, file);
      const header = Buffer.alloc(20);
      const fd = await open(path);
      await fd.read(header, 0, 20, 0);
      await fd.close();
      assert.equal(header.readUInt32BE(0), 0x7f454c46, `${file} is ELF`);
      assert.equal(header.readUInt16LE(18), 183, `${file} is AArch64`);
    }
  }
  assert.match(await readFile(join(layer.dir, ORT, "dist/binding.js"), "utf8"), /bin\/napi-v6\/\$\{process\.platform\}\/\$\{process\.arch\}\/onnxruntime_binding\.node/);
});

test("the layer is under Lambda's 250 MB unpacked limit and its reported size is the files' size", async () => {
  let total = 0;
  for (const f of layer.files) total += (await stat(join(layer.dir, f))).size;
  assert.equal(layer.unpackedBytes, total);
  assert.ok(total < LAMBDA_UNPACKED_LIMIT, `${total} bytes`);
  assert.ok(total < 60 * 1024 * 1024, "the arm64 binaries alone are ~25 MB; anything much larger means other platforms slipped in");
  assert.equal(layer.zippedBytes, (await stat(layer.zip!)).size);
  assert.ok(layer.zippedBytes! < total);
});

test("with the layer on NODE_PATH, as /opt/nodejs/node_modules is on Lambda, require finds onnxruntime-node and its onnxruntime-common", () => {
  const script = [
    "const path = require('node:path');",
    "const main = require.resolve('onnxruntime-node');",
    "const common = require.resolve('onnxruntime-common', { paths: [path.dirname(main)] });",
    "const ort = require('onnxruntime-common');",
    "console.log(JSON.stringify({ main, common, tensor: typeof ort.Tensor }));",
  ].join("\n");
  const run = spawnSync(process.execPath, ["-e", script], { cwd: root, env: { PATH: process.env.PATH, NODE_PATH: join(layer.dir, "nodejs/node_modules") }, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const found = JSON.parse(run.stdout);
  assert.equal(found.main, join(layer.dir, ORT, "dist/index.js"));
  assert.equal(found.common, join(layer.dir, "nodejs/node_modules/onnxruntime-common/dist/cjs/index.js"));
  assert.equal(found.tensor, "function");
});

test("the zip holds exactly the layer's files under nodejs/, byte for byte", async () => {
  const entries = unzip(await readFile(layer.zip!));
  assert.deepEqual([...entries.keys()].sort(), [...layer.files].sort());
  for (const f of layer.files) assert.ok(entries.get(f)!.equals(await readFile(join(layer.dir, f))), f);
  const which = spawnSync("unzip", ["-tq", layer.zip!], { encoding: "utf8" });
  if (!which.error) assert.equal(which.status, 0, which.stdout + which.stderr);
});

test("the zip writer is deterministic and stores what does not compress", () => {
  const entries = [
    { name: "a.txt", data: Buffer.from("hello hello hello hello hello") },
    { name: "b.bin", data: Uint8Array.from([7]) },
  ];
  const once = zip(entries);
  assert.ok(once.equals(zip(entries)));
  const back = unzip(once);
  assert.equal(back.get("a.txt")!.toString(), "hello hello hello hello hello");
  assert.deepEqual([...back.get("b.bin")!], [7]);
});

const hostArch = process.platform === "linux" && (process.arch === "arm64" || process.arch === "x64") ? process.arch : undefined;

test(
  "a layer built for this machine's architecture loads from NODE_PATH alone and runs a BERT model (the arm64 one does the same on Graviton)",
  { skip: hostArch ? false : "needs linux arm64 or x64" },
  async () => {
    const hostLayer = await buildOnnxLayer({ outDir: join(root, `host-${hostArch}`), arch: hostArch! });
    const model = join(root, "tiny-bert");
    await writeTinyBert(model, { seed: 5 });
    const ids = [2n, 40n, 70n, 3n];
    const script = `
      const ort = require("onnxruntime-node");
      if (!require.resolve("onnxruntime-node").startsWith(process.env.LAYER)) throw new Error("resolved outside the layer");
      (async () => {
        const s = await ort.InferenceSession.create(${JSON.stringify(join(model, "model.onnx"))});
        const t = (v) => new ort.Tensor("int64", BigInt64Array.from(v.map(BigInt)), [1, 4]);
        const out = await s.run({ input_ids: t([${ids.join(", ")}]), attention_mask: t([1, 1, 1, 1]), token_type_ids: t([0, 0, 0, 0]) });
        console.log(JSON.stringify(Array.from(out.logits.data)));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const layerModules = join(hostLayer.dir, "nodejs/node_modules");
    const run = spawnSync(process.execPath, ["-e", script], { cwd: root, env: { PATH: process.env.PATH, NODE_PATH: layerModules, LAYER: layerModules }, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const fromLayer = JSON.parse(run.stdout) as number[];

    const session = await ort.InferenceSession.create(join(model, "model.onnx"));
    const t = (v: bigint[]) => new ort.Tensor("int64", BigInt64Array.from(v), [1, 4]);
    const out = await session.run({ input_ids: t(ids), attention_mask: t([1n, 1n, 1n, 1n]), token_type_ids: t([0n, 0n, 0n, 0n]) });
    await session.release();
    assert.deepEqual(fromLayer, Array.from(out.logits!.data as Float32Array));
  },
);
