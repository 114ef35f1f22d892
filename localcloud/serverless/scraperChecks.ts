// The scrapers on arm64 need a Chromium pack for arm64 (the npm package carries
// an x64 binary only): without chromiumPackUrl they would deploy and fail at
// every run. Checked offline, at package time.
export interface ScraperFunctions {
  service: { functions: Record<string, { architecture?: string; environment?: Record<string, unknown> }> };
}

export function scraperChromiumProblems(serverless: ScraperFunctions): string[] {
  const problems: string[] = [];
  for (const [name, fn] of Object.entries(serverless.service.functions)) {
    if (!name.startsWith("scrape-") || fn.architecture !== "arm64") continue;
    const url = fn.environment?.CHROMIUM_PACK_URL;
    if (typeof url !== "string" || !url.startsWith("https://")) {
      problems.push(
        `${name} runs on arm64, and @sparticuz/chromium ships an x64 Chromium only: give an arm64 pack, ` +
          `--param="chromiumPackUrl=https://…/chromium-v<version>-pack.arm64.tar" (docs/scraper.md "Chromium on arm64")`,
      );
    }
  }
  return problems;
}
