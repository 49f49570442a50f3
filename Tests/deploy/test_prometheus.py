"""deploy/prometheus: the SLO's recording rules and the alerts are valid, and
promtool's unit tests show each alert firing on its situation and not on a
healthy platform (muster-rules.test.yml)."""
import subprocess
import unittest

import manifests as m

PROMETHEUS = m.ROOT / "deploy" / "prometheus"


class PrometheusRuleTests(unittest.TestCase):
    def promtool(self, *arguments):
        result = subprocess.run(["promtool", *arguments], cwd=PROMETHEUS, capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return result.stdout

    def test_rules_and_config_are_valid(self):
        self.assertIn("SUCCESS", self.promtool("check", "rules", "muster-rules.yml"))
        self.promtool("check", "config", "prometheus.yml")

    def test_alerts_fire_when_they_should_and_only_then(self):
        self.assertIn("SUCCESS", self.promtool("test", "rules", "muster-rules.test.yml"))

    def test_the_autoscaler_metric_is_recorded(self):
        hpa = m.named(m.render("production")[1], "HorizontalPodAutoscaler", "gateway")
        names = [metric["pods"]["metric"]["name"] for metric in hpa["spec"]["metrics"] if metric["type"] == "Pods"]
        rules = (PROMETHEUS / "muster-rules.yml").read_text()
        for name in names:
            self.assertIn("- record: %s\n" % name, rules)


if __name__ == "__main__":
    unittest.main()
