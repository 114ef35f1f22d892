// npm run cost: the monthly cost of each `size` at the stated load, at the list
// prices of lib/cost/prices.ts, where the money goes and what would save most.
//   npm run cost                 every size
//   npm run cost -- --size prod  one size, every line
import { parseArgs } from "node:util";
import { DEFAULT_LOAD, functionLoads } from "../lib/cost/load.ts";
import { levers, monthlyCost } from "../lib/cost/monthlyCost.ts";
import { PRICES_AS_OF, PRICES_REGION } from "../lib/cost/prices.ts";
import { searchSizes } from "../lib/cost/searchSizes.ts";

const { values } = parseArgs({ options: { size: { type: "string" } } });
const sizes = searchSizes();
const names = values.size ? [values.size] : Object.keys(sizes);
const usd = (n: number) => `$${n.toFixed(2)}`;
const load = DEFAULT_LOAD;

console.log(`CryptoViz monthly cost, ${PRICES_REGION} list prices as of ${PRICES_AS_OF} (lib/cost/prices.ts), USD, 30 days`);
console.log(`load: ${load.tradesPerSecond} trades/s over 8 streams in ${load.batchesPerSecond} batches/s; ${load.articlesPerDay} articles, ${load.apiRequestsPerDay.toLocaleString("en-US")} API reads, ${load.ingestRequestsPerDay} webhook calls and ${(load.socialPostsPerSecond * 86_400).toLocaleString("en-US")} matched social posts a day; ${load.dashboards} dashboards ${load.dashboardHoursPerDay} h a day; archive after ${load.archiveMonths} months (docs/cost.md)`);
for (const name of names) {
  const size = sizes[name];
  if (!size) throw new Error(`unknown size "${name}": ${Object.keys(sizes).join(", ")}`);
  const cost = monthlyCost(size, load);
  console.log(`\nsize ${name}: ${usd(cost.total)} a month (${size.instanceCount} × ${size.instanceType}${size.zoneAwareness ? ", zone awareness" : ""})`);
  for (const s of cost.byService) console.log(`  ${s.service.padEnd(16)} ${usd(s.usd).padStart(9)}  ${(s.share * 100).toFixed(0).padStart(3)} %`);
  if (values.size) {
    console.log("  lines:");
    for (const l of cost.lines) console.log(`    ${l.service.padEnd(16)} ${usd(l.usd).padStart(9)}  ${l.item}: ${Math.round(l.quantity).toLocaleString("en-US")} ${l.unit}`);
  }
  console.log("  levers:");
  for (const l of levers(size, load, sizes)) console.log(`    ${l.change}: saves ${usd(l.savesUsd)} a month; costs ${l.costs}`);
}
if (values.size) {
  console.log("\nfunction durations:");
  for (const [name, f] of Object.entries(functionLoads(load))) console.log(`  ${name}: ${f.seconds} s — ${f.basis}`);
}
