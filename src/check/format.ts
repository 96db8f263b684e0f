import type { CheckResult, ItemStatus, WarningKind } from "./types.js";

/** The verdict as readable Chinese text: one line per item, then the warnings. */

const MARKS: Record<ItemStatus, string> = { present: "✓", weak: "△", missing: "✗" };

const WARNING_NAMES: Record<WarningKind, string> = {
  placeholder: "占位符",
  note: "备注未清理",
  year: "年份不符",
  title: "文件名称",
  level: "报告层级",
  "stale-term": "过时提法",
  "review-body": "复议主体",
  numbering: "标题编号",
  "rate-mismatch": "数据核对",
  plan: "计划非报告",
};

export function formatVerdict(result: CheckResult, source?: string): string {
  const count = (status: ItemStatus): number =>
    result.items.filter((i) => i.status === status).length;
  const lines = [
    `检查结果${source ? `（${source}）` : ""}：齐全 ${count("present")} 项，单薄 ${count("weak")} 项，缺少 ${count("missing")} 项`,
    "✓ 齐全　△ 单薄　✗ 缺少",
    "",
    ...result.items.map((i) => `${MARKS[i.status]} ${i.title}：${i.evidence}`),
  ];
  if (result.warnings.length > 0) {
    lines.push("", `需要注意（${result.warnings.length}）：`);
    for (const w of result.warnings) {
      lines.push(`! [${WARNING_NAMES[w.kind]}] ${w.text}——${w.evidence}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
