document.querySelector("#main p").textContent = "Muster is starting.";
