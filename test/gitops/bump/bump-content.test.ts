import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PromotionFile } from "../../../src/config/waves.schema.js";
import {
  BumpError,
  bumpContent,
  readRevision,
  restoreContent,
} from "../../../src/gitops/bump/index.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/bump/golden");

interface GoldenCase {
  rule: PromotionFile;
  revision: string;
  previous: string;
  sourceRepo?: string;
  roundTrip?: boolean;
}

const cases = readdirSync(FIXTURES).sort();
const ctx = (c: GoldenCase) => ({
  cluster: "eu-west-1",
  path: "clusters/eu-west-1/file.yaml",
  sourceRepo: c.sourceRepo,
});

describe("bumpContent golden files", () => {
  it("has the fixture cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(13);
  });

  describe.each(cases)("%s", (name) => {
    const dir = join(FIXTURES, name);
    const input = readFileSync(join(dir, "input.yaml"), "utf8");
    const expected = readFileSync(join(dir, "expected.yaml"), "utf8");
    const c = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as GoldenCase;

    it("bumps only the revision scalar, byte for byte", () => {
      expect(input).not.toBe(expected);
      const result = bumpContent(input, c.rule, c.revision, ctx(c));
      expect(result).toEqual({
        content: expected,
        previous: c.previous,
        next: c.revision,
        changed: true,
      });
    });

    it("is a no-op when the file already pins the revision", () => {
      const result = bumpContent(expected, c.rule, c.revision, ctx(c));
      expect(result.changed).toBe(false);
      expect(result.content).toBe(expected);
      expect(result.previous).toBe(c.revision);
      expect(readRevision(expected, c.rule, ctx(c))).toBe(c.revision);
    });

    it.runIf(c.roundTrip !== false)("restores the previous value exactly", () => {
      const result = restoreContent(expected, c.rule, c.previous, ctx(c));
      expect(result.content).toBe(input);
      expect(result.previous).toBe(c.revision);
      expect(result.changed).toBe(true);
    });
  });

  it("fixtures are the raw bytes (no formatter rewrote them)", () => {
    const raw = (name: string) => readFileSync(join(FIXTURES, name, "input.yaml"), "utf8");
    expect(raw("yaml-crlf").split("\r\n").length).toBe(8);
    expect(raw("yaml-index-single-quoted")).toContain("targetRevision: 'main'    # was");
    expect(raw("yaml-flow-map")).toContain("source: {repoURL:");
    expect(raw("yaml-argocd-app")).toContain("waves\n\n\n  destination:");
    expect(raw("yaml-tag-bom").charCodeAt(0)).toBe(0xfeff);
  });
});

const appRule: PromotionFile = {
  path: "clusters/{cluster}/app.yaml",
  kind: "yaml",
  key: "spec.source.targetRevision",
};

describe("restoreContent", () => {
  it("touches only the revision, so unrelated later edits survive the revert", () => {
    const bumped = "spec:\n  replicas: 3\n  source:\n    targetRevision: new1234\n";
    const editedLater = bumped.replace("replicas: 3", "replicas: 5 # scaled by hand");
    const restored = restoreContent(editedLater, appRule, "old1234", {
      cluster: "c1",
      path: "clusters/c1/app.yaml",
    });
    expect(restored.content).toBe(
      "spec:\n  replicas: 5 # scaled by hand\n  source:\n    targetRevision: old1234\n",
    );
    expect(restored.previous).toBe("new1234");
  });

  it("keeps plain numbers-as-text by quoting and reads them back", () => {
    const result = restoreContent("a:\n  b: x\n", { ...appRule, key: "a.b" }, "true", {
      cluster: "c1",
      path: "p.yaml",
    });
    expect(result.content).toBe('a:\n  b: "true"\n');
  });
});

const refRule: PromotionFile = {
  path: "clusters/{cluster}/kustomization.yaml",
  kind: "kustomize-ref",
};
const imageRule: PromotionFile = {
  path: "clusters/{cluster}/kustomization.yaml",
  kind: "kustomize-image",
  image: "ghcr.io/acme/api",
};

