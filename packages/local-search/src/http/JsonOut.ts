// JSON rendering that can splice raw JSON text (stored _source bytes) into a
// response without parsing and re-serialising it.
import { randomBytes } from "node:crypto";

export class JsonOut {
  private readonly raws: string[] = [];
  private readonly tag = randomBytes(4).toString("hex");

  /** A placeholder value that stringify() replaces by the given JSON text. */
  raw(jsonText: string): string {
    this.raws.push(jsonText);
    return `\u0000${this.tag}:${this.raws.length - 1}\u0000`;
  }

  stringify(value: unknown, pretty = false): string {
    if (pretty && this.raws.length > 0) {
      const parsed = JSON.parse(this.stringify(value, false)) as unknown;
      return JSON.stringify(parsed, null, 2);
    }
    const text = JSON.stringify(value, null, pretty ? 2 : undefined);
    if (this.raws.length === 0) return text;
    const re = new RegExp(`"\\\\u0000${this.tag}:(\\d+)\\\\u0000"`, "g");
    return text.replace(re, (_m, i: string) => this.raws[Number(i)]!);
  }
}
