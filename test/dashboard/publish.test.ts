// Building and publishing the dashboard: the build is skipped when nothing changed,
// asset paths are relative, the first visit stays small, and the upload puts every
// file in the bucket with its Content-Type and Cache-Control, config.json last.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { buildDashboard, REPO_ROOT, sourceHash } from "../../lib/dashboard/buildDashboard.ts";
import { bundleSizes } from "../../lib/dashboard/bundleSizes.ts";
import { cacheControlOf, contentTypeOf, IMMUTABLE, REVALIDATE } from "../../lib/dashboard/contentType.ts";
import { localDashboardConfig } from "../../lib/dashboard/publishLocalDashboard.ts";
import { S3DashboardBucket } from "../../lib/adapters/aws/S3DashboardBucket.ts";
import { uploadDashboard, writeDashboardConfig, type DashboardConfig } from "../../lib/dashboard/uploadDashboard.ts";
import { publishDeployedDashboard, type DeployingServerless } from "../../localcloud/serverless/deploySteps.ts";
import { startSqsS3, type SqsS3Endpoint } from "../../localcloud/sqs-s3/startSqsS3.ts";

/** A copy of the dashboard sources (and what they import) with the repository's node_modules. */
function copyRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "cryptoviz-dashboard-"));
  cpSync(join(REPO_ROOT, "dashboard"), join(root, "dashboard"), { recursive: true, filter: (src) => !/[/\\](dist|\.dist-[^/\\]*)$/.test(src) });
  cpSync(join(REPO_ROOT, "contracts"), join(root, "contracts"), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"));
  writeFileSync(join(root, "package.json"), '{ "type": "module" }\n'); // as the repository's: vite.config.ts is ESM
  return root;
}

describe("content types and caching", () => {
  it("serves modules as JavaScript and caches only hashed assets for good", () => {
    assert.equal(contentTypeOf("index.html"), "text/html; charset=utf-8");
    assert.equal(contentTypeOf("assets/index-DqadFvi0.js"), "text/javascript; charset=utf-8");
    assert.equal(contentTypeOf("assets/index-DA_biRzy.css"), "text/css; charset=utf-8");
    assert.equal(contentTypeOf("config.json"), "application/json; charset=utf-8");
    assert.equal(contentTypeOf("x.unknown"), "application/octet-stream");
    assert.equal(cacheControlOf("assets/index-DqadFvi0.js"), IMMUTABLE);
    assert.equal(cacheControlOf("assets/candleChart-hGNbTtQD.js"), IMMUTABLE);
    assert.equal(cacheControlOf("index.html"), REVALIDATE);
    assert.equal(cacheControlOf("config.json"), REVALIDATE);
    assert.equal(cacheControlOf("favicon.svg"), REVALIDATE);
  });
});

