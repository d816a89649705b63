/**
 * Sandbox load: the chargeable-status search (scenario 9990554331, found) over loopback HTTP with
 * keep-alive, at 1, 10 and 50 concurrent clients. The sandbox runs in its own process
 * (`vm-ig sandbox --port 0`) so the load generator does not share its event loop. Each level is
 * bounded in count (BENCH_SANDBOX_REQUESTS, default 4,000, after 200 warm-up requests) and time
 * (10 s). Target (design): >= 2,000 requests/s and p99 <= 20 ms at 10 clients. Then the audit
 * flood: large-token look-ups and 20 concurrent audit reads, which the sandbox must survive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { REPO, offlineEnv } from './child.ts';

const LEVELS = [1, 10, 50];
const TIME_LIMIT_MS = 10_000;
const NHS = '9990554331';

export async function benchSandbox(): Promise<string[]> {
  const count = Math.max(100, Number(process.env.BENCH_SANDBOX_REQUESTS ?? 4000));
  const { child, url } = await startChild();
  try {
    const target = new URL(`${url}/Observation?${query(NHS)}`);
    const headers = requestHeaders(NHS);
    const lines = [`sandbox (search over loopback, keep-alive; ${count} requests per level, at most ${TIME_LIMIT_MS / 1000} s)`];
    for (const clients of LEVELS) {
      const agent = new Agent({ keepAlive: true, maxSockets: clients });
      await load(target, headers, agent, Math.min(clients, 10), 200);
      const r = await load(target, headers, agent, clients, count);
      agent.destroy();
      const meets = clients === 10 ? `  target >= 2000 /s, p99 <= 20 ms: ${r.perSecond >= 2000 && r.p99 <= 20 ? 'met' : 'NOT met'}` : '';
      lines.push(
        `  ${String(clients).padStart(2)} clients: ${Math.round(r.perSecond)} requests/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (${r.done} requests, ${r.errors} not 200)${meets}`
      );
    }
    lines.push(await auditFlood(url, child));
    return lines;
  } finally {
    child.kill('SIGTERM');
  }
}

/**
 * The audit flood (issue #27): look-ups with large tokens (an 8 KB organisation name each) fill
 * the audit trail, then 20 clients read it at once, again and again, with the largest page. The
 * sandbox must stay up (it once ran out of heap on 233 MB answers) and answer every read.
 */
async function auditFlood(url: string, child: ChildProcess): Promise<string> {
  const nhs = NHS;
  const headers = requestHeaders(nhs, 'N'.repeat(8_000));
  const agent = new Agent({ keepAlive: true, maxSockets: 20 });
  const lookUps = await load(new URL(`${url}/Observation?${query(nhs)}`), headers, agent, 20, 12_000);
  const audit = new URL(`${url}/AuditEvent?entity:identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhs}`)}&_count=100`);
  const reads = await load(
    audit,
    { ...headers, 'Ssp-InteractionID': 'urn:nhs:names:services:visitorsandmigrants:fhir:rest:search:auditevent' },
    agent,
    20,
    400
  );
  agent.destroy();
  const alive = child.exitCode === null && child.signalCode === null;
  return (
    `  audit flood: ${lookUps.done} large-token look-ups (${lookUps.errors} not 200), then ${reads.done} audit reads by 20 clients ` +
    `(${reads.errors} not 200, p99 ${reads.p99.toFixed(1)} ms); sandbox ${alive && reads.errors === 0 ? 'stayed up' : 'FAILED'}`
  );
}

interface LoadResult {
  perSecond: number;
  p50: number;
  p99: number;
  done: number;
  errors: number;
}

async function load(url: URL, headers: Record<string, string>, agent: Agent, clients: number, count: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let started = 0;
  let errors = 0;
  const begin = performance.now();
  const worker = async () => {
    while (started < count && performance.now() - begin < TIME_LIMIT_MS) {
      started++;
      const t = performance.now();
      const status = await once(url, headers, agent);
      latencies.push(performance.now() - t);
      if (status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  const seconds = (performance.now() - begin) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { perSecond: latencies.length / seconds, p50: pct(0.5), p99: pct(0.99), done: latencies.length, errors };
}

function once(url: URL, headers: Record<string, string>, agent: Agent): Promise<number> {
  return new Promise(resolve => {
    const req = request(url, { agent, headers, timeout: 5000 }, res => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function startChild(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'scripts', 'cli.ts'), 'sandbox', '--port', '0'], {
      cwd: REPO,
      env: offlineEnv({}),
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let out = '';
    const timer = setTimeout(() => (child.kill(), reject(new Error(`the sandbox did not start: ${out.slice(-500)}`))), 120_000);
    child.stdout!.on('data', chunk => {
      out += chunk;
      const m = /sandbox on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.stderr!.on('data', chunk => (out += chunk));
    child.on('exit', code => (clearTimeout(timer), reject(new Error(`the sandbox exited (${code}): ${out.slice(-500)}`))));
  });
}

function query(nhs: string): string {
  return `subject%3APatient.identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhs}`)}&code=${encodeURIComponent('https://fhir.nhs.uk/vm/CodeSystem/vm-observation-code|0001')}`;
}

/** The guide's example token for `nhs` (the audit examples as on the Using the API page). */
function requestHeaders(nhs: string, organisationName = 'Example Hospitals NHS Foundation Trust'): Record<string, string> {
  const payload = {
    iss: 'https://pas.example-hospitals.example',
    sub: 'vm-audit-practitioner-smartcard',
    aud: 'https://authorize.fhir.nhs.net/token',
    iat: 1763629946,
    exp: 1763630246,
    reason_for_request: 'directcare',
    requested_scopes: 'patient/Observation.read',
    requested_record: { resourceType: 'Patient', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs }] },
    requesting_device: {
      resourceType: 'Device',
      id: 'vm-audit-device-example',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhsSpineASID', value: '200000000359' }],
      deviceName: [{ name: 'Example Patient Administration System', type: 'model-name' }],
      manufacturer: 'Example Health Software Ltd',
      version: [{ value: '4.2.1' }]
    },
    requesting_organization: {
      resourceType: 'Organization',
      id: 'vm-audit-organization-example',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'X99999' }],
      name: organisationName
    },
    requesting_practitioner: {
      resourceType: 'Practitioner',
      id: 'vm-audit-practitioner-smartcard',
      identifier: [
        { system: 'https://fhir.nhs.uk/Id/sds-user-id', value: '555021935107' },
        { system: 'https://fhir.nhs.uk/Id/sds-role-profile-id', value: '555021936103' }
      ],
      name: [{ family: 'Okafor', given: ['Adaeze'], prefix: ['Ms'] }]
    }
  };
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return {
    'Ssp-TraceID': '09a01679-2564-0fb4-5129-aecc81ea2706',
    'Ssp-From': '200000000359',
    'Ssp-To': '999999999999',
    'Ssp-InteractionID': 'urn:nhs:names:services:visitorsandmigrants:fhir:rest:search:observation',
    Authorization: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`
  };
}
