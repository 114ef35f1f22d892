// The canonical form of an article URL, so that the same article reached
// through different links hashes to the same document id.
const TRACKING_PARAM = /^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|yclid|_hsenc|_hsmi|ref_src)$/i;

/**
 * Lower-cases scheme and host, drops default ports, the fragment, tracking
 * parameters (utm_*, fbclid, gclid, …) and a trailing slash (except the root),
 * and sorts the remaining query parameters. Throws TypeError on a non-http(s) URL.
 */
export function canonicalUrl(raw: string): string {
  const url = new URL(raw.trim());
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`not an http(s) URL: ${raw}`);
  }
  url.hash = "";
  url.username = "";
  url.password = "";
  const kept = [...url.searchParams.entries()].filter(([k]) => !TRACKING_PARAM.test(k));
  kept.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  url.search = new URLSearchParams(kept).toString();
  if (url.pathname.length > 1 && url.pathname.endsWith("/")) url.pathname = url.pathname.replace(/\/+$/, "");
  // URL already lower-cases the host and drops default ports.
  return url.toString();
}
