"""Rendering the kustomize overlays and the rules every rendered object must follow.

Each check returns a list of problems (empty when the objects are fine), so that
the tests can show both that the committed manifests pass and that a manifest
missing a probe, a limit or a security setting, or a policy opening one path too
many, would fail.
"""
import copy
import functools
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
OVERLAYS = ("dev", "production")

SERVICES = ("gateway", "identity", "records", "audit", "notify")
PORTS = {"gateway": 8080, "identity": 8081, "records": 8082, "audit": 8083, "notify": 8084}
GATEWAY_ADMIN_PORT = 9080

# Who calls whom, from the services' internal HTTP clients (docs/operations/kubernetes.md):
# the Gateway proxies to every service and checks each one's /readyz; Identity provisions
# agencies in Records, Audit and Notify (AgencyProvisioner) and relays audit events and
# emails (outbox); Records asks Identity for users (IdentityUsers) and relays both topics;
# Audit asks Identity for agency admins (CheckpointDigest) and relays emails; Notify asks
# Records for due items and Identity for coordinators (Reminders/AgencyDirectory) and
# relays audit events; every service but Identity fetches Identity's JWKS and revocations.
CALLS = {
    "gateway": {"identity", "records", "audit", "notify"},
    "identity": {"records", "audit", "notify"},
    "records": {"identity", "audit", "notify"},
    "audit": {"identity", "notify"},
    "notify": {"identity", "records", "audit"},
}


@functools.lru_cache(maxsize=None)
def render(overlay):
    """The overlay's text and objects, rendered by the real `kubectl kustomize` (once per run)."""
    out = subprocess.run(["kubectl", "kustomize", str(KUBERNETES / "overlays" / overlay)],
                         check=True, capture_output=True, text=True).stdout
    return out, load_yaml_stream(out)


def load_yaml_stream(text):
    """The objects of a multi-document YAML text (PyYAML comes with kubernetes-validate)."""
    import yaml
    return [o for o in yaml.safe_load_all(text) if o]


def of_kind(objects, kind):
    return [o for o in objects if o["kind"] == kind]


def named(objects, kind, name):
    return next((o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name), None)


def grace_ms(objects):
    config = named(objects, "ConfigMap", "muster-config")
    return int(config["data"]["MUSTER_SHUTDOWN_GRACE_MS"])


# ---------------------------------------------------------------- workloads

def container_problems(where, spec, container, require_probes):
    problems = []
    security = container.get("securityContext", {})
    pod_security = spec.get("securityContext", {})
    if security.get("allowPrivilegeEscalation") is not False:
        problems.append(where + ": allowPrivilegeEscalation is not false")
    if security.get("readOnlyRootFilesystem") is not True:
        problems.append(where + ": root file system is not read-only")
    if security.get("privileged"):
        problems.append(where + ": privileged")
    if "ALL" not in security.get("capabilities", {}).get("drop", []) or security.get("capabilities", {}).get("add"):
        problems.append(where + ": capabilities are not all dropped")
    if not (security.get("runAsNonRoot") or pod_security.get("runAsNonRoot")):
        problems.append(where + ": may run as root")
    if (security.get("runAsUser", pod_security.get("runAsUser")) or 0) == 0:
        problems.append(where + ": no non-zero runAsUser")
    seccomp = security.get("seccompProfile", pod_security.get("seccompProfile", {}))
    if seccomp.get("type") != "RuntimeDefault":
        problems.append(where + ": seccomp profile is not RuntimeDefault")
    resources = container.get("resources", {})
    for kind in ("cpu", "memory"):
        if kind not in resources.get("requests", {}):
            problems.append(where + ": no %s request" % kind)
    if "memory" not in resources.get("limits", {}):
        problems.append(where + ": no memory limit")
    if require_probes:
        for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
            got = container.get(probe, {}).get("httpGet", {}).get("path")
            if got != path:
                problems.append("%s: %s is %r, not GET %s" % (where, probe, got, path))
        if "preStop" not in container.get("lifecycle", {}):
            problems.append(where + ": no preStop hook to let the endpoints drain")
    return problems


def prestop_seconds(container):
    command = container.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
    return int(command[-1]) if command and command[-1].isdigit() else 0


