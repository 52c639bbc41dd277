// Bundles the web UI into the folder given (default: ../obj/ui/): app.js from src/main.ts, plus static/*.
// Run by the MSBuild target BundleUi in Plumbline.Server.csproj (only when inputs changed).
import * as esbuild from "esbuild";
import { cpSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";

const out = resolve(process.argv[2] ?? "../obj/ui/");
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: ["src/main.ts"],
  bundle: true,
  minify: true,
  sourcemap: "linked",
  target: ["es2020"],
  format: "iife",
  outfile: resolve(out, "app.js"),
  logLevel: "warning",
});
cpSync("static", out, { recursive: true });
console.log(`web UI bundled into ${out}`);
