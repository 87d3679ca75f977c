/** A CycloneDX 1.5 JSON document (the fields Slipway writes). */
export interface CycloneDxBom {
  bomFormat: 'CycloneDX';
  specVersion: '1.5';
  serialNumber: string;
  version: 1;
  metadata: { timestamp: string; tools: { components: { type: 'application'; name: string; version: string }[] }; component: CycloneDxComponent };
  components: CycloneDxComponent[];
  dependencies: { ref: string; dependsOn: string[] }[];
}

export interface CycloneDxComponent {
  type: 'application' | 'library' | 'container';
  'bom-ref': string;
  name: string;
  version?: string;
  purl?: string;
  hashes?: { alg: 'SHA-1' | 'SHA-256' | 'SHA-512'; content: string }[];
  licenses?: { expression: string }[];
}

interface PackageJson {
  name?: string;
  version?: string;
  license?: string;
  dependencies?: Record<string, string>;
}

interface LockEntry {
  version?: string;
  integrity?: string;
  license?: string;
  dev?: boolean;
  link?: boolean;
  dependencies?: Record<string, string>;
}

export interface SbomInput {
  /** The image's name and manifest digest: the BOM describes that container. */
  image: string;
  digest: string;
  service: string;
  /** The service's package.json and package-lock.json (v2 or v3), when it has them. */
  packageJson?: PackageJson;
  lockfile?: { packages?: Record<string, LockEntry> };
  /** The base image the service runs on. */
  base?: { name: string; id: string };
  timestamp: string;
  serialNumber: string;
  toolVersion: string;
}

const npmPurl = (name: string, version: string) => `pkg:npm/${name.startsWith('@') ? `%40${name.slice(1)}` : name}@${version}`;

/**
 * The SBOM of a service's image in CycloneDX JSON: the container, its base image and every npm package the lockfile
 * installs for production (dev dependencies are not in the image), with their integrity hashes and the dependency graph.
 */
export function cycloneDxBom(input: SbomInput): CycloneDxBom {
  const root: CycloneDxComponent = { type: 'container', 'bom-ref': `${input.image}@${input.digest}`, name: input.image, version: input.digest };
  const app: CycloneDxComponent = {
    type: 'application',
    'bom-ref': `app:${input.service}`,
    name: input.packageJson?.name ?? input.service,
    ...(input.packageJson?.version ? { version: input.packageJson.version } : {}),
    ...(input.packageJson?.license ? { licenses: [{ expression: input.packageJson.license }] } : {}),
  };
  const components: CycloneDxComponent[] = [app];
  if (input.base) components.push({ type: 'container', 'bom-ref': `base:${input.base.name}`, name: input.base.name, version: input.base.id });
  const refOf = new Map<string, string>();
  const packages = Object.entries(input.lockfile?.packages ?? {}).filter(([path, e]) => path.startsWith('node_modules/') || path.includes('/node_modules/') ? !e.dev && !e.link && e.version : false);
  for (const [path, entry] of packages) {
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const ref = npmPurl(name, entry.version!);
    if (refOf.has(path) || components.some((c) => c['bom-ref'] === ref)) {
      refOf.set(path, ref);
      continue;
    }
    refOf.set(path, ref);
    const hash = integrityHash(entry.integrity);
    components.push({
      type: 'library',
      'bom-ref': ref,
      name,
      version: entry.version!,
      purl: ref,
      ...(hash ? { hashes: [hash] } : {}),
      ...(entry.license ? { licenses: [{ expression: entry.license }] } : {}),
    });
  }
  // npm resolves a dependency from the nearest node_modules up the tree.
  const resolve = (from: string, dep: string): string | undefined => {
    for (let dir = from; ; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
      const ref = refOf.get(`${dir ? `${dir}/` : ''}node_modules/${dep}`);
      if (ref || dir === '') return ref;
    }
  };
  const direct = Object.keys(input.packageJson?.dependencies ?? {}).map((d) => resolve('', d)).filter((r): r is string => r !== undefined);
  const dependencies = [
    { ref: root['bom-ref'], dependsOn: [app['bom-ref'], ...(input.base ? [`base:${input.base.name}`] : [])] },
    { ref: app['bom-ref'], dependsOn: [...new Set(direct)] },
    ...packages.map(([path, entry]) => ({ ref: refOf.get(path)!, dependsOn: [...new Set(Object.keys(entry.dependencies ?? {}).map((d) => resolve(path, d)).filter((r): r is string => r !== undefined))] })),
  ];
  const seen = new Set<string>();
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: input.serialNumber,
    version: 1,
    metadata: { timestamp: input.timestamp, tools: { components: [{ type: 'application', name: 'slipway', version: input.toolVersion }] }, component: root },
    components,
    dependencies: dependencies.filter((d) => !seen.has(d.ref) && seen.add(d.ref)),
  };
}

/** npm's `sha512-<base64>` integrity as a CycloneDX hash (hex). */
function integrityHash(integrity: string | undefined): NonNullable<CycloneDxComponent['hashes']>[number] | undefined {
  const m = /^(sha512|sha256|sha1)-([A-Za-z0-9+/=]+)/.exec(integrity ?? '');
  if (!m) return undefined;
  const alg = ({ sha512: 'SHA-512', sha256: 'SHA-256', sha1: 'SHA-1' } as const)[m[1] as 'sha512' | 'sha256' | 'sha1'];
  const hex = [...atob(m[2]!)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  return { alg, content: hex };
}
