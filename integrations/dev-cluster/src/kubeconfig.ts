import { readFileSync } from 'node:fs';

const b64 = (file: string) => readFileSync(file).toString('base64');

/** A self-contained kubeconfig (certificates inlined), so it still works when copied elsewhere. Context `slipway-dev`. */
export function renderKubeconfig(server: string, tls: { ca: string; cert: string; key: string }): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: slipway-dev',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(tls.ca)}`,
    'users:',
    '- name: slipway-dev-admin',
    '  user:',
    `    client-certificate-data: ${b64(tls.cert)}`,
    `    client-key-data: ${b64(tls.key)}`,
    'contexts:',
    '- name: slipway-dev',
    '  context:',
    '    cluster: slipway-dev',
    '    user: slipway-dev-admin',
    '    namespace: default',
    'current-context: slipway-dev',
    '',
  ].join('\n');
}
