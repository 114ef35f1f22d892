import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dependencyGraph, findCycles } from "../../lib/cloudformation/findCycles.ts";
import { baseTemplate } from "./templates.ts";

describe("dependency cycles", () => {
  it("builds the graph from Ref, Fn::GetAtt, Fn::Sub and DependsOn", () => {
    const graph = dependencyGraph(baseTemplate());
    assert.deepEqual([...graph.get("MyLambdaFunction")!].sort(), ["FnRole", "Queue"]);
    assert.deepEqual([...graph.get("FnRole")!], ["Queue"]);
    assert.deepEqual(findCycles(baseTemplate()), []);
  });

  it("reports each circle once, as the path around it, through a policy, an environment variable and a Fn::Sub", () => {
    const t = baseTemplate();
    // The queue's name now waits for the function, whose role's policy and environment wait for the queue.
    (t.Resources!.Queue!.Properties as Record<string, unknown>).QueueName = { "Fn::Sub": "${MyLambdaFunction}-tasks" };
    assert.deepEqual(findCycles(t), [
      { path: "Resources.FnRole", message: "circular dependency: FnRole → Queue → MyLambdaFunction → FnRole" },
      { path: "Resources.Queue", message: "circular dependency: Queue → MyLambdaFunction → Queue" },
    ]);
  });

  it("counts DependsOn as an edge", () => {
    const t = baseTemplate();
    t.Resources!.FnRole!.DependsOn = "MyLambdaFunction";
    assert.equal(findCycles(t).length, 1);
  });
});
