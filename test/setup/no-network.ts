import nock from "nock";
import { afterEach } from "vitest";

// Tests never reach the network: only loopback servers the tests start themselves.
nock.disableNetConnect();
nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host));

afterEach(() => {
  nock.cleanAll();
});
