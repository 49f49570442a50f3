// Placeholder for the web app: shows whether the Gateway answers.
fetch("/readyz", { headers: { Accept: "application/json" } })
  .then((response) => response.json())
  .then((report) => {
    document.getElementById("status").textContent =
      report.status === "ready" ? "The platform is ready." : "The platform is starting or degraded.";
  })
  .catch(() => {
    document.getElementById("status").textContent = "The platform cannot be reached.";
  });
