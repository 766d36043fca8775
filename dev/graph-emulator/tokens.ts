// The dev token issuer. Tokens are opaque random strings remembered with their user and expiry:
// enough for the emulator to check "a valid, unexpired Bearer token for user X", and nothing a
// client could mistake for a real JWT.
import { secret } from "./ids";
import { errors } from "./errors";

export const DEFAULT_USER = "adele@contoso.test";
export const DEFAULT_TOKEN_LIFETIME_SEC = 3600;

interface IssuedToken {
  user: string;
  expiresAt: number;
}

export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();

  issue(
    user = DEFAULT_USER,
    expiresInSec = DEFAULT_TOKEN_LIFETIME_SEC
  ): { token: string; expiresIn: number } {
    const token = `emu.${secret(24)}`;
    this.tokens.set(token, {
      user: user.toLowerCase(),
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

  clear(): void {
    this.tokens.clear();
  }
}
