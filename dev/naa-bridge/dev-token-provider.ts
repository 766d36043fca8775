import type { TokenProvider } from "../../src/upload/types";
import { fetchEmulatorToken } from "./emulator-token";

// A TokenProvider for the playground, tests and CLI runs against the emulator: it skips MSAL entirely and
// asks the emulator's dev issuer. A claims challenge forces a fresh token. Never shipped (dev/ only).

export interface DevTokenProviderOptions {
  /** e.g. `${emulator.url}/_emulator/token` */
  tokenUrl: string;
  user?: string;
  expiresInSec?: number;
  fetch?: typeof fetch;
}

export function createDevTokenProvider(options: DevTokenProviderOptions): TokenProvider {
  const user = options.user ?? "adele@contoso.test";
  let cached: { token: string; renewAt: number } | null = null;
  return async (request) => {
    if (!request?.claims && cached && cached.renewAt > Date.now()) return cached.token;
    const { accessToken, expiresInSec } = await fetchEmulatorToken(options.tokenUrl, user, options);
    cached = { token: accessToken, renewAt: Date.now() + (expiresInSec * 1000) / 2 };
    return accessToken;
  };
}
