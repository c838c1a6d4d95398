/**
 * `npm run schema`: regenerates `schema/waves.schema.json` and `docs/configuration.md` from
 * the zod schema. A test fails when the checked-in copies are out of date.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type DocExample, renderConfigurationDoc } from "./configuration-doc.js";
import { wavesJsonSchema } from "./json-schema.js";

export const SCHEMA_FILE = "schema/waves.schema.json";
export const DOC_FILE = "docs/configuration.md";
export const EXAMPLES_DIR = "examples";

/** The JSON Schema file's text. */
export function renderJsonSchemaFile(): string {
  return `${JSON.stringify(wavesJsonSchema(), null, 2)}\n`;
}

/** The examples shipped in `examples/`, sorted by name. */
export async function readExamples(root: string): Promise<DocExample[]> {
  const names = (await readdir(join(root, EXAMPLES_DIR))).filter((n) => /\.ya?ml$/.test(n)).sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      text: await readFile(join(root, EXAMPLES_DIR, name), "utf8"),
    })),
  );
}

/** Both generated files, keyed by their path relative to the project root. */
export async function renderGeneratedFiles(root: string): Promise<Record<string, string>> {
  return {
    [SCHEMA_FILE]: renderJsonSchemaFile(),
    [DOC_FILE]: renderConfigurationDoc(wavesJsonSchema(), await readExamples(root)),
  };
}

export async function writeGeneratedFiles(root: string): Promise<string[]> {
  const files = await renderGeneratedFiles(root);
  for (const [path, text] of Object.entries(files)) await writeFile(join(root, path), text);
  return Object.keys(files);
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && resolve(process.argv[1]) === self) {
  const root = resolve(dirname(self), "../..");
  const written = await writeGeneratedFiles(root);
  process.stdout.write(`wrote ${written.join(", ")}\n`);
}
