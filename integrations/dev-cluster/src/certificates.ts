import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SlipwayError } from '@slipway/core';

const run = promisify(execFile);

/** The files a cluster's PKI consists of, all in one directory. */
export interface ClusterPki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  /** The API server's client certificate for kubelets (logs, exec, port-forward on the real node). */
  kubeletClientCert: string;
  kubeletClientKey: string;
  /** The service-account token signing key and its public half. */
  serviceAccountKey: string;
  serviceAccountPub: string;
}

/** The names the API server answers to: loopback for users, the in-cluster names and the first service IP for pods. */
const serverNames = ['IP:127.0.0.1', 'DNS:localhost', 'DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc', 'DNS:kubernetes.default.svc.cluster.local', 'IP:10.96.0.1'];

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new SlipwayError('SLW_DEV_CLUSTER', `openssl ${args[0]} failed: ${stderr.trim() || (err as Error).message}`, {
      hint: 'The dev cluster makes its certificates with the openssl CLI: install openssl (Debian: apt-get install openssl).',
      cause: err,
    });
  }
}

/**
 * Makes a CA, the API server's serving certificate, an admin client certificate (O=system:masters), the API server's
 * client certificate for kubelets (O=system:masters too: a kubelet authorizes it by SubjectAccessReview) and the
 * service-account key pair with the openssl CLI. P-256 keys: Kubernetes accepts them everywhere and they take
 * milliseconds to generate, where RSA keys would take most of a second each on a small machine.
 */
export async function createPki(dir: string): Promise<ClusterPki> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', '/CN=slipway-dev-cluster-ca']);
  await writeFile(join(dir, 'server.ext'), `subjectAltName=${serverNames.join(',')}\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`);
  await writeFile(join(dir, 'client.ext'), 'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  await Promise.all([
    issue(dir, 'apiserver', '/CN=kube-apiserver', 'server.ext'),
    issue(dir, 'admin', '/O=system:masters/CN=slipway-admin', 'client.ext'),
    issue(dir, 'kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client', 'client.ext'),
    (async () => {
      await openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'sa.key']);
      await openssl(dir, ['ec', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
    })(),
  ]);
  const at = (name: string) => join(dir, name);
  return {
    caCert: at('ca.crt'),
    caKey: at('ca.key'),
    serverCert: at('apiserver.crt'),
    serverKey: at('apiserver.key'),
    adminCert: at('admin.crt'),
    adminKey: at('admin.key'),
    kubeletClientCert: at('kubelet-client.crt'),
    kubeletClientKey: at('kubelet-client.key'),
    serviceAccountKey: at('sa.key'),
    serviceAccountPub: at('sa.pub'),
  };
}

async function issue(dir: string, name: string, subject: string, extfile: string): Promise<void> {
  await openssl(dir, ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
  await openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '3650', '-extfile', extfile, '-out', `${name}.crt`]);
}
