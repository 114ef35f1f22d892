// Non-model text enrichment of news articles: extractive summary, keywords and
// coin tags, one core, over the hand-written fixtures and a synthetic long
// article; plus the cost of loading wink's English model. Not part of `npm test`:
//   npm run bench -- text-enrichment [--quick]
// Every timed call gets a text it has not seen (a numbered trailing line), so
// the analysis cache only helps where it helps in the consumer: the keywords
// of a body that was just summarised.
const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 5 : 40;

// Model load first, in a process that has not touched wink yet.
let t0 = performance.now();
await import("wink-nlp");
await import("wink-eng-lite-web-model");
const importMs = performance.now() - t0;
const { wink, winkLoadMs } = await import("../lib/nlp/text/wink.ts");
wink();
const pipelineMs = winkLoadMs();

t0 = performance.now();
const { defaultCoinList } = await import("../lib/nlp/coins/coinList.ts");
const { coinIndex } = await import("../lib/nlp/coins/coinIndex.ts");
coinIndex(defaultCoinList());
const coinListMs = performance.now() - t0;

const { summarize } = await import("../lib/nlp/summarize.ts");
const { extractKeywords } = await import("../lib/nlp/keywords.ts");
const { tagCoins } = await import("../lib/nlp/coins/tagCoins.ts");
const { loadNewsFixtures } = await import("../test/fixtures/news/index.ts");

const fixtures = loadNewsFixtures();
const longBody = fixtures.map((f) => f.content).join("\n\n").repeat(2);
const words = (s: string) => s.split(/\s+/).length;

t0 = performance.now();
summarize(fixtures[0]!.content);
const firstCallMs = performance.now() - t0;

console.log(`wink modules import          ${importMs.toFixed(0).padStart(6)} ms`);
console.log(`wink pipeline build          ${pipelineMs.toFixed(0).padStart(6)} ms`);
console.log(`coin list validate + index   ${coinListMs.toFixed(1).padStart(6)} ms  (${defaultCoinList().length} coins)`);
console.log(`first summary (warm-up)      ${firstCallMs.toFixed(0).padStart(6)} ms`);
console.log(`fixtures: ${fixtures.length} articles, mean ${Math.round(fixtures.reduce((s, f) => s + words(f.content), 0) / fixtures.length)} words; synthetic long article ${words(longBody)} words; ${ROUNDS} rounds${quick ? " (--quick)" : ""}\n`);

interface Article {
  title: string;
  body: string;
}
let serial = 0;
const fresh = (a: Article): Article => ({ title: a.title, body: `${a.body}\n\nDesk reference ${++serial}.` });

function measure(label: string, articles: Article[], work: (a: Article) => void): void {
  for (const a of articles.slice(0, 2)) work(fresh(a)); // warm the JIT
  const times: number[] = [];
  let n = 0;
  const start = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    for (const a of articles) {
      const input = fresh(a);
      const s = performance.now();
      work(input);
      times.push(performance.now() - s);
      n++;
    }
  }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  console.log(
    `${label.padEnd(44)} ${((n / total) * 1000).toFixed(0).padStart(6)} articles/s   p50 ${p(0.5).toFixed(2).padStart(7)} ms   p95 ${p(0.95).toFixed(2).padStart(7)} ms`,
  );
}

const news: Article[] = fixtures.map((f) => ({ title: f.title, body: f.content }));
const long: Article[] = [{ title: "Weekly digest: markets, hacks and ETFs", body: longBody }];

const enrich = (a: Article) => {
  summarize(a.body, { title: a.title });
  extractKeywords(a);
  tagCoins(a);
};

for (const [set, articles] of [["fixtures", news], ["long", long]] as const) {
  measure(`summarize (${set})`, articles, (a) => summarize(a.body, { title: a.title }));
  measure(`keywords (${set})`, articles, (a) => extractKeywords(a));
  measure(`coin tags (${set})`, articles, (a) => tagCoins(a));
  measure(`summary + keywords + coin tags (${set})`, articles, enrich);
  console.log();
}
