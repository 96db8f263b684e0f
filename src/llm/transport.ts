import { createRequire } from "node:module";
import type * as Undici from "undici";
import type { Config } from "../config.js";

/**
 * How the LLM client reaches its endpoint: undici's fetch over a dispatcher of our own, so that
 * the time limits are ours (Node's built-in fetch ends any silent response after 300 s) and a
 * proxy can be used: http(s) proxies through CONNECT (ProxyAgent), SOCKS5 (Socks5ProxyAgent).
 */

export interface ProxySettings {
  url: string;
  /** Hosts reached directly (NO_PROXY); loopback is always direct. */
  noProxy: string[];
}

export interface Dispatcher {
  fetch: typeof globalThis.fetch;
  close(): Promise<void>;
}

/** LLM_PROXY, else HTTPS_PROXY, else ALL_PROXY (upper or lower case); NO_PROXY exempts hosts. */
export function proxySettings(config: Config): ProxySettings | undefined {
  const url =
    config.LLM_PROXY ??
    config.HTTPS_PROXY ??
    config.https_proxy ??
    config.ALL_PROXY ??
    config.all_proxy;
  if (!url) return undefined;
  const list = config.NO_PROXY ?? config.no_proxy ?? "";
  const noProxy = list
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return { url, noProxy };
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** Whether `host` (no port) is reached without the proxy: loopback, `*`, or a NO_PROXY entry. */
export function bypassesProxy(host: string, noProxy: readonly string[]): boolean {
  const name = host.toLowerCase();
  if (LOOPBACK.has(name) || name.endsWith(".localhost")) return true;
  return noProxy.some((entry) => {
    if (entry === "*") return true;
    const bare = entry.replace(/:\d+$/, "").replace(/^\*?\./, "");
    return name === bare || name.endsWith(`.${bare}`);
  });
}

/**
 * undici file by file: its index loads all of undici (mock agents, caches, WebSocket,
 * EventSource…), ~110 ms of CPU at every start of `draft` and of the bot, where a direct
 * connection needs only fetch and an Agent (issue 17): those come from the files the index
 * exports them from (undici is pinned). The proxy agents need the index (it adds the
 * `connect()` they call to every dispatcher), loaded only when a proxy is set.
 */
const requireUndici = createRequire(import.meta.url);
const undici = {
  fetch: () =>
    (requireUndici("undici/lib/web/fetch/index.js") as { fetch: typeof Undici.fetch }).fetch,
  Agent: () => requireUndici("undici/lib/dispatcher/agent.js") as typeof Undici.Agent,
  all: () => requireUndici("undici") as typeof Undici,
};

interface Limits {
  baseURL?: string;
  timeoutMs: number;
  proxy?: ProxySettings;
}

/** The dispatcher for the endpoint: direct or through the proxy, with the call's time limits. */
export function dispatcherFor(limits: Limits): Dispatcher {
  // undici's own limits no lower than the call's (0 would mean none; the call ends it anyway).
  const timeouts = { headersTimeout: limits.timeoutMs, bodyTimeout: limits.timeoutMs };
  const host = new URL(limits.baseURL ?? "https://api.openai.com/v1").hostname;
  const proxy = limits.proxy && !bypassesProxy(host, limits.proxy.noProxy) ? limits.proxy : null;
  let dispatcher: Undici.Dispatcher;
  if (!proxy) dispatcher = new (undici.Agent())(timeouts);
  else if (/^socks5?:/i.test(proxy.url))
    dispatcher = new (undici.all().Socks5ProxyAgent)(proxy.url, timeouts);
  else dispatcher = new (undici.all().ProxyAgent)({ uri: proxy.url, ...timeouts });
  const undiciFetch = undici.fetch();
  const fetch = ((
    input: Parameters<typeof Undici.fetch>[0],
    init?: Parameters<typeof Undici.fetch>[1],
  ) => undiciFetch(input, { ...init, dispatcher })) as unknown as typeof globalThis.fetch;
  return { fetch, close: () => dispatcher.close() };
}
