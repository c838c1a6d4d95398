/**
 * One way to call an outward HTTP API (Argo CD, Prometheus): a hard timeout, bounded retries
 * with backoff on transient failures only, a bearer token read from the environment, every
 * attempt counted through `countedCall`, and failures turned into an `OutwardHttpError` whose
 * message never carries the token.
 */
import https from "node:https";
import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from "axios";
import {
  type CallLedger,
  type CallTarget,
  callLedger,
  countedCall,
} from "../util/outward-calls.js";
import { redact, registerSecret } from "../util/redact.js";

export type OutwardHttpErrorKind =
  | "unauthorized"
  | "client"
  | "server"
  | "timeout"
  | "unreachable"
  | "malformed";

/** A failed outward call, classified. The message is safe to show (no token, no userinfo). */
export class OutwardHttpError extends Error {
  override readonly name = "OutwardHttpError";
  readonly kind: OutwardHttpErrorKind;
  readonly status?: number;
  /** The parsed JSON body of an error response (e.g. Prometheus `{status:"error", error}`). */
  readonly body?: unknown;

  constructor(kind: OutwardHttpErrorKind, message: string, status?: number, body?: unknown) {
    super(message);
    this.kind = kind;
    if (status !== undefined) this.status = status;
    if (body !== undefined) this.body = body;
  }
}

export interface OutwardHttpClientOptions {
  target: CallTarget;
  /** Base URL; a path prefix (`https://host/prometheus`) is kept. */
  baseUrl: string;
  /** Name of the environment variable holding the bearer token (optional). */
  tokenEnv?: string;
  env?: NodeJS.ProcessEnv;
  /** Hard limit for one attempt, including connect and body (default 10s). */
  timeoutMs?: number;
  /** Extra attempts after the first on 5xx, timeouts and refused/reset connections (default 2). */
  retries?: number;
  /** First backoff; doubled per retry (default 200ms). */
  backoffMs?: number;
  /** Skip TLS verification (lab instances only). */
  insecure?: boolean;
  ledger?: CallLedger;
  /** Injected for tests so backoff never really sleeps. */
  sleep?: (ms: number) => Promise<void>;
}

export interface OutwardRequest {
  /** Values for `{name}` placeholders in the path template, URI-encoded. */
  pathParams?: Record<string, string>;
  /** Query string values; undefined values are left out; arrays repeat the key. */
  query?: Record<string, string | number | readonly string[] | undefined>;
}

export interface OutwardHttpClient {
  /** GET a JSON document. `pathTemplate` (e.g. `/api/v1/applications/{name}`) names the call. */
  getJson<T = unknown>(pathTemplate: string, request?: OutwardRequest): Promise<T>;
  /** The base URL as configured (no credentials), for building links. */
  readonly baseUrl: string;
  /** The underlying axios instance (no interceptors that count: prefer getJson). */
  readonly axios: AxiosInstance;
}

const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Fills `{name}` placeholders with URI-encoded values; an unknown placeholder is an error. */
export function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`missing path parameter '${key}' for ${template}`);
    return encodeURIComponent(value);
  });
}

function queryString(query: OutwardRequest["query"]): string {
  if (!query) return "";
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) search.append(key, item);
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** Short, safe text out of an error body: Prometheus/Argo CD `error`/`message` fields first. */
function bodyMessage(body: unknown, raw: string): string {
  if (body && typeof body === "object") {
    const record = body as Record<string, unknown>;
    for (const key of ["error", "message"]) {
      const value = record[key];
      if (typeof value === "string" && value) return value;
    }
  }
  return raw.trim().slice(0, 200);
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}

