import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { bodySentences, combineSentiment, enrichArticle, MAX_BODY_SENTENCES, meanSentiment, TITLE_WEIGHT } from "../../lib/news/enrich/enrichArticle.ts";
import { localNlpServices } from "../../lib/news/enrich/localNlpServices.ts";
import { EnrichmentFailedError, EnrichmentUnavailableError, type NlpServices } from "../../lib/news/enrich/NlpServices.ts";
import { nlpServicesFromEnv } from "../../lib/news/enrich/nlpServicesFromEnv.ts";
import { literalSecret } from "../../lib/secrets/Secret.ts";
import { remoteNlpServices, SUMMARY_INPUT_CHARS, SUMMARY_MIN_TOKENS, toPrediction } from "../../lib/news/enrich/remoteNlpServices.ts";
import { defaultSentimentModelDir, loadSentimentClassifier } from "../../lib/nlp/loadSentimentClassifier.ts";
import { SUMMARY_MAX_CHARS } from "../../lib/nlp/summaryLimits.ts";
import type { SentimentClassifier, SentimentPrediction } from "../../lib/nlp/types.ts";
import { loadNewsFixture } from "../fixtures/news/index.ts";
import { startRecordingHttpServer, type RecordedRequest, type RecordingHttpServer } from "../helpers/recordingHttpServer.ts";
import { serveHttpLambda, type HttpLambdaServer } from "../helpers/serveHttpLambda.ts";

/** Calls that need no bearer token (the endpoints here check none). */
const noToken = literalSecret(undefined, "INFERENCE_TOKEN");

const p = (positive: number, negative: number, neutral: number): SentimentPrediction => ({
  label: positive >= negative && positive >= neutral ? "positive" : negative >= neutral ? "negative" : "neutral",
  scores: { positive, negative, neutral },
});

describe("combining title and body sentiment", () => {
  it("weights the title, keeps probabilities summing to 1, and scores P(pos) − P(neg)", () => {
    const s = combineSentiment(p(0.1, 0.8, 0.1), p(0.6, 0.1, 0.3));
    const neg = TITLE_WEIGHT * 0.8 + (1 - TITLE_WEIGHT) * 0.1;
    const pos = TITLE_WEIGHT * 0.1 + (1 - TITLE_WEIGHT) * 0.6;
    assert.ok(Math.abs(s.scores!.negative! - neg) < 1e-12);
    assert.ok(Math.abs(s.score - (pos - neg)) < 1e-12);
    assert.ok(Math.abs(s.scores!.positive! + s.scores!.negative! + s.scores!.neutral! - 1) < 1e-12);
    assert.equal(s.label, "negative");
    assert.deepEqual(combineSentiment(p(0.7, 0.1, 0.2), undefined).scores, { positive: 0.7, negative: 0.1, neutral: 0.2 }, "title only");
  });

  it("reads endpoint answers whatever their label case or order, and maps foreign labels", () => {
    const pred = toPrediction([{ label: "Neutral", score: 0.2 }, { label: "POSITIVE", score: 0.5 }, { label: "negative", score: 0.3 }]);
    assert.deepEqual(pred, { label: "positive", scores: { positive: 0.5, negative: 0.3, neutral: 0.2 } });
    const mapped = toPrediction([{ label: "LABEL_0", score: 0.9 }, { label: "LABEL_1", score: 0.1 }], { LABEL_0: "negative", LABEL_1: "neutral" });
    assert.equal(mapped.label, "negative");
    assert.throws(() => toPrediction([{ label: "LABEL_7", score: 1 }]), /LABEL_7/);
  });
});

