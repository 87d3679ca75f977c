import { join } from 'node:path';
import type { ClusterPki } from './certificates.js';
import type { Component } from './state.js';

/** The ports a cluster listens on, all on 127.0.0.1. */
export interface ClusterPorts {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
}

export const serviceClusterIpRange = '10.96.0.0/16';

/** The annotation kwok selects the nodes it manages by (its own convention). */
export const kwokNodeAnnotation = 'kwok.x-k8s.io/node';

/**
 * Each component's command line. The controller manager and the scheduler serve no HTTPS of their own
 * (--secure-port=0): nothing scrapes them, and fixed default ports would clash between two clusters on one host.
 */
export function componentArgs(component: Component, stateDir: string, ports: ClusterPorts, pki: ClusterPki, kubeconfig: string): string[] {
  const etcdUrl = `http://127.0.0.1:${ports.etcdClient}`;
  const peerUrl = `http://127.0.0.1:${ports.etcdPeer}`;
  switch (component) {
    case 'etcd':
      return [
        '--name=dev',
        `--data-dir=${join(stateDir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=dev=${peerUrl}`,
        // A throwaway cluster: durability is not worth an fsync per write on a slow disk.
        '--unsafe-no-fsync',
        '--log-level=warn',
      ];
    case 'kube-apiserver':
      return [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${ports.apiserver}`,
        `--cert-dir=${join(stateDir, 'apiserver')}`,
        `--tls-cert-file=${pki.serverCert}`,
        `--tls-private-key-file=${pki.serverKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--service-cluster-ip-range=${serviceClusterIpRange}`,
        '--authorization-mode=RBAC',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        '--allow-privileged=true',
        '--profiling=false',
        // For logs and exec on the real node (real-node.ts): its Hostname address (slipway-node) resolves nowhere, so
        // the API server dials its InternalIP, and presents a certificate the kubelet's x509 authentication accepts.
        '--kubelet-preferred-address-types=InternalIP,Hostname',
        `--kubelet-client-certificate=${pki.kubeletClientCert}`,
        `--kubelet-client-key=${pki.kubeletClientKey}`,
      ];
    case 'kube-controller-manager':
      return [
        `--kubeconfig=${kubeconfig}`,
        '--secure-port=0',
        '--leader-elect=false',
        '--use-service-account-credentials',
        `--service-account-private-key-file=${pki.serviceAccountKey}`,
        `--root-ca-file=${pki.caCert}`,
        `--service-cluster-ip-range=${serviceClusterIpRange}`,
        // Signs the real node's serving-certificate CSR (kubernetes.io/kubelet-serving), which real-node.sh approves.
        `--cluster-signing-cert-file=${pki.caCert}`,
        `--cluster-signing-key-file=${pki.caKey}`,
        '--profiling=false',
      ];
    case 'kube-scheduler':
      return [`--kubeconfig=${kubeconfig}`, '--secure-port=0', '--leader-elect=false', '--profiling=false'];
    case 'kwok':
      // The default stages (node-fast, pod-fast) apply when the configuration names none: nodes turn Ready, pods get
      // an IP and turn Running and Ready, finished pods complete, deleted pods go. An empty config file of our own keeps
      // a user's ~/.kwok/kwok.yaml out.
      return [
        `--config=${join(stateDir, 'kwok.yaml')}`,
        `--kubeconfig=${kubeconfig}`,
        `--manage-nodes-with-annotation-selector=${kwokNodeAnnotation}=fake`,
        '--node-lease-duration-seconds=40',
        '--cidr=10.0.0.1/16',
      ];
  }
}