export function createOutwardHttpClient(options: OutwardHttpClientOptions): OutwardHttpClient {
  const env = options.env ?? process.env;
  const token = options.tokenEnv ? env[options.tokenEnv] : undefined;
  registerSecret(token);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 200;
  const sleep = options.sleep ?? defaultSleep;
  const ledger = options.ledger ?? callLedger;
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const label = options.target === "argocd" ? "Argo CD" : capitalize(options.target);

  const instance = axios.create({
    baseURL: baseUrl,
    timeout: timeoutMs,
    // Status codes are classified below; redirects could carry the token elsewhere.
    validateStatus: () => true,
    maxRedirects: 0,
    proxy: false,
    responseType: "text",
    transformResponse: [(data: unknown) => data],
    maxContentLength: 64 * 1024 * 1024,
    headers: {
      Accept: "application/json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    ...(options.insecure ? { httpsAgent: new https.Agent({ rejectUnauthorized: false }) } : {}),
  });

  const safe = (text: string) => {
    const cleaned = token ? text.split(token).join("***") : text;
    return redact(cleaned);
  };

  async function attempt(path: string, endpoint: string): Promise<AxiosResponse<string>> {
    return countedCall(
      options.target,
      endpoint,
      () => instance.get<string>(path, { signal: AbortSignal.timeout(timeoutMs) }),
      ({ result, error }) => {
        if (result) return { status: result.status, ...rateLimit(result) };
        if (isAxiosError(error) && error.response) return { status: error.response.status };
        return { status: "error" };
      },
      ledger,
    );
  }

  function classifyTransport(error: unknown, endpoint: string): OutwardHttpError {
    const code = isAxiosError(error) ? error.code : undefined;
    const cause = isAxiosError(error) ? (error.cause as { code?: string } | undefined) : undefined;
    const anyCode = cause?.code ?? code ?? "";
    if (
      code === "ECONNABORTED" ||
      code === "ERR_CANCELED" ||
      code === "ETIMEDOUT" ||
      anyCode === "ETIMEDOUT"
    ) {
      return new OutwardHttpError(
        "timeout",
        `${label} did not answer ${endpoint} within ${timeoutMs}ms`,
      );
    }
    const detail = anyCode || (error instanceof Error ? error.message : String(error));
    return new OutwardHttpError(
      "unreachable",
      safe(`${label} unreachable at ${baseUrl} (${endpoint}): ${detail}`),
    );
  }

  async function getJson<T>(pathTemplate: string, request: OutwardRequest = {}): Promise<T> {
    const endpoint = `GET ${pathTemplate}`;
    if (options.tokenEnv && !token) {
      throw new OutwardHttpError(
        "unauthorized",
        `${label} token missing: environment variable ${options.tokenEnv} is not set`,
      );
    }
    const path = fillPath(pathTemplate, request.pathParams) + queryString(request.query);
    let lastError: OutwardHttpError | undefined;
    for (let tryNo = 0; tryNo <= retries; tryNo++) {
      if (tryNo > 0) await sleep(backoffMs * 2 ** (tryNo - 1));
      let response: AxiosResponse<string>;
      try {
        response = await attempt(path, endpoint);
      } catch (error) {
        lastError = classifyTransport(error, endpoint);
        const code = isAxiosError(error) ? error.code : undefined;
        const causeCode = isAxiosError(error)
          ? (error.cause as { code?: string } | undefined)?.code
          : undefined;
        const transient =
          lastError.kind === "timeout" ||
          TRANSIENT_CODES.has(code ?? "") ||
          TRANSIENT_CODES.has(causeCode ?? "");
        if (transient) continue;
        throw lastError;
      }
      const raw = typeof response.data === "string" ? response.data : String(response.data ?? "");
      const parsed = parseJson(raw);
      const status = response.status;
      if (status >= 200 && status < 300) {
        if (!parsed.ok) {
          throw new OutwardHttpError(
            "malformed",
            safe(`${label} answered ${endpoint} with a body that is not JSON`),
            status,
          );
        }
        return parsed.value as T;
      }
      const body = parsed.ok ? parsed.value : undefined;
      const text = safe(bodyMessage(body, raw));
      const suffix = text ? `: ${text}` : "";
      if (status === 401 || status === 403) {
        throw new OutwardHttpError(
          "unauthorized",
          `${label} refused ${endpoint} (HTTP ${status})${options.tokenEnv ? `; check the token in ${options.tokenEnv}` : ""}${suffix}`,
          status,
          body,
        );
      }
      if (status >= 500) {
        lastError = new OutwardHttpError(
          "server",
          `${label} failed ${endpoint} (HTTP ${status})${suffix}`,
          status,
          body,
        );
        continue;
      }
      throw new OutwardHttpError(
        "client",
        `${label} rejected ${endpoint} (HTTP ${status})${suffix}`,
        status,
        body,
      );
    }
    throw lastError ?? new OutwardHttpError("unreachable", `${label} call ${endpoint} failed`);
  }

  return { getJson, baseUrl, axios: instance };
}

function rateLimit(response: AxiosResponse): { rateLimitRemaining?: number } {
  const header = response.headers["x-ratelimit-remaining"];
  const value = typeof header === "string" ? Number(header) : Number.NaN;
  return Number.isFinite(value) ? { rateLimitRemaining: value } : {};
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
