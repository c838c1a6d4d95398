/** Placeholders a promotion path template may use. */
export const PATH_PLACEHOLDERS = ["cluster"] as const;

/**
 * Why a promotion path template is unsafe or useless, or undefined when it is fine. The path
 * is written into a checkout of the target repository, so it must stay inside it.
 */
export function pathTemplateProblem(template: string): string | undefined {
  if (template.includes("\0")) return "contains a NUL character";
  if (template.includes("\\")) return "contains a backslash: separate folders with /";
  if (template.startsWith("/") || /^[A-Za-z]:/.test(template)) {
    return "is absolute: write it relative to the repository root";
  }
  const segments = template.split("/");
  if (segments.includes("..")) return "has a '..' segment, which would leave the repository";
  if (segments.some((segment) => segment.toLowerCase() === ".git")) {
    return "points into .git, which is not part of the repository's files";
  }
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    const name = match[1] ?? "";
    if (!(PATH_PLACEHOLDERS as readonly string[]).includes(name)) {
      return `uses the unknown placeholder {${name}}: only {cluster} is replaced`;
    }
  }
  if (!template.includes("{cluster}")) {
    return "does not contain {cluster}, so every cluster would share one file: add {cluster}, e.g. clusters/{cluster}/kustomization.yaml";
  }
  return undefined;
}

/** Why a cluster name cannot stand in for `{cluster}` in a path, or undefined when it can. */
export function clusterNameProblem(name: string): string | undefined {
  if (name.includes("\0")) return "contains a NUL character";
  if (name.includes("/") || name.includes("\\")) return "contains a slash";
  if (name === "." || name === "..") return "is a relative folder name";
  if (name.trim() !== name || name === "") return "has leading or trailing spaces";
  return undefined;
}
