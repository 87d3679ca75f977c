#!/usr/bin/env node
// Benchmark: building and pushing the demo's three images (issue 6: Slipway's build and push adds ≤ 10 % to
// `docker build` plus `docker push` of the same Dockerfiles). Side by side in the same rounds, order rotating:
//   - Slipway: the real buildImages of @slipway/engine, what release.evaluate calls for the changed services, with
//     createDockerImageBuilder (Docker Engine API through dockerode: /build with the tar context, pull: false, then
//     /images/{name}/push) and createOciRegistry: build, push (the digest), CycloneDX SBOM, SLSA provenance signed as a
//     DSSE envelope (ECDSA P-256), both attached in the registry. api from its Dockerfile, web and worker by the
//     zero-config Node.js builder (nodeDockerfile on slipway/node:20). The three services one after another, as the
//     release handler builds them: each one's attachments go to the registry while the next one builds. The builder as it ships (`backend: 'auto'`: BuildKit where the engine has it).
//   - docker build + push: `docker build -t <tag> -f <Dockerfile> <context>`, then `docker push <tag>`, for the same
//     three contexts, with Debian's docker CLI (/usr/bin/docker, the daemon's version) and DOCKER_BUILDKIT=1 (that CLI
//     has BuildKit built in, no buildx needed); the generated Dockerfiles of web and worker (nodeDockerfile's text) are
//     written outside the contexts.
//   - the same pair on the classic builder (--classic 1, the default): Slipway with `backend: 'classic'` against
//     DOCKER_BUILDKIT=0.
// Each variant builds from its own copy of examples/demo and pushes to its own repository. Before each variant's turn,
// every context gets a new src/build-id.txt (a random value, new for each variant and round), so every round builds and
// pushes a new COPY layer while the FROM layers stay cached, as for a real commit. Nothing is pulled: slipway/node:20
// must be on the Docker host (scripts/build-base-image.sh), and the registry at 127.0.0.1:5001 must answer (.ci/run's
// start_registry). At the end the bench removes every image it tagged; the registry keeps what was pushed.
//
//   node bench/image-build-push.mjs [--rounds 10] [--classic 1]
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { interleave, ms, printTable, stats, timeSpawn } from './lib/measure.mjs';
import { runBenchmark } from './lib/run.mjs';
import { loadEntry } from './lib/runner.mjs';
import { median, numberFlags, repoRoot, tempRoot } from './lib/util.mjs';

const opts = numberFlags({ rounds: 10, classic: 1 });
if (opts.rounds < 1) throw new Error('--rounds needs at least 1');
const targetOverhead = 0.1;
const registry = '127.0.0.1:5001';
const base = 'slipway/node:20';
const rand = randomBytes(3).toString('hex');
// The daemon's own CLI: Debian's 20.10 has BuildKit built in; a newer CLI earlier on PATH may want buildx for it.
const dockerCli = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
const repositories = { slipway: `bench-${rand}`, baseline: `bench-base-${rand}`, slipwayClassic: `bench-classic-${rand}`, baselineClassic: `bench-base-classic-${rand}` };
const services = ['api', 'web', 'worker'];
const root = tempRoot('image-build-push');
const began = performance.now();

const entry = `
export { serviceSchema } from '@slipway/core';
export { buildImages, nodeDockerfile, signingKeyFromPem } from '@slipway/engine';
export { createDockerImageBuilder } from '@slipway/integration-image-docker';
export { createOciRegistry } from '@slipway/integration-registry-oci';
export { parse as parseYaml } from 'yaml';
`;

const docker = (...args) => execFileSync(dockerCli, args, { encoding: 'utf8' }).trim();
const hex = (bytes) => randomBytes(bytes).toString('hex');
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/** The demo's services as slipway.yaml has them, api built from its Dockerfile (as tests/e2e/images.test.ts sets it). */
function serviceSpecs(slipway, demo) {
  const config = slipway.parseYaml(readFileSync(join(demo, 'slipway.yaml'), 'utf8'));
  return Object.fromEntries(
    services.map((name) => {
      const raw = { ...config.services[name], ...(name === 'api' ? { image: { dockerfile: 'Dockerfile' } } : {}) };
      return [name, slipway.serviceSchema.parse(raw)];
    }),
  );
}

/** Writes a new src/build-id.txt into every service context of the demo copy at `demo`. */
function newBuildIds(demo, specs) {
  for (const name of services) writeFileSync(join(demo, specs[name].path, 'src', 'build-id.txt'), `${hex(16)}\n`);
}

