// Secrets: a literal value locally, an SSM SecureString in AWS, through one
// reader; the SSM path runs the real SDK client and Powertools against a local
// Parameter Store stand-in.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SSMProvider } from "@aws-lambda-powertools/parameters/ssm";
import { SSMClient } from "@aws-sdk/client-ssm";
import { tokensOf } from "../../lib/secrets/Secret.ts";
import { prefetch, secretFromEnv } from "../../lib/adapters/aws/secretFromEnv.ts";
import { SecretUnavailableError } from "../../lib/secrets/SecretUnavailableError.ts";
import { startFakeSsm, type FakeSsm } from "../helpers/fakeSsm.ts";

let ssm: FakeSsm;
const provider = () =>
  new SSMProvider({ awsSdkV3Client: new SSMClient({ region: "eu-west-1", endpoint: ssm.url, credentials: { accessKeyId: "k", secretAccessKey: "s" }, maxAttempts: 1 }) });

before(async () => {
  ssm = await startFakeSsm({ "/cryptoviz/prod/ingest-token": { value: "t0ken-from-ssm" } });
});
after(() => ssm.close());

describe("secretFromEnv", () => {
  it("reads a literal value locally and says where it came from", async () => {
    const secret = secretFromEnv({ INGEST_TOKEN: "local-ingest-token" }, "INGEST_TOKEN");
    assert.equal(await secret.value(), "local-ingest-token");
    assert.equal(secret.source, "INGEST_TOKEN");
    assert.equal(await secretFromEnv({}, "INGEST_TOKEN").value(), undefined, "unset: undefined, callers fail closed");
  });

  it("reads an SSM SecureString decrypted, once per cache period, however many requests ask", async () => {
    ssm.calls.length = 0;
    const secret = prefetch(secretFromEnv({ INGEST_TOKEN_PARAMETER: "/cryptoviz/prod/ingest-token" }, "INGEST_TOKEN", provider()));
    const values = await Promise.all([secret.value(), secret.value(), secret.value()]);
    assert.deepEqual(values, ["t0ken-from-ssm", "t0ken-from-ssm", "t0ken-from-ssm"]);
    assert.deepEqual(ssm.calls, ["GetParameter /cryptoviz/prod/ingest-token decrypt"]);
  });

  it("picks up a rotated value once the cache period has passed, without a restart", async () => {
    ssm.parameters.set("/cryptoviz/prod/rotating", { value: "old" });
    const secret = secretFromEnv({ X_PARAMETER: "/cryptoviz/prod/rotating", SECRETS_MAX_AGE_SECONDS: "1" }, "X", provider());
    assert.equal(await secret.value(), "old");
    ssm.parameters.set("/cryptoviz/prod/rotating", { value: "new,old" });
    assert.equal(await secret.value(), "old", "still cached");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.deepEqual(tokensOf(await secret.value()), ["new", "old"]);
  });

  it("names the parameter when it cannot be read", async () => {
    const secret = secretFromEnv({ INFERENCE_TOKEN_PARAMETER: "/cryptoviz/prod/missing" }, "INFERENCE_TOKEN", provider());
    await assert.rejects(secret.value(), (e: Error) => e instanceof SecretUnavailableError && /SSM parameter \/cryptoviz\/prod\/missing \(INFERENCE_TOKEN_PARAMETER\)/.test(e.message));
  });

  it("refuses both a value and a parameter name, and a parameter name that is not a path", () => {
    assert.throws(() => secretFromEnv({ INGEST_TOKEN: "a", INGEST_TOKEN_PARAMETER: "/b" }, "INGEST_TOKEN"), /INGEST_TOKEN: set either INGEST_TOKEN .* or INGEST_TOKEN_PARAMETER/);
    assert.throws(() => secretFromEnv({ INGEST_TOKEN_PARAMETER: "cryptoviz/prod/ingest-token" }, "INGEST_TOKEN"), /INGEST_TOKEN_PARAMETER: must be an SSM parameter name starting with "\/"/);
  });

  it("splits a rotation's token list, first the one to send", () => {
    assert.deepEqual(tokensOf("new, old"), ["new", "old"]);
    assert.deepEqual(tokensOf(undefined), []);
    assert.deepEqual(tokensOf(""), []);
  });
});
