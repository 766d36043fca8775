import { PublicClientApplication, type AuthenticationResult } from "@azure/msal-browser";
import { authConfigFromBuild, graphScopes } from "../config";
import { DIALOG_MESSAGE_TYPE, type DialogResultMessage } from "./protocol";

// The sign-in dialog page (dialog.html), opened by the task pane with Office.context.ui.displayDialogAsync
// when nested app authentication is unavailable or its popup is blocked. A standard MSAL client signs in by
// redirect (login.microsoftonline.com refuses to run in the pane's iframe), comes back to this same page,
// and hands the result to the pane with messageParent. The token is never put in a URL or stored by us.

async function run(): Promise<void> {
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
  const params = new URLSearchParams(location.search);
  const scopes = params.get("scopes")?.split(" ").filter(Boolean) ?? graphScopes(false);
  const claims = params.get("claims") || undefined;
  await client.loginRedirect({ scopes, ...(claims ? { claims } : {}) });
}

function success(result: AuthenticationResult): DialogResultMessage {
  return {
    type: DIALOG_MESSAGE_TYPE,
    ok: true,
    accessToken: result.accessToken,
    expiresOn: result.expiresOn?.getTime() ?? Date.now() + 3_600_000,
  };
}

function reply(message: DialogResultMessage): void {
  const ui = Office.context.ui;
  // DialogOrigin 1.1 lets us name the receiver; older hosts only deliver to the opener anyway.
  if (Office.context.requirements?.isSetSupported?.("DialogOrigin", "1.1")) {
    ui.messageParent(JSON.stringify(message), { targetOrigin: location.origin });
  } else {
    ui.messageParent(JSON.stringify(message));
  }
}

Office.onReady(() =>
  run().catch((error: unknown) => {
    const errorCode = String((error as { errorCode?: unknown })?.errorCode ?? "sign_in_failed");
    const errorMessage = String(
      (error as { errorMessage?: unknown })?.errorMessage ??
        (error as Error)?.message ??
        "unknown error"
    );
    reply({ type: DIALOG_MESSAGE_TYPE, ok: false, errorCode, errorMessage });
  })
);
