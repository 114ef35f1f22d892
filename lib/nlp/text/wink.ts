// wink-nlp with its English lite model, created once per process on first use:
// building the pipeline takes ~100 ms, far too much to pay per article.
import winkNLP, { type WinkMethods } from "wink-nlp";
import model from "wink-eng-lite-web-model";

let instance: WinkMethods | undefined;
let loadMs = 0;

/** The shared wink instance (sentence boundaries, POS tags, entities; no sentiment or negation). */
export function wink(): WinkMethods {
  if (!instance) {
    const t0 = performance.now();
    instance = winkNLP(model, ["sbd", "pos", "ner"]);
    loadMs = performance.now() - t0;
  }
  return instance;
}

/** How long building the pipeline took (0 until the first wink() call), for benchmarks and logs. */
export const winkLoadMs = (): number => loadMs;
