// Builds the linux-arm64 ONNX Runtime Lambda layer: onnxruntime-node with only
// its linux/arm64 native binaries (the npm package carries every platform,
// ~290 MB, over Lambda's 250 MB unpacked limit) plus onnxruntime-common, laid
// out as nodejs/node_modules/ so Lambda's NODE_PATH (/opt/nodejs/node_modules)
// finds it, then zipped.
//
//   npx tsx scripts/build-onnx-layer.ts [--out layers/onnxruntime-arm64] [--zip layers/onnxruntime-arm64.zip]
import { existsSync } from "node:fs";
import { copyFile, mkdir, open, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as zlib from "node:zlib";

/** Lambda's limit on a function's unpacked code plus all its layers. */
export const LAMBDA_UNPACKED_LIMIT = 250 * 1024 * 1024;

/** ELF e_machine of each Lambda architecture. */
const ELF_MACHINE = { arm64: 183, x64: 62 } as const;
export type LayerArch = keyof typeof ELF_MACHINE;

export interface OnnxLayerOptions {
  /** Layer directory to (re)create; it will hold nodejs/node_modules/…. */
  outDir: string;
  /** Zip to write; omit to skip zipping. */
  zipPath?: string;
  /** Folder holding onnxruntime-node (default: resolved from this project). */
  nodeModules?: string;
  /** Lambda architecture (default arm64, Graviton); x64 lets an x86 machine load and test the same layout. */
  arch?: LayerArch;
}

export interface OnnxLayerResult {
  dir: string;
  arch: LayerArch;
  zip?: string;
  /** Paths inside the layer, relative to `dir`, `/`-separated. */
  files: string[];
  unpackedBytes: number;
  zippedBytes?: number;
  onnxruntimeVersion: string;
}

// ---------------------------------------------------------------------------
// Selecting and copying files

type Keep = (path: string) => boolean; // path relative to the package, `/`-separated

const isSourceMap = (p: string) => p.endsWith(".map");
// Only the Lambda platform's binaries; GPU provider libraries never apply there.
const keepNode =
  (arch: LayerArch): Keep =>
  (p) =>
    p === "package.json" ||
    p === "README.md" ||
    /^LICENSE/i.test(p) ||
    (p.startsWith("dist/") && !isSourceMap(p)) ||
    (new RegExp(`^bin/napi-v\\d+/linux/${arch}/[^/]+$`).test(p) && !/providers_(cuda|tensorrt|rocm|migraphx)|libcudnn|libcublas/i.test(p));
const keepCommon: Keep = (p) => p === "package.json" || p === "README.md" || /^LICENSE/i.test(p) || (p.startsWith("dist/") && !isSourceMap(p));

async function walk(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path, base)));
    else if (entry.isFile()) out.push(relative(base, path).split(sep).join("/"));
  }
  return out.sort();
}

async function copyPackage(from: string, to: string, keep: Keep): Promise<string[]> {
  const kept = (await walk(from)).filter(keep);
  for (const p of kept) {
    await mkdir(dirname(join(to, p)), { recursive: true });
    await copyFile(join(from, p), join(to, p));
  }
  return kept;
}

async function readPackageJson(dir: string): Promise<{ name: string; version: string; dependencies?: Record<string, string> }> {
  return JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
}

/** The onnxruntime-common that onnxruntime-node resolves: nested first, then hoisted beside it. */
function findCommon(nodeDir: string): string {
  const candidates = [join(nodeDir, "node_modules", "onnxruntime-common"), join(dirname(nodeDir), "onnxruntime-common")];
  const found = candidates.find((c) => existsSync(join(c, "package.json")));
  if (!found) throw new Error(`onnxruntime-common not found beside ${nodeDir}: run npm install`);
  return found;
}

async function elfMachine(path: string): Promise<number> {
  const file = await open(path, "r");
  try {
    const header = Buffer.alloc(20);
    await file.read(header, 0, 20, 0);
    if (header.readUInt32BE(0) !== 0x7f454c46) return -1; // not ELF
    return header.readUInt16LE(18);
  } finally {
    await file.close();
  }
}

// ---------------------------------------------------------------------------
// A minimal zip writer (deflate, no zip64): enough for a layer, no dependency.

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

// zlib.crc32 exists from Node 20.15; a namespace import keeps older Nodes loading this file.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

function crc32(data: Uint8Array): number {
  if (typeof nativeCrc32 === "function") return nativeCrc32(data) >>> 0;
  let c = 0xffffffff;
  for (const byte of data) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  name: string;
  data: Uint8Array;
  /** Unix mode, e.g. 0o644. */
  mode?: number;
}

/**
 * Zips the entries. Every entry gets the same timestamp (1980-01-01), so the
 * same files give the same bytes and the same hash: Serverless then sees an
 * unchanged layer and does not publish a new version.
 */
