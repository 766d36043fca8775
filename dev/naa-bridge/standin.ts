import { fetchEmulatorToken } from "./emulator-token";

// A stand-in for the host side of MSAL's nested app authentication bridge (`window.nestedAppAuthBridge`),
// so the playground and the tests run the production MSAL code path (createNestablePublicClientApplication →
// BridgeProxy → NestedAppAuthController) against the Graph emulator's dev issuer instead of Outlook.
//
// Protocol, as msal-browser 5 speaks it (src/naa/BridgeProxy.ts, BridgeRequestEnvelope.ts,
// BridgeResponseEnvelope.ts, BridgeStatusCode.ts, mapping/NestedAppAuthAdapter.ts):
//   MSAL → host: postMessage(JSON {messageType:"NestedAppAuthRequest", method, requestId, tokenParams?})
//                with method "GetInitContext" | "GetToken" (silent) | "GetTokenPopup" (interactive)
//   host → MSAL: the "message" listener gets JSON {messageType:"NestedAppAuthResponse", requestId, success,
//                initContext? | token:{access_token, expires_in, id_token, ...} + account | error:{status, code?, description?}}
// MSAL parses the id_token's claims (it does not verify a signature), so an unsigned one describing the
// user is enough. Dev only: this file must never be imported from src/.

export interface NaaStandinBehaviour {
  /** GetInitContext fails: MSAL decides NAA is unavailable and the provider must use the Office dialog. */
  naaUnsupported: boolean;
  /** GetToken (silent) answers USER_INTERACTION_REQUIRED, as for missing consent. */
  interactionRequired: boolean;
  /** GetTokenPopup fails the way a blocked popup does (popup_window_error). */
  popupBlocked: boolean;
}

export interface NaaStandinOptions {
  /** The emulator's token endpoint, e.g. `${emulator.url}/_emulator/token`. */
  tokenUrl: string;
  user?: string;
  tenantId?: string;
  clientId?: string;
  behaviour?: Partial<NaaStandinBehaviour>;
  fetch?: typeof fetch;
}

/** What MSAL asked for. Tokens are deliberately not recorded. */
export interface NaaStandinRequest {
  method: string;
  scope?: string;
  claims?: string;
}

export interface NaaStandin {
  readonly requests: NaaStandinRequest[];
  configure(patch: Partial<NaaStandinBehaviour>): void;
  uninstall(): void;
}

type BridgeListener = (response: string | { data: string }) => void;

interface BridgeRequest {
  messageType: string;
  method: string;
  requestId: string;
  tokenParams?: { scope?: string; claims?: string; clientId?: string };
}

export function installNaaBridgeStandin(
  win: Window | typeof globalThis,
  options: NaaStandinOptions
): NaaStandin {
  const user = options.user ?? "adele@contoso.test";
  const tenantId = options.tenantId ?? "00000000-0000-0000-0000-00000000c0de";
  const objectId = "00000000-0000-0000-0000-0000000ade1e";
  const behaviour: NaaStandinBehaviour = {
    naaUnsupported: false,
    interactionRequired: false,
    popupBlocked: false,
    ...options.behaviour,
  };
  const requests: NaaStandinRequest[] = [];
  const listeners = new Set<BridgeListener>();
  const account = {
    homeAccountId: `${objectId}.${tenantId}`,
    environment: "login.microsoftonline.com",
    tenantId,
    username: user,
    localAccountId: objectId,
    name: user.split("@")[0],
  };

  const respond = (body: Record<string, unknown>) => {
    const payload = JSON.stringify({ messageType: "NestedAppAuthResponse", ...body });
    // Asynchronously, as a real host does: MSAL registers the pending request before posting.
    setTimeout(() => listeners.forEach((listener) => listener(payload)), 0);
  };
  const refuse = (requestId: string, status: string, code: string, description: string) =>
    respond({ requestId, success: false, error: { status, code, description } });

  const handle = async (request: BridgeRequest) => {
    const { requestId, method, tokenParams } = request;
    requests.push({
      method,
      ...(tokenParams?.scope ? { scope: tokenParams.scope } : {}),
      ...(tokenParams?.claims ? { claims: tokenParams.claims } : {}),
    });
    if (method === "GetInitContext") {
      if (behaviour.naaUnsupported)
        return refuse(requestId, "NESTED_APP_AUTH_UNAVAILABLE", "", "stand-in: NAA unsupported");
      return respond({
        requestId,
        success: true,
        initContext: {
          sdkName: "large-attach-naa-standin",
          sdkVersion: "1.0.0",
          capabilities: { queryAccount: false },
          accountContext: account,
        },
      });
    }
    if (method === "GetToken" && behaviour.interactionRequired) {
      return refuse(
        requestId,
        "USER_INTERACTION_REQUIRED",
        "interaction_required",
        "stand-in: consent required"
      );
    }
    if (method === "GetTokenPopup" && behaviour.popupBlocked) {
      return refuse(
        requestId,
        "PERSISTENT_ERROR",
        "popup_window_error",
        "stand-in: the popup was blocked"
      );
    }
    if (method !== "GetToken" && method !== "GetTokenPopup")
      return refuse(requestId, "PERSISTENT_ERROR", "unsupported_method", method);
    try {
      const { accessToken, expiresInSec } = await fetchEmulatorToken(options.tokenUrl, user, {
        fetch: options.fetch,
      });
      const clientId = tokenParams?.clientId ?? options.clientId ?? "large-attach-dev";
      respond({
        requestId,
        success: true,
        token: {
          access_token: accessToken,
          expires_in: expiresInSec,
          id_token: unsignedIdToken({
            aud: clientId,
            tid: tenantId,
            oid: objectId,
            sub: objectId,
            preferred_username: user,
            name: account.name,
          }),
          properties: null,
          scope: tokenParams?.scope,
        },
        account,
      });
    } catch (error) {
      refuse(
        requestId,
        "TRANSIENT_ERROR",
        "network_error",
        `stand-in: ${(error as Error).message}`
      );
    }
  };

  const bridge = {
    addEventListener: (_event: string, listener: BridgeListener) => void listeners.add(listener),
    removeEventListener: (_event: string, listener: BridgeListener) =>
      void listeners.delete(listener),
    postMessage: (message: string) => {
      const request = JSON.parse(message) as BridgeRequest;
      if (request.messageType === "NestedAppAuthRequest") void handle(request);
    },
  };
  (win as unknown as { nestedAppAuthBridge?: unknown }).nestedAppAuthBridge = bridge;

  return {
    requests,
    configure: (patch) => Object.assign(behaviour, patch),
    uninstall: () => {
      listeners.clear();
      delete (win as unknown as { nestedAppAuthBridge?: unknown }).nestedAppAuthBridge;
    },
  };
}

function unsignedIdToken(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const body = {
    iss: `https://login.microsoftonline.com/${claims.tid}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    ver: "2.0",
    ...claims,
  };
  return `${base64Url({ alg: "none", typ: "JWT" })}.${base64Url(body)}.`;
}

function base64Url(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = "";
  bytes.forEach((byte) => (binary += String.fromCharCode(byte)));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
