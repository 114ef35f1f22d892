import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureDir } from "./fixtureServer.ts";

// What each shipped config must produce from its fixture site, computed from
// the site's data.json (the source of its pages), with the base URL the site
// was served on. Display strings (dates, "$ 1.93 T") are parsed back from the
// hand-written expected values in data.json, not by the code under test.

const data = (site: string) => JSON.parse(readFileSync(join(fixtureDir(site), "data.json"), "utf8"));

interface Article {
  slug: string;
  title: string;
  publishedAt?: string;
  datetime?: string;
  author: { name: string; slug: string } | null;
  tags: string[];
  paragraphs: string[];
}

function article(a: Article, link: string, base: string, publishedAt: string) {
  return {
    link,
    title: a.title.trim(),
    publishedAt,
    ...(a.author ? { authorName: a.author.name, authorLink: `${base}/author/${a.author.slug}` } : {}),
    content: a.paragraphs.join("\n"),
    ...(a.tags.length ? { tags: a.tags } : {}),
  };
}

export function expectedUToday(base: string) {
  return (data("u.today").articles as Article[]).map((a) => article(a, `https://u.today/${a.slug}`, base, a.publishedAt!));
}

export function expectedCoinDesk(base: string) {
  return (data("coindesk").articles as Article[]).map((a) => article(a, `${base}/${a.slug}`, base, a.datetime!));
}

export function expectedListings(site: "cryptocompare" | "coinmarketcap") {
  type Parsed = { price: number; change24h: number; marketCap: number; volume24h: number };
  return (data(site).coins as Array<{ rank: number; name: string; symbol: string; expected: Parsed }>).map((c) => ({
    rank: c.rank,
    name: c.name,
    symbol: c.symbol,
    ...c.expected,
  }));
}
