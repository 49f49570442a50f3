"""The Containerfile passes hadolint and builds the image the manifests expect:
the five executables under /opt/muster/bin, the web app, a non-root user."""
import subprocess
import unittest

import manifests as m

CONTAINERFILE = m.ROOT / "Containerfile"


class ContainerfileTests(unittest.TestCase):
    def test_hadolint_finds_nothing(self):
        result = subprocess.run(["hadolint", "--no-color", str(CONTAINERFILE)], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_hadolint_would_catch_a_mistake(self):
        broken = CONTAINERFILE.read_text().replace("COPY Package.swift ./", "ADD Package.swift ./")
        result = subprocess.run(["hadolint", "--no-color", "-"], input=broken, capture_output=True, text=True)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DL3020", result.stdout)

    def test_runs_unprivileged_with_what_the_deployments_start(self):
        text = CONTAINERFILE.read_text()
        final_stage = text.rsplit("\nFROM ", 1)[1]
        self.assertIn("USER 10001:10001", final_stage)
        self.assertIn("--static-swift-stdlib", text)
        objects = m.render("production")[1]
        for workload in m.of_kind(objects, "Deployment") + m.of_kind(objects, "Job"):
            spec = workload["spec"]["template"]["spec"]
            self.assertEqual(spec["securityContext"]["runAsUser"], 10001)
            executable = spec["containers"][0]["args"][0]
            self.assertTrue(executable.startswith("/opt/muster/bin/"), executable)
            self.assertIn('"$bin/%s"' % executable.rsplit("/", 1)[1], text, "the image carries " + executable)


if __name__ == "__main__":
    unittest.main()