describe("bump errors name the cluster, the path and what is wrong", () => {
  const rows: { name: string; content: string; rule: PromotionFile; message: string }[] = [
    {
      name: "missing key",
      content: "spec:\n  source:\n    path: base\n",
      rule: appRule,
      message:
        "key 'spec.source.targetRevision' not found: no key 'targetRevision' under 'spec.source'",
    },
    {
      name: "key under a list",
      content: "spec:\n  - a\n",
      rule: appRule,
      message:
        "key 'spec.source.targetRevision' not found: 'spec' is not a map, so it has no key 'source'",
    },
    {
      name: "selector matches nothing",
      content: "spec:\n  sources:\n    - name: x\n      targetRevision: a\n",
      rule: { ...appRule, key: "spec.sources[name=base].targetRevision" },
      message:
        "key 'spec.sources[name=base].targetRevision' not found: no item of 'spec.sources' has name=base",
    },
    {
      name: "selector matches twice",
      content: "s:\n  - name: b\n    r: 1\n  - name: b\n    r: 2\n",
      rule: { ...appRule, key: "s[name=b].r" },
      message: "key 's[name=b].r' not found: 2 items of 's' have name=b; make it unique",
    },
    {
      name: "index out of range",
      content: "s:\n  - r: 1\n",
      rule: { ...appRule, key: "s[3].r" },
      message: "key 's[3].r' not found: 's' has 1 item(s), no [3]",
    },
    {
      name: "key names a map",
      content: "spec:\n  source:\n    targetRevision: a\n",
      rule: { ...appRule, key: "spec.source" },
      message: "key 'spec.source' not found: 'spec.source' is a map, not a value",
    },
    {
      name: "empty value",
      content: "spec:\n  source:\n    targetRevision:\n",
      rule: appRule,
      message: "the value is empty; pin a revision there first",
    },
    {
      name: "block scalar",
      content: "spec:\n  source:\n    targetRevision: |\n      abc\n",
      rule: appRule,
      message: "the value is a block scalar (| or >); write it on one line to let waves bump it",
    },
    {
      name: "malformed key path",
      content: "a: 1\n",
      rule: { ...appRule, key: "a[x" },
      message: "key 'a[x' has an unclosed '['",
    },
    {
      name: "unparsable YAML",
      content: "spec:\n  a: 1\n  a: 2\n",
      rule: appRule,
      message: "is not valid YAML: Map keys must be unique at line 3, column 3:",
    },
    {
      name: "empty file",
      content: "",
      rule: appRule,
      message: "key 'spec.source.targetRevision' not found: the file is empty",
    },
    {
      name: "multi-doc without the key",
      content: "a: 1\n---\nb: 2\n",
      rule: appRule,
      message:
        "key 'spec.source.targetRevision' not found in none of its 2 documents: no key 'spec' under the document",
    },
    {
      name: "missing image",
      content: "images:\n  - name: nginx\n    newTag: '1'\n",
      rule: imageRule,
      message:
        "image 'ghcr.io/acme/api' newTag not found: no item of 'images' has name=ghcr.io/acme/api",
    },
    {
      name: "image without the field",
      content: "images:\n  - name: ghcr.io/acme/api\n    newName: x/api\n",
      rule: { ...imageRule, field: "newTag" },
      message:
        "image 'ghcr.io/acme/api' newTag not found: no key 'newTag' under 'images[name=ghcr.io/acme/api]'",
    },
    {
      name: "no ref of the source repository",
      content: "resources:\n  - https://github.com/other/repo//base?ref=v1\n  - ./local\n",
      rule: refRule,
      message: "no remote resources/components URL of acme/fleet-gitops with a ?ref= was found",
    },
    {
      name: "remote URL without ref",
      content: "resources:\n  - https://github.com/acme/fleet-gitops//base\n",
      rule: refRule,
      message: "no remote resources/components URL of acme/fleet-gitops with a ?ref= was found",
    },
    {
      name: "no ref containing the match text",
      content: "resources:\n  - https://github.com/acme/fleet-gitops//base?ref=v1\n",
      rule: { ...refRule, match: "gitlab.com/acme" },
      message:
        "no remote resources/components URL containing 'gitlab.com/acme' with a ?ref= was found",
    },
  ];

  it.each(rows)("$name", ({ content, rule, message }) => {
    const ctx = {
      cluster: "eu-west-1",
      path: "clusters/eu-west-1/x.yaml",
      sourceRepo: "acme/fleet-gitops",
    };
    let caught: unknown;
    try {
      bumpContent(content, rule, "abcdef1", ctx);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BumpError);
    const error = caught as BumpError;
    expect(error.cluster).toBe("eu-west-1");
    expect(error.path).toBe("clusters/eu-west-1/x.yaml");
    expect(error.message.startsWith("clusters/eu-west-1/x.yaml (cluster eu-west-1): ")).toBe(true);
    expect(error.detail.startsWith(message)).toBe(true);
  });
});