describe("build", () => {
  let root: string;
  before(() => (root = copyRoot()));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("hashes the sources, not the build output", () => {
    const first = sourceHash(root);
    mkdirSync(join(root, "dashboard/dist"), { recursive: true });
    writeFileSync(join(root, "dashboard/dist/anything.js"), "x");
    assert.equal(sourceHash(root), first, "dist/ is not a source");
    writeFileSync(join(root, "contracts/topics.ts"), readFileSync(join(root, "contracts/topics.ts"), "utf8") + "\n// changed\n");
    assert.notEqual(sourceHash(root), first, "the shared contracts are a source");
  });

  it("builds with relative asset paths, skips an unchanged build, rebuilds a changed one, keeps the first visit small", async (t) => {
    const first = await buildDashboard({ root });
    assert.equal(first.built, true);
    const html = readFileSync(join(first.distDir, "index.html"), "utf8");
    assert.match(html, /<script type="module" crossorigin src="\.\/assets\/index-[\w-]+\.js">/);
    assert.doesNotMatch(html, /(src|href)="\//, "no absolute paths: the page lives under a bucket path");
    assert.equal((await buildDashboard({ root })).built, false, "unchanged sources: no build");
    writeFileSync(join(root, "dashboard/src/style.css"), readFileSync(join(root, "dashboard/src/style.css"), "utf8") + "\n.x { color: red; }\n");
    const third = await buildDashboard({ root });
    assert.equal(third.built, true, "a changed source rebuilds");
    assert.notEqual(third.hash, first.hash);

    const sizes = bundleSizes(third.distDir);
    for (const f of [...sizes.firstVisit, ...sizes.onDemand]) t.diagnostic(`${f.file}: ${f.bytes} B, gzip ${f.gzip} B`);
    t.diagnostic(`first visit gzip ${sizes.firstVisitGzip} B; on demand (chart library) ${sizes.onDemandGzip} B`);
    assert.ok(sizes.onDemand.some((f) => /candleChart/.test(f.file)), "the chart library is its own chunk, loaded on demand");
    assert.ok(sizes.firstVisitGzip < 250 * 1024, `first visit ${sizes.firstVisitGzip} B gzip, goal < 250 kB`);
    const entry = readFileSync(join(third.distDir, sizes.firstVisit.find((f) => f.file.endsWith(".js"))!.file), "utf8");
    assert.doesNotMatch(entry, /TradingView|lightweight-charts/i, "the entry does not carry the chart library");
  });
});

describe("upload", () => {
  let s3Endpoint: SqsS3Endpoint;
  let s3: S3Client;
  let distDir: string;
  const sent: Array<{ key: string; contentType?: string; cacheControl?: string }> = [];
  const config: DashboardConfig = localDashboardConfig({
    host: "127.0.0.1", apiPort: 3000, mqttWsUrl: "ws://127.0.0.1:9001/mqtt", dashboardIdentity: { username: "dashboard", password: "p" }, devToken: "t",
  });

  before(async () => {
    s3Endpoint = await startSqsS3({ port: 0 });
    s3 = new S3Client({ region: "us-east-1", endpoint: s3Endpoint.url, credentials: { accessKeyId: "l", secretAccessKey: "l" }, forcePathStyle: true });
    // What each PutObject carries (the emulator does not keep Cache-Control).
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "PutObjectCommand") {
          const input = args.input as { Key: string; ContentType?: string; CacheControl?: string };
          sent.push({ key: input.Key, contentType: input.ContentType, cacheControl: input.CacheControl });
        }
        return next(args);
      },
      { step: "initialize" },
    );
    await s3.send(new CreateBucketCommand({ Bucket: "dash" }));
    distDir = mkdtempSync(join(tmpdir(), "cryptoviz-dist-"));
    mkdirSync(join(distDir, "assets"));
    writeFileSync(join(distDir, "index.html"), '<script type="module" src="./assets/index-AbCdEf12.js"></script>');
    writeFileSync(join(distDir, "assets/index-AbCdEf12.js"), "console.log(1)");
    writeFileSync(join(distDir, "assets/index-AbCdEf12.css"), "body{}");
    writeFileSync(join(distDir, ".build-stamp"), "{}");
    writeFileSync(join(distDir, "config.json"), '{"stale": true}');
  });
  after(async () => {
    s3?.destroy();
    await s3Endpoint?.close();
    rmSync(distDir, { recursive: true, force: true });
  });

  it("puts assets, then index.html, then config.json, each with its type and caching, under a prefix", async () => {
    sent.length = 0;
    const result = await uploadDashboard(new S3DashboardBucket(s3, "dash"), { distDir, config, prefix: "v1" });
    assert.deepEqual(sent.map((s) => s.key), ["v1/assets/index-AbCdEf12.css", "v1/assets/index-AbCdEf12.js", "v1/index.html", "v1/config.json"]);
    assert.deepEqual(result.keys, sent.map((s) => s.key));
    assert.deepEqual(sent.map((s) => s.cacheControl), [IMMUTABLE, IMMUTABLE, REVALIDATE, REVALIDATE]);
    const page = await fetch(`${s3Endpoint.url}/dash/v1/index.html`);
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    const js = await fetch(`${s3Endpoint.url}/dash/v1/assets/index-AbCdEf12.js`);
    assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
    const written = (await (await fetch(`${s3Endpoint.url}/dash/v1/config.json`)).json()) as DashboardConfig;
    assert.deepEqual(written, {
      apiUrl: "http://127.0.0.1:3000", mqttUrl: "ws://127.0.0.1:9001/mqtt", mqttUsername: "dashboard", mqttPassword: "p",
      auth: { mode: "dev", token: "t", user: "developer" },
    }, "the generated config, not the one left in dist/");
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "dash" }));
    assert.ok(!listed.Contents?.some((o) => o.Key?.includes(".build-stamp")), "the build stamp stays local");
  });

  it("refuses an invalid config.json before writing anything", async () => {
    sent.length = 0;
    await assert.rejects(writeDashboardConfig(new S3DashboardBucket(s3, "dash"), { ...config, mqttUrl: "mqtt://127.0.0.1:1883" }), /config.json: mqttUrl must use ws: or wss:/);
    assert.deepEqual(sent, []);
    await assert.rejects(uploadDashboard(new S3DashboardBucket(s3, "dash"), { distDir: join(distDir, "assets"), config }), /has no index.html: build the dashboard first/);
  });
});

