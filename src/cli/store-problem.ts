import { STORE_CHECK } from "../messages/zh.js";
import { problemDetail, type StoreProblem } from "../store/health.js";

/** The store check's finding, Chinese then English (start-up and `doctor`). */
export function describeProblem(problem: StoreProblem): string {
  return STORE_CHECK.failed(
    problem.where,
    STORE_CHECK.problems[problem.kind],
    problemDetail(problem),
  );
}
