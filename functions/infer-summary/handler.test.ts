// POST /infer/summarization as an HTTP endpoint: the Hugging Face client reads
// its answers, batches keep their order, bad requests name the field.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadNewsFixture } from "../../test/fixtures/news/index.ts";
import { serveInferenceFunction, type InferenceEndpoint } from "../../test/helpers/inferenceEndpoint.ts";

const article = loadNewsFixture("market-report-long");
let endpoint: InferenceEndpoint;
before(async () => {
  endpoint = await serveInferenceFunction("/infer/summarization", () => import("./handler.ts"));
});
after(() => endpoint?.close());

describe("infer-summary handler", () => {
  it("summarization through @huggingface/inference: an extractive summary of a long article, shorter than it", async () => {
    const out = await endpoint.client.endpoint(endpoint.url).summarization({ inputs: article.content });
    assert.ok(out.summary_text.length > 0 && out.summary_text.length < article.content.length / 2);
  });

  it("accepts batched inputs and answers one summary per input, in order", async () => {
    const summaries = (await (await endpoint.post({ inputs: [article.content, "Short note."] })).json()) as Array<{ summary_text: string }>;
    assert.equal(summaries.length, 2);
    assert.equal(summaries[1]!.summary_text, "Short note.", "a one-sentence text comes back unchanged");
  });

  it("refuses a call without the token (401) and names the field of a bad request (400)", async () => {
    assert.equal((await endpoint.post({ inputs: "x" }, "")).status, 401);
    await endpoint.assertRefusals([
      [{ inputs: "x", parameters: { max_chars: 5 } }, "parameters.max_chars"],
      [{ inputs: ["", "ok"] }, "inputs[0]"],
      [{ inputs: "x", options: { use_gpu: true } }, "options.use_gpu"],
      [{ inputs: "x", parameters: { truncation: "sometimes" } }, "parameters.truncation"],
    ]);
  });

  it("accepts Hugging Face's parameters, max_length (tokens) bounding the characters", async () => {
    const r = await endpoint.post({ inputs: article.content, parameters: { truncation: "only_first", max_length: 40, min_length: 10 } });
    assert.equal(r.status, 200, await r.clone().text());
    const [out] = (await r.json()) as Array<{ summary_text: string }>;
    assert.ok(out!.summary_text.length > 0 && out!.summary_text.length <= 160, out!.summary_text);
  });
});