describe("enriching one article", () => {
  const calls: string[] = [];
  const nlp: NlpServices = {
    async sentiment(texts) {
      calls.push(`sentiment:${texts.length}`);
      return texts.map(() => p(0.2, 0.7, 0.1));
    },
    async summarize(text) {
      calls.push("summarize");
      return text.split(". ")[0]!;
    },
    async keywords() {
      calls.push("keywords");
      return [{ text: "Spot ETF", type: "phrase", score: 0.9 }, { text: "spot etf", type: "phrase", score: 0.5 }, { text: "SEC", type: "ORG", score: 0.4 }];
    },
  };

  it("summarises the body, classifies the title and the body's sentences in one call, dedupes keywords and tags coins from the text", async () => {
    const e = await enrichArticle(
      { title: "Bitcoin slides as SEC delays spot ETF decision", url: "https://x.example/a", source: "x", content: "Bitcoin fell 4% on Tuesday. Ether followed. Traders cited the delay." },
      nlp,
    );
    // Title + two sentences ("Ether followed." is a fragment): one call.
    assert.deepEqual(calls, ["summarize", "sentiment:3", "keywords"]);
    assert.equal(e.summary, "Bitcoin fell 4% on Tuesday");
    assert.deepEqual(e.keywords, ["Spot ETF", "SEC"]);
    assert.ok(e.coins.includes("BTC"));
    assert.equal(e.sentiment.label, "negative");
  });

  it("a title-only article is classified on its title and gets no summary", async () => {
    calls.length = 0;
    const e = await enrichArticle({ title: "Ethereum developers schedule the next upgrade", url: "https://x.example/b", source: "x" }, nlp);
    assert.deepEqual(calls, ["sentiment:1", "keywords"]);
    assert.equal(e.summary, "");
  });

  it("the body's sentiment is the mean of its sentences', combined with the title's", async () => {
    const seen: string[][] = [];
    const byText: NlpServices = {
      ...nlp,
      async sentiment(texts) {
        seen.push([...texts]);
        return texts.map((t) => (t.startsWith("Title") ? p(0.8, 0.1, 0.1) : /drained|halted/.test(t) ? p(0.1, 0.8, 0.1) : p(0.3, 0.2, 0.5)));
      },
    };
    const content = "Attackers drained the hot wallet overnight. Withdrawals were halted for six hours. Customers were told funds are safe.";
    const e = await enrichArticle({ title: "Title: exchange reopens after hack", url: "https://x.example/m", source: "x", content }, byText);
    assert.equal(seen.length, 1, "one call");
    assert.deepEqual(seen[0], ["Title: exchange reopens after hack", "Attackers drained the hot wallet overnight.", "Withdrawals were halted for six hours.", "Customers were told funds are safe."]);
    const body = { positive: (0.1 + 0.1 + 0.3) / 3, negative: (0.8 + 0.8 + 0.2) / 3, neutral: (0.1 + 0.1 + 0.5) / 3 };
    for (const label of ["positive", "negative", "neutral"] as const) {
      assert.ok(Math.abs(e.sentiment.scores![label]! - (TITLE_WEIGHT * p(0.8, 0.1, 0.1).scores[label] + (1 - TITLE_WEIGHT) * body[label])) < 1e-12, label);
    }
    assert.deepEqual(meanSentiment([p(0.1, 0.8, 0.1), p(0.3, 0.2, 0.5)])?.label, "negative");
    assert.equal(meanSentiment([]), undefined);
  });

  it("reads at most the first 32 sentences, without fragments or boilerplate, each bounded", () => {
    const body = [
      "Read more: our weekly newsletter on markets and policy.",
      "Photo: a trader at his desk.",
      "Short line.",
      ...Array.from({ length: 40 }, (_, i) => `Sentence number ${i + 1} says the market moved today.`),
    ].join(" ");
    const sentences = bodySentences(body);
    assert.equal(sentences.length, MAX_BODY_SENTENCES);
    assert.equal(sentences[0], "Sentence number 1 says the market moved today.");
    assert.equal(sentences.at(-1), "Sentence number 32 says the market moved today.");
    const long = bodySentences(`${"word ".repeat(2000)}end.`);
    assert.ok(long.length === 1 && long[0]!.length <= 1000);
    assert.deepEqual(bodySentences(""), []);
  });

  it("an unavailable service fails the article with the service named", async () => {
    const down: NlpServices = { ...nlp, summarize: async () => Promise.reject(new EnrichmentUnavailableError("summarization", new Error("ECONNREFUSED"))) };
    await assert.rejects(enrichArticle({ title: "t", url: "https://x.example/c", source: "x", content: "Body text here." }, down), /summarization unavailable: ECONNREFUSED/);
  });
});

/** Answers like our inference functions (and HF), whatever path they are reached at. */
function hfAnswer(r: RecordedRequest) {
  const { inputs } = r.body as { inputs: string | string[] };
  if (r.path.includes("sentiment")) {
    const one = [{ label: "positive", score: 0.7 }, { label: "neutral", score: 0.2 }, { label: "negative", score: 0.1 }];
    return { status: 200, body: (Array.isArray(inputs) ? inputs : [inputs]).map(() => one) };
  }
  if (r.path.includes("keywords")) return { status: 200, body: [{ entity_group: "COIN", score: 1, word: "Bitcoin", start: 0, end: 7 }] };
  return { status: 200, body: [{ summary_text: "A summary." }] };
}

