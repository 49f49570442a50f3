// The banner that says the connection is lost, counts down to the next try, and goes
// when an answer arrives again.
const banner = () => document.getElementById("connection");

export const connection = {
  down: false,

  /** Shows the banner; with `delay` (ms) waits that long, counting down, before the caller retries. */
  lost(delay) {
    this.down = true;
    const element = banner();
    if (element) {
      element.className = "connection alert alert-warning rounded-0 mb-0 text-center";
      element.textContent = delay
        ? `The connection to Muster is lost. Trying again in ${Math.round(delay / 1000)} s…`
        : "The connection to Muster is lost. Check your network, then try again.";
    }
    return delay ? new Promise((resolve) => setTimeout(resolve, delay)) : Promise.resolve();
  },

  restored() {
    if (!this.down) return;
    this.down = false;
    const element = banner();
    if (element) {
      element.className = "connection";
      element.textContent = "";
    }
  },
};

window.addEventListener("offline", () => connection.lost(null));
window.addEventListener("online", () => connection.restored());
