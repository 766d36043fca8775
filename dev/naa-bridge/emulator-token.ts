// Asks the Graph emulator's dev issuer for a token: POST {tokenUrl} {"user","expiresIn"?}.
// Dev only (playground, tests, CLI): this file must never be imported from src/.

export interface EmulatorToken {
  accessToken: string;
  expiresInSec: number;
}

export async function fetchEmulatorToken(
  tokenUrl: string,
  user: string,
  options: { expiresInSec?: number; fetch?: typeof fetch } = {}
): Promise<EmulatorToken> {
  const doFetch = options.fetch ?? fetch;
  const response = await doFetch(tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      user,
      ...(options.expiresInSec ? { expiresIn: options.expiresInSec } : {}),
    }),
  });
  if (!response.ok) throw new Error(`emulator token endpoint answered ${response.status}`);
  const body = (await response.json()) as Record<string, unknown>;
  const accessToken = body.access_token ?? body.accessToken ?? body.token;
  if (typeof accessToken !== "string" || !accessToken)
    throw new Error("emulator token endpoint answered without a token");
  const expiresInSec = Number(body.expires_in ?? body.expiresIn ?? options.expiresInSec ?? 3600);
  return { accessToken, expiresInSec };
}
