// The OneDrive link route (DESIGN.md §2b): the file goes to a folder of the add-in's own in the
// user's OneDrive through a driveItem upload session — the same range engine as attachments, with
// OneDrive's range rules (drive-rules.ts) — and a sharing link is made for it.
import type {
  DriveTarget,
  LinkChoice,
  ShareResult,
  TokenProvider,
  UploadFile,
  UploadOptions,
} from "./types";

export type ShareOptions = Partial<UploadOptions & { link: LinkChoice }>;

export async function shareFile(
  file: UploadFile,
  target: DriveTarget,
  getToken: TokenProvider,
  options: ShareOptions = {}
): Promise<ShareResult> {
  void file;
  void target;
  void getToken;
  void options;
  throw new Error("shareFile: not implemented yet");
}
