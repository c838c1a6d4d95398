import { z } from "zod";
import { WavesConfig } from "./waves.schema.js";

/**
 * The JSON Schema of `.github/waves.yml` as users write it (durations are strings), for
 * editors (yaml-language-server) and for the generated configuration reference.
 */
export function wavesJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(WavesConfig, {
    io: "input",
    target: "draft-2020-12",
    unrepresentable: "any",
    reused: "inline",
    override: (ctx) => {
      // `token` is accepted by the parser only to refuse it with a clear error: editors should
      // flag it too.
      if (String(ctx.jsonSchema.description ?? "").startsWith("Not allowed")) {
        ctx.jsonSchema.not = {};
      }
    },
  }) as Record<string, unknown>;
  return schema;
}
