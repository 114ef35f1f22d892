// The linear model's input as ONNX Runtime takes it: sparse features padded to one width.
import type { SparseFeatures } from "./features.ts";

export interface PaddedBatch {
  batch: number;
  width: number;
  ids: BigInt64Array;
  weights: Float32Array;
}

export function padBatch(features: readonly SparseFeatures[]): PaddedBatch {
  const width = Math.max(1, ...features.map((f) => f.ids.length));
  const ids = new BigInt64Array(features.length * width);
  const weights = new Float32Array(features.length * width);
  features.forEach((f, r) => {
    for (let j = 0; j < f.ids.length; j++) {
      ids[r * width + j] = BigInt(f.ids[j]!);
      weights[r * width + j] = f.values[j]!;
    }
  });
  return { batch: features.length, width, ids, weights };
}
