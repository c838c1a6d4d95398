import { z } from "zod";

/** How one cluster pins the revision: a file per cluster, found through `{cluster}`. */
export const PromotionFile = z
  .strictObject({
    /** Path template relative to the target repository root; must contain `{cluster}`. */
    path: z.string().min(1).meta({
      description: "Path relative to the repository root; must contain {cluster}.",
    }),
    /** How the revision is written in that file. */
    kind: z.enum(["yaml", "kustomize-ref", "kustomize-image"]).meta({
      description:
        "yaml: a dotted key; kustomize-ref: ?ref= of remote resources; kustomize-image: images[].newTag or digest.",
    }),
    /** For `yaml`: dotted key, with list selectors like `spec.sources[name=base].targetRevision`. */
    key: z.string().min(1).optional().meta({
      description: "For kind yaml: dotted key such as spec.sources[name=base].targetRevision.",
    }),
    /** For `kustomize-image`: the image name in `images[]`. */
    image: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "For kind kustomize-image: the image name." }),
    /** For `kustomize-image`: write `newTag` (default) or `digest`. */
    field: z.enum(["newTag", "digest"]).optional().meta({
      description: "For kind kustomize-image: newTag (default) or digest.",
    }),
    /**
     * For `kustomize-ref`: only URLs containing this text are bumped (default: the source
     * repository's `owner/name`).
     */
    match: z.string().min(1).optional().meta({
      description: "For kind kustomize-ref: only remote URLs containing this text are bumped.",
    }),
  })
  .superRefine((file, ctx) => {
    if (file.kind === "yaml" && !file.key) {
      ctx.addIssue({ code: "custom", path: ["key"], message: "is required when kind is yaml" });
    }
    if (file.kind === "kustomize-image" && !file.image) {
      ctx.addIssue({
        code: "custom",
        path: ["image"],
        message: "is required when kind is kustomize-image",
      });
    }
  });
export type PromotionFile = z.output<typeof PromotionFile>;
