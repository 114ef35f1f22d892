// The cost model: sizes read from serverless.yml itself, lines that are
// quantity × list price, and the command that prints it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { DEFAULT_LOAD, SECONDS_PER_MONTH } from "../../lib/cost/load.ts";
import { levers, monthlyCost } from "../../lib/cost/monthlyCost.ts";
import { DEPLOY_DEFAULT_REGION } from "../../lib/config/deployRegion.ts";
import { PRICES, PRICES_AS_OF, PRICES_REGION } from "../../lib/cost/prices.ts";
import { searchSizes } from "../../lib/cost/searchSizes.ts";

const sizes = searchSizes();
const near = (a: number, b: number) => Math.abs(a - b) < 1e-6;

describe("the cost model", () => {
  it("prices the sizes serverless.yml deploys: dev one node, prod at least two with zone awareness, each instance type priced", () => {
    assert.deepEqual(Object.keys(sizes).sort(), ["dev", "prod"]);
    assert.equal(sizes.dev!.instanceCount, 1);
    assert.ok(sizes.prod!.instanceCount >= 2 && sizes.prod!.zoneAwareness);
    for (const s of Object.values(sizes)) assert.ok(PRICES.searchInstanceHour[s.instanceType], `a price for ${s.instanceType}`);
  });

  it("adds its lines up: the total is the sum, the shares sum to one, and prod differs from dev by the search domain alone", () => {
    const dev = monthlyCost(sizes.dev!, DEFAULT_LOAD);
    const prod = monthlyCost(sizes.prod!, DEFAULT_LOAD);
    assert.ok(near(dev.total, dev.lines.reduce((a, l) => a + l.usd, 0)));
    assert.ok(near(dev.byService.reduce((a, s) => a + s.share, 0), 1));
    const search = (c: typeof dev) => c.byService.find((s) => s.service === "OpenSearch")!.usd;
    assert.ok(near(prod.total - dev.total, search(prod) - search(dev)));
    const expected = sizes.prod!.instanceCount * 730 * PRICES.searchInstanceHour[sizes.prod!.instanceType]!.usd;
    assert.ok(near(prod.lines.find((l) => l.unit === "instance-hours")!.usd, expected));
  });

  it("counts archive objects and messages by batch, storage by trade", () => {
    const base = monthlyCost(sizes.dev!, DEFAULT_LOAD);
    const moreTrades = monthlyCost(sizes.dev!, { ...DEFAULT_LOAD, tradesPerSecond: DEFAULT_LOAD.tradesPerSecond * 2 });
    const moreBatches = monthlyCost(sizes.dev!, { ...DEFAULT_LOAD, batchesPerSecond: DEFAULT_LOAD.batchesPerSecond * 2 });
    const put = (c: typeof base) => c.lines.find((l) => l.item.startsWith("PUT"))!.quantity;
    const stored = (c: typeof base) => c.lines.find((l) => l.unit === "GB-month" && l.service === "S3")!.quantity;
    assert.equal(put(moreTrades), put(base), "more trades per batch: no more objects");
    assert.ok(near(stored(moreTrades), 2 * stored(base)));
    assert.ok(near(put(moreBatches) - put(base), DEFAULT_LOAD.batchesPerSecond * SECONDS_PER_MONTH), "one more object per extra batch");
  });

  it("names the levers, largest saving first", () => {
    const found = levers(sizes.prod!, DEFAULT_LOAD, sizes);
    assert.ok(found.length >= 3);
    assert.ok(found.every((l, i) => l.savesUsd > 0 && (i === 0 || found[i - 1]!.savesUsd >= l.savesUsd)));
    assert.equal(found[0]!.change, "size dev instead");
  });

  it("npm run cost prints every size's monthly total, the prices' region (the default one) and date, and where the money goes", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/cost.ts"], { encoding: "utf8" });
    assert.equal(PRICES_REGION, DEPLOY_DEFAULT_REGION, "priced for the region a deploy goes to by default");
    assert.match(out, new RegExp(`${PRICES_REGION} list prices as of ${PRICES_AS_OF}`));
    for (const [name, size] of Object.entries(sizes)) {
      const total = monthlyCost(size, DEFAULT_LOAD).total.toFixed(2);
      assert.match(out, new RegExp(`size ${name}: \\$${total.replace(".", "\\.")} a month`));
    }
    assert.match(out, /levers:\n {4}size dev instead: saves \$\d+/);
  });
});
