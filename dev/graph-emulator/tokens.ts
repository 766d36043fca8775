// The dev token issuer. Tokens are opaque random strings remembered with their user and expiry:
// enough for the emulator to check "a valid, unexpired Bearer token for user X", and nothing a
// client could mistake for a real JWT.
import { secret } from "./ids";
import { errors } from "./errors";

export const DEFAULT_USER = "adele@contoso.test";
export const DEFAULT_TOKEN_LIFETIME_SEC = 3600;
/**
 * The application a token is issued to (a real token's `appid`/`azp`). createLink returns an
 * existing link only to the app that made it (driveitem-createlink.md), so the emulator tracks it.
 */
export const DEFAULT_APP = "large-attach";

interface IssuedToken {
  user: string;
  app: string;
  expiresAt: number;
}

export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();

  issue(
    user = DEFAULT_USER,
    expiresInSec = DEFAULT_TOKEN_LIFETIME_SEC,
    app = DEFAULT_APP
  ): { token: string; expiresIn: number } {
    const token = `emu.${secret(24)}`;
    this.tokens.set(token, {
      user: user.toLowerCase(),
      app,
      expiresAt: Date.now() + expiresInSec * 1000,
    });
    return { token, expiresIn: expiresInSec };
  }

  /** The user a request's `Authorization: Bearer …` belongs to, or a 401 GraphError. */
  authenticate(authorization: string | undefined): string {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!match) throw errors.unauthenticated();
    const issued = this.tokens.get(match[1]);
    if (!issued) throw errors.unauthenticated();
    if (issued.expiresAt <= Date.now()) throw errors.expiredToken();
    return issued.user;
  }

  /** The application of an authenticated request's token (call after authenticate). */
  appOf(authorization: string | undefined): string {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    return (match && this.tokens.get(match[1])?.app) || DEFAULT_APP;
  }

  clear(): void {
    this.tokens.clear();
  }
}
