// The three inference functions as HTTP endpoints: the Hugging Face client
// reads their answers, batches keep their order, bad requests name the field,
// and calls without the token are refused.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { InferenceClient } from "@huggingface/inference";
import { loadNewsFixture } from "../fixtures/news/index.ts";
import { serveHttpLambda, type HttpLambdaServer } from "../helpers/serveHttpLambda.ts";

const TOKEN = "inference-test-token";
const article = loadNewsFixture("market-report-long");
let server: HttpLambdaServer;
let client: InferenceClient;

before(async () => {
  process.env.INFERENCE_TOKEN = TOKEN;
  const [sentiment, summary, keywords] = await Promise.all([
    import("../../functions/infer-sentiment/handler.ts"),
    import("../../functions/infer-summary/handler.ts"),
    import("../../functions/infer-keywords/handler.ts"),
  ]);
  server = await serveHttpLambda({
    "POST /infer/sentiment": sentiment.handler,
    "POST /infer/summarization": summary.handler,
    "POST /infer/keywords": keywords.handler,
  });
  client = new InferenceClient(TOKEN);
});
after(() => server?.close());

const post = (path: string, body: unknown, token = TOKEN) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("inference functions through @huggingface/inference", () => {
  it("text-classification: three labels with scores summing to 1, highest first", async () => {
    const out = await client.endpoint(`${server.url}/infer/sentiment`).textClassification({ inputs: "Exchange drained in $200 million hack, withdrawals halted" });
    assert.deepEqual(out.map((o) => o.label).sort(), ["negative", "neutral", "positive"]);
    assert.ok(Math.abs(out.reduce((s, o) => s + o.score, 0) - 1) < 1e-5);
    assert.ok(out[0]!.score >= out[1]!.score && out[1]!.score >= out[2]!.score);
    assert.equal(out[0]!.label, "negative");
  });

  it("summarization: an extractive summary of a long article, shorter than it", async () => {
    const out = await client.endpoint(`${server.url}/infer/summarization`).summarization({ inputs: article.content });
    assert.ok(out.summary_text.length > 0 && out.summary_text.length < article.content.length / 2);
  });

  it("token-classification: key phrases and entities with offsets into the input", async () => {
    const text = `${article.title}\n\n${article.content}`;
    const out = await client.endpoint(`${server.url}/infer/keywords`).tokenClassification({ inputs: text });
    assert.ok(out.length > 0);
    for (const k of out) {
      assert.equal(typeof k.entity_group, "string");
      assert.ok(k.start >= 0 && k.end > k.start && k.end <= text.length, JSON.stringify(k));
    }
  });
});

