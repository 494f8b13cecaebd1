// Writes docs/errors.md from the catalogs: `npx tsx compiler/errors-doc-cli.ts`.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderErrorsDoc } from "./errors-doc.js";

const target = fileURLToPath(new URL("../docs/errors.md", import.meta.url));
writeFileSync(target, renderErrorsDoc());
console.log(`wrote ${target}`);