describe("choosing the NLP services from the environment", () => {
  let base: RecordingHttpServer;
  let other: RecordingHttpServer;
  before(async () => {
    [base, other] = await Promise.all([startRecordingHttpServer(hfAnswer), startRecordingHttpServer(hfAnswer)]);
  });
  after(() => Promise.all([base?.close(), other?.close()]));

  const useAll = async (nlp: NlpServices) => {
    await nlp.sentiment(["Bitcoin rallies"]);
    await nlp.summarize("Bitcoin rallied on Monday. Ether followed.");
    await nlp.keywords("Bitcoin rallied on Monday.");
  };

  it("derives the three endpoint URLs from INFERENCE_BASE_URL, each overridable", async () => {
    await useAll(await nlpServicesFromEnv({ INFERENCE_BASE_URL: `${base.url}/infer` }, noToken));
    assert.deepEqual(base.requests.map((r) => r.path), ["/infer/sentiment", "/infer/summarization", "/infer/keywords"]);

    // One override: the summary goes there (an abstractive HF endpoint), the rest stays on the base.
    base.requests.length = 0;
    await useAll(await nlpServicesFromEnv({ INFERENCE_BASE_URL: `${base.url}/infer`, INFERENCE_SUMMARY_URL: `${other.url}/hf-summary` }, noToken));
    assert.deepEqual(base.requests.map((r) => r.path), ["/infer/sentiment", "/infer/keywords"]);
    assert.deepEqual(other.requests.map((r) => r.path), ["/hf-summary"]);

    // Every one overridden: nothing reaches the base.
    base.requests.length = 0;
    other.requests.length = 0;
    await useAll(
      await nlpServicesFromEnv({
        INFERENCE_BASE_URL: `${base.url}/infer`,
        INFERENCE_SENTIMENT_URL: `${other.url}/s/sentiment`,
        INFERENCE_SUMMARY_URL: `${other.url}/s/summary`,
        INFERENCE_KEYWORDS_URL: `${other.url}/s/keywords`,
      }, noToken),
    );
    assert.deepEqual(base.requests, []);
    assert.deepEqual(other.requests.map((r) => r.path), ["/s/sentiment", "/s/summary", "/s/keywords"]);
    // And without a base, the three URLs alone are enough.
    await assert.doesNotReject(async () => useAll(await nlpServicesFromEnv({ INFERENCE_SENTIMENT_URL: `${other.url}/sentiment`, INFERENCE_SUMMARY_URL: `${other.url}/summary`, INFERENCE_KEYWORDS_URL: `${other.url}/keywords` }, noToken)));
  });

  it("names the variable at fault", async () => {
    await assert.rejects(nlpServicesFromEnv({}, noToken), /INFERENCE_SENTIMENT_URL/);
    await assert.rejects(nlpServicesFromEnv({ NLP_MODE: "magic" }, noToken), /NLP_MODE/);
    await assert.rejects(nlpServicesFromEnv({ INFERENCE_BASE_URL: "not a url" }, noToken), /INFERENCE_BASE_URL/);
    await assert.rejects(nlpServicesFromEnv({ INFERENCE_BASE_URL: "http://h/infer", INFERENCE_SENTIMENT_LABELS: "LABEL_0=bad" }, noToken), /INFERENCE_SENTIMENT_LABELS/);
    await assert.rejects(nlpServicesFromEnv({ INFERENCE_BASE_URL: "http://h/infer", INFERENCE_TIMEOUT_MS: "5" }, noToken), /INFERENCE_TIMEOUT_MS/);
  });
});

