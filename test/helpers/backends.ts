import { randomBytes } from "node:crypto";

/**
 * The store backends the repository tests run against: SQLite and memory always; Redis and
 * PostgreSQL when .ci/run (or a developer) started them and exported their URLs. In CI a missing
 * server is a failure; elsewhere the suite says why it skips them.
 */
export interface Backend {
  name: string;
  url: string;
}

const SERVERS = [
  { name: "redis", env: "TEST_REDIS_URL" },
  { name: "postgresql", env: "TEST_POSTGRES_URL" },
] as const;

export function serverBackends(): Backend[] {
  const found: Backend[] = [];
  for (const { name, env } of SERVERS) {
    const url = process.env[env];
    if (url) found.push({ name, url });
    else if (process.env.CI)
      throw new Error(`${env} is not set: .ci/run starts ${name} for the store tests`);
    else
      console.log(
        `skipping the ${name} store tests: ${env} is not set (run \`source .ci/services.sh; start_services\`)`,
      );
  }
  return found;
}

/** A namespace of its own for each run, so runs sharing one server never see each other's keys. */
export function testNamespace(): string {
  return `fazhi-test-${randomBytes(4).toString("hex")}`;
}
