// POST /infer/sentiment as an HTTP endpoint: the Hugging Face client reads its
// answers, batches keep their order, bad requests name the field, and calls
// without the token are refused.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { serveInferenceFunction, type InferenceEndpoint } from "../../test/helpers/inferenceEndpoint.ts";

let endpoint: InferenceEndpoint;
before(async () => {
  endpoint = await serveInferenceFunction("/infer/sentiment", () => import("./handler.ts"));
});
after(() => endpoint?.close());

describe("infer-sentiment handler", () => {
  it("text-classification through @huggingface/inference: three labels with scores summing to 1, highest first", async () => {
    const out = await endpoint.client.endpoint(endpoint.url).textClassification({ inputs: "Exchange drained in $200 million hack, withdrawals halted" });
    assert.deepEqual(out.map((o) => o.label).sort(), ["negative", "neutral", "positive"]);
    assert.ok(Math.abs(out.reduce((s, o) => s + o.score, 0) - 1) < 1e-5);
    assert.ok(out[0]!.score >= out[1]!.score && out[1]!.score >= out[2]!.score);
    assert.equal(out[0]!.label, "negative");
  });

  it("accepts batched inputs and answers one result per input, in order", async () => {
    const texts = ["SEC approves spot bitcoin ETF", "Exchange halts withdrawals after exploit", "Bitcoin trades sideways"];
    const r = await endpoint.post({ inputs: texts });
    assert.equal(r.status, 200);
    const body = (await r.json()) as Array<Array<{ label: string; score: number }>>;
    assert.equal(body.length, 3);
    const single = await Promise.all(texts.map(async (t) => ((await (await endpoint.post({ inputs: t })).json()) as typeof body)[0]));
    // Same labels in the same order as single calls; scores equal up to float32 summation order.
    assert.deepEqual(body.map((list) => list.map((x) => x.label)), single.map((list) => list!.map((x) => x.label)));
    body.forEach((list, i) => list.forEach((x, j) => assert.ok(Math.abs(x.score - single[i]![j]!.score) < 1e-5, `input ${i} ${x.label}`)));
  });

  it("refuses a call without the token (401) and names the field of a bad request (400)", async () => {
    assert.equal((await endpoint.post({ inputs: "x" }, "")).status, 401);
    assert.equal((await endpoint.post({ inputs: "x" }, "wrong")).status, 401);
    await endpoint.assertRefusals([
      ["{not json", "body"],
      [{}, "inputs"],
      [{ inputs: 42 }, "inputs"],
      [{ inputs: ["ok", 7] }, "inputs[1]"],
      [{ inputs: [] }, "inputs"],
      [{ inputs: Array(65).fill("x") }, "inputs"],
      [{ inputs: "x".repeat(100_001) }, "inputs"],
      [{ inputs: "x", parameters: { top_k: 9 } }, "parameters.top_k"],
      // Blank texts: nothing to classify.
      [{ inputs: "" }, "inputs"],
      [{ inputs: " \n\t " }, "inputs"],
      [{ inputs: ["ok", "   "] }, "inputs[1]"],
      // Unknown parameters are named themselves, not their object.
      [{ inputs: "x", parameters: { top_p: 0.9 } }, "parameters.top_p"],
      [{ inputs: "x", parameters: "fast" }, "parameters"],
      // Hugging Face's options: two booleans, nothing else.
      [{ inputs: "x", options: { wait_for_model: "yes" } }, "options.wait_for_model"],
      [{ inputs: "x", options: { use_cache: 1 } }, "options.use_cache"],
      // Nested past the JSON depth limit: refused before anything recurses over it.
      ['{"inputs":"x","parameters":' + '{"a":'.repeat(5000) + "1" + "}".repeat(5001), "body"],
    ]);
  });

  it("accepts Hugging Face's request options", async () => {
    const r = await endpoint.post({ inputs: "Bitcoin rallies", options: { wait_for_model: true, use_cache: false } });
    assert.equal(r.status, 200, await r.clone().text());
  });
});
