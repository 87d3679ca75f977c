import type { PlanPreview } from '../model/plan-preview.js';

/** The plan preview as Markdown, for a pull request comment and the dashboard. Pure. */
export function planMarkdown(plan: PlanPreview, link?: string): string {
  const lines = [`### Slipway plan: ${plan.head.ref} → ${plan.base.ref}`, '', `\`${plan.head.sha.slice(0, 7)}\` against \`${plan.base.sha.slice(0, 7)}\`; ${plan.changedFiles.length} file${plan.changedFiles.length === 1 ? '' : 's'} changed.`, ''];
  if (plan.errors.length > 0) return [...lines, '**No plan:**', ...plan.errors.map((e) => `- \`${e}\``), ''].join('\n');
  const rebuilt = plan.services.filter((s) => s.rebuild);
  lines.push(`**Services rebuilt (${rebuilt.length} of ${plan.services.length})**`, '', '| service | rebuilt | why |', '|---|---|---|');
  for (const s of plan.services) lines.push(`| ${s.service} | ${s.rebuild ? 'yes' : 'no'} | ${escape(s.reason)} |`);
  for (const env of plan.environments) {
    lines.push('', `**${env.environment}** (now ${env.currentRelease === null ? 'no release' : `v${env.currentRelease}`}): ${env.services.length === 0 ? 'no change' : `${env.services.length} service${env.services.length === 1 ? '' : 's'} change`}`);
    if (env.services.length === 0) continue;
    lines.push('', '```diff');
    for (const svc of env.services) {
      lines.push(`${svc.change === 'added' ? '+' : svc.change === 'removed' ? '-' : '~'} ${svc.service}`);
      for (const f of svc.fields) {
        if (f.from !== null) lines.push(`-   ${f.field}: ${f.from}`);
        if (f.to !== null) lines.push(`+   ${f.field}: ${f.to}`);
      }
    }
    lines.push('```');
  }
  if (plan.workflows.length > 0) {
    lines.push('', '**Workflows on this pull request**', '');
    for (const w of plan.workflows) lines.push(`- ${w.triggered ? '▶' : '·'} \`${w.workflow}\`: ${escape(w.reason)}`);
  }
  if (link) lines.push('', `[Open in Slipway](${link})`);
  return `${lines.join('\n')}\n`;
}

const escape = (s: string) => s.replace(/\|/g, '\\|');
