#!/usr/bin/env node
// Benchmark: the Kubernetes target (issue 8) against kubectl on the same API server, in the same rounds. Targets:
// applying 1,000 new objects takes at most 1.5 × `kubectl apply --server-side` of the same objects; re-syncing the
// 1,000 unchanged objects takes ≤ 2 s and writes nothing; drift is noticed within 1 s at p50.
//
// The cluster: without --kubeconfig the bench starts its own dev cluster (@slipway/dev-cluster: etcd, kube-apiserver,
// controller manager, scheduler and kwok with 3 fake nodes of 110 pods each) under its temp root and stops it at the
// end; with --kubeconfig it uses that cluster and checks first that the fake nodes have room for the Deployments' pods.
// Slipway's code is the real driver (@slipway/driver-kubernetes, bundled from source with esbuild through
// bench/lib/runner.mjs, as the server bundles it), in this process, with an onChange listener as the engine has one.
//
// Objects: --objects N (1,000) in one namespace: N/4 Deployments (1 replica, an image that is never pulled: kwok fakes
// the pods, so they turn Running and the Deployments Available without a container), N/4 ClusterIP Services and the
// rest ConfigMaps with four keys each, written once as YAML files (50 objects a file) in a temp directory. The same
// files for both tools; each tool gets a fresh namespace in each round, created beforehand (untimed). A round:
//   - Slipway: a new driver (new connection and discovery, as a new process would have) with a service whose
//     `kubernetes.manifests` is that directory. The reconciler's pass: observe → plan (create) → driver.apply. The
//     driver's apply always waits for health, so two figures come from one call: "applied" is when the driver reports
//     `waiting for … to be healthy` (its progress message after the apply pool of 16 — driver.ts applyAll — and the
//     inventory ConfigMap), "healthy" is when apply returns (every Deployment Available). Timed from just before
//     driver.apply, and also from just before observe (sync = observe + plan + apply).
//   - kubectl: `kubectl apply --server-side --field-manager=bench -n <ns> -f <dir>` as a child process (process start
//     and discovery included: a fresh --cache-dir per round, so its discovery is not cached), until it exits; then
//     `kubectl get deployments` every 250 ms until every one is available, for the "healthy" figure.
//   The two tools run one after the other, the order alternating by round; each tool's namespace is deleted (and the
//   bench waits until it is gone) before the other tool starts, so neither competes with the other's controllers.
//   One warm-up round is not counted; medians over --rounds (3) rounds, and the median of per-round ratios.
// Re-sync, after the objects are applied and every Deployment is Available:
//   - steady: the driver that applied them runs observe + plan (all noop) + apply of that plan, --resyncs (3) times.
//   - fresh: a new driver (a restarted server: no expectations in memory; it lists the objects with its informers and
//     reads what the last apply expected from the inventory ConfigMap), once.
//   - baseline: the same `kubectl apply --server-side` again on kubectl's namespace (warm --cache-dir of the round).
//   "Writes nothing" is checked twice: the resourceVersion of every ConfigMap, Service and Deployment of the namespace
//   (listed before and after) must not change; and apiserver_request_total from the API server's /metrics, summed over
//   the write verbs (POST, PUT, PATCH, APPLY, DELETE, DELETECOLLECTION) for the kinds applied, with dry_run="" (real
//   writes; dry runs are counted apart). The metric counts requests of every client (the controllers too), so a
//   non-zero count is looked at with the resourceVersions: a no-op server-side apply is a request but no write.
// Drift (last counted round, Slipway's namespace, the steady driver, its informers running): --changes (20) times,
// wait until no onChange fired for 1 s, then t0 = just before sending a merge PATCH of spec.replicas 1 → 2 of a
// Deployment with another field manager (what `kubectl scale` does), t1 = when the driver's onChange fires for the
// environment. Baseline at the same time on the same changes: a script polling `kubectl get deployments -o jsonpath`
// (all replicas) every 1 s, t1 = when the poll that shows the change returns. After each change the replicas go back
// to 1 (untimed) before the next. p50, p90 and max of each.
//
//   node bench/kubernetes.mjs [--rounds 3] [--objects 1000] [--resyncs 3] [--changes 20] [--kubeconfig <path>]
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { timeSpawn } from './lib/measure.mjs';
import { runBenchmark } from './lib/run.mjs';
import { loadEntry } from './lib/runner.mjs';
import { median, numberFlags, sleep, tempRoot, waitFor } from './lib/util.mjs';

