import type { Agent } from "node:http";
import { HttpsProxyAgent } from "https-proxy-agent";
import { SocksProxyAgent } from "socks-proxy-agent";
import { ProxyError } from "./errors.js";

/**
 * The proxy for the Telegram Bot API: TELEGRAM_PROXY, else HTTPS_PROXY, else ALL_PROXY (upper or
 * lower case, as curl reads them), unless NO_PROXY names the host. http://, https:// and
 * socks://, socks4://, socks5://, socks5h:// proxies are understood. Mainland hosts cannot reach
 * api.telegram.org directly, so this is the normal set-up there.
 */

type Env = Record<string, string | undefined>;

function variable(env: Env, name: string): string | undefined {
  const value = env[name] ?? env[name.toLowerCase()];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** The proxy URL for requests to `target` (a URL), or undefined for a direct connection. */
export function telegramProxy(target: string, env: Env = process.env): string | undefined {
  const explicit = variable(env, "TELEGRAM_PROXY");
  if (explicit) return explicit;
  if (bypassed(target, variable(env, "NO_PROXY"))) return undefined;
  return variable(env, "HTTPS_PROXY") ?? variable(env, "ALL_PROXY");
}

/** NO_PROXY: comma-separated hosts or domain suffixes (".example.com", "example.com"), or "*". */
export function bypassed(target: string, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = new URL(target).hostname.toLowerCase();
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      const rule = entry
        .toLowerCase()
        .replace(/:\d+$/, "")
        .replace(/^\*?\./, "");
      return rule === "*" || host === rule || host.endsWith(`.${rule}`);
    });
}

/** An http.Agent that sends every request through `proxy`. */
export function proxyAgent(proxy: string): Agent {
  let url: URL;
  try {
    url = new URL(proxy);
  } catch (cause) {
    throw new ProxyError(`proxy "${proxy}" is not a URL`, { cause });
  }
  switch (url.protocol) {
    case "http:":
    case "https:":
      // CONNECT tunnels serve https:// targets and plain http:// ones alike.
      return new HttpsProxyAgent(url, { keepAlive: true });
    case "socks:":
    case "socks4:":
    case "socks4a:":
    case "socks5:":
    case "socks5h:":
      return new SocksProxyAgent(url, { keepAlive: true });
    default:
      throw new ProxyError(
        `proxy "${url.protocol}//${url.host}" is not supported: use http://, https:// or socks5://`,
      );
  }
}

/** The agent for the Bot API at `apiRoot`, or undefined when no proxy applies. */
export function telegramAgent(apiRoot: string, env: Env = process.env): Agent | undefined {
  const proxy = telegramProxy(apiRoot, env);
  return proxy === undefined ? undefined : proxyAgent(proxy);
}
