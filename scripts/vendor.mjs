// Copies the browser libraries Plaza vendors from node_modules into
// public/vendor, so they are embedded in the binary and never come from a CDN.
import { copyFileSync, mkdirSync } from "node:fs";

const files = [
  ["node_modules/htmx.org/dist/htmx.min.js", "public/vendor/htmx.min.js"],
  ["node_modules/htmx-ext-ws/dist/ws.min.js", "public/vendor/htmx-ext-ws.min.js"],
  ["node_modules/jsqr/dist/jsQR.js", "public/vendor/jsQR.js"],
  ["node_modules/photoswipe/dist/photoswipe.esm.min.js", "public/vendor/photoswipe.esm.min.js"],
  ["node_modules/photoswipe/dist/photoswipe-lightbox.esm.min.js", "public/vendor/photoswipe-lightbox.esm.min.js"],
  ["node_modules/photoswipe/dist/photoswipe.css", "public/vendor/photoswipe.css"],
];
mkdirSync("public/vendor", { recursive: true });
for (const [from, to] of files) {
  copyFileSync(from, to);
  console.log(`vendored ${from} -> ${to}`);
}
