// @octokit/webhooks' Node middleware on loopback: verifies X-Hub-Signature-256 and answers,
// nothing else. Usage: node server.mjs <port> <secret>
import { createServer } from "node:http";
import { Webhooks, createNodeMiddleware } from "@octokit/webhooks";

const port = Number(process.argv[2] ?? 0);
const secret = process.argv[3] ?? "bench-secret";
const webhooks = new Webhooks({ secret });
webhooks.onAny(() => {});
const middleware = createNodeMiddleware(webhooks, { path: "/webhooks/github" });
const server = createServer(middleware);
server.listen(port, "127.0.0.1", () => {
  console.log(`octokit webhooks middleware on http://127.0.0.1:${server.address().port}`);
});
