/** Building blocks shared by the configuration schemas. */
import { z } from "zod";
import { DURATION_PATTERN, parseDuration } from "./duration.js";

/** A duration such as `500ms`, `90s`, `30m`, `1h30m`; parsed to milliseconds. */
export const Duration = z
  .string()
  .regex(DURATION_PATTERN, {
    message: "is not a duration: write it like 500ms, 90s, 30m, 1h30m or 2d",
  })
  .transform((text) => parseDuration(text) ?? 0)
  .meta({ description: "A duration: 500ms, 90s, 30m, 1h30m or 2d." });

export const Name = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/, {
    message:
      "must be lower-case letters, digits, '.', '_' or '-', starting and ending alphanumeric",
  });

export const GlobList = z
  .array(z.string().min(1))
  .min(1)
  .meta({ description: "Glob patterns (picomatch) over repository paths." });

export const Labels = z
  .record(z.string().min(1), z.string())
  .meta({ description: "Labels as key: value pairs." });

export const EnvName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "must be the name of an environment variable" })
  .meta({
    description: "The name of an environment variable that holds the token (never the token).",
  });

/** An HTTP(S) URL with no credentials in it: tokens go in `tokenEnv`. */
export const EndpointUrl = z
  .url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" })
  .refine(
    (url) => {
      try {
        const parsed = new URL(url);
        return parsed.username === "" && parsed.password === "";
      } catch {
        // Not a URL at all: the format check above already says so.
        return true;
      }
    },
    {
      message:
        "must not carry credentials: put the token in an environment variable named by tokenEnv",
    },
  );

/**
 * A field that users sometimes fill with a secret by mistake. It is accepted by the parser only
 * so it can be refused with an error that says what to do instead.
 */
export const InlineToken = z
  .unknown()
  .refine(() => false, {
    message:
      "must never be written in the repository: store the token in an environment variable and name it with tokenEnv",
  })
  .optional()
  .meta({ description: "Not allowed: name an environment variable in tokenEnv instead." });
