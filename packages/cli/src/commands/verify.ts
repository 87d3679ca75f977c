import type { Command } from 'commander';
import { SlipwayError, type ReleaseVerification } from '@slipway/core';
import { clientFrom, onlyProject, withServer } from '../globals.js';
import { color, printJson } from '../output.js';
import { findRelease } from './deploy.js';

type Opts = { server: string; token?: string; project?: string; json?: boolean };

/** `slipway verify <release>`: each image's signed provenance, subject digest, builder and registry copies. Exit 65 when something does not verify. */
export function verifyCommand(program: Command): void {
  withServer(
    program
      .command('verify')
      .description("Verify a release's images: signed SLSA provenance (DSSE, Slipway's key; also with sigstore-js), subject digest, builder, registry copies and SBOM")
      .argument('<release>', 'release id or version (v3 or 3)')
      .option('--project <name>', 'project, when there are several')
      .option('--json', 'print JSON'),
  ).action(async (releaseArg: string, opts: Opts) => {
    const client = clientFrom(opts);
    const project = await client.get<{ id: string }>(`/api/projects/${encodeURIComponent(opts.project ?? (await onlyProject(client)))}`);
    const release = await findRelease(client, project.id, releaseArg);
    const report = await client.get<ReleaseVerification>(`/api/releases/${release.id}/verify`);
    if (opts.json) printJson(report);
    else process.stdout.write(formatVerification(report));
    if (!report.verified) {
      const failed = report.services.filter((s) => !s.verified).map((s) => s.service);
      throw new SlipwayError('SLW_PROVENANCE_INVALID', `v${report.version} does not verify: ${failed.join(', ')}`, { hint: 'A release whose provenance does not verify is refused by environments with requireProvenance.' });
    }
  });
}

export function formatVerification(report: ReleaseVerification): string {
  const lines = [`${color.bold(`v${report.version}`)} ${report.verified ? color.green('verified') : color.red('does not verify')}${report.keyid ? color.grey(`  key ${report.keyid.slice(0, 16)}…`) : ''}`];
  for (const s of report.services) {
    lines.push(`${s.verified ? color.green('✓') : color.red('✗')} ${color.bold(s.service)}  ${s.reference ?? ''}`);
    for (const c of s.checks) lines.push(`    ${c.passed ? color.green('ok  ') : color.red('FAIL')} ${c.check.padEnd(19)} ${c.detail}`);
  }
  return `${lines.join('\n')}\n`;
}
