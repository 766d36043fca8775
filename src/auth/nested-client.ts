import {
  createNestablePublicClientApplication,
  PublicClientApplication,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import type { AuthConfig } from "./config";

/**
 * MSAL's nested app authentication client, or null when Office's NAA bridge did not initialise
 * (MSAL then hands back a standard client, whose popup would open a browser window Office may
 * block — the dialog is the supported path there) or refused. The task pane's provider and the
 * Send guard's event runtime both start here.
 */
export async function nestedClientOrNull(
  config: AuthConfig
): Promise<IPublicClientApplication | null> {
  let nested = false;
  try {
    const client = await createNestablePublicClientApplication(
      { auth: { clientId: config.clientId, authority: config.authority } },
      undefined,
      // Called only when the NAA bridge initialised.
      (configuration, controller) => {
        nested = true;
        return new PublicClientApplication(configuration, controller);
      }
    );
    return nested ? client : null;
  } catch {
    return null;
  }
}
