import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { typeOf } from "../../src/config/configuration-doc.js";
import { wavesJsonSchema } from "../../src/config/json-schema.js";
import { renderGeneratedFiles } from "../../src/config/write-json-schema.js";

const ROOT = join(import.meta.dirname, "../..");

type Json = Record<string, unknown>;
const at = (schema: unknown, ...keys: string[]): Json =>
  keys.reduce<Json>((node, key) => (node[key] ?? {}) as Json, schema as Json);

describe("JSON Schema and configuration reference", () => {
  it("checked-in schema/waves.schema.json and docs/configuration.md are up to date", async () => {
    const files = await renderGeneratedFiles(ROOT);
    for (const [path, expected] of Object.entries(files)) {
      const actual = readFileSync(join(ROOT, path), "utf8");
      expect(actual, `${path} is out of date: run npm run schema`).toBe(expected);
    }
  });

  it("describes the input side: durations are strings with their defaults", () => {
    const schema = wavesJsonSchema();
    const wave = at(schema, "properties", "waves", "items", "properties");
    expect(at(wave, "waitTime")).toMatchObject({ type: "string" });
    expect(at(schema, "properties", "defaults", "properties", "progressDeadline")).toMatchObject({
      type: "string",
      default: "15m",
    });
    expect(at(schema, "required")).toEqual(["waves"]);
    expect(at(wave, "name", "pattern")).toBe("^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$");
  });

  it("marks an inline token as never valid, so editors flag it", () => {
    const argocd = at(wavesJsonSchema(), "properties", "argocd", "anyOf") as unknown as Json[];
    expect(at(argocd[0], "properties", "token")).toMatchObject({ not: {} });
  });

  it("gives every field a description", () => {
    const missing: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (!node || typeof node !== "object") return;
      const schema = node as Json;
      for (const [name, child] of Object.entries((schema.properties ?? {}) as Json)) {
        const described = (child as Json).description !== undefined;
        const isRangeBound = name === "min" || name === "max";
        if (!described && !isRangeBound) missing.push(`${path}.${name}`);
        visit(child, `${path}.${name}`);
      }
      for (const key of ["items", "additionalProperties"]) visit(schema[key], `${path}.${key}`);
      for (const key of ["anyOf", "oneOf"]) {
        for (const alt of (schema[key] ?? []) as unknown[]) visit(alt, path);
      }
    };
    visit(wavesJsonSchema(), "");
    expect(missing).toEqual([]);
  });

  it("renders types in words", () => {
    expect(typeOf({ type: "string", pattern: "^(?:\\d+(?:d|h|ms|m|s))+$" })).toBe("duration");
    expect(typeOf({ type: "array", items: { type: "string" } })).toBe("list of text");
    expect(typeOf({ type: "string", enum: ["a", "b"] })).toBe("`a` \\| `b`");
    expect(typeOf({ type: "object", additionalProperties: { type: "string" } })).toBe(
      "map of name → text",
    );
  });
});
