// The default model's maths, written once: the TypeScript forward pass the
// trainer uses, and the same computation as an ONNX graph. Both take padded
// batches of hashed features (ids + sublinear tf), weight them by IDF, L2-normalise
// each text, then softmax((x·W + b) / T).
import { encodeOnnxModel, type OnnxNode } from "../onnx/encodeOnnxModel.ts";
import type { SparseFeatures } from "../../nlp/sentiment/features.ts";

/** Added under the square root so that a text with no known feature gets x = 0 (bias only). */
export const NORM_EPSILON = 1e-12;

export interface LinearWeights {
  numBuckets: number;
  numLabels: number;
  /** [numBuckets, numLabels], row-major. */
  W: Float32Array;
  /** [numBuckets]; 0 for buckets never seen in training, so they do not dilute the norm. */
  idf: Float32Array;
  bias: Float32Array;
  temperature: number;
}

/** A batch padded to its longest text: id 0 with weight 0 is padding (contributes nothing). */
/** IDF-weighted, L2-normalised feature values of one text (what multiplies the weight rows). */
export function normalizedValues(f: SparseFeatures, idf: Float32Array): Float64Array {
  const v = new Float64Array(f.ids.length);
  let ss = 0;
  for (let j = 0; j < v.length; j++) {
    v[j] = f.values[j]! * idf[f.ids[j]!]!;
    ss += v[j]! * v[j]!;
  }
  const norm = Math.sqrt(ss + NORM_EPSILON);
  for (let j = 0; j < v.length; j++) v[j]! /= norm;
  return v;
}

/** Raw logits x·W + b (before temperature). */
export function logitsOf(f: SparseFeatures, m: LinearWeights): Float64Array {
  const x = normalizedValues(f, m.idf);
  const out = Float64Array.from(m.bias);
  for (let j = 0; j < x.length; j++) {
    const row = f.ids[j]! * m.numLabels;
    for (let c = 0; c < m.numLabels; c++) out[c]! += x[j]! * m.W[row + c]!;
  }
  return out;
}

export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const z = Float64Array.from(logits, (v) => v / temperature);
  const max = Math.max(...z);
  let sum = 0;
  for (let i = 0; i < z.length; i++) sum += z[i] = Math.exp(z[i]! - max);
  for (let i = 0; i < z.length; i++) z[i]! /= sum;
  return z;
}

/** The TypeScript reference of the ONNX graph: calibrated probabilities per text. */
export function forward(features: readonly SparseFeatures[], m: LinearWeights): Float64Array[] {
  return features.map((f) => softmax(logitsOf(f, m), m.temperature));
}

/**
 * The ONNX graph of the same computation (opset 17). Only buckets seen in training
 * (idf > 0) have weights, so the file stores those rows compactly plus an int32
 * bucket → row map whose unseen entries point at row 0, a row of zeros (idf 0):
 * half the size of dense [2^bits, 3] + [2^bits] tensors, same numbers.
 */
export function buildLinearOnnx(m: LinearWeights, name: string, metadata: Record<string, string>): Uint8Array {
  const L = m.numLabels;
  const rowOf = new Int32Array(m.numBuckets);
  let rows = 1;
  for (let id = 0; id < m.numBuckets; id++) if (m.idf[id]! > 0) rowOf[id] = rows++;
  const W = new Float32Array(rows * L);
  const idf = new Float32Array(rows);
  for (let id = 0; id < m.numBuckets; id++) {
    const r = rowOf[id]!;
    if (r === 0) continue;
    idf[r] = m.idf[id]!;
    for (let c = 0; c < L; c++) W[r * L + c] = m.W[id * L + c]!;
  }
  const nodes: OnnxNode[] = [
    { op: "Gather", inputs: ["bucket_row", "feature_ids"], outputs: ["row_ids"], attributes: { axis: 0 } },
    { op: "Gather", inputs: ["idf", "row_ids"], outputs: ["idf_g"], attributes: { axis: 0 } },
    { op: "Mul", inputs: ["feature_weights", "idf_g"], outputs: ["v"] },
    { op: "Mul", inputs: ["v", "v"], outputs: ["v2"] },
    { op: "ReduceSum", inputs: ["v2", "axis1"], outputs: ["ss"], attributes: { keepdims: 1 } },
    { op: "Add", inputs: ["ss", "eps"], outputs: ["ss_eps"] },
    { op: "Sqrt", inputs: ["ss_eps"], outputs: ["norm"] },
    { op: "Div", inputs: ["v", "norm"], outputs: ["x"] },
    { op: "Unsqueeze", inputs: ["x", "axis2"], outputs: ["x3"] },
    { op: "Gather", inputs: ["W", "row_ids"], outputs: ["w_rows"], attributes: { axis: 0 } },
    { op: "Mul", inputs: ["w_rows", "x3"], outputs: ["contrib"] },
    { op: "ReduceSum", inputs: ["contrib", "axis1"], outputs: ["xw"], attributes: { keepdims: 0 } },
    { op: "Add", inputs: ["xw", "bias"], outputs: ["logits"] },
    { op: "Div", inputs: ["logits", "temperature"], outputs: ["scaled"] },
    { op: "Softmax", inputs: ["scaled"], outputs: ["probabilities"], attributes: { axis: -1 } },
  ];
  return encodeOnnxModel({
    name,
    inputs: [
      { name: "feature_ids", type: "int64", shape: ["batch", "features"] },
      { name: "feature_weights", type: "float", shape: ["batch", "features"] },
    ],
    outputs: [
      { name: "probabilities", type: "float", shape: ["batch", L] },
      { name: "logits", type: "float", shape: ["batch", L] },
    ],
    initializers: [
      { name: "bucket_row", type: "int32", dims: [m.numBuckets], data: rowOf },
      { name: "W", type: "float", dims: [rows, L], data: W },
      { name: "idf", type: "float", dims: [rows], data: idf },
      { name: "bias", type: "float", dims: [L], data: m.bias },
      { name: "temperature", type: "float", dims: [], data: [m.temperature] },
      { name: "eps", type: "float", dims: [], data: [NORM_EPSILON] },
      { name: "axis1", type: "int64", dims: [1], data: [1] },
      { name: "axis2", type: "int64", dims: [1], data: [2] },
    ],
    nodes,
    opset: 17,
    metadata,
  });
}
