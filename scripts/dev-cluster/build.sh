#!/usr/bin/env bash
# Builds the test control plane from upstream modules (no container images, no downloads but the Go module proxy):
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kubelet and kube-proxy (k8s.io/kubernetes v1.34.x), kwok, and
# CoreDNS (the real node's cluster DNS; only the plugins it uses), into
# ${SLIPWAY_K8S_CACHE:-$HOME/.cache/slipway/k8s}/v<version>/bin. Idempotent: a finished build is reused, and only missing binaries are built.
# First measured here (2 cores, 2026-11-26): the Kubernetes binaries and kwok in 310 s and etcd in 23 s, with the module
# downloads; 320 MB of binaries and a 1.4 GB module cache. A kube-apiserver on a fresh etcd answered /readyz in 1.45 s.
# kubectl and kubelet add about 36 s with a warm module cache, kube-proxy about 6 s, CoreDNS 47 s (52 MB). `slipway dev-cluster up | down` runs the result (docs/kubernetes.md).
set -euo pipefail
K8S=${K8S_VERSION:-1.34.4}
STAGING=0.${K8S#1.}
ETCD=${ETCD_VERSION:-v3.6.16}
KWOK=${KWOK_VERSION:-v0.7.0}
COREDNS=${COREDNS_VERSION:-v1.14.7}
cache=${SLIPWAY_K8S_CACHE:-$HOME/.cache/slipway/k8s}/v$K8S
bin=$cache/bin
built() { [[ -x $bin/kube-apiserver && -x $bin/kube-controller-manager && -x $bin/kube-scheduler && -x $bin/kubectl && -x $bin/kubelet && -x $bin/kube-proxy && -x $bin/etcd && -x $bin/kwok && -x $bin/coredns ]]; }
# --check: exit 0 when everything is built, 1 when a build is needed (it needs Go 1.24 or newer).
if [[ ${1:-} == --check ]]; then built; exit; fi
if built; then
  echo "control plane v$K8S already built in $bin"; exit 0
fi
mkdir -p "$bin" "$cache/src"
started=$(date +%s)
cd "$cache/src"
# k8s.io/kubernetes replaces its staging modules with local paths; a module of our own pins them to the release's tags.
cat > go.mod <<MOD
module slipway.dev/devcluster

go 1.24
MOD
modules=(api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api cri-client csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms kube-aggregator kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission sample-apiserver)
go mod edit -require=k8s.io/kubernetes@v$K8S
for m in "${modules[@]}"; do go mod edit -replace=k8s.io/$m=k8s.io/$m@v$STAGING; done
cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
)
GO
GOFLAGS=-mod=mod go mod tidy -e 2>&1 | tail -5 || true
for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy; do
  [[ -x $bin/$cmd ]] && continue # an earlier build's (a cache from before kube-proxy was added)
  echo "building $cmd"
  CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags='-s -w' -o "$bin/$cmd" k8s.io/kubernetes/cmd/$cmd
done
if [[ ! -x $bin/etcd ]]; then
  echo "building etcd $ETCD"
  # etcd's go.mod has replace directives too, so `go install pkg@version` refuses it: a module of our own requires it.
  mkdir -p "$cache/etcd-src"
  (
    cd "$cache/etcd-src"
    printf 'module slipway.dev/etcdbuild\n\ngo 1.24\n' > go.mod
    printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > tools.go
    go mod edit -require=go.etcd.io/etcd/server/v3@$ETCD
    GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>&1 || true
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags='-s -w' -o "$bin/etcd" go.etcd.io/etcd/server/v3
  )
fi
if [[ ! -x $bin/kwok ]]; then
  echo "building kwok $KWOK"
  GOBIN=$bin CGO_ENABLED=0 go install -trimpath -ldflags='-s -w' sigs.k8s.io/kwok/cmd/kwok@$KWOK
fi
if [[ ! -x $bin/coredns ]]; then
  echo "building coredns $COREDNS"
  # CoreDNS with the plugins the real node's Corefile uses (real-node.sh), in their standard order: no cloud SDKs.
  mkdir -p "$cache/coredns-src"
  (
    cd "$cache/coredns-src"
    printf 'module slipway.dev/corednsbuild\n\ngo 1.24\n' > go.mod
    cat > main.go <<'GO'
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/ready"
	"github.com/coredns/coredns/coremain"
)

func init() {
	dnsserver.Directives = []string{"bind", "ready", "errors", "cache", "kubernetes", "forward"}
}

func main() { coremain.Run() }
GO
    go mod edit -require=github.com/coredns/coredns@$COREDNS
    GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>&1 || true
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags='-s -w' -o "$bin/coredns" .
  )
fi
echo "built in $(( $(date +%s) - started )) s; disk: $(du -sh "$cache" | cut -f1) (module cache: $(du -sh "$(go env GOMODCACHE)" | cut -f1))"
ls -la "$bin"
