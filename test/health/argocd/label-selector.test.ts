import { describe, expect, it } from "vitest";
import {
  matchesSelector,
  parseSelector,
  unionSelector,
} from "../../../src/health/argocd/label-selector.js";

describe("label selectors", () => {
  it("parses every operator", () => {
    expect(parseSelector("a=1, b==2,c!=3,d in (x, y),e notin (z),f,!g")).toEqual([
      { key: "a", op: "in", values: ["1"] },
      { key: "b", op: "in", values: ["2"] },
      { key: "c", op: "notin", values: ["3"] },
      { key: "d", op: "in", values: ["x", "y"] },
      { key: "e", op: "notin", values: ["z"] },
      { key: "f", op: "exists" },
      { key: "g", op: "absent" },
    ]);
  });

  it("matches labels", () => {
    const labels = { cluster: "c1", "app.kubernetes.io/part-of": "shop" };
    expect(matchesSelector(parseSelector("cluster=c1"), labels)).toBe(true);
    expect(matchesSelector(parseSelector("cluster=c2"), labels)).toBe(false);
    expect(
      matchesSelector(parseSelector("app.kubernetes.io/part-of=shop,cluster in (c1,c3)"), labels),
    ).toBe(true);
    expect(matchesSelector(parseSelector("team!=dev"), labels)).toBe(true);
    expect(matchesSelector(parseSelector("team"), labels)).toBe(false);
    expect(matchesSelector(parseSelector("cluster=c1"), undefined)).toBe(false);
  });

  it("names the selector and the bad part in errors", () => {
    expect(() => parseSelector("cluster=my cluster")).toThrow(
      'label selector "cluster=my cluster": bad key "cluster=my cluster"',
    );
    expect(() => parseSelector("cluster=a/b")).toThrow(
      'label selector "cluster=a/b": bad value "a/b"',
    );
    expect(() => parseSelector("a=1,,b=2")).toThrow('label selector "a=1,,b=2" has an empty term');
    expect(() => parseSelector(" ")).toThrow("label selector is empty");
  });

  it("combines selectors into one server-side selector only when that is exact or a superset", () => {
    expect(unionSelector(["cluster=a"])).toBe("cluster=a");
    expect(unionSelector(["cluster=a", "cluster=b", "cluster=a"])).toBe("cluster in (a,b)");
    expect(unionSelector(["cluster=a", "env=b"])).toBeUndefined();
    expect(unionSelector(["team=dev,cluster=a", "cluster=b"])).toBeUndefined();
    expect(unionSelector([])).toBeUndefined();
    const many = Array.from({ length: 500 }, (_, i) => `cluster=cluster-${i}`);
    expect(unionSelector(many)).toBeUndefined();
  });
});
