// What a first visit downloads, in bytes and gzip bytes: index.html, the entry
// script and styles it references (and their static imports, which Vite lists as
// modulepreload links), config.json. Chunks loaded on demand (the chart library)
// are counted apart.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export interface FileSize {
  file: string;
  bytes: number;
  gzip: number;
}

export interface BundleSizes {
  firstVisit: FileSize[];
  onDemand: FileSize[];
  firstVisitGzip: number;
  onDemandGzip: number;
}

function size(distDir: string, file: string): FileSize {
  const body = readFileSync(join(distDir, file));
  return { file, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
}

export function bundleSizes(distDir: string): BundleSizes {
  const html = readFileSync(join(distDir, "index.html"), "utf8");
  const referenced = new Set([...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!));
  const assets = readdirSync(join(distDir, "assets")).map((f) => `assets/${f}`);
  const firstVisit = ["index.html", ...assets.filter((a) => referenced.has(a))].map((f) => size(distDir, f));
  const onDemand = assets.filter((a) => !referenced.has(a)).map((f) => size(distDir, f));
  const sum = (list: FileSize[]) => list.reduce((n, f) => n + f.gzip, 0);
  return { firstVisit, onDemand, firstVisitGzip: sum(firstVisit), onDemandGzip: sum(onDemand) };
}
