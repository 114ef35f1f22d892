// Date formats bound to mappings: a date field's `format`, compiled once when
// the field is mapped, and the root's `dynamic_date_formats`, which date
// detection tries on every new string field.
import { mapperParsing } from "../errors.ts";
import { compileDateFormat, type DateFormat, DEFAULT_DATE_FORMAT } from "../time/dateFormat.ts";

/** The compiled `format` of date field `name` (OpenSearch's default when none is given). */
export function bindDateFormat(name: string, format: unknown): DateFormat {
  const f = format ?? DEFAULT_DATE_FORMAT;
  if (typeof f !== "string") throw mapperParsing(`Invalid format: [${String(f)}] for field [${name}]`);
  try {
    return compileDateFormat(f);
  } catch (err) {
    throw mapperParsing(`Error parsing [format] on field [${name}]: ${(err as Error).message}`);
  }
}

const DEFAULT_DYNAMIC_DATE_FORMATS = ["strict_date_optional_time", "yyyy/MM/dd HH:mm:ss Z||yyyy/MM/dd Z"];

/** dynamic_date_formats: tried in order on a new string field while date_detection is on. */
export class DynamicDateFormats {
  private specs: string[] = DEFAULT_DYNAMIC_DATE_FORMATS;
  private parsers: DateFormat[] = DEFAULT_DYNAMIC_DATE_FORMATS.map((f) => compileDateFormat(f));

  set(json: unknown): void {
    const list = Array.isArray(json) ? json.map(String) : [String(json)];
    this.parsers = list.map((x) => compileDateFormat(x));
    this.specs = list;
  }

  /** The formats for GET _mapping; undefined while they are the defaults, which OpenSearch leaves out. */
  render(): string[] | undefined {
    return this.specs === DEFAULT_DYNAMIC_DATE_FORMATS ? undefined : this.specs;
  }

  /** The definition of a date field for `value`, or null when no format parses it. */
  detect(value: string): Record<string, unknown> | null {
    for (let i = 0; i < this.parsers.length; i++) {
      if (this.parsers[i]!.tryParse(value) === null) continue;
      const def: Record<string, unknown> = { type: "date" };
      const spec = this.specs[i]!;
      if (spec !== "strict_date_optional_time") def.format = spec.includes("epoch_millis") ? spec : `${spec}||epoch_millis`;
      return def;
    }
    return null;
  }
}
