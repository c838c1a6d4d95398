/** Helpers every route file shares: the repository of a request, paging, the caller's login. */
import type { FakeGitHub, FakeRepo } from "./fake-github.js";
import {
  type Caller,
  notFound,
  paginate,
  type RouteRequest,
  type RouteResponse,
} from "./fake-router.js";
import type { FakePull } from "./fake-state.js";

export interface RouteKit {
  repoOf(r: RouteRequest): FakeRepo | undefined;
  withRepo(
    handler: (repo: FakeRepo, r: RouteRequest) => Promise<RouteResponse> | RouteResponse,
  ): (r: RouteRequest) => Promise<RouteResponse> | RouteResponse;
  self(r: RouteRequest): string;
  list<T>(r: RouteRequest, items: T[]): RouteResponse;
  pull(repo: FakeRepo, n: string | undefined): FakePull | undefined;
  callerLogin(c: Caller): string;
  web(): string;
  api(): string;
}

export function routeKit(fake: FakeGitHub): RouteKit {
  const repoOf = (r: RouteRequest): FakeRepo | undefined =>
    fake.repos.get(`${r.params.owner}/${r.params.repo}`.toLowerCase());
  const withRepo =
    (handler: (repo: FakeRepo, r: RouteRequest) => Promise<RouteResponse> | RouteResponse) =>
    (r: RouteRequest) => {
      const repo = repoOf(r);
      return repo ? handler(repo, r) : notFound();
    };
  const self = (r: RouteRequest) =>
    `${fake.apiUrl}${new URL(r.req.url ?? "/", fake.baseUrl).pathname.replace(/^\/api\/v3/, "")}?${r.query.toString()}`;
  const list = <T>(r: RouteRequest, items: T[]): RouteResponse => {
    const { page, headers } = paginate(items, r.query, self(r));
    return { status: 200, body: page, headers };
  };
  const pull = (repo: FakeRepo, n: string | undefined) =>
    repo.pulls.find((p) => p.number === Number(n));
  const callerLogin = (c: Caller) => (c.kind === "installation" ? c.login : fake.bot.login);
  const web = () => fake.baseUrl;
  const api = () => fake.apiUrl;

  return { repoOf, withRepo, self, list, pull, callerLogin, web, api };
}