def workload_problems(objects):
    """Every Deployment and Job: security context, resources; Deployments also probes,
    preStop and a grace period longer than preStop plus MUSTER_SHUTDOWN_GRACE_MS."""
    problems = []
    grace = grace_ms(objects)
    for workload in of_kind(objects, "Deployment") + of_kind(objects, "Job"):
        spec = workload["spec"]["template"]["spec"]
        name = "%s/%s" % (workload["kind"], workload["metadata"]["name"])
        is_server = workload["kind"] == "Deployment"
        if spec.get("automountServiceAccountToken") is not False:
            problems.append(name + ": mounts a service account token")
        for container in spec.get("containers", []) + spec.get("initContainers", []):
            where = "%s container %s" % (name, container["name"])
            problems += container_problems(where, spec, container, require_probes=is_server)
            if is_server:
                needed = prestop_seconds(container) + grace / 1000
                if spec.get("terminationGracePeriodSeconds", 30) <= needed:
                    problems.append("%s: terminationGracePeriodSeconds %s is not above preStop + %d ms"
                                    % (where, spec.get("terminationGracePeriodSeconds", 30), grace))
    return problems


def secret_problems(objects):
    """Keys and passwords come from Secrets: never a ConfigMap value or a literal env value."""
    problems = []
    sensitive = ("_KEY", "_PASSWORD", "_DATABASE_URL", "_TOKEN", "_SECRET", "_SMTP_URL", "_PUBLIC_KEYS")
    for config in of_kind(objects, "ConfigMap"):
        for key in config.get("data", {}):
            if key.endswith(sensitive):
                problems.append("ConfigMap %s holds %s" % (config["metadata"]["name"], key))
    for workload in of_kind(objects, "Deployment") + of_kind(objects, "Job"):
        for container in workload["spec"]["template"]["spec"]["containers"]:
            for env in container.get("env", []):
                if env["name"].endswith(sensitive) and "value" in env:
                    problems.append("%s %s: %s is a literal value" % (workload["kind"], workload["metadata"]["name"], env["name"]))
    return problems


# ---------------------------------------------------------------- network policies

def selects(selector, labels):
    """Whether a label selector (matchLabels only, as ours are) selects `labels`."""
    if selector.get("matchExpressions"):
        raise AssertionError("matchExpressions are not understood by this check")
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())


def pod_labels(objects):
    """Service name → its server pods' labels."""
    return {d["metadata"]["name"]: d["spec"]["template"]["metadata"]["labels"] for d in of_kind(objects, "Deployment")}


def peer_matches(peer, labels, same_namespace=True):
    """Whether a NetworkPolicyPeer admits a pod with `labels` in the policy's own namespace."""
    if "ipBlock" in peer:
        return False  # pod traffic inside the cluster never comes from our ipBlocks (private ranges excepted)
    if "namespaceSelector" in peer and peer["namespaceSelector"] != {}:
        return False  # another namespace: not one of our services
    return selects(peer.get("podSelector", {}), labels)


def port_matches(ports, port):
    return not ports or any(p.get("port") in (port, None) for p in ports)


def allowed(policies, labels, direction, peer_labels, port):
    """Whether some policy selecting `labels` allows `direction` traffic with `peer_labels` on `port`.
    A pod no policy selects for that direction is open; ours all are selected (default-deny)."""
    relevant = [p for p in policies if selects(p["spec"]["podSelector"], labels)
                and direction in p["spec"].get("policyTypes", ["Ingress"])]
    if not relevant:
        return True
    key, side = ("egress", "to") if direction == "Egress" else ("ingress", "from")
    for policy in relevant:
        for rule in policy["spec"].get(key, []):
            peers = rule.get(side)
            if (not peers or any(peer_matches(peer, peer_labels) for peer in peers)) and port_matches(rule.get("ports"), port):
                return True
    return False


def reachability(objects):
    """(caller, callee) pairs the policies let through: the caller's egress and the callee's ingress."""
    policies = of_kind(objects, "NetworkPolicy")
    labels = pod_labels(objects)
    reach = set()
    for caller in labels:
        for callee in labels:
            if caller == callee:
                continue
            ports = [PORTS[callee]] + ([GATEWAY_ADMIN_PORT] if callee == "gateway" else [])
            for port in ports:
                if allowed(policies, labels[caller], "Egress", labels[callee], port) \
                        and allowed(policies, labels[callee], "Ingress", labels[caller], port):
                    reach.add((caller, callee))
    return reach


def network_problems(objects):
    expected = {(caller, callee) for caller, callees in CALLS.items() for callee in callees}
    reach = reachability(objects)
    problems = ["%s can reach %s, which it never calls" % pair for pair in sorted(reach - expected)]
    problems += ["%s cannot reach %s, which it calls" % pair for pair in sorted(expected - reach)]
    return problems


def mutated(objects, change):
    """A deep copy of `objects` with `change` applied to it (for the negative tests)."""
    copied = copy.deepcopy(objects)
    change(copied)
    return copied
