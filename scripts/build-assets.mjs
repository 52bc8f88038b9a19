// Copy the front-end packages from node_modules into static/vendor, so nothing is fetched at run time.
import { cpSync, mkdirSync, rmSync } from "node:fs";

const out = "static/vendor";
const copies = [
  ["node_modules/@digdir/designsystemet-css/dist/src/index.css", `${out}/designsystemet/designsystemet.css`],
  ["node_modules/@digdir/designsystemet-theme/brand/digdir.css", `${out}/designsystemet/theme.css`],
  ["node_modules/htmx.org/dist/htmx.min.js", `${out}/htmx/htmx.min.js`],
];

rmSync(out, { recursive: true, force: true });
for (const [from, to] of copies) {
  mkdirSync(to.substring(0, to.lastIndexOf("/")), { recursive: true });
  cpSync(from, to);
}
console.log(`assets: copied ${copies.length} files into ${out}`);
