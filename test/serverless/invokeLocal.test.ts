import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readLocalCloudConfig } from "../../localcloud/LocalCloudConfig.ts";
import { startLocalCloud, type LocalCloud } from "../../localcloud/startLocalCloud.ts";
import { localCloudEnv, type LocalCloudEnv } from "../helpers/localCloudEnv.ts";
import { serverless } from "../helpers/serverlessCli.ts";

let cloud: LocalCloud;
let setup: LocalCloudEnv;

before(async () => {
  setup = await localCloudEnv();
  cloud = await startLocalCloud(readLocalCloudConfig(setup.env));
});
after(() => cloud.close());

/** The JSON value a handler returned: `invoke local` prints it last. */
function lastJson(stdout: string): any {
  const start = stdout.lastIndexOf("\n{") >= 0 ? stdout.lastIndexOf("\n{") + 1 : stdout.indexOf("{");
  return JSON.parse(stdout.slice(start));
}

const invoke = (fn: string) =>
  serverless(["invoke", "local", "-f", fn, "-p", `test/events/${fn}.json`, "--stage", "local"], { ...setup.env, CRYPTOVIZ_LOG_LEVEL: "SILENT" });

describe("serverless invoke local with every sample event, against the local cloud", () => {
  it("ingest accepts the sample webhook call", async () => {
    const result = lastJson((await invoke("ingest")).stdout);
    assert.equal(result.statusCode, 202, JSON.stringify(result));
    assert.equal(JSON.parse(result.body).messages, 1);
  });

  it("consume-news stores the sample articles with no failed records", async () => {
    const result = lastJson((await invoke("consume-news")).stdout);
    assert.deepEqual(result, { batchItemFailures: [] });
  });

  it("consume-prices stores the sample market batches with no failed records", async () => {
    const result = lastJson((await invoke("consume-prices")).stdout);
    assert.deepEqual(result, { batchItemFailures: [] });
  });

  it("api answers the health check with every dependency up", async () => {
    const result = lastJson((await invoke("api")).stdout);
    assert.equal(result.statusCode, 200, result.body);
    assert.equal(JSON.parse(result.body).status, "ok");
  });

  it("an unknown function name fails with one clear line and a non-zero exit", async () => {
    await assert.rejects(
      serverless(["invoke", "local", "-f", "no-such-function", "--stage", "local"], setup.env),
      (error: { code: number; stdout: string; stderr: string }) => {
        assert.notEqual(error.code, 0);
        assert.match(error.stdout + error.stderr, /Function "no-such-function" doesn't exist in this Service/);
        return true;
      },
    );
  });
});
