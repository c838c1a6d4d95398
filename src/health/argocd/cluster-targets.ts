/**
 * Where each cluster's applications live: which Argo CD instance, and how they are picked out
 * of that instance's application list (label selector or destination).
 */
import type { ArgoCdInstance, WavesConfig } from "../../config/waves.schema.js";
import { parseSelector, type Requirement, SelectorError } from "./label-selector.js";

/** The instance name used when `argocd` is a single instance rather than a map. */
export const SINGLE_INSTANCE = "default";

export interface InstanceRef extends ArgoCdInstance {
  name: string;
}

export type AppMatch =
  | { kind: "selector"; selector: string; requirements: Requirement[] }
  | { kind: "destination"; name?: string; server?: string };

export type ClusterTarget =
  | {
      ok: true;
      cluster: string;
      instance: InstanceRef;
      match: AppMatch;
      expectedApps?: number;
    }
  | { ok: false; cluster: string; reason: string };

/** The configured instances by name (a single instance is named `default`). */
export function argoCdInstances(config: WavesConfig): Map<string, InstanceRef> {
  const out = new Map<string, InstanceRef>();
  const argocd = config.argocd;
  if (!argocd) return out;
  if (typeof (argocd as { url?: unknown }).url === "string") {
    out.set(SINGLE_INSTANCE, { ...(argocd as ArgoCdInstance), name: SINGLE_INSTANCE });
    return out;
  }
  for (const [name, instance] of Object.entries(argocd as Record<string, ArgoCdInstance>)) {
    out.set(name, { ...instance, name });
  }
  return out;
}

/** How to describe an app match in a reason: `selector cluster=dev-1` or `destination name dev-1`. */
export function describeMatch(match: AppMatch): string {
  if (match.kind === "selector") return `selector ${match.selector}`;
  const parts = [];
  if (match.name) parts.push(`name ${match.name}`);
  if (match.server) parts.push(`server ${match.server}`);
  return `destination ${parts.join(" and ")}`;
}

export function resolveClusterTarget(
  config: WavesConfig,
  instances: Map<string, InstanceRef>,
  cluster: string,
): ClusterTarget {
  const own = config.clusters?.[cluster]?.argocd;
  const field = `clusters.${cluster}.argocd`;
  if (instances.size === 0) {
    return {
      ok: false,
      cluster,
      reason: "no Argo CD configured: add argocd.url to .github/waves.yml",
    };
  }
  let instance: InstanceRef | undefined;
  if (own?.instance) {
    instance = instances.get(own.instance);
    if (!instance && !(instances.size === 1 && instances.has(SINGLE_INSTANCE))) {
      return {
        ok: false,
        cluster,
        reason: `${field}.instance names "${own.instance}", which is not under argocd (known: ${[...instances.keys()].join(", ")})`,
      };
    }
    instance ??= instances.get(SINGLE_INSTANCE);
  } else if (instances.size === 1) {
    instance = [...instances.values()][0];
  } else {
    return {
      ok: false,
      cluster,
      reason: `several Argo CD instances are configured: set ${field}.instance to one of ${[...instances.keys()].join(", ")}`,
    };
  }
  if (!instance)
    return { ok: false, cluster, reason: `no Argo CD instance for cluster ${cluster}` };

  const expected = own?.expectedApps !== undefined ? { expectedApps: own.expectedApps } : {};
  if (own?.destinationName || own?.destinationServer) {
    const match: AppMatch = {
      kind: "destination",
      ...(own.destinationName ? { name: own.destinationName } : {}),
      ...(own.destinationServer ? { server: own.destinationServer } : {}),
    };
    return { ok: true, cluster, instance, match, ...expected };
  }
  const template = own?.appSelector ?? instance.appSelector ?? "cluster={cluster}";
  const source = own?.appSelector
    ? `${field}.appSelector`
    : instance.appSelector
      ? "argocd.appSelector"
      : "the default selector";
  const selector = template.split("{cluster}").join(cluster);
  try {
    const requirements = parseSelector(selector);
    return {
      ok: true,
      cluster,
      instance,
      match: { kind: "selector", selector, requirements },
      ...expected,
    };
  } catch (error) {
    const detail = error instanceof SelectorError ? error.message : String(error);
    return { ok: false, cluster, reason: `${source} is not a valid label selector: ${detail}` };
  }
}
