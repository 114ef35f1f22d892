// CloudFormation creates a resource after everything it references (Ref,
// Fn::GetAtt, Fn::Sub) or lists in DependsOn; a circle of such dependencies is
// refused ("Circular dependency between resources") before anything is created.
import { dependsOnOf } from "./checkReferences.ts";
import { findReferences } from "./intrinsics.ts";
import { isRecord, type Template, type TemplateProblem } from "./Template.ts";

/** Resource → the resources it must wait for. */
export function dependencyGraph(template: Template): Map<string, Set<string>> {
  const resources = template.Resources ?? {};
  const graph = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const edges = new Set<string>();
    if (isRecord(resource)) {
      for (const ref of findReferences(resource.Properties, id)) {
        if ((ref.kind === "Ref" || ref.kind === "GetAtt") && ref.target in resources && ref.target !== id) edges.add(ref.target);
      }
      for (const target of dependsOnOf(resource.DependsOn).ids) if (target in resources && target !== id) edges.add(target);
    }
    graph.set(id, edges);
  }
  return graph;
}

/** Each circle once, as the path around it (`A → B → A`). */
export function findCycles(template: Template): TemplateProblem[] {
  const graph = dependencyGraph(template);
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (id: string): void => {
    state.set(id, "visiting");
    stack.push(id);
    for (const next of [...(graph.get(id) ?? [])].sort()) {
      const s = state.get(next);
      if (s === "visiting") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(id, "done");
  };
  for (const id of [...graph.keys()].sort()) if (!state.has(id)) visit(id);
  return cycles.map((cycle) => ({ path: `Resources.${cycle[0]}`, message: `circular dependency: ${cycle.join(" → ")}` }));
}
