// The plugin's `${functionLogicalId:<function>}` variable, against the
// Framework's own naming (the AWS provider's naming module, not a copy of it).
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";

const require = createRequire(import.meta.url);
const LocalCloudPlugin = require("../../localcloud/serverless/plugin.cjs");
const naming = require("serverless/lib/plugins/aws/lib/naming.js");

class FrameworkError extends Error {}
const serverless = {
  configurationInput: { functions: { "iot-authorizer": {}, api: {} } },
  getProvider: () => ({ naming }),
  classes: { Error: FrameworkError },
};
const source = new LocalCloudPlugin(serverless, {}, { log: {} }).configurationVariablesSources.functionLogicalId;

describe("${functionLogicalId:<function>}", () => {
  it("resolves to the logical id the Framework gives the function's resource", () => {
    assert.deepEqual(source.resolve({ address: "iot-authorizer" }), { value: "IotDashauthorizerLambdaFunction" });
    assert.deepEqual(source.resolve({ address: "api" }), { value: "ApiLambdaFunction" });
  });

  it("refuses a function serverless.yml does not declare, naming it, instead of producing a reference to nothing", () => {
    assert.throws(() => source.resolve({ address: "iot-authoriser" }), (e: Error) => e instanceof FrameworkError && /no function named "iot-authoriser"/.test(e.message));
  });
});
