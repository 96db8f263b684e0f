/**
 * This year's report, an excerpt: it reports on 三项制度 only; 宣传 appears only among next
 * year's plans. Used with panlong-2023 as last year's report.
 */
export const PANLONG_2024_EXCERPT = "test/fixtures/reports/panlong-2024-excerpt.txt";
