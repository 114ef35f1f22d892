// The SSRF guard's rules, without a browser: schemes, hosts, address ranges
// (literal, disguised, resolved, connected), and who may opt in to what.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NavigationPolicy, navigationRules } from "../../lib/scraper/navigation/NavigationPolicy.ts";

const config = (extra: { allowedHosts?: string[]; allowPrivateNetwork?: boolean } = {}) => ({
  baseUrl: "https://u.today",
  allowedHosts: extra.allowedHosts ?? [],
  allowPrivateNetwork: extra.allowPrivateNetwork ?? false,
});
const lookupTable = (table: Record<string, string[]>) => async (host: string) => {
  const found = table[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  return found;
};

describe("NavigationPolicy", () => {
  it("allows http(s) to the baseUrl's host only, refusing every other scheme", () => {
    const policy = new NavigationPolicy(navigationRules(config()));
    assert.equal(policy.refuseUrl("https://u.today/news"), undefined);
    assert.equal(policy.refuseUrl("http://u.today/news"), undefined);
    for (const url of ["file:///etc/passwd", "chrome://version", "javascript:alert(1)", "data:text/html,<h1>x</h1>", "ftp://u.today/x", "view-source:https://u.today/", "about:blank"]) {
      assert.match(policy.refuseUrl(url) ?? "", /URLs are not allowed \(http and https only\)/, url);
    }
    assert.match(policy.refuseUrl("https://evil.example/planted") ?? "", /host evil\.example is neither the baseUrl's host nor in allowedHosts/);
    assert.match(policy.refuseUrl("https://u.today:8443/x") ?? "", /host u\.today:8443/, "another port is another host");
    assert.match(policy.refuseUrl("https://u.today.evil.example/") ?? "", /neither/);
  });

  it("adds allowedHosts, exact or *.domain for its subdomains", () => {
    const policy = new NavigationPolicy(navigationRules(config({ allowedHosts: ["cdn.example.com:8443", "*.u.today"] })));
    assert.equal(policy.refuseUrl("https://cdn.example.com:8443/a"), undefined);
    assert.equal(policy.refuseUrl("https://news.u.today/a"), undefined);
    assert.equal(policy.refuseUrl("https://a.b.u.today/a"), undefined);
    assert.ok(policy.refuseUrl("https://cdn.example.com/a"), "the port is part of an exact entry");
    assert.ok(policy.refuseUrl("https://evilu.today/a"), "*.u.today is subdomains, not a suffix of any name");
  });

  it("refuses loopback, private, link-local and other non-public addresses however written, unless opted in", () => {
    const hosts = ["127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:a9fe:a9fe]", "[fe80::1]", "[fd00::1]", "224.0.0.1"];
    for (const host of hosts) {
      const url = `http://${host}/latest/meta-data/`;
      const normalised = new URL(url).host;
      const closed = new NavigationPolicy({ hosts: [normalised], privateHosts: [] });
      assert.match(closed.refuseUrl(url) ?? "", /is a \w+ address; set allowPrivateNetwork: true/, host);
      const open = new NavigationPolicy({ hosts: [normalised], privateHosts: [normalised] });
      assert.equal(open.refuseUrl(url), undefined, host);
    }
    assert.equal(new NavigationPolicy({ hosts: ["93.184.215.14"], privateHosts: [] }).refuseUrl("http://93.184.215.14/"), undefined, "a public address is fine");
  });

  it("allowPrivateNetwork opens the config's hosts; a base-URL override opens only its own host", () => {
    const opted = new NavigationPolicy(navigationRules({ baseUrl: "http://127.0.0.1:8080", allowedHosts: [], allowPrivateNetwork: true }));
    assert.equal(opted.refuseUrl("http://127.0.0.1:8080/x"), undefined);
    const overridden = new NavigationPolicy(navigationRules(config(), "http://127.0.0.1:5555"));
    assert.equal(overridden.refuseUrl("http://127.0.0.1:5555/news"), undefined);
    assert.match(overridden.refuseUrl("http://127.0.0.1:4566/queue") ?? "", /host 127\.0\.0\.1:4566 is neither/, "not the emulator next door");
  });

  it("resolves host names: a public name that points at a private address is refused, a DNS failure throws", async () => {
    const policy = new NavigationPolicy({
      ...navigationRules(config({ allowedHosts: ["intranet.test", "metadata.test", "cdn.test"] })),
      lookup: lookupTable({ "u.today": ["104.21.0.1"], "intranet.test": ["10.0.0.5"], "metadata.test": ["93.184.215.14", "169.254.169.254"], "cdn.test": ["2606:4700::1"] }),
    });
    assert.equal(await policy.refuseNavigation("https://u.today/a"), undefined);
    assert.equal(await policy.refuseNavigation("https://cdn.test/a"), undefined);
    assert.match((await policy.refuseNavigation("https://intranet.test/a")) ?? "", /intranet\.test resolves to 10\.0\.0\.5, a private address/);
    assert.match((await policy.refuseNavigation("https://metadata.test/")) ?? "", /resolves to 169\.254\.169\.254, a linkLocal address/, "any one private answer is enough");
    await assert.rejects(new NavigationPolicy({ hosts: ["gone.test"], privateHosts: [], lookup: lookupTable({}) }).refuseNavigation("https://gone.test/"), /ENOTFOUND/);
  });

  it("lets a page load resources from public hosts anywhere, never from private ones", async () => {
    const policy = new NavigationPolicy({ ...navigationRules(config(), "http://127.0.0.1:5555"), lookup: lookupTable({ "cdn.jsdelivr.test": ["151.101.1.1"], "rebind.test": ["127.0.0.1"] }) });
    assert.equal(await policy.refuseSubresource("https://cdn.jsdelivr.test/lib.js"), undefined);
    assert.equal(await policy.refuseSubresource("http://127.0.0.1:5555/static/a.css"), undefined, "the fixture site's own");
    assert.equal(await policy.refuseSubresource("data:image/png;base64,AAAA"), undefined);
    assert.match((await policy.refuseSubresource("http://169.254.169.254/latest/meta-data/")) ?? "", /linkLocal/);
    assert.match((await policy.refuseSubresource("http://127.0.0.1:9001/2018-06-01/runtime/invocation/next")) ?? "", /loopback/);
    assert.match((await policy.refuseSubresource("http://rebind.test/x")) ?? "", /resolves to 127\.0\.0\.1/);
    assert.match((await policy.refuseSubresource("file:///etc/passwd")) ?? "", /file: URLs are not allowed/);
  });

  it("checks the address Chromium connected to", () => {
    const policy = new NavigationPolicy(navigationRules(config(), "http://127.0.0.1:5555"));
    assert.match(policy.refuseConnectedAddress("https://u.today/a", "10.9.8.7") ?? "", /u\.today was reached at 10\.9\.8\.7, a private address/);
    assert.equal(policy.refuseConnectedAddress("https://u.today/a", "104.21.0.1"), undefined);
    assert.equal(policy.refuseConnectedAddress("http://127.0.0.1:5555/a", "127.0.0.1"), undefined);
  });
});
