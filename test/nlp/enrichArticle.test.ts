import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { combineSentiment, enrichArticle, TITLE_WEIGHT } from "../../lib/news/enrich/enrichArticle.ts";
import { EnrichmentUnavailableError, type NlpServices } from "../../lib/news/enrich/NlpServices.ts";
import { nlpServicesFromEnv } from "../../lib/news/enrich/nlpServicesFromEnv.ts";
import { remoteNlpServices, toPrediction } from "../../lib/news/enrich/remoteNlpServices.ts";
import type { SentimentPrediction } from "../../lib/nlp/types.ts";

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

  it("summarises the body, classifies title + summary, dedupes keywords and tags coins from the text", async () => {
    const e = await enrichArticle(
      { title: "Bitcoin slides as SEC delays spot ETF decision", url: "https://x.example/a", source: "x", content: "Bitcoin fell 4% on Tuesday. Ether followed. Traders cited the delay." },
      nlp,
    );
    assert.deepEqual(calls, ["summarize", "sentiment:2", "keywords"]);
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

  it("an unavailable service fails the article with the service named", async () => {
    const down: NlpServices = { ...nlp, summarize: async () => Promise.reject(new EnrichmentUnavailableError("summarization", new Error("ECONNREFUSED"))) };
    await assert.rejects(enrichArticle({ title: "t", url: "https://x.example/c", source: "x", content: "Body text here." }, down), /summarization unavailable: ECONNREFUSED/);
  });
});

describe("choosing the NLP services from the environment", () => {
  it("derives the three endpoint URLs from INFERENCE_BASE_URL, each overridable", async () => {
    await assert.doesNotReject(nlpServicesFromEnv({ INFERENCE_BASE_URL: "http://127.0.0.1:3000/infer" }));
    await assert.doesNotReject(nlpServicesFromEnv({ INFERENCE_BASE_URL: "http://127.0.0.1:3000/infer", INFERENCE_SUMMARY_URL: "https://x.endpoints.huggingface.cloud" }));
  });

  it("names the variable at fault", async () => {
    await assert.rejects(nlpServicesFromEnv({}), /INFERENCE_SENTIMENT_URL/);
    await assert.rejects(nlpServicesFromEnv({ NLP_MODE: "magic" }), /NLP_MODE/);
    await assert.rejects(nlpServicesFromEnv({ INFERENCE_BASE_URL: "not a url" }), /INFERENCE_BASE_URL/);
    await assert.rejects(nlpServicesFromEnv({ INFERENCE_BASE_URL: "http://h/infer", INFERENCE_SENTIMENT_LABELS: "LABEL_0=bad" }), /INFERENCE_SENTIMENT_LABELS/);
    await assert.rejects(nlpServicesFromEnv({ INFERENCE_BASE_URL: "http://h/infer", INFERENCE_TIMEOUT_MS: "5" }), /INFERENCE_TIMEOUT_MS/);
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
