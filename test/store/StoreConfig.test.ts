import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Client } from "@opensearch-project/opensearch";
import { closeSearchClients, createSearchClient, getSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { ConfigError } from "../../lib/config/ConfigError.ts";
import { describeStoreConfig, readStoreConfig } from "../../lib/store/StoreConfig.ts";

describe("store configuration", () => {
  test("defaults", () => {
    const c = readStoreConfig({});
    assert.equal(c.endpoint, "http://127.0.0.1:9200");
    assert.equal(c.auth, "none");
    assert.equal(c.indexPrefix, "cryptoviz-");
    assert.equal(c.region, "us-east-1");
  });

  test("reads environment names and aliases", () => {
    const c = readStoreConfig({
      OPENSEARCH_URL: "https://search.example.com/",
      SEARCH_AUTH: "basic",
      SEARCH_USERNAME: "u",
      SEARCH_PASSWORD: "p",
      AWS_REGION: "eu-west-3",
      SEARCH_INDEX_PREFIX: "test-x-",
      SEARCH_BULK_CONCURRENCY: "4",
    });
    assert.equal(c.endpoint, "https://search.example.com");
    assert.equal(c.region, "eu-west-3");
    assert.equal(c.bulkConcurrency, 4);
    assert.ok(describeStoreConfig(c).includes("SEARCH_PASSWORD=***  (basic auth password)"));
  });

  test("rejects wrong values with the variable at fault", () => {
    assert.throws(() => readStoreConfig({ SEARCH_AUTH: "kerberos" }), /SEARCH_AUTH/);
    assert.throws(() => readStoreConfig({ SEARCH_URL: "nope" }), ConfigError);
    assert.throws(() => readStoreConfig({ SEARCH_INDEX_PREFIX: "Upper" }), /SEARCH_INDEX_PREFIX/);
    assert.throws(() => readStoreConfig({ SEARCH_BULK_RETRIES: "-1" }), /SEARCH_BULK_RETRIES/);
    assert.throws(() => readStoreConfig({ SEARCH_AUTH: "basic" }), /SEARCH_USERNAME/);
  });
});

describe("client factory", () => {
  test("builds a client for each auth mode and shares one per configuration", async () => {
    assert.ok(createSearchClient(readStoreConfig({})) instanceof Client);
    assert.ok(createSearchClient(readStoreConfig({ SEARCH_AUTH: "basic", SEARCH_USERNAME: "u", SEARCH_PASSWORD: "p" })) instanceof Client);
    const sig = createSearchClient(readStoreConfig({ SEARCH_AUTH: "sigv4", SEARCH_REGION: "eu-west-1" }), {
      getCredentials: async () => ({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }),
    });
    assert.ok(sig instanceof Client);
    const c = readStoreConfig({});
    assert.equal(getSearchClient(c), getSearchClient({ ...c }));
    assert.notEqual(getSearchClient(c), getSearchClient({ ...c, endpoint: "http://127.0.0.1:9201" }));
    await closeSearchClients();
  });

  test("SigV4 signs requests with the given credentials (service es)", async () => {
    const { createServer } = await import("node:http");
    let auth = "";
    const server = createServer((req, res) => {
      auth = String(req.headers.authorization ?? "");
      res.setHeader("content-type", "application/json");
      res.end('{"version":{"number":"2.11.0"}}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    try {
      const client = createSearchClient(readStoreConfig({ SEARCH_URL: `http://127.0.0.1:${port}`, SEARCH_AUTH: "sigv4", SEARCH_REGION: "eu-west-1" }), {
        getCredentials: async () => ({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }),
      });
      await client.info();
      assert.match(auth, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request/);
      await client.close();
    } finally {
      server.close();
    }
  });
});