const argv = process.argv;
const at = argv.indexOf('--kubeconfig');
const kubeconfigPath = at >= 0 ? argv[at + 1] : undefined;
if (at >= 0) argv.splice(at, 2);
const opts = numberFlags({ rounds: 3, objects: 1000, resyncs: 3, changes: 20 });
if (opts.rounds < 1 || opts.objects < 8 || opts.resyncs < 1) throw new Error('--rounds and --resyncs need at least 1, --objects at least 8');
const targets = { ratio: 1.5, resyncMs: 2000, driftP50Ms: 1000 };
const root = tempRoot('kubernetes');
const began = performance.now();
const k8s = await loadEntry(
  "export { createKubernetesDriver, connect } from '@slipway/driver-kubernetes'; export { startDevCluster, devClusterBinDir } from '@slipway/dev-cluster';",
  'kubernetes',
);

const counts = (() => {
  const deployments = Math.floor(opts.objects / 4);
  const services = Math.floor(opts.objects / 4);
  return { deployments, services, configMaps: opts.objects - deployments - services };
})();
const run = Date.now().toString(36);
const namespaces = new Set();
const drivers = new Set();
let cluster;
let admin;
let kubectl;
let kubeconfigText;

const pad = (i) => String(i).padStart(4, '0');
const now = () => performance.now();
const s = (x) => (Number.isFinite(x) ? `${(x / 1000).toFixed(x < 1000 ? 3 : 2)} s` : '–');
const percentile = (xs, p) => {
  const sorted = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
};

/** The objects as YAML files (50 a file), the same for both tools. */
function writeManifests(dir) {
  const docs = [];
  for (let i = 0; i < counts.configMaps; i++) {
    docs.push(`apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-${pad(i)}
  labels: {app.kubernetes.io/part-of: bench}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "search,checkout,recommendations"
  TIMEOUT_MS: "2500"
  config.json: '{"index":${i},"replicas":1,"upstreams":["http://svc-a:80","http://svc-b:80"]}'
`);
  }
  for (let i = 0; i < counts.services; i++) {
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: svc-${pad(i)}
  labels: {app.kubernetes.io/part-of: bench}
spec:
  selector: {app: dep-${pad(i % Math.max(1, counts.deployments))}}
  ports:
    - {name: http, port: 80, targetPort: 8080}
`);
  }
  for (let i = 0; i < counts.deployments; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: dep-${pad(i)}
  labels: {app.kubernetes.io/part-of: bench}
spec:
  replicas: 1
  selector:
    matchLabels: {app: dep-${pad(i)}}
  template:
    metadata:
      labels: {app: dep-${pad(i)}}
    spec:
      containers:
        - name: app
          image: registry.invalid/bench/app:1.0.${i}
          ports: [{containerPort: 8080}]
          env: [{name: INDEX, value: "${i}"}]
`);
  }
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f * 50 < docs.length; f++) writeFileSync(join(dir, `objects-${String(f).padStart(2, '0')}.yaml`), docs.slice(f * 50, f * 50 + 50).join('---\n'));
}

