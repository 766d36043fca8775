// Dev-only auth: a stand-in NAA bridge and a direct token provider, both backed by the Graph emulator's
// /_emulator/token. Never imported from src/ (webpack's ForbidDevModulesPlugin and test/unit/bundle-hygiene enforce it).
export {
  installNaaBridgeStandin,
  type NaaStandin,
  type NaaStandinBehaviour,
  type NaaStandinOptions,
  type NaaStandinRequest,
} from "./standin";
export { createDevTokenProvider, type DevTokenProviderOptions } from "./dev-token-provider";
export { fetchEmulatorToken, type EmulatorToken } from "./emulator-token";
