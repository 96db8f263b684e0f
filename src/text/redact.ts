/**
 * One redaction for every credential form that can reach a log line or a message: URL user
 * info (`redis://:pw@`, `postgresql://u:pw@`), secret query parameters (`?password=`, `token=`,
 * `key=` …), bot tokens (`/bot123:ABC/` in Bot API URLs, or bare), and API keys (`sk-…`,
 * `Bearer …`). Quotes end a match, so a JSON log line stays valid. What is left shows where (scheme, host, path), never the secret.
 */
const SECRET = "***";

const RULES: [RegExp, string][] = [
  // scheme://user:password@ and scheme://:password@ (Redis's password-only form)
  [/(\b[a-z][\w+.-]*:\/\/[^\s:/@"]*):[^\s@/"]*@/gi, `$1:${SECRET}@`],
  // scheme://token@ without a colon: a bare token as user (rediss://token@host)
  [/(\b[a-z][\w+.-]*:\/\/)[^\s:/@"]{16,}@/gi, `$1${SECRET}@`],
  // query and form parameters that carry secrets
  [
    /([?&;](?:password|passwd|pwd|pass|secret|token|access_token|api[_-]?key|key|auth|sig|signature)=)[^&#\s"]*/gi,
    `$1${SECRET}`,
  ],
  // Telegram bot tokens: 123456:AA… in /bot<token>/ paths and anywhere else
  [/(?<!\d)(\d{3,}):[\w-]{20,}/g, `$1:${SECRET}`],
  // OpenAI-style and similar API keys
  [/\b(sk|rk|pk)-[\w-]{12,}/g, `$1-${SECRET}`],
  [/\b(Bearer|Basic)\s+[\w.~+/=-]{8,}/gi, `$1 ${SECRET}`],
];

export function redact(text: string): string {
  return RULES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}