describe("inference functions over plain HTTP", () => {
  it("accepts batched inputs and answers one result per input, in order", async () => {
    const texts = ["SEC approves spot bitcoin ETF", "Exchange halts withdrawals after exploit", "Bitcoin trades sideways"];
    const r = await post("/infer/sentiment", { inputs: texts });
    assert.equal(r.status, 200);
    const body = (await r.json()) as Array<Array<{ label: string; score: number }>>;
    assert.equal(body.length, 3);
    const single = await Promise.all(texts.map(async (t) => ((await (await post("/infer/sentiment", { inputs: t })).json()) as typeof body)[0]));
    // Same labels in the same order as single calls; scores equal up to float32 summation order.
    assert.deepEqual(body.map((list) => list.map((x) => x.label)), single.map((list) => list!.map((x) => x.label)));
    body.forEach((list, i) => list.forEach((x, j) => assert.ok(Math.abs(x.score - single[i]![j]!.score) < 1e-5, `input ${i} ${x.label}`)));
    const summaries = (await (await post("/infer/summarization", { inputs: [article.content, "Short note."] })).json()) as Array<{ summary_text: string }>;
    assert.equal(summaries.length, 2);
    assert.equal(summaries[1]!.summary_text, "Short note.", "a one-sentence text comes back unchanged");
    const kw = (await (await post("/infer/keywords", { inputs: ["Ethereum developers ship the upgrade", "Solana validators restart"] })).json()) as unknown[][];
    assert.equal(kw.length, 2);
    assert.ok(Array.isArray(kw[0]));
  });

  it("refuses a call without the token (401) and names the field of a bad request (400)", async () => {
    assert.equal((await post("/infer/sentiment", { inputs: "x" }, "")).status, 401);
    assert.equal((await post("/infer/sentiment", { inputs: "x" }, "wrong")).status, 401);
    const cases: [string, unknown, string][] = [
      ["/infer/sentiment", "{not json", "body"],
      ["/infer/sentiment", {}, "inputs"],
      ["/infer/sentiment", { inputs: 42 }, "inputs"],
      ["/infer/sentiment", { inputs: ["ok", 7] }, "inputs[1]"],
      ["/infer/sentiment", { inputs: [] }, "inputs"],
      ["/infer/sentiment", { inputs: Array(65).fill("x") }, "inputs"],
      ["/infer/sentiment", { inputs: "x".repeat(100_001) }, "inputs"],
      ["/infer/sentiment", { inputs: "x", parameters: { top_k: 9 } }, "parameters.top_k"],
      ["/infer/summarization", { inputs: "x", parameters: { max_chars: 5 } }, "parameters.max_chars"],
      ["/infer/keywords", { inputs: "x", extra: true }, "extra"],
      ["/infer/keywords", { inputs: "x", "": true }, '""'], // found by the fuzz suite: an empty key named nothing
      // Blank texts: nothing to classify, summarise or search.
      ["/infer/sentiment", { inputs: "" }, "inputs"],
      ["/infer/sentiment", { inputs: " \n\t " }, "inputs"],
      ["/infer/sentiment", { inputs: ["ok", "   "] }, "inputs[1]"],
      ["/infer/summarization", { inputs: ["", "ok"] }, "inputs[0]"],
      // Unknown parameters are named themselves, not their object.
      ["/infer/sentiment", { inputs: "x", parameters: { top_p: 0.9 } }, "parameters.top_p"],
      ["/infer/keywords", { inputs: "x", parameters: { top_k: 3, aggregation: "simple" } }, "parameters.aggregation"],
      ["/infer/sentiment", { inputs: "x", parameters: "fast" }, "parameters"],
      // Hugging Face's options: two booleans, nothing else.
      ["/infer/sentiment", { inputs: "x", options: { wait_for_model: "yes" } }, "options.wait_for_model"],
      ["/infer/sentiment", { inputs: "x", options: { use_cache: 1 } }, "options.use_cache"],
      ["/infer/summarization", { inputs: "x", options: { use_gpu: true } }, "options.use_gpu"],
      ["/infer/keywords", { inputs: "x", options: [] }, "options"],
      // Nested past the JSON depth limit: refused before anything recurses over it.
      ["/infer/sentiment", '{"inputs":"x","parameters":' + '{"a":'.repeat(5000) + "1" + "}".repeat(5001), "body"],
    ];
    for (const [path, body, field] of cases) {
      const r = await post(path, body);
      const answer = (await r.json()) as { field?: string };
      assert.deepEqual([r.status, answer.field], [400, field], `${path} ${JSON.stringify(body).slice(0, 60)}`);
    }
  });

  it("summarization accepts Hugging Face's parameters, max_length (tokens) bounding the characters", async () => {
    const r = await post("/infer/summarization", { inputs: article.content, parameters: { truncation: "only_first", max_length: 40, min_length: 10 } });
    assert.equal(r.status, 200, await r.clone().text());
    const [out] = (await r.json()) as Array<{ summary_text: string }>;
    assert.ok(out!.summary_text.length > 0 && out!.summary_text.length <= 160, out!.summary_text);
    const bad = await post("/infer/summarization", { inputs: "x", parameters: { truncation: "sometimes" } });
    assert.deepEqual([bad.status, ((await bad.json()) as { field?: string }).field], [400, "parameters.truncation"]);
  });

  it("accepts Hugging Face's request options", async () => {
    const r = await post("/infer/sentiment", { inputs: "Bitcoin rallies", options: { wait_for_model: true, use_cache: false } });
    assert.equal(r.status, 200, await r.clone().text());
  });
});
