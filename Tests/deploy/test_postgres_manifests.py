"""deploy/kubernetes/postgres: the CloudNativePG cluster is highly available with
a synchronous replica, sized for thousands of agency schemas, archives its WAL,
and the services reach it only through a PgBouncer pooler in transaction mode
that supports prepared statements."""
import subprocess
import unittest

import manifests as m


class PostgresManifestTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        text = subprocess.run(["kubectl", "kustomize", str(m.KUBERNETES / "postgres")],
                              check=True, capture_output=True, text=True).stdout
        cls.objects = m.load_yaml_stream(text)

    def test_cluster_is_replicated_synchronously_and_archives_wal(self):
        cluster = m.named(self.objects, "Cluster", "muster-db")
        spec = cluster["spec"]
        self.assertEqual(spec["instances"], 3)
        self.assertGreaterEqual(spec["postgresql"]["synchronous"]["number"], 1)
        parameters = spec["postgresql"]["parameters"]
        # 5,000 agencies x 18 Records tables locked in one transaction must fit the shared lock table.
        slots = int(parameters["max_locks_per_transaction"]) * int(parameters["max_connections"])
        self.assertGreaterEqual(slots, 5000 * 18 * 2)
        self.assertTrue(spec["backup"]["barmanObjectStore"]["destinationPath"].startswith("s3://"))
        self.assertIn("wal", spec["backup"]["barmanObjectStore"])
        self.assertIn("archive_timeout", parameters)
        self.assertIsNotNone(m.named(self.objects, "ScheduledBackup", "muster-db-nightly"))
        roles = {role["name"] for role in spec["managed"]["roles"]}
        databases = {d["spec"]["name"]: d["spec"]["owner"] for d in m.of_kind(self.objects, "Database")}
        self.assertEqual(roles, {"muster_%s" % s for s in ("identity", "records", "audit", "notify")})
        self.assertEqual(databases, {role: role for role in roles}, "one database per service, owned by its role")

    def test_pooler_is_pgbouncer_in_transaction_mode_with_prepared_statements(self):
        pooler = m.named(self.objects, "Pooler", "muster-pooler")
        self.assertEqual(pooler["spec"]["type"], "rw")
        self.assertEqual(pooler["spec"]["pgbouncer"]["poolMode"], "transaction")
        self.assertGreater(int(pooler["spec"]["pgbouncer"]["parameters"]["max_prepared_statements"]), 0)
        image = pooler["spec"]["template"]["spec"]["containers"][0]["image"]
        version = tuple(int(part) for part in image.rsplit(":", 1)[1].split(".")[:2])
        self.assertGreaterEqual(version, (1, 21), "max_prepared_statements needs PgBouncer 1.21")

    def test_services_connect_through_the_pooler(self):
        # The services' policies let them reach the pooler's pods, and nothing else of PostgreSQL.
        objects = m.render("production")[1]
        for service in ("identity", "records", "audit", "notify"):
            egress = m.named(objects, "NetworkPolicy", service)["spec"]["egress"]
            to_postgres = [peer for rule in egress for peer in rule.get("to", [])
                           if peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name") == "muster-postgres"]
            self.assertEqual([p["podSelector"]["matchLabels"] for p in to_postgres], [{"cnpg.io/poolerName": "muster-pooler"}])


if __name__ == "__main__":
    unittest.main()
