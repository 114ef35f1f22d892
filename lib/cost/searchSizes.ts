// The search domain of each `size`, read from serverless.yml itself
// (custom.searchSizes), so the cost printed is the cost of what deploys.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface SearchSize {
  instanceType: string;
  instanceCount: number;
  zoneAwareness: boolean;
  /** GB of gp3 per node. */
  volumeGb: number;
}

export function searchSizes(serverlessYml = "serverless.yml"): Record<string, SearchSize> {
  // Serverless's own tags (!Ref …) are not used in this file; variables stay strings.
  const config = parse(readFileSync(serverlessYml, "utf8")) as { custom?: { searchSizes?: Record<string, { ClusterConfig: Record<string, unknown>; VolumeSize: number }> } };
  const sizes = config.custom?.searchSizes;
  if (!sizes) throw new Error(`${serverlessYml} has no custom.searchSizes`);
  return Object.fromEntries(
    Object.entries(sizes).map(([name, s]) => [
      name,
      {
        instanceType: String(s.ClusterConfig.InstanceType),
        instanceCount: Number(s.ClusterConfig.InstanceCount),
        zoneAwareness: s.ClusterConfig.ZoneAwarenessEnabled === true,
        volumeGb: Number(s.VolumeSize),
      },
    ]),
  );
}
