"""deploy/kubernetes: both overlays render, every object validates against the
Kubernetes JSON schemas, every workload is locked down and probed, and the
network policies open exactly the calls the services make (and a manifest that
breaks one of these rules is caught)."""
import subprocess
import tempfile
import unittest

import manifests as m


class KubernetesManifestTests(unittest.TestCase):
    rendered = {}

    @classmethod
    def setUpClass(cls):
        for overlay in m.OVERLAYS:
            cls.rendered[overlay] = m.render(overlay)

    def objects(self, overlay):
        return self.rendered[overlay][1]

    def test_every_object_validates_against_the_kubernetes_schemas(self):
        with tempfile.TemporaryDirectory() as folder:
            files = []
            for overlay in m.OVERLAYS:
                files.append("%s/%s.yaml" % (folder, overlay))
                with open(files[-1], "w") as file:
                    file.write(self.rendered[overlay][0])
            # The oldest Kubernetes still supported upstream when this was written.
            result = subprocess.run(["kubernetes-validate", "--strict", "--quiet", "-k", "1.31.0"] + files,
                                    capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_the_validator_refuses_a_wrong_field(self):
        broken = self.rendered["production"][0].replace("maxReplicas: 10", "maxReplicas: ten", 1)
        with tempfile.NamedTemporaryFile("w", suffix=".yaml") as file:
            file.write(broken)
            file.flush()
            result = subprocess.run(["kubernetes-validate", "--strict", "--quiet", file.name], capture_output=True, text=True)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("'ten' is not of type 'integer'", result.stdout + result.stderr)

    def test_each_service_has_deployment_service_autoscaler_and_budget(self):
        for overlay in m.OVERLAYS:
            objects = self.objects(overlay)
            for service in m.SERVICES:
                for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"):
                    self.assertIsNotNone(m.named(objects, kind, service), "%s: no %s %s" % (overlay, kind, service))
                hpa = m.named(objects, "HorizontalPodAutoscaler", service)
                self.assertEqual(hpa["spec"]["scaleTargetRef"]["name"], service)
                if service == "gateway":
                    self.assertIn("Pods", [metric["type"] for metric in hpa["spec"]["metrics"]], "gateway scales on requests in flight")
            for service in ("identity", "records", "audit", "notify"):
                job = m.named(objects, "Job", service + "-migrate")
                self.assertIsNotNone(job, "%s: no migration Job for %s" % (overlay, service))
                self.assertEqual(job["spec"]["template"]["spec"]["containers"][0]["args"][-1], "migrate")

    def test_production_runs_at_least_two_of_everything(self):
        objects = self.objects("production")
        for service in m.SERVICES:
            self.assertGreaterEqual(m.named(objects, "Deployment", service)["spec"]["replicas"], 2, service)
            self.assertGreaterEqual(m.named(objects, "HorizontalPodAutoscaler", service)["spec"]["minReplicas"], 2, service)

    def test_workloads_are_probed_limited_and_locked_down(self):
        for overlay in m.OVERLAYS:
            self.assertEqual(m.workload_problems(self.objects(overlay)), [], overlay)
            self.assertEqual(m.secret_problems(self.objects(overlay)), [], overlay)

    def test_a_deployment_missing_a_probe_limit_or_security_setting_is_caught(self):
        objects = self.objects("production")

        def container(objs, name="records"):
            return m.named(objs, "Deployment", name)["spec"]["template"]["spec"]["containers"][0]

        breakages = {
            "readinessProbe": lambda objs: container(objs).pop("readinessProbe"),
            "livenessProbe": lambda objs: container(objs).pop("livenessProbe"),
            "memory limit": lambda objs: container(objs)["resources"].pop("limits"),
            "read-only": lambda objs: container(objs)["securityContext"].pop("readOnlyRootFilesystem"),
            "allowPrivilegeEscalation": lambda objs: container(objs)["securityContext"].update(allowPrivilegeEscalation=True),
            "capabilities": lambda objs: container(objs)["securityContext"]["capabilities"].update(add=["NET_ADMIN"]),
            "seccomp": lambda objs: (container(objs)["securityContext"].pop("seccompProfile"),
                                     m.named(objs, "Deployment", "records")["spec"]["template"]["spec"]["securityContext"].pop("seccompProfile")),
            "root": lambda objs: (container(objs)["securityContext"].pop("runAsNonRoot"),
                                  m.named(objs, "Deployment", "records")["spec"]["template"]["spec"]["securityContext"].pop("runAsNonRoot")),
            "terminationGracePeriodSeconds": lambda objs: m.named(objs, "Deployment", "records")["spec"]["template"]["spec"]
                                                       .update(terminationGracePeriodSeconds=12),
            "preStop": lambda objs: container(objs).pop("lifecycle"),
        }
        for expected, breakage in breakages.items():
            problems = m.workload_problems(m.mutated(objects, breakage))
            self.assertTrue(problems, "removing %s went unnoticed" % expected)
            self.assertTrue(all(p.startswith("Deployment/records") for p in problems), problems)
        leaked = m.mutated(objects, lambda objs: m.named(objs, "ConfigMap", "muster-config")["data"].update(MUSTER_MASTER_KEY="x"))
        self.assertEqual(m.secret_problems(leaked), ["ConfigMap muster-config holds MUSTER_MASTER_KEY"])

    def test_network_policies_allow_exactly_the_calls_the_services_make(self):
        for overlay in m.OVERLAYS:
            self.assertEqual(m.network_problems(self.objects(overlay)), [], overlay)

    def test_a_policy_opening_an_uncalled_peer_is_caught(self):
        objects = self.objects("production")

        def open_records_to_audit_port(objs):
            # Records' ingress also admits Audit, and Audit's egress reaches Records:
            # Audit never calls Records, so this must fail.
            records = m.named(objs, "NetworkPolicy", "records")
            records["spec"]["ingress"][0]["from"].append(
                {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "audit", "app.kubernetes.io/component": "server"}}})
            audit = m.named(objs, "NetworkPolicy", "audit")
            audit["spec"]["egress"].append({"to": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "records"}}}]})

        self.assertEqual(m.network_problems(m.mutated(objects, open_records_to_audit_port)),
                         ["audit can reach records, which it never calls"])
        no_default_deny = m.mutated(objects, lambda objs: objs.__setitem__(
            slice(None), [o for o in objs if o["kind"] != "NetworkPolicy"]))
        self.assertIn("identity can reach gateway, which it never calls", m.network_problems(no_default_deny))

    def test_only_the_gateway_public_port_is_exposed(self):
        for overlay in m.OVERLAYS:
            objects = self.objects(overlay)
            ingresses = m.of_kind(objects, "Ingress")
            self.assertEqual(len(ingresses), 1)
            backends = {(path["backend"]["service"]["name"], path["backend"]["service"]["port"].get("name"))
                        for rule in ingresses[0]["spec"]["rules"] for path in rule["http"]["paths"]}
            self.assertEqual(backends, {("gateway", "http")})
            self.assertTrue(ingresses[0]["spec"]["tls"], "TLS at the Ingress")
            gateway_service = m.named(objects, "Service", "gateway")
            self.assertEqual([p["port"] for p in gateway_service["spec"]["ports"]], [m.PORTS["gateway"]], "admin port not in the Service")
            for service in m.of_kind(objects, "Service"):
                self.assertIn(service["spec"].get("type", "ClusterIP"), ("ClusterIP",), service["metadata"]["name"])
            probes = m.named(objects, "Deployment", "gateway")["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]
            self.assertEqual(probes["httpGet"]["port"], "admin")


if __name__ == "__main__":
    unittest.main()
