/** Reading Octokit's `RequestError` without depending on its class identity. */
import { redact } from "../../util/redact.js";

export function httpStatusOf(error: unknown): number | undefined {
  if (error && typeof error === "object" && "status" in error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number") return status;
  }
  return undefined;
}

/** GitHub's own message (`response.data.message`), else the error's, without credentials. */
export function githubMessageOf(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | undefined)?.response?.data;
  if (data && typeof data === "object" && "message" in data) {
    const message = (data as { message?: unknown }).message;
    if (typeof message === "string" && message) return redact(message);
  }
  if (error instanceof Error) return redact(error.message);
  return redact(String(error));
}

/** Whether a 422 says the thing already exists (labels, pull requests). */
export function isAlreadyExists(error: unknown): boolean {
  if (httpStatusOf(error) !== 422) return false;
  const data = (error as { response?: { data?: unknown } } | undefined)?.response?.data as
    | { errors?: { code?: string; message?: string }[]; message?: string }
    | undefined;
  if (data?.errors?.some((e) => e.code === "already_exists")) return true;
  return (
    /already exists/i.test(data?.message ?? "") ||
    (data?.errors ?? []).some((e) => /already exists/i.test(e.message ?? ""))
  );
}
