import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Keyv from "keyv";
import { Store } from "../../src/store/store.js";
import { docxOf } from "../check/docx.js";
import { Harness, NOW } from "../helpers/harness.js";
import { inviteCode, registerOrg, type TeamBot } from "../team/team-helpers.js";
import type { Rng } from "./rng.js";
import { JournalMap, journaledAtomic } from "./state.js";
import { mixedText } from "./text.js";

export const A1 = 1001; // admin of org A
export const A2 = 1002; // colleague in org A, owns one section
export const B1 = 2001; // admin of org B
/** Strangers: not members of anything when the run starts (some register orgs during it). */
export const STRANGERS = Array.from({ length: 30 }, (_, i) => 900_001 + i);

/** What org A's answers and name say: none of it may reach anyone outside org A. */
export const ORG_A_NAME = "青石岭镇";
export const ORG_A_SECRETS = [ORG_A_NAME, "执法人员18名", "规范性文件7件", "复议案件3宗"];

export interface FuzzWorld extends TeamBot {
  map: JournalMap;
  orgA: string;
  orgB: string;
  codeA: string;
  localFiles: string[];
}

/**
 * Two orgs on a journaling memory store (records and atomic counters and sets in one Map): org A
 * with answers, an assignment and a draft, org B with its admin.
 */
export async function fuzzWorld(dir: string, rng: Rng): Promise<FuzzWorld> {
  const map = new JournalMap();
  const store = new Store(new Keyv({ store: map, namespace: "fazhi" }), journaledAtomic(map));
  const clock = { now: new Date(NOW) };
  const h = new Harness(store, { now: () => clock.now });
  const t: TeamBot = { map, store, clock, h };

  const orgA = (await registerOrg(t, A1, ORG_A_NAME, "小王")).id;
  const admin = h.chat(A1, "小王");
  await admin.send("依据县委县政府的部署，对照《法治政府建设实施纲要》开展工作。");
  await admin.press("sec:rules");
  await admin.send("本镇2025年印发规范性文件7件，均经合法性审核。");
  await admin.press("re:disputes.review");
  await admin.send("全年办理行政复议案件3宗，无被纠错案件。");
  const codeA = await inviteCode(t, A1, "days");
  const colleague = h.chat(A2, "老李");
  await colleague.send(`/join ${codeA}`);
  await admin.press("as:enforcement");
  await admin.press(`asm:enforcement:${A2}`);
  await colleague.send("/next");
  await colleague.send("综合执法队执法人员18名，持证率100%。");
  await admin.send("/draft");
  const orgB = (await registerOrg(t, B1, "城关街道", "小赵")).id;

  return { map, store, clock, h, orgA, orgB, codeA, localFiles: await localFiles(h, dir, rng) };
}

/** Files getFile can serve (absolute paths, as a local Bot API server gives): odd contents. */
async function localFiles(h: Harness, dir: string, rng: Rng): Promise<string[]> {
  const random = (n: number) => Buffer.from(Array.from({ length: n }, () => rng.int(0, 255)));
  const files: Record<string, Buffer | string> = {
    "random-bytes": random(3000),
    empty: Buffer.alloc(0),
    "utf16-text": Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(mixedText(rng, 400), "utf16le"),
    ]),
    "zip-not-docx": Buffer.concat([Buffer.from("PK\u0003\u0004"), random(500)]),
    "real-docx": await docxOf(mixedText(rng, 2000)),
    "over-5mb": Buffer.alloc(5 * 1024 * 1024 + 7, 0x61),
    "nul-bytes": Buffer.alloc(1000, 0),
  };
  const ids: string[] = [];
  for (const [id, content] of Object.entries(files)) {
    const path = join(dir, id);
    writeFileSync(path, content);
    h.api.addFile(`local-${id}`, path, Buffer.byteLength(content));
    ids.push(`local-${id}`);
  }
  const report = join(dir, "report.txt");
  copyFileSync(new URL("../fixtures/check/hongqiao-2024.txt", import.meta.url), report);
  h.api.addFile("local-report", report, 0);
  ids.push("local-report");
  return ids;
}