export function zip(entries: readonly ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1;
  const UTF8 = 0x0800;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const crc = crc32(entry.data);
    const deflated = zlib.deflateRawSync(entry.data, { level: 9 });
    const stored = deflated.length >= entry.data.length;
    const body = stored ? Buffer.from(entry.data) : deflated;
    if (entry.data.length >= 0xffffffff || offset >= 0xffffffff) throw new Error(`zip: ${entry.name} needs zip64, which this writer does not do`);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(UTF8, 6);
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(0, 10); // time 00:00
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, so the mode below counts
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(UTF8, 8);
    header.writeUInt16LE(stored ? 0 : 8, 10);
    header.writeUInt16LE(0, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(entry.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(((0o100000 | (entry.mode ?? 0o644)) << 16) >>> 0, 38); // regular file + permissions
    header.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(header, name);
    offset += local.length + name.length + body.length;
  }
  if (entries.length > 0xffff) throw new Error("zip: more than 65535 entries needs zip64");
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}

// ---------------------------------------------------------------------------

export async function buildOnnxLayer(options: OnnxLayerOptions): Promise<OnnxLayerResult> {
  const dir = resolve(options.outDir);
  const arch = options.arch ?? "arm64";
  const nodeDir = options.nodeModules
    ? join(resolve(options.nodeModules), "onnxruntime-node")
    : dirname(createRequire(import.meta.url).resolve("onnxruntime-node/package.json"));
  if (!existsSync(join(nodeDir, "package.json"))) throw new Error(`onnxruntime-node not found at ${nodeDir}: run npm install`);
  const commonDir = findCommon(nodeDir);
  const node = await readPackageJson(nodeDir);
  const common = await readPackageJson(commonDir);
  const wanted = node.dependencies?.["onnxruntime-common"];
  if (wanted && wanted.replace(/^[\^~=]/, "") !== common.version) {
    throw new Error(`onnxruntime-node ${node.version} wants onnxruntime-common ${wanted}, found ${common.version} at ${commonDir}`);
  }

  await rm(dir, { recursive: true, force: true });
  const modules = join(dir, "nodejs", "node_modules");
  const nodeFiles = await copyPackage(nodeDir, join(modules, "onnxruntime-node"), keepNode(arch));
  const commonFiles = await copyPackage(commonDir, join(modules, "onnxruntime-common"), keepCommon);

  // The layer is useless without the binding and its runtime library.
  const binaries = nodeFiles.filter((p) => p.startsWith("bin/"));
  for (const needed of ["onnxruntime_binding.node", "libonnxruntime.so"]) {
    if (!binaries.some((p) => p.split("/").pop()!.startsWith(needed))) {
      throw new Error(`${nodeDir}/bin has no linux/${arch} ${needed}: reinstall onnxruntime-node (its npm package ships linux/${arch} binaries)`);
    }
  }
  for (const p of binaries) {
    const machine = await elfMachine(join(modules, "onnxruntime-node", p));
    if (machine !== ELF_MACHINE[arch]) throw new Error(`${p} is not a linux/${arch} ELF binary (e_machine ${machine})`);
  }

  const files = [
    ...nodeFiles.map((p) => `nodejs/node_modules/onnxruntime-node/${p}`),
    ...commonFiles.map((p) => `nodejs/node_modules/onnxruntime-common/${p}`),
  ];
  let unpackedBytes = 0;
  for (const f of files) unpackedBytes += (await stat(join(dir, f))).size;
  if (unpackedBytes > LAMBDA_UNPACKED_LIMIT) {
    throw new Error(`layer is ${mb(unpackedBytes)} unpacked, over Lambda's ${mb(LAMBDA_UNPACKED_LIMIT)} limit`);
  }

  const result: OnnxLayerResult = { dir, arch, files, unpackedBytes, onnxruntimeVersion: node.version };
  if (options.zipPath) {
    const zipPath = resolve(options.zipPath);
    const entries = await Promise.all(files.map(async (name) => ({ name, data: await readFile(join(dir, name)), mode: 0o644 })));
    const bytes = zip(entries);
    await mkdir(dirname(zipPath), { recursive: true });
    await writeFile(zipPath, bytes);
    result.zip = zipPath;
    result.zippedBytes = bytes.length;
  }
  return result;
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const layers = join(dirname(fileURLToPath(import.meta.url)), "..", "layers");
  const result = await buildOnnxLayer({
    outDir: flag("--out") ?? join(layers, "onnxruntime-arm64"),
    zipPath: flag("--zip") ?? join(layers, "onnxruntime-arm64.zip"),
    arch: flag("--arch") === "x64" ? "x64" : "arm64",
  });
  const npmDir = dirname(createRequire(import.meta.url).resolve("onnxruntime-node/package.json"));
  let npmBytes = 0;
  for (const f of await walk(npmDir)) npmBytes += (await stat(join(npmDir, f))).size;
  console.log(`onnxruntime-node ${result.onnxruntimeVersion} layer for linux-${result.arch}: ${result.files.length} files (the npm package: ${mb(npmBytes)}, every platform)`);
  console.log(`  ${result.dir}: ${mb(result.unpackedBytes)} unpacked (Lambda limit ${mb(LAMBDA_UNPACKED_LIMIT)} with the function code)`);
  console.log(`  ${result.zip}: ${mb(result.zippedBytes!)} zipped`);
}
