// Graph access tokens for the task pane. Dev-only token code (the emulator's issuer, the stand-in NAA
// bridge) lives in dev/naa-bridge/ and never reaches this module or the production bundle.
export {
  createDriveTokenProvider,
  createGraphTokenProvider,
  startNestedClient,
  type GraphTokenProviderOptions,
} from "./token-provider";
export {
  authConfigFromBuild,
  driveScopes,
  graphScopes,
  scopesFor,
  DEFAULT_AUTHORITY,
  type AuthConfig,
  type GraphScopeSet,
} from "./config";
export { AuthError, type AuthErrorCode } from "./errors";
