import { describe, expect, it } from "vitest";
import { shorten } from "../../src/text/shorten.js";
import { replaceTitles, titleSpans } from "../../src/text/titles.js";

describe("titleSpans", () => {
  it.each([
    [
      "依据《宪法》和《民法典》。",
      [
        [2, 6],
        [7, 12],
      ],
    ],
    ["《关于印发《工作要点》的通知》后", [[0, 15]]],
    ["未闭合《标题\n下一行》", []],
    ["多余的》和《完整》", [[5, 9]]],
    ["没有书名号", []],
  ])("%s", (text, spans) => {
    expect(titleSpans(text)).toEqual(spans);
  });
});

describe("replaceTitles", () => {
  it("replaces each outermost title and keeps the rest", () => {
    expect(
      replaceTitles("学习《宪法》2次，《关于《要点》的通知》1份", (s) => "□".repeat(s.length)),
    ).toBe("学习□□□□2次，□□□□□□□□□□□1份");
    expect(replaceTitles("无标题", () => "x")).toBe("无标题");
  });
});

describe("shorten", () => {
  it("cuts by characters and marks the cut", () => {
    expect(shorten("一二三四五", 5)).toBe("一二三四五");
    expect(shorten("一二三四五六", 5)).toBe("一二三四…");
    expect(shorten("😀😀😀", 2)).toBe("😀…");
  });
});
