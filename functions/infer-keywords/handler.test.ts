// POST /infer/keywords as an HTTP endpoint: the Hugging Face client reads its
// answers, batches keep their order, bad requests name the field.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadNewsFixture } from "../../test/fixtures/news/index.ts";
import { serveInferenceFunction, type InferenceEndpoint } from "../../test/helpers/inferenceEndpoint.ts";

const article = loadNewsFixture("market-report-long");
let endpoint: InferenceEndpoint;
before(async () => {
  endpoint = await serveInferenceFunction("/infer/keywords", () => import("./handler.ts"));
});
after(() => endpoint?.close());

describe("infer-keywords handler", () => {
  it("token-classification through @huggingface/inference: key phrases and entities with offsets into the input", async () => {
    const text = `${article.title}\n\n${article.content}`;
    const out = await endpoint.client.endpoint(endpoint.url).tokenClassification({ inputs: text });
    assert.ok(out.length > 0);
    for (const k of out) {
      assert.equal(typeof k.entity_group, "string");
      assert.ok(k.start >= 0 && k.end > k.start && k.end <= text.length, JSON.stringify(k));
    }
  });

  it("accepts batched inputs and answers one list per input", async () => {
    const kw = (await (await endpoint.post({ inputs: ["Ethereum developers ship the upgrade", "Solana validators restart"] })).json()) as unknown[][];
    assert.equal(kw.length, 2);
    assert.ok(Array.isArray(kw[0]));
  });

  it("refuses a call without the token (401) and names the field of a bad request (400)", async () => {
    assert.equal((await endpoint.post({ inputs: "x" }, "")).status, 401);
    await endpoint.assertRefusals([
      [{ inputs: "x", extra: true }, "extra"],
      [{ inputs: "x", "": true }, '""'], // found by the fuzz suite: an empty key named nothing
      [{ inputs: "x", parameters: { top_k: 3, aggregation: "simple" } }, "parameters.aggregation"],
      [{ inputs: "x", options: [] }, "options"],
    ]);
  });
});
