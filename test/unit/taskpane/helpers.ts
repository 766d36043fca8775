// Fakes for the pane store's adapters: an engine entry point whose uploads the test finishes by
// hand, an Outlook host, and an in-memory Storage.
import { AbortError, PauseRequest } from "../../../src/upload/errors";
import type { attachFile } from "../../../src/upload/attach";
import type {
  AttachResult,
  ResumeRecord,
  UploadFile,
  UploadOptions,
} from "../../../src/upload/types";
import type { ComposeTarget, PaneHost, Visibility } from "../../../src/taskpane/store/host";

export interface FakeUpload {
  file: UploadFile;
  options: Partial<UploadOptions>;
  succeed(result?: Partial<AttachResult>): void;
  fail(error: unknown): void;
  aborted: boolean;
}

export function fakeEngine() {
  const calls: FakeUpload[] = [];
  const attach = ((file: UploadFile, _target, _getToken, options: Partial<UploadOptions> = {}) =>
    new Promise<AttachResult>((resolve, reject) => {
      const call: FakeUpload = {
        file,
        options,
        aborted: false,
        succeed: (result) =>
          resolve({
            attachmentId: `att-${calls.indexOf(call)}`,
            route: "session",
            bytes: file.size,
            ms: 1,
            ...result,
          }),
        fail: reject,
      };
      options.signal?.addEventListener("abort", () => {
        call.aborted = true;
        reject(new AbortError(options.signal?.reason instanceof PauseRequest));
      });
      calls.push(call);
    })) as typeof attachFile;
  return { attach, calls };
}

export function file(name: string, size: number, lastModified = 1_700_000_000_000): UploadFile {
  return { name, size, lastModified, type: "", slice: () => new Blob([]) };
}

export const TARGET: ComposeTarget = {
  kind: "message",
  restId: "AAMkDraft1",
  mailbox: "me",
  subject: "Report",
  isShared: false,
  justSaved: false,
};

/** The signed-in user of the fake host: resume records are kept under this user. */
export const USER = "adele@contoso.test";

export function fakeHost(visibility: Visibility[] = ["visible"], target: ComposeTarget = TARGET) {
  const verifyCalls: { attachmentId?: string; name: string }[] = [];
  const host: PaneHost = {
    getComposeTarget: async () => target,
    verifyAttachmentVisible: async (ref) => {
      verifyCalls.push(ref);
      return visibility[Math.min(verifyCalls.length - 1, visibility.length - 1)];
    },
    theme: () => "light",
    locale: () => "en-US",
    signedInUser: () => USER,
    onItemChanged: () => () => {},
  };
  return { host, verifyCalls };
}

export function memoryStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return {
    map,
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => void map.set(key, value),
    removeItem: (key: string) => void map.delete(key),
  };
}

export function record(
  overrides: Partial<ResumeRecord> & { file: ResumeRecord["file"] }
): ResumeRecord {
  return {
    version: 1,
    target: { mailbox: "me", itemKind: "message", itemId: TARGET.restId },
    uploadUrl: "http://127.0.0.1:9/upload/secret?authtoken=abc",
    expirationDateTime: new Date(Date.now() + 10 * 60_000).toISOString(),
    offset: 3_932_160,
    chunkSize: 3_932_160,
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

/** Lets queued promise callbacks (the queue's then/catch) run. */
export const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
