import { posix } from "node:path";
import { clusterNameProblem } from "../config/path-template.js";
import type { WavesConfig } from "../config/waves.schema.js";
import { PlanError } from "./plan-error.js";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The repository path a promotion file template names for one cluster. Throws a PlanError when
 * the cluster name or the result would leave the repository.
 */
export function promotionFilePath(template: string, cluster: string, wave?: string): string {
  const problem = clusterNameProblem(cluster);
  if (problem) {
    throw new PlanError(
      `cluster '${cluster}' ${problem}, so it cannot stand in for {cluster} in '${template}'`,
      { wave, cluster },
    );
  }
  const path = template.replaceAll("{cluster}", cluster);
  const normal = posix.normalize(path);
  const escapes =
    path.includes("\0") ||
    path.includes("\\") ||
    posix.isAbsolute(path) ||
    /^[A-Za-z]:/.test(path) ||
    normal === ".." ||
    normal.startsWith("../") ||
    path.split("/").includes("..") ||
    normal.split("/").some((segment) => segment.toLowerCase() === ".git");
  if (escapes) {
    throw new PlanError(
      `promotion file '${template}' for cluster '${cluster}' becomes '${path}', which is outside the repository's files`,
      { wave, cluster },
    );
  }
  return normal;
}

/**
 * Whether a path is some cluster's promotion file: any path matching a `promotion.files`
 * template with `{cluster}` standing for one path segment.
 */
export function promotionPathMatcher(config: WavesConfig): (path: string) => boolean {
  const patterns = config.promotion.files.map((file) => {
    const source = escapeRegExp(file.path).replaceAll("\\{cluster\\}", "[^/]+");
    return new RegExp(`^${source}$`);
  });
  return (path) => patterns.some((pattern) => pattern.test(path));
}
