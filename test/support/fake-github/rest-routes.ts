/** The REST subset the app uses, over the fake's in-memory state and bare repositories. */
import { appRoutes } from "./app-routes.js";
import { checkRunRoutes } from "./check-run-routes.js";
import type { FakeGitHub } from "./fake-github.js";
import type { Route } from "./fake-router.js";
import { issueRoutes } from "./issue-routes.js";
import { pullRoutes } from "./pull-routes.js";
import { routeKit } from "./route-kit.js";

export function restRoutes(fake: FakeGitHub): Route[] {
  const kit = routeKit(fake);
  return [
    ...appRoutes(fake, kit),
    ...pullRoutes(fake, kit),
    ...issueRoutes(fake, kit),
    ...checkRunRoutes(fake, kit),
  ];
}
