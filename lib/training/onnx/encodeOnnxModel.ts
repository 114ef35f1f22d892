// Builds an ONNX model file from a plain description of its graph, so that the
// training script and test fixtures can export models without Python or
// protobuf code generation. Field numbers follow onnx/onnx.proto (IR v8).
import { ProtoWriter } from "./protobuf.ts";

/** ONNX TensorProto.DataType values used here. */
export const OnnxType = { float: 1, int32: 6, int64: 7 } as const;
export type OnnxElemType = keyof typeof OnnxType;

export interface OnnxTensor {
  name: string;
  type: OnnxElemType;
  dims: readonly number[];
  /** Row-major values; int64 accepts numbers or bigints. */
  data: Float32Array | Int32Array | BigInt64Array | readonly number[];
}

/** A graph input or output: a dimension is a fixed size or a symbolic name (e.g. `batch`). */
export interface OnnxValueInfo {
  name: string;
  type: OnnxElemType;
  shape: readonly (number | string)[];
}

export type OnnxAttribute = number | string | readonly number[] | { floats: readonly number[] } | { ints: readonly number[] } | { float: number } | OnnxTensor;

export interface OnnxNode {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  domain?: string;
  attributes?: Record<string, OnnxAttribute>;
}

export interface OnnxGraph {
  name: string;
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  /** Default-domain opset; 17 has LayerNormalization. */
  opset?: number;
  producer?: string;
  /** Free-form metadata (model name, version, training hash…). */
  metadata?: Record<string, string>;
}

const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== count) throw new Error(`tensor ${t.name}: ${t.data.length} values for dims [${t.dims.join(", ")}]`);
  w.packedInts(1, t.dims);
  w.int(2, OnnxType[t.type]);
  w.string(8, t.name);
  // raw_data is little-endian; typed arrays are little-endian on every platform Node runs on.
  let raw: Uint8Array;
  if (t.type === "float") {
    const f = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as readonly number[]);
    raw = new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
  } else if (t.type === "int32") {
    const i = t.data instanceof Int32Array ? t.data : Int32Array.from(t.data as readonly number[]);
    raw = new Uint8Array(i.buffer, i.byteOffset, i.byteLength);
  } else {
    const i = t.data instanceof BigInt64Array ? t.data : BigInt64Array.from(Array.from(t.data as ArrayLike<number>, (v) => BigInt(v)));
    raw = new Uint8Array(i.buffer, i.byteOffset, i.byteLength);
  }
  w.bytes(9, raw);
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, OnnxType[v.type]);
      tensor.message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === "number" ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

// Array.isArray does not narrow readonly arrays.
const isIntList = (v: OnnxAttribute): v is readonly number[] => Array.isArray(v);

function writeAttribute(w: ProtoWriter, name: string, value: OnnxAttribute): void {
  w.string(1, name);
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: use { float: ${value} } for floats`);
    w.int(3, value).int(20, AttrType.INT);
  } else if (typeof value === "string") {
    w.string(4, value).int(20, AttrType.STRING);
  } else if (isIntList(value)) {
    w.packedInts(8, value).int(20, AttrType.INTS);
  } else if ("float" in value) {
    w.float(2, value.float).int(20, AttrType.FLOAT);
  } else if ("floats" in value) {
    w.packedFloats(7, value.floats).int(20, AttrType.FLOATS);
  } else if ("ints" in value) {
    w.packedInts(8, value.ints).int(20, AttrType.INTS);
  } else {
    w.message(5, (t) => writeTensor(t, value)).int(20, AttrType.TENSOR);
  }
}

/** Serialises the graph as an ONNX ModelProto (the bytes of a `.onnx` file). */
export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8); // ir_version 8: understood by every onnxruntime since 1.10
  w.string(2, graph.producer ?? "cryptoviz");
  w.message(7, (g) => {
    graph.nodes.forEach((n, i) =>
      g.message(1, (node) => {
        for (const input of n.inputs) node.string(1, input);
        for (const output of n.outputs) node.string(2, output);
        node.string(3, n.name ?? `${n.op}_${i}`);
        node.string(4, n.op);
        for (const [name, value] of Object.entries(n.attributes ?? {})) node.message(5, (a) => writeAttribute(a, name, value));
        if (n.domain) node.string(7, n.domain);
      }),
    );
    g.string(2, graph.name);
    for (const t of graph.initializers) g.message(5, (tensor) => writeTensor(tensor, t));
    for (const v of graph.inputs) g.message(11, (vi) => writeValueInfo(vi, v));
    for (const v of graph.outputs) g.message(12, (vi) => writeValueInfo(vi, v));
  });
  w.message(8, (opset) => opset.string(1, "").int(2, graph.opset ?? 17));
  for (const [key, value] of Object.entries(graph.metadata ?? {})) w.message(14, (m) => m.string(1, key).string(2, value));
  return w.finish();
}