describe("title and body sentences through the inference functions, and in process", () => {
  const TOKEN = "enrich-test-token";
  let server: HttpLambdaServer;
  let classifier: SentimentClassifier;
  before(async () => {
    process.env.INFERENCE_TOKEN = TOKEN;
    const [sentiment, summary, keywords] = await Promise.all([
      import("../../functions/infer-sentiment/handler.ts"),
      import("../../functions/infer-summary/handler.ts"),
      import("../../functions/infer-keywords/handler.ts"),
    ]);
    server = await serveHttpLambda({ "POST /infer/sentiment": sentiment.handler, "POST /infer/summarization": summary.handler, "POST /infer/keywords": keywords.handler });
    classifier = await loadSentimentClassifier(defaultSentimentModelDir());
  });
  after(async () => {
    await server?.close();
    await classifier?.close();
  });

  it("sends the title and the body's sentences as one batched request, and agrees with the in-process models", async () => {
    const f = loadNewsFixture("exchange-hack");
    const article = { title: f.title, url: f.url, source: f.source, content: f.content };
    const remote = await enrichArticle(article, remoteNlpServices({ sentimentUrl: `${server.url}/infer/sentiment`, summaryUrl: `${server.url}/infer/summarization`, keywordsUrl: `${server.url}/infer/keywords`, token: TOKEN, timeoutMs: 10_000 }));
    const sentimentCalls = server.requests.filter((r) => r.path === "/infer/sentiment");
    assert.equal(sentimentCalls.length, 1, "one request for the title and every sentence");
    const { inputs } = JSON.parse(sentimentCalls[0]!.body) as { inputs: string[] };
    assert.deepEqual(inputs, [f.title, ...bodySentences(f.content)]);
    assert.ok(inputs.length > 5);
    const local = await enrichArticle(article, localNlpServices(classifier));
    assert.equal(remote.sentiment.label, local.sentiment.label);
    for (const label of ["positive", "negative", "neutral"] as const) assert.ok(Math.abs(remote.sentiment.scores![label]! - local.sentiment.scores![label]!) < 1e-5, label);
    assert.equal(remote.sentiment.label, "negative", "an exchange exploit reads negative");
  });
});

