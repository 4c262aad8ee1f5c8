// Oracle side of tests/differential.rs: reads JSON-lines cases, runs each through
// @cloud-copilot/iam-simulate (AGPL; installed at test time into .tools/iam-oracle, never
// committed or linked), prints one line per case: a JSON object with the overall result and the
// statements that matched, or `error: ...`.
//
// Usage: node tests/differential/oracle.mjs <cases.jsonl>
//
// Case shape (written by tests/differential.rs):
//   { principal, action, resource, accountId,
//     context: { key: string | string[] },   // absent keys are omitted
//     identity: [policy, ...], boundary: policy | null, scp: policy | null, endpoint: policy | null }
//
// Output line: { result, identity: {allow, deny}, boundary: {allow, deny}, endpoint: {allow, deny} }
// where each list holds "policy#index" for the statements of that kind that matched the request
// (the index of the statement in the policy as written, found by comparing its JSON).
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

const statementsOf = (policy) => (Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement])

// "policy#index" for each analysed statement, by the JSON of the statement as written.
function located(list, policies) {
  const out = []
  for (const s of list ?? []) {
    const policy = policies[s.policyId]
    if (!policy) {
      out.push(`${s.policyId}#?`)
      continue
    }
    const text = JSON.stringify(s.statement)
    const index = statementsOf(policy).findIndex((st) => JSON.stringify(st) === text)
    out.push(`${s.policyId}#${index}`)
  }
  return [...new Set(out)].sort()
}

function statements(analysis, policies) {
  if (!analysis) return { allow: [], deny: [] }
  return { allow: located(analysis.allowStatements, policies), deny: located(analysis.denyStatements, policies) }
}

const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '')
const out = []
for (const line of lines) {
  const c = JSON.parse(line)
  const identity = Object.fromEntries(c.identity.map((policy, i) => [`p${i}`, policy]))
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
    vpcEndpointPolicies: c.endpoint ? [{ name: 'endpoint', policy: c.endpoint }] : [],
  }
  try {
    const r = await runSimulation(simulation, { simulationMode: 'Strict' })
    if (r.overallResult) {
      const a = r.result?.analysis ?? {}
      out.push(
        JSON.stringify({
          result: r.overallResult,
          identity: statements(a.identityAnalysis, identity),
          boundary: statements(a.permissionBoundaryAnalysis, { boundary: c.boundary }),
          endpoint: statements(a.endpointAnalysis, { endpoint: c.endpoint }),
        }),
      )
    } else {
      out.push('error: ' + JSON.stringify(r.errors ?? r).replace(/\n/g, ' '))
    }
  } catch (e) {
    out.push('error: ' + String(e).replace(/\n/g, ' '))
  }
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''))
