import { OfficeMockObject } from "office-addin-mock";

// Builds an Outlook `Office` object with office-addin-mock. Every async method answers through the real
// Office callback shape ({status, value, error}), so the adapters run exactly the code they run in Outlook.

type Callback<T> = (result: {
  status: "succeeded" | "failed";
  value: T;
  error?: { code: number; name: string; message: string };
}) => void;

export const ok =
  <T>(value: T) =>
  (cb: Callback<T>) =>
    cb({ status: "succeeded", value });
export const fail = (code: number, name: string) => (cb: Callback<undefined>) =>
  cb({ status: "failed", value: undefined, error: { code, name, message: name } });

/** Answers the queued replies in order, then repeats the last one; records how often it was called. */
export function sequence<T>(...replies: Array<(cb: Callback<T>) => void>) {
  const fn = function (this: unknown, cb: Callback<T>) {
    const reply = replies[Math.min(fn.calls, replies.length - 1)];
    fn.calls += 1;
    reply(cb);
  } as ((cb: Callback<T>) => void) & { calls: number };
  fn.calls = 0;
  return fn;
}

export interface OutlookMockOptions {
  item: Record<string, unknown>;
  platform?: string;
  /** Requirement sets the client claims, name → highest version. */
  sets?: Record<string, string>;
  userEmail?: string;
  displayLanguage?: string;
  officeTheme?: Record<string, unknown>;
  mailbox?: Record<string, unknown>;
  /** More of Office.context (e.g. roamingSettings). */
  context?: Record<string, unknown>;
}

export const toRest = (id: string) => `rest:${id.replace(/\//g, "-")}`;

export function outlookMock(options: OutlookMockOptions): typeof Office {
  const sets = options.sets ?? { Mailbox: "1.8" };
  const data = {
    host: "outlook",
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    MailboxEnums: {
      RestVersion: { v1_0: "v1.0", v2_0: "v2.0", Beta: "beta" },
      ItemType: { Message: "message", Appointment: "appointment" },
    },
    EventType: { ItemChanged: "olkItemSelectedChanged" },
    context: {
      displayLanguage: options.displayLanguage ?? "en-US",
      ...options.context,
      ...(options.officeTheme ? { officeTheme: options.officeTheme } : {}),
      diagnostics: { platform: options.platform ?? "PC", host: "Outlook", version: "16.0" },
      requirements: {
        isSetSupported(name: string, version: string) {
          const have = sets[name];
          return have !== undefined && Number(have) >= Number(version);
        },
      },
      mailbox: {
        userProfile: {
          emailAddress: options.userEmail ?? "adele@contoso.test",
          displayName: "Adele Vance",
        },
        convertToRestId: (id: string) => toRest(id),
        convertToEwsId: (id: string) => id.replace(/^rest:/, "").replace(/-/g, "/"),
        ...options.mailbox,
        item: options.item,
      },
    },
  };
  return new OfficeMockObject(data) as unknown as typeof Office;
}