describe("after serverless deploy", () => {
  let s3Endpoint: SqsS3Endpoint;
  let s3: S3Client;
  const outputs: Record<string, string> = {
    DashboardBucketName: "acme-cryptoviz-prod-dashboard",
    DashboardUrl: "https://d1abc.cloudfront.net/index.html",
    HttpApiUrl: "https://abc123.execute-api.eu-west-1.amazonaws.com",
    OidcIssuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf",
    DashboardUserPoolClientId: "3n4b5c6d7e",
    DashboardLogoutEndpoint: "https://acme-cryptoviz-prod.auth.eu-west-1.amazoncognito.com/logout",
  };
  // CloudFormation is AWS itself: the provider's describeStacks answer stands in for it.
  const deploying = (custom: Record<string, unknown>, stackOutputs = outputs): DeployingServerless => ({
    service: { custom },
    getProvider: () => ({
      naming: { getStackName: () => "cryptoviz-prod" },
      getRegion: () => "eu-west-1",
      getCredentials: () => ({}),
      request: async (service, method, params) => {
        assert.deepEqual([service, method, params], ["CloudFormation", "describeStacks", { StackName: "cryptoviz-prod" }]);
        return { Stacks: [{ Outputs: Object.entries(stackOutputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }] };
      },
    }),
  });
  const custom = {
    notifyEnvironment: { NOTIFY_IOT_ENDPOINT: "a1b2c3-ats.iot.eu-west-1.amazonaws.com" },
    dashboardDeploy: { iotAuthorizerName: "cryptoviz-prod-dashboard", oidcIssuer: { "Fn::Join": ["", ["https://cognito-idp…"]] }, oidcClientId: "" },
  };

  before(async () => {
    s3Endpoint = await startSqsS3({ port: 0 });
    s3 = new S3Client({ region: "us-east-1", endpoint: s3Endpoint.url, credentials: { accessKeyId: "l", secretAccessKey: "l" }, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: outputs.DashboardBucketName }));
  });
  after(async () => {
    s3?.destroy();
    await s3Endpoint?.close();
  });

  it("uploads the built page to the stack's bucket with a config.json for the stack, and returns the CloudFront URL", async () => {
    const url = await publishDeployedDashboard(deploying(custom), { s3 });
    assert.equal(url, outputs.DashboardUrl);
    const base = `${s3Endpoint.url}/${outputs.DashboardBucketName}`;
    const page = await fetch(`${base}/index.html`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /\.\/assets\/index-[\w-]+\.js/);
    const config = (await (await fetch(`${base}/config.json`)).json()) as DashboardConfig;
    assert.deepEqual(config, {
      apiUrl: outputs.HttpApiUrl,
      mqttUrl: "wss://a1b2c3-ats.iot.eu-west-1.amazonaws.com/mqtt?x-amz-customauthorizer-name=cryptoviz-prod-dashboard",
      mqttUsername: "dashboard",
      mqttPasswordFromToken: true,
      auth: { mode: "oidc", issuer: outputs.OidcIssuer, clientId: outputs.DashboardUserPoolClientId, scope: "openid email profile", logoutEndpoint: outputs.DashboardLogoutEndpoint },
    });
  });

  it("says what is missing before uploading anything", async () => {
    await assert.rejects(publishDeployedDashboard(deploying({ ...custom, notifyEnvironment: {} }), { s3 }), /iotEndpoint is not set/);
    const { DashboardBucketName: _bucket, ...noBucket } = outputs;
    await assert.rejects(publishDeployedDashboard(deploying(custom, noBucket), { s3 }), /no DashboardBucketName output/);
  });
});
