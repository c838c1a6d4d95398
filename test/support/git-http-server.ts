/**
 * Smart-HTTP git server over `git-http-backend` for tests (token auth, loopback, OS port).
 * The implementation lives in bench/lib so the benchmark can use it without importing tests.
 */
export {
  type GitHttpServer,
  type GitHttpServerOptions,
  startGitHttpServer,
} from "../../bench/lib/git-http-server.js";
