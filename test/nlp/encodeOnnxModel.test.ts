import assert from "node:assert/strict";
import { test } from "node:test";
import * as ort from "onnxruntime-node";
import { encodeOnnxModel } from "../../lib/training/onnx/encodeOnnxModel.ts";

test("an encoded graph loads in onnxruntime and computes softmax(x·W + b) with gathered int64 ids", async () => {
  const W = [1, 2, 3, 4, 5, 6]; // [2, 3]
  const bytes = encodeOnnxModel({
    name: "tiny",
    inputs: [
      { name: "x", type: "float", shape: ["batch", 2] },
      { name: "ids", type: "int64", shape: ["n"] },
    ],
    outputs: [
      { name: "probs", type: "float", shape: ["batch", 3] },
      { name: "rows", type: "float", shape: ["n", 3] },
    ],
    initializers: [
      { name: "W", type: "float", dims: [2, 3], data: W },
      { name: "b", type: "float", dims: [3], data: [0.5, -0.5, 0] },
    ],
    nodes: [
      { op: "MatMul", inputs: ["x", "W"], outputs: ["xw"] },
      { op: "Add", inputs: ["xw", "b"], outputs: ["logits"] },
      { op: "Softmax", inputs: ["logits"], outputs: ["probs"], attributes: { axis: -1 } },
      { op: "Gather", inputs: ["W", "ids"], outputs: ["rows"], attributes: { axis: 0 } },
    ],
    metadata: { model: "tiny" },
  });
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({
    x: new ort.Tensor("float32", Float32Array.from([1, 0, 0.5, -1]), [2, 2]),
    ids: new ort.Tensor("int64", BigInt64Array.from([1n, 0n, 1n]), [3]),
  });
  const probs = Array.from(out.probs!.data as Float32Array);
  const expected = [
    [1 + 0.5, 2 - 0.5, 3],
    [0.5 - 4 + 0.5, 1 - 5 - 0.5, 1.5 - 6],
  ].flatMap((row) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
  probs.forEach((p, i) => assert.ok(Math.abs(p - expected[i]!) < 1e-6, `prob ${i}: ${p} vs ${expected[i]}`));
  assert.deepEqual(Array.from(out.rows!.data as Float32Array), [4, 5, 6, 1, 2, 3, 4, 5, 6]);
  await session.release();
});

test("a tensor whose value count does not match its dims is refused with its name", () => {
  assert.throws(
    () =>
      encodeOnnxModel({
        name: "bad",
        inputs: [],
        outputs: [],
        nodes: [],
        initializers: [{ name: "W", type: "float", dims: [2, 2], data: [1, 2, 3] }],
      }),
    /tensor W: 3 values for dims \[2, 2\]/,
  );
});
