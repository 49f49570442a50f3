// QR codes drawn in the browser by Debian's qrcode-generator (its browser build, loaded
// on first use), as SVG built element by element: nothing is parsed as markup.
const svgNS = "http://www.w3.org/2000/svg";
let library = null;

function load() {
  library = library || new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = new URL("./vendor/qrcode.js", import.meta.url).href;
    script.onload = () => resolve(window.qrcode);
    script.onerror = () => reject(new Error("The QR code could not be drawn. Type the key shown beside it instead."));
    document.head.append(script);
  });
  return library;
}

/** An `<svg role="img">` of `text` as a QR code, labelled `label`. */
export async function qrCode(text, label) {
  const qrcode = await load();
  const code = qrcode(0, "M");
  code.addData(text);
  code.make();
  const count = code.getModuleCount(), margin = 4, size = count + 2 * margin;
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("class", "qr");
  const background = document.createElementNS(svgNS, "rect");
  background.setAttribute("width", size);
  background.setAttribute("height", size);
  background.setAttribute("fill", "#fff");
  svg.append(background);
  let path = "";
  for (let row = 0; row < count; row++) {
    for (let column = 0; column < count; column++) {
      if (code.isDark(row, column)) path += `M${column + margin} ${row + margin}h1v1h-1z`;
    }
  }
  const modules = document.createElementNS(svgNS, "path");
  modules.setAttribute("d", path);
  modules.setAttribute("fill", "#000");
  svg.append(modules);
  return svg;
}
