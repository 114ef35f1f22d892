// `npm run eval:sentiment -- --cv`: the in-domain protocol of SOURCES.md, so that the
// method can be set beside its TF-IDF + LR figures like for like. Stratified 5-fold CV
// inside each evaluation set; in every fold our method (the shipped model's features,
// lexicon and trainer) and the TF-IDF + LR baseline are trained on the training folds
// only. The CV models are evaluation-only and are never written anywhere (licences).
// Progress goes to stderr, the table (or --json) to stdout.
import { LABELS, labelCounts, readEvaluationSets, SOURCES_TFIDF_LR, type Example } from "../lib/training/sentiment/datasets.ts";
import { defaultFeatureConfig } from "../lib/nlp/sentiment/features.ts";
import { crossValidate, type CvOptions, type CvSummary } from "../lib/training/sentiment/inDomainCv.ts";

const FOLDS = 5;
const SEED = 20171;
const INNER_FRACTION = 0.15;
// Same shape for both: five values, ×4 apart. In sklearn's terms l2 = 1 / (C·n), so for the
// 1.5k–3.3k inner fit rows these l2 values span C ≈ 0.2…80, the baseline's grid C = 1…256.
const L2_GRID = [4e-6, 1.6e-5, 6.4e-5, 2.56e-4, 1.024e-3];
const C_GRID = [1, 4, 16, 64, 256];

/** SOURCES.md: TF-IDF (word uni+bigrams) + LR, 5-fold CV inside each dataset. */
const SOURCES: Record<string, string> = {
  "PhraseBank AllAgree": SOURCES_TFIDF_LR.phraseBankAllAgree,
  "PhraseBank 50Agree": SOURCES_TFIDF_LR.phraseBank50Agree,
};

export function runInDomainCv(dataDir: string, o: { json: boolean }): void {
  const evaluation = readEvaluationSets(dataDir);
  const sets: [string, Example[]][] = [
    ["PhraseBank AllAgree", evaluation.phraseBankAllAgree],
    ["PhraseBank 50Agree", evaluation.phraseBank50Agree],
    ["SemEval-2017 headlines (train + test)", [...evaluation.semEvalTrain, ...evaluation.semEvalTest]],
    ["FiQA-2018 headlines", evaluation.fiqaHeadlines],
  ];
  const options: CvOptions = {
    folds: FOLDS,
    seed: SEED,
    innerFraction: INNER_FRACTION,
    features: defaultFeatureConfig(),
    numLabels: LABELS.length,
    l2Grid: L2_GRID,
    cGrid: C_GRID,
    log: (l) => console.error(l),
  };
  const t0 = performance.now();
  const results: { set: string; labels: string; cv: CvSummary }[] = [];
  for (const [name, examples] of sets) {
    console.error(`${name} (${examples.length} rows)`);
    results.push({ set: name, labels: labelCounts(examples.map((e) => e.label)), cv: crossValidate(examples, options) });
  }
  const seconds = (performance.now() - t0) / 1000;

  if (o.json) {
    console.log(JSON.stringify({ folds: FOLDS, seed: SEED, innerFraction: INNER_FRACTION, l2Grid: L2_GRID, cGrid: C_GRID, seconds, results }, null, 2));
    return;
  }
  const ms = (v: { mean: number; std: number }) => `${v.mean.toFixed(3)} ± ${v.std.toFixed(3)}`;
  console.log(`In-domain protocol: stratified ${FOLDS}-fold CV inside each set (seed ${SEED}; identical headlines kept in one fold).`);
  console.log(`Per fold, each method picks its regularisation on a stratified ${INNER_FRACTION * 100} % inner split of the training folds by macro-F1, then is refitted on all training folds.`);
  console.log(`ours: shipped features + lexicon + trainer, l2 from ${L2_GRID.join("/")}; TF-IDF+LR: word uni+bigrams, C from ${C_GRID.join("/")}.`);
  console.log(`SemEval/FiQA scores mapped: > 0.05 positive, < -0.05 negative, otherwise neutral. Mean ± std over folds.\n`);
  console.log("| set | n (neg/pos/neu) | ours acc | ours macro-F1 | TF-IDF+LR acc | TF-IDF+LR macro-F1 | Δ macro-F1 | SOURCES.md TF-IDF+LR acc / F1 | chosen l2 / C per fold |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const { set, labels, cv } of results) {
    const delta = cv.ours.macroF1.mean - cv.baseline.macroF1.mean;
    const chosen = `${cv.folds.map((f) => f.ours.l2).join(", ")} / ${cv.folds.map((f) => f.baseline.C).join(", ")}`;
    console.log(
      `| ${set} | ${cv.n} (${labels}) | ${ms(cv.ours.accuracy)} | ${ms(cv.ours.macroF1)} | ${ms(cv.baseline.accuracy)} | ${ms(cv.baseline.macroF1)} | ${delta >= 0 ? "+" : ""}${delta.toFixed(3)} | ${SOURCES[set] ?? "–"} | ${chosen} |`,
    );
  }
  console.log(`\n${results.length} sets × ${FOLDS} folds in ${seconds.toFixed(0)} s`);
}
