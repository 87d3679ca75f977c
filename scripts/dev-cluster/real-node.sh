#!/usr/bin/env bash
# One REAL Kubernetes node (kubelet + its own containerd + bridge CNI + kube-proxy) for an existing control plane, so
# that pods really run on this machine (issue 8). Unlike the kwok nodes, containers are started, `kubectl logs` and
# `kubectl exec` work, the host reaches pod IPs directly (10.244.0.0/24 on the bridge cni0), and Service cluster IPs
# route, from the host and from pods (kube-proxy in iptables mode). Pods resolve Services by name (`api`,
# `api.<ns>.svc.cluster.local`) through CoreDNS on the host, which forwards other names to the host's resolver.
#
#   real-node.sh check                              what this machine lacks, one line each (exit 1 when anything)
#   real-node.sh up <admin-kubeconfig> <stateDir>   start CoreDNS, containerd + kubelet as node `slipway-node`, waits
#                                                   for Ready, then kube-proxy, and waits for its first sync of the rules
#   real-node.sh load <stateDir> <image>...         copy local Docker images into the node's containerd
#   real-node.sh down <stateDir>                    stop them all, delete the node object, undo every host change
#
# `slipway dev-cluster up --real-node` (integrations/dev-cluster/src/real-node.ts) runs this script; so do the tests.
# Requirements (`check` lists what is missing; nothing is installed): root, Debian's containerd runc
# containernetworking-plugins iptables iproute2 docker.io openssl curl, a Docker daemon (started when it does not answer), Go
# the first time (to build the sandbox's pause binary into $K8S_BIN), and the kubelet/kubectl/kube-proxy/coredns binaries in $K8S_BIN
# (scripts/dev-cluster/build.sh). One real node per machine: the bridge, the kubelet's ports and /kubepods are shared.
#
# The node is tainted slipway.dev/real-node=true:NoSchedule, so that the dev cluster's workloads stay on the kwok nodes
# (whose images nothing could pull here); a pod that must really run tolerates the taint and selects the node with
# kubernetes.io/hostname=slipway-node.
#
# Environment: REGISTRY (127.0.0.1:5001; plain HTTP for containerd, pods pull images from it), K8S_BIN
# (${SLIPWAY_K8S_CACHE:-~/.cache/slipway/k8s}/v${K8S_VERSION:-1.34.4}/bin), POD_CIDR (10.244.0.0/24), NODE_IP (the
# source address of the default route: the kubelet refuses a loopback node IP), KUBELET_PORT (10250),
# KUBELET_HEALTHZ_PORT (10248), KUBE_PROXY_HEALTHZ_PORT (10256, on 127.0.0.1; kube-proxy's metrics are off),
# COREDNS_READY_PORT (18181, on 127.0.0.1).
#
# Cluster DNS: CoreDNS (built by build.sh with its bind, ready, errors, cache, kubernetes and forward plugins) runs on
# the host and listens on the bridge's gateway address (10.244.0.1:53, which only pods and this machine reach); the
# kubelet gives pods that address as clusterDNS, with the cluster.local search path. `up` creates the bridge with that
# address before CoreDNS binds to it (the bridge plugin takes the bridge as it finds it), and waits for CoreDNS to have
# read the Services and EndpointSlices.
#
# What the control plane must provide, for logs/exec (the API server connects to the kubelet):
#   - kube-apiserver --kubelet-preferred-address-types=InternalIP,Hostname: the node's Hostname address is
#     `slipway-node`, which nothing resolves (the default order tries Hostname first: "lookup slipway-node: no such host").
#   - kube-apiserver --kubelet-client-certificate/--kubelet-client-key (a cert of the cluster CA, e.g. the admin's):
#     the kubelet authenticates callers with the cluster CA and authorizes them by SubjectAccessReview (no anonymous
#     access, since it listens on NODE_IP).
#   - kube-controller-manager --cluster-signing-cert-file/--cluster-signing-key-file: the kubelet asks for its serving
#     certificate with a CSR (serverTLSBootstrap), which `up` approves, so --kubelet-certificate-authority may be set.
# The kubelet uses the given admin kubeconfig as its own credentials (test node: no bootstrap tokens, no NodeRestriction).
#
# What this machine needed (Debian 12 in a Firecracker VM, cgroup v1, root without CAP_SYS_RESOURCE):
#   - containerd `restrict_oom_score_adj = true`: otherwise every sandbox fails with "runc create failed: unable to
#     start container process: can't get final child's PID from pipe: EOF" (runc's log: "nsexec: failed to update
#     /proc/self/oom_score_adj: Permission denied", the kubelet asks for -998).
#   - kubelet failCgroupV1: false, cgroupDriver: cgroupfs (no systemd here), failSwapOn: false.
#   - FORWARD ACCEPT rules for the pod subnet: Docker sets the FORWARD policy to DROP, so pods reach nothing outside
#     the host (not even DNS) without them.
#   - The sandbox ("pause") image cannot be pulled: a static Go program that waits for SIGTERM, in a scratch image,
#     built with docker and imported with `ctr images import` (and pushed to REGISTRY when it answers).
#   - kube-proxy writes no sysctl: --conntrack-max-per-core 0 and the conntrack timeouts 0 leave nf_conntrack as it is,
#     --iptables-localhost-nodeports=false leaves route_localnet alone, --oom-score-adj 0 (no CAP_SYS_RESOURCE for -999).
#     It needs no conntrack binary (v1.34 clears conntrack entries over netlink). A pod reaching a Service whose
#     backend is on the same bridge needs bridge-nf-call-iptables=1 (br_netfilter), which the kernel here has.
#     --iptables-min-sync-period 0: a small test cluster, so every EndpointSlice change is programmed at once (the
#     default waits up to 1 s): a Service routes to a rollout's pods as soon as its EndpointSlice lists them.
# Everything lives under <stateDir> (containerd root/state/socket, runc root, netns, kubelet root, certs, pod logs,
# CNI IPAM), except what is hard-coded: /var/lib/kubelet/device-plugins, /var/log/containers symlinks, containerd's
# /run/containerd/s (shim sockets) and the /kubepods cgroups. `down` removes them (the directories only if `up` created
# them), the cni0 bridge, the veths, the masquerade rules of the bridge plugin, our FORWARD rules and kube-proxy's
# KUBE-* chains and rules (`kube-proxy --cleanup`, iptables and ip6tables).
# Measured (2 cores, 2026-11-26, before the taint and `check`): `up` 2.1-3.7 s until the node is Ready (pause image built and imported, serving CSR
# approved); a pod of slipway/node:20 pulled from REGISTRY is Ready 1.9 s after being created; `down` takes ~5 s.
set -eEuo pipefail
# A failing command says where, so that a caller (real-node.ts) reports more than an exit code.
trap 'rc=$?; echo "[real-node $(date +%T)] error: line $LINENO: $BASH_COMMAND exited with $rc" >&2' ERR

