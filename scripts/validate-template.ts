// Validates a packaged CloudFormation template offline, as CloudFormation would
// before creating anything (lib/cloudformation/validateTemplate.ts).
//   npx serverless package --stage prod && npm run validate:template
//   npm run validate:template -- path/to/template.json
import { readFileSync } from "node:fs";
import { formatProblems, validateTemplate } from "../lib/cloudformation/validateTemplate.ts";

const path = process.argv[2] ?? ".serverless/cloudformation-template-update-stack.json";
const text = readFileSync(path, "utf8");
const started = performance.now();
const problems = await validateTemplate(JSON.parse(text), { templateBytes: Buffer.byteLength(text) });
const ms = Math.round(performance.now() - started);
if (problems.length > 0) {
  console.error(`${path}: ${problems.length} problem(s) CloudFormation would refuse:\n${formatProblems(problems)}`);
  process.exit(1);
}
const resources = Object.keys((JSON.parse(text) as { Resources?: object }).Resources ?? {}).length;
console.log(`${path}: ${resources} resources, every reference resolves, no cycle, properties and IAM documents valid (${ms} ms)`);