describe("an abstractive summariser behind a Hugging Face Inference Endpoint (INFERENCE_SUMMARY_URL)", () => {
  // A stand-in answering like the HF summarization API: [{summary_text}], 503
  // {error, estimated_time} while the model loads, 400 {error, error_type} for a bad request.
  let hf: RecordingHttpServer;
  let base: RecordingHttpServer;
  const HF_TOKEN = "hf_test_token";
  before(async () => {
    [hf, base] = await Promise.all([startRecordingHttpServer(hfAnswer), startRecordingHttpServer(hfAnswer)]);
  });
  after(() => Promise.all([hf?.close(), base?.close()]));
  const services = () => nlpServicesFromEnv({ INFERENCE_BASE_URL: `${base.url}/infer`, INFERENCE_SUMMARY_URL: hf.url, INFERENCE_TIMEOUT_MS: "2000" }, literalSecret(HF_TOKEN, "INFERENCE_TOKEN"));

  it("sends truncation and length parameters and a capped input; bounds the summary like the extractive one", async () => {
    const long = "The model wrote a very long abstract. ".repeat(30);
    hf.answer = () => ({ status: 200, body: [{ summary_text: long }] });
    hf.requests.length = 0;
    const article = "Bitcoin rose after the ETF decision, traders said on Monday. ".repeat(600); // ~37,000 characters
    const summary = await (await services()).summarize(article);
    assert.ok(summary.length <= SUMMARY_MAX_CHARS, `${summary.length}`);
    assert.ok(summary.endsWith("…") && long.startsWith(summary.slice(0, -1)), summary);
    assert.equal(hf.requests.length, 1);
    const request = hf.requests[0]!;
    assert.equal(request.method, "POST");
    assert.equal(request.headers.authorization, `Bearer ${HF_TOKEN}`);
    const body = request.body as { inputs: string; parameters: Record<string, unknown> };
    assert.deepEqual(body.parameters, { truncation: "only_first", max_length: SUMMARY_MAX_CHARS / 4, min_length: SUMMARY_MIN_TOKENS });
    assert.ok(body.inputs.length <= SUMMARY_INPUT_CHARS && body.inputs.length > SUMMARY_INPUT_CHARS - 100, `${body.inputs.length}`);
    assert.ok(article.startsWith(body.inputs) && /\S$/.test(body.inputs), "a prefix of the article, cut at a word");
    // A short article goes whole, and a short summary comes back unchanged.
    hf.answer = () => ({ status: 200, body: [{ summary_text: "Bitcoin rose after the ETF decision." }] });
    assert.equal(await (await services()).summarize("Bitcoin rose after the ETF decision, traders said."), "Bitcoin rose after the ETF decision.");
    assert.equal((hf.requests.at(-1)!.body as { inputs: string }).inputs, "Bitcoin rose after the ETF decision, traders said.");
  });

  it("a model still loading (503, estimated_time) is an outage: the article returns to the queue, with no retry inside the call", async () => {
    hf.answer = () => ({ status: 503, body: { error: "Model facebook/bart-large-cnn is currently loading", estimated_time: 20.0 } });
    hf.requests.length = 0;
    const error = await (await services()).summarize("Bitcoin rose. Ether fell.").catch((e: unknown) => e);
    assert.ok(error instanceof EnrichmentUnavailableError, String(error));
    assert.match(error.message, /summarization unavailable: HTTP 503: .*currently loading \(estimated_time 20 s\)/);
    assert.equal(hf.requests.length, 1, "the queue retries, not the client");
  });

  it("a request the endpoint refuses (400) or an answer that is not a summary can never succeed: poison", async () => {
    hf.answer = () => ({ status: 400, body: { error: "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 1024", error_type: "validation" } });
    const refused = await (await services()).summarize("Bitcoin rose.").catch((e: unknown) => e);
    assert.ok(refused instanceof EnrichmentFailedError, String(refused));
    assert.match(refused.message, /summarization failed: the endpoint refused the request \(HTTP 400: .*Input validation error/);
    hf.answer = () => ({ status: 200, body: { generated_text: "not the summarization shape" } });
    const malformed = await (await services()).summarize("Bitcoin rose.").catch((e: unknown) => e);
    assert.ok(malformed instanceof EnrichmentFailedError, String(malformed));
    hf.answer = () => ({ status: 500, body: { error: "internal error" } });
    assert.ok((await (await services()).summarize("Bitcoin rose.").catch((e: unknown) => e)) instanceof EnrichmentUnavailableError, "5xx: an outage");
  });
});

describe("reading a sentiment endpoint's answers", () => {
  let endpoint: RecordingHttpServer;
  before(async () => {
    endpoint = await startRecordingHttpServer(hfAnswer);
  });
  after(() => endpoint?.close());
  const nlp = () => remoteNlpServices({ sentimentUrl: `${endpoint.url}/sentiment`, summaryUrl: endpoint.url, keywordsUrl: endpoint.url, timeoutMs: 2000 });

  it("one request for a batch, one prediction per input; a single input may be answered flat", async () => {
    endpoint.requests.length = 0;
    assert.equal((await nlp().sentiment(["a b", "c d", "e f"])).length, 3);
    assert.equal(endpoint.requests.length, 1);
    assert.deepEqual((endpoint.requests[0]!.body as { inputs: string[] }).inputs, ["a b", "c d", "e f"]);
    endpoint.answer = () => ({ status: 200, body: [{ label: "NEGATIVE", score: 0.9 }, { label: "neutral", score: 0.1 }] });
    assert.equal((await nlp().sentiment(["Exchange hacked"]))[0]!.label, "negative");
  });

  it("an unknown label, a wrong count or a malformed answer is poison; a 5xx or a refused connection is an outage", async () => {
    const failure = (texts: string[]) => nlp().sentiment(texts).catch((e: unknown) => e);
    endpoint.answer = () => ({ status: 200, body: [[{ label: "LABEL_9", score: 1 }]] });
    const unknown = await failure(["x y"]);
    assert.ok(unknown instanceof EnrichmentFailedError && /unknown label "LABEL_9"/.test(unknown.message), String(unknown));
    endpoint.answer = () => ({ status: 200, body: [[{ label: "positive", score: 1 }]] });
    assert.ok((await failure(["x y", "z w"])) instanceof EnrichmentFailedError, "one list for two inputs");
    endpoint.answer = () => ({ status: 200, body: { label: "positive" } });
    assert.ok((await failure(["x y"])) instanceof EnrichmentFailedError);
    endpoint.answer = () => ({ status: 502, body: { error: "bad gateway" } });
    assert.ok((await failure(["x y"])) instanceof EnrichmentUnavailableError);
    endpoint.answer = () => ({ status: 429, body: { error: "rate limited" } });
    assert.ok((await failure(["x y"])) instanceof EnrichmentUnavailableError, "throttled: try later");
    const closed = remoteNlpServices({ sentimentUrl: "http://127.0.0.1:9/sentiment", summaryUrl: "http://127.0.0.1:9", keywordsUrl: "http://127.0.0.1:9", timeoutMs: 2000 });
    assert.ok((await closed.sentiment(["x y"]).catch((e: unknown) => e)) instanceof EnrichmentUnavailableError, "connection refused");
    endpoint.answer = hfAnswer;
  });
});

describe("a slow inference endpoint", () => {
  it("fails the call after INFERENCE_TIMEOUT_MS, naming the service, so the article returns to the queue", async () => {
    // Accepts the request and never answers.
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const nlp = remoteNlpServices({ sentimentUrl: url, summaryUrl: url, keywordsUrl: url, timeoutMs: 300 });
      const started = Date.now();
      await assert.rejects(nlp.sentiment(["Bitcoin rallies"]), (error: unknown) => error instanceof EnrichmentUnavailableError && error.service === "sentiment");
      assert.ok(Date.now() - started < 3000, "gave up near the timeout, not the socket's default");
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
