// Full article enrichment (summary, sentiment of title + body sentences, keywords,
// coin tags) and the inference functions' cold start, model and layer sizes.
//   npm run bench -- news-enrichment [--quick]
// "In-process" is the work itself on one core; "over HTTP" adds the inference
// functions' HTTP hop through @huggingface/inference, as consume-news does it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { enrichArticle } from "../lib/news/enrich/enrichArticle.ts";
import { localNlpServices } from "../lib/news/enrich/localNlpServices.ts";
import { remoteNlpServices } from "../lib/news/enrich/remoteNlpServices.ts";
import { defaultSentimentModelDir, loadSentimentClassifier } from "../lib/nlp/loadSentimentClassifier.ts";
import { buildOnnxLayer, mb } from "../scripts/build-onnx-layer.ts";
import { loadNewsFixtures } from "../test/fixtures/news/index.ts";
import { serveHttpLambda } from "../test/helpers/serveHttpLambda.ts";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 3 : 20;
const fixtures = loadNewsFixtures().map(({ name: _name, ...article }) => article);
const vary = (round: number) => fixtures.map((a, i) => ({ ...a, title: `${a.title} (${round}.${i})`, content: `${a.content ?? ""}\n\nUpdate ${round}.${i}.` }));

async function rate(label: string, work: (round: number) => Promise<number>): Promise<number> {
  await work(-1); // warm-up: model sessions, JIT
  const t0 = performance.now();
  let n = 0;
  for (let r = 0; r < ROUNDS; r++) n += await work(r);
  const perSecond = n / ((performance.now() - t0) / 1000);
  console.log(`  ${label.padEnd(44)} ${perSecond.toFixed(1).padStart(8)} articles/s  (${n} articles)`);
  return perSecond;
}

console.log(`full article enrichment, ${fixtures.length} fixture articles × ${ROUNDS} rounds (goal ≥ 50/s)`);
const t0 = performance.now();
const classifier = await loadSentimentClassifier(defaultSentimentModelDir(), { intraOpNumThreads: 1 });
const loadMs = performance.now() - t0;
const local = localNlpServices(classifier);
const inProcess = await rate("in-process, one at a time", async (r) => {
  for (const a of vary(r)) await enrichArticle(a, local);
  return fixtures.length;
});

process.env.INFERENCE_TOKEN = "bench-token";
process.env.CRYPTOVIZ_LOG_LEVEL ??= "SILENT"; // one log line per request would be the benchmark
const [sentiment, summary, keywords] = await Promise.all([
  import("../functions/infer-sentiment/handler.ts"),
  import("../functions/infer-summary/handler.ts"),
  import("../functions/infer-keywords/handler.ts"),
]);
const server = await serveHttpLambda({
  "POST /infer/sentiment": sentiment.handler,
  "POST /infer/summarization": summary.handler,
  "POST /infer/keywords": keywords.handler,
});
const remote = remoteNlpServices({
  sentimentUrl: `${server.url}/infer/sentiment`,
  summaryUrl: `${server.url}/infer/summarization`,
  keywordsUrl: `${server.url}/infer/keywords`,
  token: "bench-token",
  timeoutMs: 30_000,
});
const overHttp = await rate("over HTTP (inference functions), 4 in flight", async (r) => {
  const batch = vary(r);
  for (let i = 0; i < batch.length; i += 4) await Promise.all(batch.slice(i, i + 4).map((a) => enrichArticle(a, remote)));
  return batch.length;
});
await server.close();
console.log(`  HTTP hop cost: ${(inProcess / overHttp).toFixed(2)}× the in-process time (same run)`);

// Cold start: a fresh Node process loads the bundled function (as Lambda
// would, minus the runtime's own start) and answers one request.
const dir = mkdtempSync(join(resolve("."), ".bench-cold-"));
try {
  const outfile = join(dir, "handler.cjs");
  await build({ entryPoints: ["functions/infer-sentiment/handler.ts"], bundle: true, platform: "node", format: "cjs", target: "node20", outfile, external: ["onnxruntime-node"], logLevel: "error" });
  const event = { version: "2.0", rawPath: "/infer/sentiment", headers: { authorization: "Bearer t" }, body: JSON.stringify({ inputs: "Bitcoin ETF approved" }), requestContext: { http: { method: "POST", path: "/infer/sentiment" } }, isBase64Encoded: false };
  const script = join(dir, "cold.cjs");
  writeFileSync(
    script,
    `const t0 = performance.now();
     const { handler } = require(${JSON.stringify(outfile)});
     const loaded = performance.now();
     handler(${JSON.stringify(event)}, { functionName: "infer-sentiment", awsRequestId: "cold", getRemainingTimeInMillis: () => 10000 })
       .then((r) => { if (r.statusCode !== 200) throw new Error(r.body); console.log(JSON.stringify({ load: loaded - t0, first: performance.now() - loaded })); });`,
  );
  const runs: Array<{ load: number; first: number }> = [];
  for (let i = 0; i < (quick ? 2 : 5); i++) {
    const p = spawnSync(process.execPath, [script], { env: { ...process.env, INFERENCE_TOKEN: "t", SENTIMENT_MODEL_DIR: defaultSentimentModelDir(), CRYPTOVIZ_LOG_LEVEL: "SILENT" }, encoding: "utf8" });
    if (p.status !== 0) throw new Error(p.stderr);
    runs.push(JSON.parse(p.stdout.trim().split("\n").pop()!));
  }
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`\ninfer-sentiment cold start (bundle, fresh process, median of ${runs.length}): module load ${med(runs.map((r) => r.load)).toFixed(0)} ms + first request incl. model load ${med(runs.map((r) => r.first)).toFixed(0)} ms`);
  console.log(`  bundle: ${mb(statSync(outfile).size)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\nsentiment model load (in this process): ${loadMs.toFixed(0)} ms`);
console.log(`model file: ${(statSync(join(defaultSentimentModelDir(), "model.onnx")).size / 1024).toFixed(0)} KB (${classifier.name})`);
const layerDir = mkdtempSync(join(tmpdir(), "onnx-layer-"));
try {
  const layer = await buildOnnxLayer({ outDir: join(layerDir, "layer"), zipPath: join(layerDir, "layer.zip") });
  console.log(`ONNX Runtime layer (linux-arm64, onnxruntime-node ${layer.onnxruntimeVersion}): ${mb(layer.unpackedBytes)} unpacked, ${mb(layer.zippedBytes!)} zipped`);
} finally {
  rmSync(layerDir, { recursive: true, force: true });
}
await classifier.close();