NODE_NAME=slipway-node
CNI_NETWORK=slipway-pods
BRIDGE=cni0
REGISTRY=${REGISTRY:-127.0.0.1:5001}
K8S_VERSION=${K8S_VERSION:-1.34.4}
K8S_BIN=${K8S_BIN:-${SLIPWAY_K8S_CACHE:-$HOME/.cache/slipway/k8s}/v$K8S_VERSION/bin}
POD_CIDR=${POD_CIDR:-10.244.0.0/24}
KUBELET_PORT=${KUBELET_PORT:-10250}
KUBELET_HEALTHZ_PORT=${KUBELET_HEALTHZ_PORT:-10248}
KUBE_PROXY_HEALTHZ_PORT=${KUBE_PROXY_HEALTHZ_PORT:-10256}
COREDNS_READY_PORT=${COREDNS_READY_PORT:-18181}
# The bridge's (and the pods' gateway's) address, the first of POD_CIDR: host-local IPAM gives it to the bridge.
GATEWAY_IP=$(p=${POD_CIDR%/*}; echo "${p%.*}.$((${p##*.} + 1))")
PAUSE_IMAGE=$REGISTRY/slipway/pause:1
CNI_BIN=/usr/lib/cni
TAINT=slipway.dev/real-node
# CI's Go (.ci/run ensure_go) when none is on PATH.
[[ -x /usr/local/go/bin/go ]] && ! command -v go >/dev/null && PATH=/usr/local/go/bin:$PATH
# Created outside the state dir whatever the configuration: the kubelet's device-plugins dir and container-log
# symlinks, containerd 1.6's shim sockets (/run/containerd/s, shared with Docker's containerd if it runs containers).
HOST_PATHS=(/var/lib/kubelet /var/log/containers /var/log/pods /run/containerd)

log() { echo "[real-node $(date +%T)] $*" >&2; }
die() { log "error: $*"; exit 1; }
kubectl_() { local k=$K8S_BIN/kubectl; [[ -x $k ]] || k=kubectl; "$k" --kubeconfig "$state/kubeconfig" "$@"; }

# A process started by `up` is alive (its pid file names it).
alive() { [[ -f $state/$1.pid ]] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null; }

# Start a daemon in its own session, detached, logging to logs/<name>.log. The pid file is written by the process
# itself before it execs (setsid may fork, so $! would not be the daemon's pid).
start_daemon() {
  local name=$1; shift
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$state/$name.pid" "$@" >"$state/logs/$name.log" 2>&1 </dev/null &
  for _ in $(seq 1 20); do [[ -s $state/$name.pid ]] && return; sleep 0.1; done
}

# TERM a process started by `up`, by its pid, then KILL it after 15 s.
stop_pid() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  log "pid $pid did not stop on TERM: KILL"
  kill -KILL "$pid" 2>/dev/null || true
}

# CMDLINE := the command line of /proc/<pid> <$1>, its arguments joined by spaces (empty for kernel threads and
# processes gone meanwhile). Without a fork: `down` scans every process several times (a tr | grep per process took
# 1.4 s a scan here).
read_cmdline() {
  local args=()
  mapfile -d '' -t args 2>/dev/null <"$1/cmdline" || true
  CMDLINE="${args[*]}"
}

# Stop the process of <name>.pid and any other whose command line matches <pattern> (an extended regex; by pid: a
# stale or missing pid file does not leave a daemon behind).
stop_matching() {
  local name=$1 pattern=$2 p
  [[ -f $state/$name.pid ]] && stop_pid "$(cat "$state/$name.pid")"
  for p in /proc/[0-9]*; do
    [[ ${p#/proc/} == "$$" ]] && continue
    read_cmdline "$p"
    [[ $CMDLINE =~ $pattern ]] && stop_pid "${p#/proc/}"
  done
  return 0
}

# What this machine lacks for `up`, one line each, with the fix. Nothing is installed: a test run or `slipway
# dev-cluster up --real-node` says what to do instead of changing the machine behind the user's back.
check() {
  local missing=() p b
  (($(id -u) == 0)) || missing+=("root: the kubelet and containerd need it (mounts, cgroups, network namespaces, iptables)")
  for p in containerd:containerd ctr:containerd runc:runc iptables:iptables iptables-save:iptables ip:iproute2 openssl:openssl curl:curl docker:docker.io; do
    command -v "${p%%:*}" >/dev/null || missing+=("${p%%:*} on PATH: apt-get install ${p#*:}")
  done
  for b in bridge host-local loopback; do
    [[ -x $CNI_BIN/$b ]] || missing+=("the CNI plugin $CNI_BIN/$b: apt-get install containernetworking-plugins")
  done
  for b in kubelet kubectl kube-proxy coredns; do
    [[ -x $K8S_BIN/$b ]] || missing+=("$K8S_BIN/$b: build it with scripts/dev-cluster/build.sh")
  done
  [[ -x $K8S_BIN/pause ]] || command -v go >/dev/null || missing+=("Go, once, to build the sandbox's pause binary into $K8S_BIN (or /usr/local/go)")
  if ! docker info >/dev/null 2>&1 && ! command -v dockerd >/dev/null; then missing+=("a Docker daemon: apt-get install docker.io"); fi
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    missing+=("a free $BRIDGE bridge: another real node is up on this machine (one per machine; \`real-node.sh down <its stateDir>\`, or \`ip link del $BRIDGE\` if it is a leftover)")
  fi
  if [[ -r /proc/net/tcp ]] && awk 'NR > 1 && $4 == "0A" {print $2}' /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -qi ":$(printf '%04X' "$KUBELET_PORT")$"; then
    missing+=("a free port $KUBELET_PORT: a kubelet (or something else) listens on it")
  fi
  ((${#missing[@]} == 0)) && return 0
  printf '%s\n' "${missing[@]}"
  return 1
}

# Docker must run for `docker build`; it is started the way the CI starts it when it does not answer.
ensure_docker() {
  docker info >/dev/null 2>&1 && return
  log "starting dockerd"
  (setsid dockerd -H unix:///var/run/docker.sock >/tmp/dockerd.log 2>&1 </dev/null &)
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && return; sleep 0.5; done
  die "dockerd did not start (see /tmp/dockerd.log)"
}

# The sandbox image: the only thing a pod sandbox needs is a process holding its namespaces until SIGTERM. The binary
# is built once into $K8S_BIN (Go is needed only then); the image is built from it on every `up` (about a second).
build_pause_image() {
  local dir=$state/pause
  mkdir -p "$dir"
  if [[ ! -x $K8S_BIN/pause ]]; then
    cat >"$dir/main.go" <<'GO'
// pause: holds the pod's namespaces; exits on SIGTERM/SIGINT.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM, syscall.SIGINT)
	<-c
}
GO
  printf 'module pause\n\ngo 1.22\n' >"$dir/go.mod"
    (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o pause . && mv pause "$K8S_BIN/pause")
  fi
  cp "$K8S_BIN/pause" "$dir/pause"
  printf 'FROM scratch\nCOPY pause /pause\nENTRYPOINT ["/pause"]\n' >"$dir/Dockerfile"
  docker build -q -t "$PAUSE_IMAGE" "$dir" >"$state/logs/pause-build.log" 2>&1 || { cat "$state/logs/pause-build.log" >&2; return 1; }
  # Pushed when the registry answers, so that containerd could pull it again; the import makes it present anyway.
  if curl -sf -m 3 "http://$REGISTRY/v2/" >/dev/null; then docker push -q "$PAUSE_IMAGE" >/dev/null || log "push of $PAUSE_IMAGE failed (imported anyway)"; fi
}

write_containerd_config() {
  mkdir -p "$state/containerd/certs.d/$REGISTRY"
  # Own root, state, sockets, runc root and netns directory: Docker's containerd (/run/containerd) is not touched.
  cat >"$state/containerd/config.toml" <<EOF
version = 2
root = "$state/containerd/root"
state = "$state/containerd/state"
oom_score = 0
[grpc]
  address = "$state/containerd.sock"
[ttrpc]
  address = "$state/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$state/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # Without CAP_SYS_RESOURCE runc cannot lower oom_score_adj to the kubelet's -998: clamp to containerd's own score.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        Root = "$state/containerd/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN"
    conf_dir = "$state/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$state/containerd/certs.d"
EOF
  # The registry speaks plain HTTP.
  cat >"$state/containerd/certs.d/$REGISTRY/hosts.toml" <<EOF
server = "http://$REGISTRY"
[host."http://$REGISTRY"]
  capabilities = ["pull", "resolve", "push"]
  skip_verify = true
EOF
}

write_cni_config() {
  mkdir -p "$state/cni/net.d"
  # No portmap (no hostPort needed): fewer iptables leftovers. ipMasq lets pods reach beyond the host.
  cat >"$state/cni/net.d/10-$CNI_NETWORK.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "$CNI_NETWORK",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$POD_CIDR"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": "$state/cni/ipam"
      }
    },
    {"type": "loopback"}
  ]
}
EOF
}

write_kubelet_config() {
  cat >"$state/kubelet-config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
# Callers (the API server for logs/exec) present a cert of the cluster CA and are authorized by SubjectAccessReview.
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $state/pki/ca.crt}
authorization:
  mode: Webhook
# The serving certificate comes from a CSR (kubernetes.io/kubelet-serving) that \`up\` approves.
serverTLSBootstrap: true
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$state/containerd.sock
podLogsDir: $state/pod-logs
failSwapOn: false
failCgroupV1: false
resolvConf: /etc/resolv.conf
clusterDNS: [$GATEWAY_IP]
clusterDomain: cluster.local
protectKernelDefaults: false
makeIPTablesUtilChains: false
# A test node on a shared disk: never evict for disk, never garbage-collect images (the sandbox image is not pinned).
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
# Only pods that ask for this node run here: the dev cluster's other workloads belong on its kwok nodes.
registerWithTaints:
- {key: $TAINT, value: "true", effect: NoSchedule}
EOF
}

# Approve the kubelet's serving-certificate CSR (CN system:node:slipway-node) once it appears.
approve_serving_csr() {
  for _ in $(seq 1 60); do
    local name req
    while read -r name req; do
      [[ -n $name ]] || continue
      if base64 -d <<<"$req" | openssl req -noout -subject 2>/dev/null | grep -q "system:node:$NODE_NAME"; then
        kubectl_ certificate approve "$name" >/dev/null && log "approved serving CSR $name" && return 0
      fi
    done < <(kubectl_ get csr -o jsonpath='{range .items[?(@.spec.signerName=="kubernetes.io/kubelet-serving")]}{.metadata.name}{" "}{.spec.request}{" "}{.status.conditions}{"\n"}{end}' |
      awk 'NF == 2 {print $1, $2}')
    sleep 0.5
  done
  log "no serving CSR of $NODE_NAME to approve: logs/exec may fail"
}

up() {
  local kubeconfig=$1
  [[ -f $kubeconfig ]] || die "no kubeconfig $kubeconfig"
  mkdir -p "$state/logs" "$state/pki"
  ! alive containerd && ! alive kubelet && ! alive kube-proxy || die "already up in $state (run down first)"
  local started=$(date +%s%N) lacking
  lacking=$(check || exit 1) || die "this machine lacks what a real node needs:"$'\n'"$lacking"
  NODE_IP=${NODE_IP:-$(ip -4 route get 1.1.1.1 | sed -n 's/.* src \([0-9.]*\).*/\1/p')}
  [[ -n $NODE_IP ]] || die "no NODE_IP (no default route): set NODE_IP"
  # A self-contained copy of the kubeconfig (certificate files embedded), and the cluster CA out of it.
  local k=$K8S_BIN/kubectl; [[ -x $k ]] || k=kubectl
  "$k" config view --kubeconfig "$kubeconfig" --raw --minify --flatten >"$state/kubeconfig"
  chmod 600 "$state/kubeconfig"
  kubectl_ config view --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 -d >"$state/pki/ca.crt"
  [[ -s $state/pki/ca.crt ]] || die "the kubeconfig has no certificate authority"
  kubectl_ get --raw /readyz >/dev/null || die "the API server does not answer with $kubeconfig"
  # Paths outside the state dir that the kubelet/containerd create (hard-coded there): `down` removes those it created.
  local d
  for d in "${HOST_PATHS[@]}"; do [[ -e $d ]] || echo "$d" >>"$state/created-host-paths"; done

  ensure_docker
  build_pause_image &
  local pause_job=$!
  write_containerd_config
  write_cni_config
  write_kubelet_config
  start_coredns
  start_daemon containerd containerd --config "$state/containerd/config.toml"
  for _ in $(seq 1 40); do ctr -a "$state/containerd.sock" version >/dev/null 2>&1 && break; sleep 0.25; done
  ctr -a "$state/containerd.sock" version >/dev/null 2>&1 || die "containerd did not start (see $state/logs/containerd.log)"
  wait "$pause_job" || die "building the pause image failed"
  docker save "$PAUSE_IMAGE" | ctr -a "$state/containerd.sock" -n k8s.io images import - >/dev/null
  log "containerd up, sandbox image $PAUSE_IMAGE imported"

  # Docker's FORWARD policy is DROP: let the pod subnet through (both directions), marked so that `down` finds it.
  for dir in -s -d; do
    iptables -C FORWARD "$dir" "$POD_CIDR" -m comment --comment "$NODE_NAME" -j ACCEPT 2>/dev/null ||
      iptables -I FORWARD "$dir" "$POD_CIDR" -m comment --comment "$NODE_NAME" -j ACCEPT
  done

  start_daemon kubelet "$K8S_BIN/kubelet" --config "$state/kubelet-config.yaml" --kubeconfig "$state/kubeconfig" \
    --root-dir "$state/kubelet" --cert-dir "$state/kubelet/pki" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v=2
  approve_serving_csr
  for _ in $(seq 1 120); do
    alive kubelet || die "the kubelet exited (see $state/logs/kubelet.log)"
    [[ $(kubectl_ get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]] && break
    sleep 0.5
  done
  kubectl_ wait --for=condition=Ready "node/$NODE_NAME" --timeout=1s >/dev/null || die "$NODE_NAME is not Ready (see $state/logs/kubelet.log)"
  local ms=$((($(date +%s%N) - started) / 1000000))
  log "node $NODE_NAME Ready after $((ms / 1000)).$((ms % 1000 / 100)) s (node IP $NODE_IP, pods $POD_CIDR)"
  start_kube_proxy
  # The API server's way to the kubelet (the one logs/exec take): by address type, with its kubelet client cert.
  if ! kubectl_ get --raw "/api/v1/nodes/$NODE_NAME/proxy/healthz" >/dev/null 2>"$state/logs/proxy-check.err"; then
    log "warning: the API server cannot reach the kubelet, so logs/exec will fail: $(tail -n1 "$state/logs/proxy-check.err")"
    log "  (needs kube-apiserver --kubelet-preferred-address-types=InternalIP,Hostname and --kubelet-client-certificate/-key)"
  fi
}

# The bridge, with the pods' gateway address, and CoreDNS listening on it. Ready when its ready plugin answers (the
# kubernetes plugin has listed Services, EndpointSlices and Namespaces).
start_coredns() {
  local started=$(date +%s%N)
  ip link add "$BRIDGE" type bridge
  ip addr add "$GATEWAY_IP/${POD_CIDR#*/}" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  cat >"$state/Corefile" <<EOF
.:53 {
    bind $GATEWAY_IP
    ready 127.0.0.1:$COREDNS_READY_PORT
    errors
    cache 5
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $state/kubeconfig
        fallthrough in-addr.arpa ip6.arpa
    }
    forward . /etc/resolv.conf
}
EOF
  start_daemon coredns "$K8S_BIN/coredns" -conf "$state/Corefile"
  for _ in $(seq 1 60); do
    alive coredns || die "CoreDNS exited (see $state/logs/coredns.log)"
    curl -fs -o /dev/null "http://127.0.0.1:$COREDNS_READY_PORT/ready" && break
    sleep 0.25
  done
  curl -fs -o /dev/null "http://127.0.0.1:$COREDNS_READY_PORT/ready" || die "CoreDNS is not ready (see $state/logs/coredns.log)"
  local ms=$((($(date +%s%N) - started) / 1000000))
  log "CoreDNS ready on $GATEWAY_IP:53 after $((ms / 1000)).$((ms % 1000 / 100)) s"
}

# kube-proxy on the host, after the node exists (it reads its IPs from the Node object): Service cluster IPs route from
# the host (OUTPUT) and from pods (PREROUTING on cni0); traffic from outside the pod CIDR is masqueraded. --kubeconfig
# comes first on its command line: `down` finds it by that. Ready when its first full sync wrote the KUBE-SERVICES chain
# (its last rule jumps to KUBE-NODEPORTS).
start_kube_proxy() {
  local started=$(date +%s%N)
  start_daemon kube-proxy "$K8S_BIN/kube-proxy" --kubeconfig "$state/kubeconfig" --hostname-override "$NODE_NAME" \
    --proxy-mode iptables --cluster-cidr "$POD_CIDR" --bind-address "$NODE_IP" --nodeport-addresses primary \
    --healthz-bind-address "127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT" --metrics-bind-address "" \
    --conntrack-max-per-core 0 --conntrack-tcp-timeout-established 0 --conntrack-tcp-timeout-close-wait 0 \
    --iptables-localhost-nodeports=false --oom-score-adj 0 --iptables-min-sync-period 0 --v=2
  for _ in $(seq 1 60); do
    alive kube-proxy || die "kube-proxy exited (see $state/logs/kube-proxy.log)"
    iptables -w 5 -t nat -S KUBE-SERVICES 2>/dev/null | grep -q -- '-j KUBE-NODEPORTS' && break
    sleep 0.25
  done
  iptables -w 5 -t nat -S KUBE-SERVICES 2>/dev/null | grep -q -- '-j KUBE-NODEPORTS' || die "kube-proxy wrote no rules (see $state/logs/kube-proxy.log)"
  local ms=$((($(date +%s%N) - started) / 1000000))
  log "kube-proxy synced after $((ms / 1000)).$((ms % 1000 / 100)) s (iptables mode)"
}

# Local Docker images into the node's containerd (namespace k8s.io, where the kubelet looks), under the names Docker
# gives them (slipway/runner:latest is docker.io/slipway/runner:latest to both). A pod using them needs
# imagePullPolicy IfNotPresent or Never when the tag is `latest`: nothing could pull it.
load() {
  alive containerd || die "no real node runs in $state"
  docker image inspect "$@" >/dev/null || die "not every image is in Docker: $*"
  docker save "$@" | ctr -a "$state/containerd.sock" -n k8s.io images import - >/dev/null
}

# Any KUBE-* chain or rule (kube-proxy's) in iptables or ip6tables.
kube_rules_left() {
  local save
  for save in iptables-save ip6tables-save; do
    command -v "$save" >/dev/null || continue
    "$save" 2>/dev/null | grep KUBE- >/dev/null && return 0 # not -q: an iptables-save cut short fails the pipe
  done
  return 1
}

down() {
  [[ -d $state ]] || { log "no $state: nothing to do"; return 0; }
  # kube-proxy and the kubelet first (so that nothing is restarted or re-synced), then the pods bound to the node (force: no kubelet confirms them any
  # more; left alone they would stay Running and be re-adopted by the next `up`) and the node object.
  stop_matching kube-proxy "kube-proxy --kubeconfig $state/kubeconfig"
  stop_matching kubelet "--config $state/kubelet-config.yaml"
  stop_matching coredns "-conf $state/Corefile"
  if [[ -f $state/kubeconfig ]]; then
    kubectl_ delete pods -A --field-selector "spec.nodeName=$NODE_NAME" --force --grace-period=0 --request-timeout=10s >/dev/null 2>&1 || true
    kubectl_ delete node "$NODE_NAME" --ignore-not-found --request-timeout=5s >/dev/null 2>&1 || true
  fi
  local sock=$state/containerd.sock id
  # Kill every container (pods die here, so their network namespaces can go), then containerd, then the shims.
  if alive containerd; then
    for id in $(ctr -a "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
      ctr -a "$sock" -n k8s.io tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1 || true
    done
    for id in $(ctr -a "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
      timeout 10 ctr -a "$sock" -n k8s.io tasks delete -f "$id" >/dev/null 2>&1 || true
    done
  fi
  stop_matching containerd "--config $state/containerd/config.toml"
  stop_matching shims "containerd-shim.* -address $sock"
  # Anything still in the kubelet's cgroups (only this node's kubelet uses /kubepods on this machine).
  for p in $(cat $(find /sys/fs/cgroup/pids/kubepods -name cgroup.procs 2>/dev/null) /dev/null 2>/dev/null); do
    kill -KILL "$p" 2>/dev/null || true
  done
  sleep 0.5
  find /sys/fs/cgroup/*/kubepods -depth -type d -exec rmdir {} \; 2>/dev/null || true
  # Mounts under the state dir (rootfs overlays, shm, netns, projected volumes, the kubelet's root bind), deepest first.
  local m
  while read -r m; do
    if [[ -n $m ]]; then umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "cannot unmount $m"; fi
  done < <(awk '{print $2}' /proc/mounts | grep -F "$state/" | awk '{print length, $0}' | sort -rn | cut -d' ' -f2- || true)
  [[ $(awk '{print $2}' /proc/mounts | grep -cF "$state") == 0 ]] || log "mounts left: $(grep -F "$state" /proc/mounts)"
  # Network: the bridge (veths go with their namespaces; delete any still attached), masquerade rules of the bridge
  # plugin (comment 'name: "slipway-pods"', one chain per pod) and our FORWARD rules.
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    for p in $(ip -o link show master "$BRIDGE" | awk -F': ' '{print $2}' | cut -d@ -f1); do ip link del "$p" 2>/dev/null || true; done
    ip link del "$BRIDGE"
  fi
  local rule chain chains
  # `|| true` here and above: with pipefail, a grep that finds nothing (no mount left, every pod's CNI DEL removed its
  # own rules) would end the script half-way.
  chains=$(iptables-save -t nat | grep -F "name: \\\"$CNI_NETWORK\\\"" | grep -- '^-A POSTROUTING' | sed -n 's/.* -j \(CNI-[^ ]*\).*/\1/p' | sort -u || true)
  while read -r rule; do
    if [[ -n $rule ]]; then eval "iptables -t nat ${rule/-A /-D }" || true; fi
  done < <(iptables-save -t nat | grep -F "name: \\\"$CNI_NETWORK\\\"" | grep -- '^-A POSTROUTING' || true)
  for chain in $chains; do iptables -t nat -F "$chain" 2>/dev/null || true; iptables -t nat -X "$chain" 2>/dev/null || true; done
  while read -r rule; do eval "iptables ${rule/-A /-D }" || true; done < <(iptables -S FORWARD | grep -F -- "--comment $NODE_NAME")
  # kube-proxy's chains and the rules jumping to them, in every table and both families (also after a kube-proxy that
  # was killed, or an `up` that failed half-way). One real node per machine, so every KUBE-* chain is ours.
  if kube_rules_left; then
    if [[ -x $K8S_BIN/kube-proxy ]]; then
      mkdir -p "$state/logs"
      "$K8S_BIN/kube-proxy" --cleanup --v=0 >"$state/logs/kube-proxy-cleanup.log" 2>&1 || log "kube-proxy --cleanup failed (see $state/logs/kube-proxy-cleanup.log)"
    fi
    # What --cleanup leaves on purpose: KUBE-FIREWALL (filter; the kubelet's anti-martian chain, which kube-proxy
    # duplicates but never deletes) and the jumps from INPUT/OUTPUT to it. Any other KUBE-* chain goes the same way.
    local ipt table
    for ipt in iptables ip6tables; do
      command -v "$ipt" >/dev/null || continue
      for table in filter nat mangle raw; do
        while read -r rule; do
          if [[ -n $rule ]]; then eval "$ipt -w 5 -t $table ${rule/-A /-D }" || true; fi
        done < <("$ipt" -w 5 -t "$table" -S 2>/dev/null | grep -- '^-A ' | grep -v -- '^-A KUBE-' | grep -- '-j KUBE-' || true)
        chains=$("$ipt" -w 5 -t "$table" -S 2>/dev/null | sed -n 's/^-N \(KUBE-[^ ]*\)$/\1/p' || true)
        for chain in $chains; do "$ipt" -w 5 -t "$table" -F "$chain" 2>/dev/null || true; done
        for chain in $chains; do "$ipt" -w 5 -t "$table" -X "$chain" 2>/dev/null || true; done
      done
    done
  fi
  # What the kubelet writes outside its root dir.
  find /var/log/containers -maxdepth 1 -lname "$state/*" -delete 2>/dev/null || true
  if [[ -f $state/created-host-paths ]]; then
    while read -r p; do
      case $p in
        /var/lib/kubelet) rm -rf "$p" ;;
        *) find "$p" -depth -type d -empty -delete 2>/dev/null || true ;; # only if nobody else put something there
      esac
    done <"$state/created-host-paths"
  fi
  # Nothing may be left: a leftover mount would make the cluster's recursive remove go through a job's workspace.
  local left=()
  grep -qF "$state/" /proc/mounts && left+=("mounts: $(grep -F "$state/" /proc/mounts | awk '{print $2}' | tr '\n' ' ')")
  ip link show "$BRIDGE" >/dev/null 2>&1 && left+=("the bridge $BRIDGE")
  iptables-save | grep -qF -e "--comment $NODE_NAME" -e "name: \\\"$CNI_NETWORK\\\"" && left+=("iptables rules")
  kube_rules_left && left+=("kube-proxy's KUBE-* iptables chains")
  for p in /proc/[0-9]*; do
    read_cmdline "$p"
    [[ $CMDLINE == *"$state/"* && ${p#/proc/} != "$$" ]] && left+=("process ${p#/proc/}")
  done
  ((${#left[@]} == 0)) || die "down left behind: ${left[*]} (state kept in $state)"
  rm -rf "$state"
  log "down: $state removed"
}

cmd=${1:-}
case $cmd in
  check) check || exit 1 ;;
  load) [[ $# -ge 3 ]] || die "usage: $0 load <stateDir> <image>..."; state=$(realpath -m "$2"); shift 2; load "$@" ;;
  up) [[ $# == 3 ]] || die "usage: $0 up <admin-kubeconfig> <stateDir>"; mkdir -p "$3"; state=$(realpath "$3"); up "$2" ;;
  down) [[ $# == 2 ]] || die "usage: $0 down <stateDir>"; state=$(realpath -m "$2"); down ;;
  *) die "usage: $0 check | up <admin-kubeconfig> <stateDir> | load <stateDir> <image>... | down <stateDir>" ;;
esac