describe("kustomize-ref matching", () => {
  it("without match or source repository, bumps every remote ref", () => {
    const content = "resources:\n  - https://a.example/x//b?ref=1a\n  - github.com/o/r?ref=1a\n";
    const result = bumpContent(content, refRule, "2b", { cluster: "c", path: "p" });
    expect(result.content).toBe(
      "resources:\n  - https://a.example/x//b?ref=2b\n  - github.com/o/r?ref=2b\n",
    );
  });

  it("does not mistake a longer repository name for the source repository", () => {
    const content = "resources:\n  - https://github.com/acme/fleet-gitops2//b?ref=1a\n";
    expect(() =>
      bumpContent(content, refRule, "2b", {
        cluster: "c",
        path: "p",
        sourceRepo: "acme/fleet-gitops",
      }),
    ).toThrow(BumpError);
  });

  it("reports the first ref as previous and changes refs that differ", () => {
    const content =
      "resources:\n  - https://github.com/acme/r//a?ref=old1\n  - https://github.com/acme/r//b?ref=new2\n";
    const result = bumpContent(content, refRule, "new2", {
      cluster: "c",
      path: "p",
      sourceRepo: "acme/r",
    });
    expect(result.previous).toBe("old1");
    expect(result.changed).toBe(true);
    expect(result.content).toBe(
      "resources:\n  - https://github.com/acme/r//a?ref=new2\n  - https://github.com/acme/r//b?ref=new2\n",
    );
  });

  it("bumps the older ?version= parameter as well", () => {
    const content = "resources:\n  - github.com/acme/r/base?timeout=90s&version=v1 # old style\n";
    const result = bumpContent(content, refRule, "abc1234", {
      cluster: "c",
      path: "p",
      sourceRepo: "acme/r",
    });
    expect(result).toEqual({
      content: "resources:\n  - github.com/acme/r/base?timeout=90s&version=abc1234 # old style\n",
      previous: "v1",
      next: "abc1234",
      changed: true,
    });
  });

  it("keeps a plain block URL with a comma plain (it is only unsafe in flow context)", () => {
    const content = "resources:\n  - https://github.com/acme/r//a,b?ref=v1\n";
    const result = bumpContent(content, refRule, "v2", {
      cluster: "c",
      path: "p",
      sourceRepo: "acme/r",
    });
    expect(result.content).toBe("resources:\n  - https://github.com/acme/r//a,b?ref=v2\n");
  });

  it("quotes a plain URL when the new ref needs it, and still reads it back", () => {
    const content = "resources:\n  - https://github.com/acme/r//a?ref=v1\n";
    const result = bumpContent(content, refRule, "v1,2", {
      cluster: "c",
      path: "p",
      sourceRepo: "acme/r",
    });
    expect(result.content).toBe('resources:\n  - "https://github.com/acme/r//a?ref=v1,2"\n');
    expect(
      readRevision(result.content, refRule, { cluster: "c", path: "p", sourceRepo: "acme/r" }),
    ).toBe("v1,2");
  });
});
