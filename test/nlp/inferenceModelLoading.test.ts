// The sentiment function loads its model once per container, and a failed load
// does not stick: the real handler, a real model directory whose files come and go.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { onceUntilRejected } from "../../lib/async/onceUntilRejected.ts";
import { serveHttpLambda, type HttpLambdaServer } from "../helpers/serveHttpLambda.ts";

const TOKEN = "model-loading-token";
const MODEL = "models/cryptoviz-sentiment";
let modelDir: string;
let server: HttpLambdaServer;

before(async () => {
  modelDir = mkdtempSync(join(tmpdir(), "sentiment-model-"));
  Object.assign(process.env, { INFERENCE_TOKEN: TOKEN, SENTIMENT_MODEL_DIR: modelDir });
  const sentiment = await import("../../functions/infer-sentiment/handler.ts");
  server = await serveHttpLambda({ "POST /infer/sentiment": sentiment.handler });
});
after(async () => {
  await server?.close();
  rmSync(modelDir, { recursive: true, force: true });
});

const classify = (text: string) =>
  fetch(`${server.url}/infer/sentiment`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ inputs: text }),
  });

describe("infer-sentiment: model loading per container", () => {
  it("a failed load is retried on the next request, then the loaded model serves every later request without reloading", async () => {
    // The directory is empty: the load fails.
    const failed = await classify("Bitcoin rallies");
    assert.equal(failed.status, 500);
    // The files arrive (a deploy finishing, a mount appearing): the next request loads them.
    for (const f of ["config.json", "model.onnx"]) copyFileSync(join(MODEL, f), join(modelDir, f));
    const loaded = await classify("Exchange drained in $200M hack");
    assert.equal(loaded.status, 200, await loaded.clone().text());
    assert.equal(((await loaded.json()) as { label: string }[][])[0]![0]!.label, "negative");
    // Gone again: a handler that reloaded per request would fail now.
    for (const f of ["config.json", "model.onnx"]) rmSync(join(modelDir, f));
    const cached = await classify("SEC approves spot bitcoin ETF");
    assert.equal(cached.status, 200, await cached.clone().text());
  });
});

describe("onceUntilRejected", () => {
  it("shares one load between concurrent and later callers", async () => {
    let loads = 0;
    const get = onceUntilRejected(async () => ++loads);
    assert.deepEqual(await Promise.all([get(), get(), get()]), [1, 1, 1]);
    assert.equal(await get(), 1);
    assert.equal(loads, 1);
  });

  it("forgets a rejected load, so the next call tries again", async () => {
    let loads = 0;
    const get = onceUntilRejected(async () => {
      loads++;
      if (loads === 1) throw new Error("model file not there yet");
      return "model";
    });
    await assert.rejects(get(), /not there yet/);
    assert.equal(await get(), "model");
    assert.equal(await get(), "model");
    assert.equal(loads, 2);
  });
});
