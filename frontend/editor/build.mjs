// Builds the editor module: frontend/editor/src/index.js bundled into one minified
// ES module, public/editor/editor-<sha256, 10 hex>.js, with public/editor/manifest.json
// saying where it is and how big. Fails when the module is over its gzip budget.
//
//   npm run build:editor

import { createHash } from "node:crypto";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The most the module may weigh, gzipped. */
const BUDGET = 100 * 1000;

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "..", "..", "public", "editor");

const result = await build({
  entryPoints: [join(here, "src", "index.js")],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  minify: true,
  legalComments: "none",
  sourcemap: false,
  write: false,
  logLevel: "warning",
});
const code = result.outputFiles[0].contents;

const name = `editor-${createHash("sha256").update(code).digest("hex").slice(0, 10)}.js`;
await mkdir(outDir, { recursive: true });
for (const file of await readdir(outDir)) {
  if (/^editor-.*\.js$/.test(file) && file !== name) await rm(join(outDir, file));
}
await writeFile(join(outDir, name), code);

const manifest = {
  module: `/editor/${name}`,
  bytes: code.byteLength,
  gzip: gzipSync(code, { level: 9 }).byteLength,
};
await writeFile(join(outDir, "manifest.json"), `${JSON.stringify(manifest)}\n`);

console.log(`editor: ${manifest.module}  ${manifest.bytes} bytes, ${manifest.gzip} bytes gzip`);
if (manifest.gzip > BUDGET) {
  console.error(`editor: over budget, ${manifest.gzip} bytes gzip (at most ${BUDGET})`);
  process.exitCode = 1;
}
