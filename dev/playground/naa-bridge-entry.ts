// Installs the auth layer's stand-in NAA bridge (dev/naa-bridge) in the task pane iframe, before
// MSAL loads, so the production createNestablePublicClientApplication path gets emulator tokens.
import { installNaaBridgeStandin } from "../naa-bridge";

const config = JSON.parse(
  document.getElementById("playground-standin-config")?.textContent ?? "{}"
) as {
  emulatorUrl: string;
  user: string;
};
installNaaBridgeStandin(window, {
  tokenUrl: `${config.emulatorUrl}/_emulator/token`,
  user: config.user,
});
