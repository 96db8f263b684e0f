import {
  Agent,
  ProxyAgent,
  Socks5ProxyAgent,
  type Dispatcher as UndiciDispatcher,
  fetch as undiciFetch,
} from "undici";
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
  let dispatcher: UndiciDispatcher;
  if (!proxy) dispatcher = new Agent(timeouts);
  else if (/^socks5?:/i.test(proxy.url)) dispatcher = new Socks5ProxyAgent(proxy.url, timeouts);
  else dispatcher = new ProxyAgent({ uri: proxy.url, ...timeouts });
  const fetch = ((
    input: Parameters<typeof undiciFetch>[0],
    init?: Parameters<typeof undiciFetch>[1],
  ) => undiciFetch(input, { ...init, dispatcher })) as unknown as typeof globalThis.fetch;
  return { fetch, close: () => dispatcher.close() };
}
