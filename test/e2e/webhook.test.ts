import { createServer, type IncomingMessage, request, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookSecret } from "../../src/bot/webhook.js";
import { BUTTONS } from "../../src/interview/callbacks.js";
import { questionsOf } from "../../src/interview/progress.js";
import { Store } from "../../src/store/store.js";
import { serverBackends, testNamespace } from "../helpers/backends.js";
import { template } from "../helpers/harness.js";
import { type BotProcess, freePort, Person, startBot, startEmulator, TOKEN } from "./emulator.js";

const redis = serverBackends().find((b) => b.name === "redis");
const ORGS = 20;
/**
 * How long a person waits for a reply before the test fails: generous, because on a loaded
 * 2-core machine 200 people, the emulator and two bots share the CPU (no timing is tested).
 */
const REPLY_MS = 60_000;
const PER_ORG = 10;
/** 补充 sent by each of two members of one org to the same answer, at the same time. */
const APPENDS_EACH = 15;
/** The least time between two updates of one person in that test. */
const TYPING_MS = 400;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const namespace = testNamespace();
let server: Awaited<ReturnType<typeof startEmulator>>;
let balancer: Server;
let ports: number[] = [];
let bots: BotProcess[] = [];
let delivered = [0, 0];

/** A round-robin load balancer that also adds the secret header, as Telegram itself sends it. */
function startBalancer(port: number, targets: number[]): Promise<Server> {
  let next = 0;
  const lb = createServer((req: IncomingMessage, res) => {
    const index = next++ % targets.length;
    delivered[index] = (delivered[index] ?? 0) + 1;
    const upstream = request(
      {
        host: "127.0.0.1",
        port: targets[index],
        path: req.url,
        method: req.method,
        headers: { ...req.headers, "x-telegram-bot-api-secret-token": webhookSecret(TOKEN) },
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on("error", () => {
      res.statusCode = 502;
      res.end();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => lb.listen(port, "127.0.0.1", () => resolve(lb)));
}

describe.skipIf(!redis)("two webhook instances behind a load balancer, sharing Redis", () => {
  beforeAll(async () => {
    server = await startEmulator();
    const lbPort = await freePort();
    ports = [await freePort(), await freePort()];
    balancer = await startBalancer(lbPort, ports);
    const common = {
      TELEGRAM_API_ROOT: server.config.apiURL,
      STORE_URL: redis?.url ?? "",
      STORE_NAMESPACE: namespace,
      WEBHOOK_URL: `http://127.0.0.1:${lbPort}/telegram`,
      HOST: "127.0.0.1",
    };
    bots = await Promise.all(
      ports.map((port, i) =>
        startBot({ ...common, PORT: String(port), REMINDERS: i === 0 ? "on" : "off" }),
      ),
    );
    delivered = [0, 0];
  }, 60_000);

  afterAll(async () => {
    await Promise.all(bots.map((b) => (b.child.exitCode === null ? b.stop() : null)));
    balancer?.close();
    await server?.stop();
  });

  it("refuses updates without Telegram's secret and serves a health check", async () => {
    const post = (headers: Record<string, string>, path = "/telegram") =>
      fetch(`http://127.0.0.1:${ports[0]}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ update_id: 1 }),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ "x-telegram-bot-api-secret-token": "guess" })).status).toBe(401);
    expect(
      (await post({ "x-telegram-bot-api-secret-token": webhookSecret(TOKEN) }, "/other")).status,
    ).toBe(404);
    expect(await (await fetch(`http://127.0.0.1:${ports[1]}/healthz`)).text()).toBe("ok");
  });

  it("serves 200 interleaved users with no answer lost or duplicated", async () => {
    const questions = questionsOf(template).slice(0, PER_ORG);
    const admins = Array.from(
      { length: ORGS },
      (_, o) => new Person(server, 50_000 + o * 100, `管理员${o}`),
    );
    // Every org is registered at the same time.
    const codes = await Promise.all(
      admins.map(async (admin, o) => {
        // A person waits for each reply before typing the next message.
        const steps: [string, string][] = [
          ["/start", "请输入单位全称"],
          [`测试${o}镇`, "是乡、镇还是街道"],
          ["镇", "的上级是哪个县"],
          ["测试县", "报告哪一年度的工作"],
          ["2025", "已登记："],
        ];
        let done = "";
        for (const [text, reply] of steps) {
          await admin.say(text);
          done = await admin.expect(reply, REPLY_MS);
        }
        return /\/join ([2-9A-Z]{8})/.exec(done)?.[1] ?? "";
      }),
    );
    const people = admins.flatMap((admin, o) => [
      admin,
      ...Array.from(
        { length: PER_ORG - 1 },
        (_, i) => new Person(server, 50_000 + o * 100 + i + 1, `同事${o}-${i}`),
      ),
    ]);
    // Everyone joins, then answers a question of their own, all interleaved.
    await Promise.all(
      people.map(async (person, n) => {
        const o = Math.floor(n / PER_ORG);
        if (n % PER_ORG !== 0) {
          await person.say(`/join ${codes[o]}`);
          await person.expect("已加入", REPLY_MS);
        }
        const question = questions[n % PER_ORG];
        await person.say(`/edit ${question?.id}`);
        await person.expect("请发送新的回答", REPLY_MS);
        await person.say(`答案${n}：全年开展${n + 1}次`);
        await person.expect("✅", REPLY_MS);
      }),
    );
    expect(delivered[0]).toBeGreaterThan(100);
    expect(delivered[1]).toBeGreaterThan(100);

    const store = Store.open(redis?.url, namespace);
    let found = 0;
    for (const [o, admin] of admins.entries()) {
      const member = await store.getMember(admin.id);
      const org = member && (await store.getOrg(member.orgId));
      expect(org?.name).toBe(`测试${o}镇`);
      if (!org) continue;
      const answers = await store.getAnswers(
        org,
        questions.map((q) => q.id),
      );
      for (const [i, q] of questions.entries()) {
        const n = o * PER_ORG + i;
        const answer = answers.get(q.id);
        expect(answer?.text, `${org.name} ${q.id}`).toBe(`答案${n}：全年开展${n + 1}次`);
        expect(answer?.history).toBeUndefined();
        found += 1;
      }
      expect((await store.listMembers(org.id)).length).toBe(PER_ORG);
    }
    expect(found).toBe(ORGS * PER_ORG);
    await store.close();
  }, 300_000);

  it("keeps every acknowledged 补充 of two members appending to one answer at once", async () => {
    const question = questionsOf(template)[0];
    if (!question) throw new Error("no questions");
    const admin = new Person(server, 70_000, "管理员");
    const steps: [string, string][] = [
      ["/start", "请输入单位全称"],
      ["补充镇", "是乡、镇还是街道"],
      ["镇", "的上级是哪个县"],
      ["测试县", "报告哪一年度的工作"],
      ["2025", "已登记："],
    ];
    let registered = "";
    for (const [text, reply] of steps) {
      await admin.say(text);
      registered = await admin.expect(reply, REPLY_MS);
    }
    const code = /\/join ([2-9A-Z]{8})/.exec(registered)?.[1] ?? "";
    const colleague = new Person(server, 70_001, "同事");
    await colleague.say(`/join ${code}`);
    await colleague.expect("已加入", REPLY_MS);
    // Registration ends with the first question: the admin answers it.
    await admin.say("第一段");
    await admin.expect("✅", REPLY_MS);

    // Both press 补充 and send, again and again, at the same time, through both instances.
    const acknowledged: string[] = [];
    const before = [...delivered];
    const appendAll = async (person: Person, who: string) => {
      for (let i = 1; i <= APPENDS_EACH; i++) {
        // A pause between updates keeps each person under the bot's rate limit (30 in 10 s), as
        // a person typing is; both still write to the answer at the same time.
        await pause(TYPING_MS);
        await person.press(BUTTONS.append.pack(question.id));
        await person.expectNth("请发送要补充的内容", i, REPLY_MS);
        await pause(TYPING_MS);
        await person.say(`${who}补充${i}`);
        await person.expectNth("✅ 已补充", i, REPLY_MS);
        acknowledged.push(`${who}补充${i}`);
      }
    };
    await Promise.all([appendAll(admin, "甲"), appendAll(colleague, "乙")]);
    // Both instances served the appends (round robin: a press and its text reach different ones).
    expect((delivered[0] ?? 0) - (before[0] ?? 0)).toBeGreaterThanOrEqual(2 * APPENDS_EACH - 2);
    expect((delivered[1] ?? 0) - (before[1] ?? 0)).toBeGreaterThanOrEqual(2 * APPENDS_EACH - 2);

    const store = Store.open(redis?.url, namespace);
    const member = await store.getMember(admin.id);
    const org = member && (await store.getOrg(member.orgId));
    const answer = org && (await store.getAnswer(org, question.id));
    const lines = answer?.text.split("\n") ?? [];
    await store.close();
    expect(acknowledged).toHaveLength(2 * APPENDS_EACH);
    expect(lines[0]).toBe("第一段");
    expect(lines.slice(1).toSorted()).toEqual(acknowledged.toSorted());
  }, 600_000);

  it("shuts both instances down gracefully on SIGTERM", async () => {
    const codes = await Promise.all(bots.map((b) => b.stop()));
    expect(codes).toEqual([0, 0]);
    for (const b of bots) expect(b.stderr()).toContain('"msg":"stopped"');
  });
});
