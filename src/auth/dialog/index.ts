import { PublicClientApplication, type AuthenticationResult } from "@azure/msal-browser";
import { authConfigFromBuild } from "../config";
import { DIALOG_MESSAGE_TYPE, isNonce, type DialogResultMessage } from "./protocol";
import { readDialogRequest } from "./request";

// The sign-in dialog page (dialog.html), opened by the task pane with Office.context.ui.displayDialogAsync
// when nested app authentication is unavailable or its popup is blocked. A standard MSAL client signs in by
// redirect (login.microsoftonline.com refuses to run in the pane's iframe), comes back to this same page,
// and hands the result to the pane with messageParent, echoing the pane's nonce. The token is never put in
// a URL or stored by us. Opened any other way (a link, a plain tab) the page says so and does nothing.

// The nonce must survive the round trip to login.microsoftonline.com, which returns to the bare page
// URL: this window's sessionStorage keeps it (a nonce, not a secret; the token is never stored here).
const NONCE_KEY = "large-attach:dialog-nonce";

async function run(): Promise<void> {
  // Not opened by Office (a link, a plain tab): no sign-in, no consent prompt.
  if (typeof Office.context.ui?.messageParent !== "function") return refuse();
  const config = authConfigFromBuild();
  const client = new PublicClientApplication({
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      redirectUri: config.dialogRedirectUri || location.href.split("?")[0],
    },
    cache: { cacheLocation: "sessionStorage" },
  });
  await client.initialize();
  const result = await client.handleRedirectPromise();
  if (result) {
    reply(success(result));
    return;
  }
  const request = readDialogRequest(location.search, Office.context.ui);
  if (!request.ok) return refuse();
  sessionStorage.setItem(NONCE_KEY, request.nonce);
  const { scopes, claims } = request;
  await client.loginRedirect({ scopes, ...(claims ? { claims } : {}) });
}

function success(result: AuthenticationResult): DialogResultMessage {
  return {
    type: DIALOG_MESSAGE_TYPE,
    nonce: currentNonce(),
    ok: true,
    accessToken: result.accessToken,
    expiresOn: result.expiresOn?.getTime() ?? Date.now() + 3_600_000,
  };
}

/** The pane's nonce: in the URL on the first load, in sessionStorage once back from the sign-in pages. */
function currentNonce(): string {
  const fromUrl = new URLSearchParams(location.search).get("nonce");
  if (isNonce(fromUrl)) return fromUrl;
  const stored = sessionStorage.getItem(NONCE_KEY);
  return isNonce(stored) ? stored : "";
}

function reply(message: DialogResultMessage): void {
  const ui = Office.context.ui;
  // Nothing to answer outside Office's dialog, or without the nonce the pane is waiting for.
  if (typeof ui?.messageParent !== "function" || !message.nonce) return refuse();
  sessionStorage.removeItem(NONCE_KEY);
  // DialogOrigin 1.1 lets us name the receiver; older hosts only deliver to the opener anyway.
  if (Office.context.requirements?.isSetSupported?.("DialogOrigin", "1.1")) {
    ui.messageParent(JSON.stringify(message), { targetOrigin: location.origin });
  } else {
    ui.messageParent(JSON.stringify(message));
  }
}

function refuse(): void {
  document.body.textContent =
    "This page signs in to Large Attach from inside Outlook. Open Large Attach in Outlook instead.";
}

Office.onReady(() =>
  run().catch((error: unknown) => {
    const errorCode = String((error as { errorCode?: unknown })?.errorCode ?? "sign_in_failed");
    const errorMessage = String(
      (error as { errorMessage?: unknown })?.errorMessage ??
        (error as Error)?.message ??
        "unknown error"
    );
    reply({ type: DIALOG_MESSAGE_TYPE, nonce: currentNonce(), ok: false, errorCode, errorMessage });
  })
);
