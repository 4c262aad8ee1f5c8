// Oracle side of tests/differential.rs: reads JSON-lines cases, runs each through
// @cloud-copilot/iam-simulate (AGPL; installed at test time into .tools/iam-oracle, never
// committed or linked), prints one line per case: the overall result, or `error: ...`.
//
// Usage: node tests/differential/oracle.mjs <cases.jsonl>
//
// Case shape (written by tests/differential.rs):
//   { principal, action, resource, accountId,
//     context: { key: string | string[] },   // absent keys are omitted
//     identity: [policy, ...], boundary: policy | null, scp: policy | null }
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const pkg = join(here, '..', '..', '.tools', 'iam-oracle', 'node_modules', '@cloud-copilot', 'iam-simulate')
const entry = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'))
const main = entry.exports?.['.']?.import?.default ?? entry.exports?.['.']?.import ?? entry.module ?? entry.main
const { runSimulation } = await import(pathToFileURL(join(pkg, typeof main === 'string' ? main : 'dist/esm/index.js')).href)

const file = process.argv[2]
if (!file) {
  console.error('usage: node oracle.mjs <cases.jsonl>')
  process.exit(2)
}

const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '')
const out = []
for (const line of lines) {
  const c = JSON.parse(line)
  const simulation = {
    request: {
      principal: c.principal,
      action: c.action,
      resource: { resource: c.resource, accountId: c.accountId },
      contextVariables: c.context,
    },
    identityPolicies: c.identity.map((policy, i) => ({ name: `p${i}`, policy })),
    permissionBoundaryPolicies: c.boundary ? [{ name: 'boundary', policy: c.boundary }] : [],
    // One SCP level (the root OU), as sagelint treats all given SCPs as one level.
    serviceControlPolicies: c.scp ? [{ orgIdentifier: 'r-root', policies: [{ name: 'scp', policy: c.scp }] }] : [],
    resourceControlPolicies: [],
    vpcEndpointPolicies: [],
  }
  try {
    const r = await runSimulation(simulation, { simulationMode: 'Strict' })
    if (r.overallResult) {
      out.push(r.overallResult)
    } else {
      out.push('error: ' + JSON.stringify(r.errors ?? r).replace(/\n/g, ' '))
    }
  } catch (e) {
    out.push('error: ' + String(e).replace(/\n/g, ' '))
  }
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''))
