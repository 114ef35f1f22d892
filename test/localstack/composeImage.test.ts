// The Docker alternative must start for someone without a LocalStack account:
// its image stays pinned to a release from before the account requirement.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse } from "yaml";

const compose = parse(readFileSync("localstack/docker-compose.yml", "utf8")) as { services: Record<string, { image: string; environment?: Record<string, string> }> };

describe("localstack/docker-compose.yml", () => {
  it("pins LocalStack to an exact 4.x release up to 4.14.0, the last that needs no auth token (no floating :4 or :latest)", () => {
    const match = /^localstack\/localstack:(\d+)\.(\d+)\.(\d+)$/.exec(compose.services.localstack!.image);
    assert.ok(match, `an exact version, got ${compose.services.localstack!.image}`);
    const [major, minor] = [Number(match[1]), Number(match[2])];
    assert.ok(major === 4 && minor <= 14, `images after 4.14.0 need LOCALSTACK_AUTH_TOKEN: ${compose.services.localstack!.image}`);
  });

  it("passes LOCALSTACK_AUTH_TOKEN through from the environment for newer images, never a value", () => {
    assert.equal(compose.services.localstack!.environment!.LOCALSTACK_AUTH_TOKEN, "${LOCALSTACK_AUTH_TOKEN:-}");
  });
});