async function createNamespace(name) {
  namespaces.add(name);
  await admin.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'slipway.dev/bench': 'kubernetes' } } } });
  // The namespace controller's default ServiceAccount comes shortly after; the Deployments' pods need it.
  await waitFor(`the default ServiceAccount of ${name}`, async () => (await admin.request('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`, { accept404: true })).status === 200, 60_000, 100);
}

async function deleteNamespace(name) {
  await admin.request('DELETE', `/api/v1/namespaces/${name}`, { accept404: true });
  await waitFor(`namespace ${name} to be gone`, async () => (await admin.request('GET', `/api/v1/namespaces/${name}`, { accept404: true })).status === 404, 600_000, 500);
  namespaces.delete(name);
}

/** kind/name → resourceVersion of every ConfigMap, Service and Deployment in the namespace. */
async function versions(ns) {
  const out = new Map();
  for (const [kind, path] of [['ConfigMap', `/api/v1/namespaces/${ns}/configmaps`], ['Service', `/api/v1/namespaces/${ns}/services`], ['Deployment', `/apis/apps/v1/namespaces/${ns}/deployments`]]) {
    const { body } = await admin.request('GET', path);
    for (const o of body.items) out.set(`${kind}/${o.metadata.name}`, o.metadata.resourceVersion);
  }
  return out;
}
const changedVersions = (a, b) => [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).length;

/** apiserver_request_total of the write verbs on the kinds applied: { writes, dryRuns, byVerb } since the server started. */
const writeVerbs = new Set(['POST', 'PUT', 'PATCH', 'APPLY', 'DELETE', 'DELETECOLLECTION']);
async function writeCounters() {
  const { body } = await admin.request('GET', '/metrics');
  const out = { writes: 0, dryRuns: 0, byKey: {} };
  for (const line of String(body).split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!writeVerbs.has(labels.verb) || !['configmaps', 'services', 'deployments'].includes(labels.resource) || labels.subresource) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (labels.dry_run) out.dryRuns += value;
    else {
      out.writes += value;
      const key = `${labels.verb} ${labels.resource}`;
      out.byKey[key] = (out.byKey[key] ?? 0) + value;
    }
  }
  return out;
}
const writeDiff = (a, b) => ({
  writes: b.writes - a.writes,
  dryRuns: b.dryRuns - a.dryRuns,
  byKey: Object.fromEntries(Object.keys(b.byKey).map((k) => [k, b.byKey[k] - (a.byKey[k] ?? 0)]).filter(([, v]) => v > 0)),
});
const showWrites = (d) => `${d.writes} write requests${Object.keys(d.byKey).length ? ` (${Object.entries(d.byKey).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}, ${d.dryRuns} dry runs`;

/** Free pod slots on Ready nodes, for the Deployments' pods. */
async function podRoom() {
  const { body: nodes } = await admin.request('GET', '/api/v1/nodes');
  const ready = nodes.items.filter((n) => !n.spec?.unschedulable && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  const capacity = ready.reduce((sum, n) => sum + Number(n.status.allocatable?.pods ?? 0), 0);
  const { body: pods } = await admin.request('GET', '/api/v1/pods?fieldSelector=status.phase!%3DSucceeded,status.phase!%3DFailed');
  return { nodes: ready.length, capacity, free: capacity - pods.items.length };
}

const kubectlArgs = (cacheDir, ns, ...args) => [kubectl, '--kubeconfig', cluster.kubeconfig, '--cache-dir', cacheDir, '-n', ns, ...args];

const service = (manifests) => ({
  service: 'bench',
  releaseId: 'rel_bench',
  revision: 'bench-r1',
  artifact: manifests,
  command: 'unused',
  env: {},
  health: { path: '/healthz', timeoutSeconds: 600, intervalSeconds: 0.25 },
  kubernetes: { manifests },
});

function newDriver(ns, onChange = () => {}) {
  const driver = k8s.createKubernetesDriver({ targetOf: async () => ({ namespace: ns, kubeconfig: kubeconfigText }) });
  driver.onChange(onChange);
  drivers.add(driver);
  return driver;
}
async function closeDriver(driver) {
  drivers.delete(driver);
  await driver.close();
}

/** observe + plan + apply of the unchanged service; throws unless the plan is all noop. */
async function resync(driver, desired) {
  const t0 = now();
  const observed = await driver.observe(desired.environment, desired.services.map((x) => x.service));
  const plan = driver.plan(desired, observed);
  const result = await driver.apply(plan, {});
  const ms = now() - t0;
  if (plan.actions.some((a) => a.type !== 'noop')) throw new Error(`resync planned ${plan.actions.map((a) => `${a.type} (${a.reason})`).join(', ')}`);
  if (!result.results.every((r) => r.ok)) throw new Error(`resync failed: ${JSON.stringify(result.results)}`);
  return ms;
}

async function slipwayRound(r, manifests, last) {
  const ns = `bench-s-${run}-${r}`;
  const env = `env-${ns}`;
  await createNamespace(ns);
  const changes = [];
  const driver = newDriver(ns, (e) => e === env && changes.push(now()));
  const desired = { environment: env, services: [service(manifests)] };
  const t0 = now();
  const observed = await driver.observe(env, ['bench']);
  const plan = driver.plan(desired, observed);
  const t1 = now();
  let applied = NaN;
  const result = await driver.apply(plan, { onProgress: (p) => p.message.startsWith('waiting for') && (applied = now()) });
  const healthy = now();
  if (!result.results.every((x) => x.ok)) throw new Error(`Slipway's apply failed: ${JSON.stringify(result.results)}`);
  const live = await versions(ns);
  if (live.size !== opts.objects + 2) throw new Error(`expected ${opts.objects} objects, the inventory and kube-root-ca.crt in ${ns}, found ${live.size}`);
  const out = { observeMs: t1 - t0, applyMs: applied - t1, syncMs: applied - t0, healthyMs: healthy - t1 };

  // Re-syncs of the unchanged objects: the driver that applied them, then a new one.
  const before = await versions(ns);
  const m0 = await writeCounters();
  out.steadyMs = [];
  for (let i = 0; i < opts.resyncs; i++) out.steadyMs.push(await resync(driver, desired));
  const m1 = await writeCounters();
  const fresh = newDriver(ns);
  out.freshMs = await resync(fresh, desired);
  await closeDriver(fresh);
  const m2 = await writeCounters();
  const after = await versions(ns);
  out.steadyWrites = writeDiff(m0, m1);
  out.freshWrites = writeDiff(m1, m2);
  out.resyncChanged = changedVersions(before, after);
  if (last) out.drift = await driftPhase(driver, ns, changes);
  await closeDriver(driver);
  await deleteNamespace(ns);
  return out;
}

async function kubectlRound(r, manifests) {
  const ns = `bench-k-${run}-${r}`;
  await createNamespace(ns);
  const cacheDir = mkdtempSync(join(root, 'kubectl-cache-'));
  const apply = kubectlArgs(cacheDir, ns, 'apply', '--server-side', '--field-manager=bench', '-f', manifests);
  const started = now();
  const applied = await timeSpawn(apply);
  const lines = applied.stdout.split('\n').filter((l) => l.endsWith('serverside-applied')).length;
  if (lines !== opts.objects) throw new Error(`kubectl applied ${lines} objects, not ${opts.objects}`);
  // Healthy as the driver judges a Deployment (observedGeneration caught up, every replica updated and available),
  // polled every 250 ms (the driver's pollMs) with one `kubectl get` of all of them. Not `kubectl wait --all`: it
  // waits for one object after another, each with its own requests, and kubectl's client-side rate limit makes it
  // take about 90 s for 250 Deployments however soon they are Available.
  const healthyAt = await waitFor('kubectl to see every Deployment available', async () => {
    const { stdout } = await timeSpawn(kubectlArgs(cacheDir, ns, 'get', 'deployments', '-o', 'jsonpath={range .items[*]}{.metadata.generation} {.status.observedGeneration} {.spec.replicas} {.status.updatedReplicas} {.status.availableReplicas}{"\\n"}{end}'));
    const ready = stdout.trim().split('\n').filter((line) => {
      const [generation, observed, want, updated, available] = line.split(' ').map(Number);
      return observed >= generation && updated >= want && available >= want;
    });
    return ready.length === counts.deployments && now();
  }, 600_000, 250);
  const before = await versions(ns);
  const m0 = await writeCounters();
  const again = await timeSpawn(apply);
  const m1 = await writeCounters();
  const after = await versions(ns);
  await deleteNamespace(ns);
  return { applyMs: applied.ms, healthyMs: healthyAt - started, resyncMs: again.ms, resyncWrites: writeDiff(m0, m1), resyncChanged: changedVersions(before, after) };
}

/** Drift latency: the driver's onChange (watch) against a 1 s kubectl poll, on the same changes. */
async function driftPhase(driver, ns, changes) {
  const cacheDir = mkdtempSync(join(root, 'kubectl-cache-'));
  const replicas = new Map();
  let polls = 0;
  let polling = true;
  let trial = null;
  const poller = (async () => {
    while (polling) {
      const tick = now();
      const { stdout } = await timeSpawn(kubectlArgs(cacheDir, ns, 'get', 'deployments', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.replicas}{"\\n"}{end}'));
      const seenAt = now();
      polls++;
      for (const line of stdout.trim().split('\n')) {
        const [name, n] = line.split(' ');
        replicas.set(name, Number(n));
      }
      if (trial && !trial.poll && replicas.get(trial.name) === 2 && seenAt > trial.t0) trial.poll = seenAt - trial.t0;
      await sleep(Math.max(0, tick + 1000 - now()));
    }
  })();
  const scale = (name, n) => admin.request('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/${name}?fieldManager=bench-drift`, { body: { spec: { replicas: n } }, contentType: 'application/merge-patch+json' });
  const trials = [];
  try {
    await waitFor('the first poll', () => polls > 0, 30_000);
    for (let i = 0; i < opts.changes; i++) {
      const name = `dep-${pad((i * 7) % counts.deployments)}`;
      await waitFor('a quiet second', () => now() - (changes.at(-1) ?? 0) >= 1000 && replicas.get(name) === 1, 60_000, 50);
      // A random pause puts the change at a random point of the poll's 1 s cycle (else the bench's rhythm locks onto it).
      await sleep(Math.random() * 1000);
      const t0 = now();
      trial = { name, t0, watch: NaN, poll: NaN };
      await scale(name, 2);
      await waitFor(`the change of ${name} to be seen`, () => {
        const first = changes.find((t) => t >= t0);
        if (first !== undefined) trial.watch = first - t0;
        return Number.isFinite(trial.watch) && trial.poll;
      }, 30_000, 5);
      trials.push(trial);
      console.log(`  drift ${i + 1}/${opts.changes}: ${name} replicas 1 → 2; onChange after ${trial.watch.toFixed(0)} ms, 1 s kubectl poll after ${trial.poll.toFixed(0)} ms`);
      trial = null;
      await scale(name, 1);
    }
  } finally {
    polling = false;
    await poller;
  }
  return { watch: trials.map((t) => t.watch), poll: trials.map((t) => t.poll) };
}

async function main() {
  if (kubeconfigPath) {
    cluster = { kubeconfig: kubeconfigPath, stop: async () => {} };
    console.log(`cluster: ${kubeconfigPath}`);
  } else {
    const t0 = now();
    cluster = await k8s.startDevCluster({ stateDir: join(root, 'dev-cluster'), nodes: 3, onProgress: (m) => console.log(`  dev cluster: ${m}`) });
    console.log(`cluster: own dev cluster at ${cluster.server}, up in ${s(now() - t0)}`);
  }
  kubectl = process.env.SLIPWAY_KUBECTL ?? join(process.env.SLIPWAY_K8S_BIN ?? k8s.devClusterBinDir(), 'kubectl');
  process.env.SLIPWAY_KUBECTL ??= kubectl;
  kubeconfigText = readFileSync(cluster.kubeconfig, 'utf8');
  admin = await k8s.connect({ kubeconfig: kubeconfigText });
  const room = await podRoom();
  console.log(`${room.nodes} Ready nodes, room for ${room.free} more pods (of ${room.capacity}); kubectl: ${kubectl}`);
  if (room.free < counts.deployments + 2) throw new Error(`the nodes have room for ${room.free} more pods, and the ${counts.deployments} Deployments need ${counts.deployments + 2}: use --objects ${4 * (room.free - 2)} or fewer, or a cluster with more (fake) nodes`);

  const manifests = join(root, 'manifests');
  writeManifests(manifests);
  console.log(`${opts.objects} objects (${counts.configMaps} ConfigMaps, ${counts.services} Services, ${counts.deployments} Deployments) in ${manifests}; ${opts.rounds} rounds after one warm-up round, tools alternating`);

  const results = { slipway: [], kubectl: [] };
  for (let r = -1; r < opts.rounds; r++) {
    const order = r % 2 === 0 ? ['kubectl', 'slipway'] : ['slipway', 'kubectl'];
    const round = {};
    for (const tool of order) round[tool] = tool === 'slipway' ? await slipwayRound(r + 1, manifests, r === opts.rounds - 1 && opts.changes > 0) : await kubectlRound(r + 1, manifests);
    const { slipway: a, kubectl: b } = round;
    console.log(
      `${r < 0 ? 'warm-up' : `round ${r + 1}/${opts.rounds}`} (${order.join(' first, then ')}): apply Slipway ${s(a.applyMs)} (observe ${s(a.observeMs)}, healthy ${s(a.healthyMs)}), kubectl ${s(b.applyMs)} (healthy ${s(b.healthyMs)}), ratio ${(a.applyMs / b.applyMs).toFixed(2)}; ` +
        `resync steady ${a.steadyMs.map(s).join(' ')}, fresh ${s(a.freshMs)}, kubectl ${s(b.resyncMs)}; resourceVersions changed by resyncs: Slipway ${a.resyncChanged}, kubectl ${b.resyncChanged}; ` +
        `metrics: Slipway steady ${showWrites(a.steadyWrites)}; fresh ${showWrites(a.freshWrites)}; kubectl ${showWrites(b.resyncWrites)}`,
    );
    if (r >= 0) {
      results.slipway.push(a);
      results.kubectl.push(b);
    }
  }

  const S = results.slipway;
  const K = results.kubectl;
  const med = (xs) => median(xs);
  const ratios = S.map((a, i) => a.applyMs / K[i].applyMs);
  const syncRatios = S.map((a, i) => a.syncMs / K[i].applyMs);
  const steady = S.flatMap((a) => a.steadyMs);
  const row = (label, xs, fmt = s) => console.log(`  ${label.padEnd(44)} median ${fmt(med(xs)).padStart(8)}   rounds: ${xs.map(fmt).join(', ')}`);
  console.log(`\nApply ${opts.objects} new objects (medians of ${opts.rounds} rounds):`);
  row('Slipway driver.apply until applied', S.map((a) => a.applyMs));
  row('Slipway observe + plan + apply until applied', S.map((a) => a.syncMs));
  row('kubectl apply --server-side', K.map((b) => b.applyMs));
  row('ratio applied / kubectl (per round)', ratios, (x) => x.toFixed(2));
  row('ratio observe+plan+applied / kubectl', syncRatios, (x) => x.toFixed(2));
  row('Slipway driver.apply until healthy', S.map((a) => a.healthyMs));
  row('kubectl apply, then a 250 ms poll until Available', K.map((b) => b.healthyMs));
  console.log(`\nRe-sync of the ${opts.objects} unchanged objects:`);
  row(`Slipway steady (${opts.resyncs} a round)`, steady);
  row('Slipway fresh driver', S.map((a) => a.freshMs));
  row('kubectl apply --server-side again', K.map((b) => b.resyncMs));
  const sumWrites = (xs) => xs.reduce((n, d) => n + d.writes, 0);
  const sumDry = (xs) => xs.reduce((n, d) => n + d.dryRuns, 0);
  const changed = S.reduce((n, a) => n + a.resyncChanged, 0);
  console.log(`  resourceVersions changed by Slipway's resyncs, all rounds: ${changed}; by kubectl's: ${K.reduce((n, b) => n + b.resyncChanged, 0)}`);
  console.log(`  apiserver_request_total write requests (configmaps, services, deployments; not dry run) during Slipway's resyncs: steady ${sumWrites(S.map((a) => a.steadyWrites))}, fresh ${sumWrites(S.map((a) => a.freshWrites))} (dry runs ${sumDry(S.map((a) => a.steadyWrites)) + sumDry(S.map((a) => a.freshWrites))}); during kubectl's: ${sumWrites(K.map((b) => b.resyncWrites))}`);
  const drift = S.at(-1).drift;
  if (drift) {
    console.log(`\nDrift, ${drift.watch.length} changes (spec.replicas 1 → 2 by another field manager):`);
    for (const [label, xs] of [['Slipway onChange (watch)', drift.watch], ['kubectl get every 1 s', drift.poll]]) {
      console.log(`  ${label.padEnd(26)} p50 ${s(percentile(xs, 50))}  p90 ${s(percentile(xs, 90))}  max ${s(Math.max(...xs))}`);
    }
  }
  const ratio = med(ratios);
  const resyncWorst = Math.max(med(steady), med(S.map((a) => a.freshMs)));
  const writes = changed + sumWrites(S.map((a) => a.steadyWrites)) + sumWrites(S.map((a) => a.freshWrites));
  console.log(`\nTargets: apply ratio ${ratio.toFixed(2)} (≤ ${targets.ratio}): ${ratio <= targets.ratio ? 'met' : 'MISSED'}; ` +
    `resync ${s(med(steady))} steady, ${s(med(S.map((a) => a.freshMs)))} fresh (≤ ${s(targets.resyncMs)}, no writes): ${resyncWorst <= targets.resyncMs && writes === 0 ? 'met' : 'MISSED'}` +
    (drift ? `; drift p50 ${s(percentile(drift.watch, 50))} (≤ ${s(targets.driftP50Ms)}): ${percentile(drift.watch, 50) <= targets.driftP50Ms ? 'met' : 'MISSED'}` : ''));
}

async function cleanup() {
  let ok = true;
  for (const d of drivers) await d.close().catch(() => {});
  for (const ns of [...namespaces]) {
    await deleteNamespace(ns).catch((err) => {
      ok = false;
      console.error(`namespace ${ns} is left: ${err.message}`);
    });
  }
  admin?.close();
  if (cluster) await cluster.stop().catch((err) => ((ok = false), console.error(`the dev cluster did not stop: ${err.message}`)));
  return ok;
}

await runBenchmark(main, { root, began, cleanup, machineExtra: () => (cluster?.server ? `; dev cluster ${cluster.server}` : kubeconfigPath ? `; cluster ${kubeconfigPath}` : '') });
