// Public entry of the local Microsoft Graph emulator (see README.md and docs/CONTRACTS.md).
export { startEmulator } from "./emulator";
export type {
  AttachmentInfo,
  EmulatorOptions,
  OpenSessionInfo,
  RunningEmulator,
  UploadRequestInfo,
} from "./emulator";
export { DEFAULT_CONFIG, DEFAULT_FAULTS } from "./config";
export type {
  ConfigPatch,
  EmulatorConfig,
  FaultConfig,
  ScriptedFault,
  StatusRateFault,
  DropConnectionFault,
} from "./config";
export { DEFAULT_LIMITS, parseByteSize } from "./limits";
export { DEFAULT_USER } from "./tokens";
export type { FaultEvent } from "./chaos";
export type { DriveItemInfo, DriveSessionInfo } from "./drive-control";
export type { DriveConfig } from "./config";
export { DEFAULT_DRIVE } from "./config";