/** `docker push`'s and the Engine API's progress lines: how many layers went up, and how many were already there. */
const layerCounts = (lines) => ({ pushed: lines.filter((l) => /: Pushed$/.test(l)).length, existed: lines.filter((l) => /: Layer already exists$/.test(l)).length });

/** A copy of examples/demo under the temp root, for one variant. */
function demoCopy(name) {
  const dir = join(root, name, 'demo');
  cpSync(join(repoRoot, 'examples', 'demo'), dir, { recursive: true });
  return dir;
}

async function main() {
  try {
    docker('image', 'inspect', '--format', '{{.Id}}', base);
  } catch {
    throw new Error(`${base} is not on the Docker host: build it with scripts/build-base-image.sh (this bench never pulls)`);
  }
  const v2 = await fetch(`http://${registry}/v2/`, { signal: AbortSignal.timeout(5_000) }).catch((err) => ({ ok: false, status: err.message }));
  if (!v2.ok) throw new Error(`the registry at ${registry} does not answer /v2/ (${v2.status}): start it as .ci/run's start_registry does`);

  const slipway = await loadEntry(entry, 'image-build-push');
  const specs = serviceSpecs(slipway, join(repoRoot, 'examples', 'demo'));
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const signal = new AbortController().signal;

  /**
   * Slipway's side: buildImages for the three services, with an engine context as small as it needs (no secrets,
   * so no registry auth; a bus that keeps the image.pushed events; the signing key made once and read once, as
   * createSigningKeys does). The adapters' calls are timed per service: build (with the base image's inspect), push and
   * the two attachments; the rest is the SBOM, the provenance and its signature, the package.json reads and the event.
   */
  function slipwaySide(name, repository, builder) {
    const demo = demoCopy(name);
    const ociRegistry = slipway.createOciRegistry();
    let split;
    let signingKey;
    const zeroConfig = services.filter((s) => !specs[s].image?.dockerfile);
    let inspects = 0;
    // Which service a call is for: its tag or repository ends in /<service>[:tag].
    const serviceOf = (ref) => services.find((s) => new RegExp(`/${s}(:|$)`).test(ref)) ?? services[0];
    const timed = (part, refOf, fn) => async (...args) => {
      const t0 = performance.now();
      try {
        return await fn(...args);
      } finally {
        split[serviceOf(refOf(...args))][part] += performance.now() - t0;
      }
    };
    const events = [];
    const pushLines = [];
    const buildLines = [];
    const ctx = {
      images: {
        builder: {
          build: timed('build', (input) => input.tag, (input, onLog, sig) => builder.build(input, (line) => (buildLines.push(line), onLog?.(line)), sig)),
          // The base image's inspect comes before a zero-config service's build: counted with that build.
          inspect: timed('build', () => `/${zeroConfig[inspects++ % zeroConfig.length]}`, builder.inspect),
          // The push's progress lines are kept too, to count the layers it sent.
          push: timed('push', (tag) => tag, (tag, auth, onLog) => builder.push(tag, auth, (line) => (pushLines.push(line), onLog?.(line)))),
        },
        registry: { ...ociRegistry, attach: timed('attach', (input) => input.repository, ociRegistry.attach) },
        signingKey: () => (signingKey ??= Promise.resolve(slipway.signingKeyFromPem(pem))),
        version: '0.1.0',
      },
      bus: { emit: async (event) => void events.push(event) },
      clock: { now: () => new Date() },
    };
    const project = { id: `bench-${rand}`, repoUrl: 'https://example.invalid/slipway/demo.git' };
    const images = { registry, repository, base };
    return async () => {
      newBuildIds(demo, specs);
      const revision = hex(8);
      const sha = hex(20);
      events.length = pushLines.length = buildLines.length = 0;
      split = Object.fromEntries(services.map((s) => [s, { build: 0, push: 0, attach: 0 }]));
      const requests = services.map((service) => ({ project, images, projectName: 'demo', service, spec: specs[service], revision, root: demo, sha, runIds: [] }));
      inspects = 0;
      const t0 = performance.now();
      const built = await slipway.buildImages(ctx, requests, signal);
      const ms = performance.now() - t0;
      for (const service of services) {
        const image = built.get(service);
        if (!image?.digest.startsWith('sha256:') || !image.attachments?.provenance || !image.attachments?.sbom) throw new Error(`${name}'s ${service}: no digest or attachments`);
      }
      // Per service: its own calls (its attachments overlap the next service's build); rest is the round's time not in a call.
      const parts = services.map((service) => ({ service, total: split[service].build + split[service].push + split[service].attach, ...split[service], rest: 0 }));
      const inCalls = sum(parts.map((p) => p.build + p.push)) + split[services.at(-1)].attach;
      parts.push({ service: 'all', total: ms, build: sum(parts.map((p) => p.build)), push: sum(parts.map((p) => p.push)), attach: sum(parts.map((p) => p.attach)), rest: ms - inCalls });
      if (events.length !== services.length) throw new Error(`${name} emitted ${events.length} image.pushed events, expected ${services.length}`);
      const backends = [...new Set(buildLines.filter((l) => l.startsWith('building with ')).map((l) => l.slice('building with '.length)))];
      return { ms, parts, layers: layerCounts(pushLines), backend: backends.join(' and ') };
    };
  }

  /** The baseline: `docker build` then `docker push` of each service, the CLI spawned and timed to its exit. */
  function dockerSide(name, repository, buildkit) {
    const demo = demoCopy(name);
    // api's own Dockerfile; for web and worker the zero-config builder's text, in a file outside the context.
    const dockerfiles = join(root, name, 'dockerfiles');
    mkdirSync(dockerfiles, { recursive: true });
    const builds = Object.fromEntries(
      services.map((service) => {
        const context = join(demo, specs[service].path);
        if (specs[service].image?.dockerfile) return [service, { context, dockerfile: join(context, specs[service].image.dockerfile) }];
        const dockerfile = join(dockerfiles, `${service}.Dockerfile`);
        writeFileSync(dockerfile, slipway.nodeDockerfile(base, specs[service].command));
        return [service, { context, dockerfile }];
      }),
    );
    const env = { ...process.env, DOCKER_BUILDKIT: buildkit ? '1' : '0' };
    return async () => {
      newBuildIds(demo, specs);
      const revision = hex(8);
      const parts = [];
      const lines = [];
      const t0 = performance.now();
      for (const service of services) {
        const tag = `${registry}/${repository}/${service}:${revision}`;
        const { context, dockerfile } = builds[service];
        const build = await timeSpawn([dockerCli, 'build', '-t', tag, '-f', dockerfile, context], { env });
        const push = await timeSpawn([dockerCli, 'push', tag], { env });
        if (!/digest: sha256:[0-9a-f]{64}/.test(push.stdout)) throw new Error(`docker push ${tag} printed no digest: ${push.stdout}`);
        lines.push(...push.stdout.split('\n').map((l) => l.trimEnd()));
        parts.push({ service, total: build.ms + push.ms, build: build.ms, push: push.ms });
      }
      return { ms: performance.now() - t0, parts, layers: layerCounts(lines), backend: buildkit ? 'BuildKit' : 'the classic builder' };
    };
  }

  const pairs = [{ slipway: 'Slipway', baseline: 'docker build + push', label: 'as shipped (auto), against DOCKER_BUILDKIT=1' }];
  const variants = {
    Slipway: slipwaySide('slipway', repositories.slipway, slipway.createDockerImageBuilder()),
    'docker build + push': dockerSide('baseline', repositories.baseline, true),
  };
  if (opts.classic) {
    pairs.push({ slipway: 'Slipway, classic', baseline: 'docker, classic', label: "on the classic builder (backend: 'classic'), against DOCKER_BUILDKIT=0" });
    variants['Slipway, classic'] = slipwaySide('slipway-classic', repositories.slipwayClassic, slipway.createDockerImageBuilder(undefined, { backend: 'classic' }));
    variants['docker, classic'] = dockerSide('baseline-classic', repositories.baselineClassic, false);
  }

  console.log(`${services.join(', ')} built and pushed to ${registry} by each variant a round, one after another; ${opts.rounds} rounds after one warm-up round; docker CLI ${dockerCli} ${docker('version', '--format', '{{.Client.Version}}')}`);
  const out = await interleave(variants, { rounds: opts.rounds });
  printTable('build and push of the three services:', Object.entries(out));
  for (const [name, results] of Object.entries(out)) {
    const odd = results.filter((r) => r.layers.pushed !== services.length);
    if (odd.length) console.log(`WARNING: ${name} pushed ${odd.map((r) => r.layers.pushed).join(', ')} new layers in ${odd.length} round(s), expected ${services.length} (one COPY layer per service)`);
    const backends = [...new Set(results.map((r) => r.backend))];
    console.log(`  ${name}: built with ${backends.join(', ')}; new layers pushed a round ${median(results.map((r) => r.layers.pushed))}, already in the registry ${median(results.map((r) => r.layers.existed))} (medians)`);
  }

  const med = (results, pick) => median(results.map(pick));
  const part = (results, key, service) => med(results, (r) => (service ? r.parts.find((p) => p.service === service)[key] : (r.parts.find((p) => p.service === 'all')?.[key] ?? sum(r.parts.map((p) => p[key])))));
  const f = (x, w) => (Number.isFinite(x) ? x.toFixed(0) : '–').padStart(w);
  for (const pair of pairs) {
    const s = out[pair.slipway];
    const b = out[pair.baseline];
    const ratio = stats(s).median / stats(b).median;
    const perRound = s.map((x, i) => x.ms / b[i].ms);
    const diff = stats(s.map((x, i) => ({ ms: x.ms - b[i].ms })));
    // The rounds are pairs run back to back, so the per-round ratio leaves out the load that moves between rounds.
    const overhead = median(perRound) - 1;
    console.log(`\n${pair.slipway} / ${pair.baseline}, ${pair.label}:`);
    console.log(`  medians ${ms(stats(s).median, 0)} and ${ms(stats(b).median, 0)}: ratio of medians ${ratio.toFixed(3)}; median of per-round ratios ${median(perRound).toFixed(3)} (${Math.min(...perRound).toFixed(3)} – ${Math.max(...perRound).toFixed(3)})`);
    console.log(`  ${pair.slipway} − ${pair.baseline}, median of per-round differences: ${ms(diff.median, 0)} (${ms(diff.min, 0)} – ${ms(diff.max, 0)})`);
    console.log(`  overhead (median of per-round ratios − 1) ${(overhead * 100).toFixed(1)} %; of the ratio of medians ${((ratio - 1) * 100).toFixed(1)} %; target ≤ ${targetOverhead * 100} %: ${overhead <= targetOverhead ? 'met' : 'NOT met'}`);
    // What Slipway's build and push alone cost, without the SBOM, the provenance and their attachments.
    const bare = s.map((x) => sum(x.parts.filter((p) => p.service !== 'all').map((p) => p.build + p.push)));
    const bareRatio = median(bare.map((x, i) => x / b[i].ms));
    console.log(`  build and push alone (without SBOM, provenance and attachments): median ${ms(median(bare), 0)}, ratio of medians ${(median(bare) / stats(b).median).toFixed(3)}, median of per-round ratios ${bareRatio.toFixed(3)}`);
    console.log('  where the time goes (medians, ms; the rows of "all" are medians of per-round sums):');
    console.log(`    ${'service'.padEnd(8)} ${'Slipway'.padStart(8)} ${'build'.padStart(7)} ${'push'.padStart(7)} ${'attach'.padStart(7)} ${'rest'.padStart(6)}   ${'docker'.padStart(8)} ${'build'.padStart(7)} ${'push'.padStart(7)}`);
    for (const service of [...services, undefined]) {
      const row = ['total', 'build', 'push', 'attach', 'rest'].map((k) => part(s, k, service));
      const rowB = ['total', 'build', 'push'].map((k) => part(b, k, service));
      console.log(`    ${(service ?? 'all').padEnd(8)} ${f(row[0], 8)} ${f(row[1], 7)} ${f(row[2], 7)} ${f(row[3], 7)} ${f(row[4], 6)}   ${f(rowB[0], 8)} ${f(rowB[1], 7)} ${f(rowB[2], 7)}`);
    }
  }
  console.log('\n(Slipway: build = /build and the base image inspect, push = /images/{name}/push, attach = the two registry attachments,');
  console.log(' which overlap the next service\'s build; all: total = the round, rest = the round outside build, push and the last');
  console.log(' service\'s attachments (SBOM, provenance, signing, package.json reads, events); docker: each CLI call, spawn to exit)');
}

/** The images this bench tagged, in all its repositories, as repository:tag. */
const ourImages = () =>
  Object.values(repositories).flatMap((repo) => docker('images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `reference=${registry}/${repo}/*`).split('\n').filter(Boolean));

await runBenchmark(main, {
  root,
  began,
  cleanup: async () => {
    try {
      const tagged = ourImages();
      if (tagged.length) docker('rmi', ...tagged);
      const left = ourImages();
      console.log(`cleanup: removed ${tagged.length} image tags of ${registry}/{${Object.values(repositories).join(',')}}; left: ${left.length ? left.join(' ') : 'none'} (the registry keeps its copies)`);
      return left.length === 0;
    } catch (err) {
      console.error(`cleanup: ${err.message}`);
      return false;
    }
  },
  machineExtra: () => `; docker ${docker('version', '--format', '{{.Server.Version}}')}`,
});
