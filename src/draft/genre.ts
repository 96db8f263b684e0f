import type { OrgBasics } from "../domain/types.js";
import type { Genre } from "../template/load.js";
import { fillPlaceholders } from "./formal.js";

/** The names a report gives itself, from its report type's report.yaml. */

export type ExportFormat = "docx" | "md";

export function reportTitle(genre: Genre, org: OrgBasics): string {
  return fillPlaceholders(genre.title, org);
}

/** The issuing unit of the 落款 (a 乡/镇 government, a 街道 office …). */
export function issuingUnit(genre: Genre, org: OrgBasics): string {
  return fillPlaceholders(genre.issuer[org.kind], org);
}

export function exportFileName(genre: Genre, org: OrgBasics, format: ExportFormat): string {
  return `${fillPlaceholders(genre.fileName, org)}.${format}`;
}
