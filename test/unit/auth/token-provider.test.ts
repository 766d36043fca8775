/**
 * The token provider over the real @azure/msal-browser NAA code path (createNestablePublicClientApplication →
 * BridgeProxy → NestedAppAuthController). Only the boundaries are faked: the host's NAA bridge (the dev
 * stand-in from dev/naa-bridge, answering with tokens from a fake issuer) and Office's dialog API.
 */
import {
  createDriveTokenProvider,
  createGraphTokenProvider,
  startNestedClient,
  AuthError,
  type AuthConfig,
} from "../../../src/auth";
import { DIALOG_MESSAGE_TYPE } from "../../../src/auth/dialog/protocol";
import { addinScopes, allowedScopes } from "../../../src/auth/dialog/request";
import {
  installNaaBridgeStandin,
  type NaaStandin,
  type NaaStandinBehaviour,
} from "../../../dev/naa-bridge";

// msal-browser decides "browser or not" by `typeof window`; jest's node environment has WebCrypto, TextEncoder
// and fetch, so a window that is the global object plus in-memory Web Storage is all it needs.
class MemoryStorage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  key = (i: number) => [...this.items.keys()][i] ?? null;
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, String(v));
  removeItem = (k: string) => void this.items.delete(k);
  clear = () => this.items.clear();
}
const g = globalThis as Record<string, unknown>;
g.window = globalThis;
g.sessionStorage = new MemoryStorage();
g.localStorage = new MemoryStorage();
g.location = new URL("https://addin.contoso.test/taskpane.html");
// MSAL's localStorage wrapper opens a BroadcastChannel for other tabs; in Node an open channel keeps the
// process alive after the tests, and there are no other tabs.
g.BroadcastChannel = class {
  onmessage = null;
  postMessage() {}
  addEventListener() {}
  removeEventListener() {}
  close() {}
};

const config: AuthConfig = {
  clientId: "11111111-2222-3333-4444-555555555555",
  authority: "https://login.microsoftonline.com/common",
  dialogRedirectUri: "https://addin.contoso.test/dialog.html",
};

let issued = 0;
const issuerRequests: Array<{ user: string }> = [];
const fakeIssuer: typeof fetch = async (_url, init) => {
  issuerRequests.push(JSON.parse(String(init?.body)));
  issued += 1;
  return new Response(
    JSON.stringify({ access_token: `emulator-token-${issued}`, expires_in: 3600 }),
    { status: 200 }
  );
};

let standin: NaaStandin | undefined;
function bridge(behaviour: Partial<NaaStandinBehaviour> = {}): NaaStandin {
  standin = installNaaBridgeStandin(globalThis, {
    tokenUrl: "http://emulator.test/_emulator/token",
    fetch: fakeIssuer,
    behaviour,
  });
  return standin;
}

/** Office with the NestedAppAuth requirement set and a dialog API that plays the dialog page's part. */
function officeWithDialog(options: { naaSet?: boolean; dialog?: "token" | "closed" } = {}) {
  const opened: string[] = [];
  const office = {
    EventType: {
      DialogMessageReceived: "dialogMessageReceived",
      DialogEventReceived: "dialogEventReceived",
    },
    context: {
      requirements: {
        isSetSupported: (name: string) =>
          name === "NestedAppAuth" ? options.naaSet !== false : true,
      },
      ui: {
        displayDialogAsync(url: string, _opts: unknown, callback: (r: unknown) => void) {
          opened.push(url);
          const handlers: Record<string, (arg: unknown) => void> = {};
          callback({
            status: "succeeded",
            value: {
              addEventHandler: (type: string, handler: (arg: unknown) => void) =>
                (handlers[type] = handler),
              close: () => {},
            },
          });
          setTimeout(async () => {
            if (options.dialog === "closed") return handlers.dialogEventReceived({ error: 12006 });
            const token = await (
              await fakeIssuer("x", { body: JSON.stringify({ user: "dialog" }) })
            ).json();
            const message = {
              type: DIALOG_MESSAGE_TYPE,
              // The dialog page echoes the nonce the pane put in its URL.
              nonce: new URL(url).searchParams.get("nonce"),
              ok: true,
              accessToken: token.access_token,
              expiresOn: Date.now() + 3_600_000,
            };
            handlers.dialogMessageReceived({
              message: JSON.stringify(message),
              origin: "https://addin.contoso.test",
            });
          }, 0);
        },
      },
    },
  };
  return { office: office as unknown as typeof Office, opened };
}

const methods = (s: NaaStandin) => s.requests.map((r) => r.method);

beforeEach(() => {
  issued = 0;
  issuerRequests.length = 0;
  (g.sessionStorage as MemoryStorage).clear();
  (g.localStorage as MemoryStorage).clear();
});
afterEach(() => standin?.uninstall());

test("silent success through the NAA bridge; the second call is served from MSAL's cache", async () => {
  const s = bridge();
  const { office, opened } = officeWithDialog();
  const getToken = createGraphTokenProvider(config, { sharedMailbox: false, office });
  await expect(getToken()).resolves.toBe("emulator-token-1");
  await expect(getToken()).resolves.toBe("emulator-token-1");
  expect(methods(s)).toEqual(["GetInitContext", "GetToken"]);
  expect(s.requests[1].scope?.split(" ").sort()).toEqual(["Calendars.ReadWrite", "Mail.ReadWrite"]);
  expect(opened).toEqual([]);
});

test("a shared mailbox adds Mail.ReadWrite.Shared and Calendars.ReadWrite.Shared to the scopes", async () => {
  const s = bridge();
  await createGraphTokenProvider(config, {
    sharedMailbox: true,
    office: officeWithDialog().office,
  })();
  expect(s.requests[1].scope?.split(" ").sort()).toEqual([
    "Calendars.ReadWrite",
    "Calendars.ReadWrite.Shared",
    "Mail.ReadWrite",
    "Mail.ReadWrite.Shared",
  ]);
});

test("interaction required → acquireTokenPopup through the bridge", async () => {
  const s = bridge({ interactionRequired: true });
  const { office, opened } = officeWithDialog();
  await expect(createGraphTokenProvider(config, { sharedMailbox: false, office })()).resolves.toBe(
    "emulator-token-1"
  );
  expect(methods(s)).toEqual(["GetInitContext", "GetToken", "GetTokenPopup"]);
  expect(opened).toEqual([]);
});

test("popup blocked → the Office dialog fallback; scopes travel in the URL, the token does not", async () => {
  const s = bridge({ interactionRequired: true, popupBlocked: true });
  const { office, opened } = officeWithDialog();
  const getToken = createGraphTokenProvider(config, { sharedMailbox: false, office });
  const token = await getToken();
  expect(token).toBe("emulator-token-1");
  expect(methods(s)).toEqual(["GetInitContext", "GetToken", "GetTokenPopup"]);
  expect(opened).toHaveLength(1);
  const url = new URL(opened[0]);
  expect(url.origin + url.pathname).toBe("https://addin.contoso.test/dialog.html");
  expect(url.searchParams.get("scopes")).toBe("Mail.ReadWrite Calendars.ReadWrite");
  expect(opened[0]).not.toContain(token);
  // Reused from memory until it nears expiry: no second dialog.
  await expect(getToken()).resolves.toBe("emulator-token-1");
  expect(opened).toHaveLength(1);
});

test("NAA unsupported by the bridge → straight to the dialog, no token request to the bridge", async () => {
  const s = bridge({ naaUnsupported: true });
  const { office, opened } = officeWithDialog();
  jest.spyOn(console, "log").mockImplementation(() => {}); // MSAL logs the failed bridge init to the console
  await expect(createGraphTokenProvider(config, { sharedMailbox: false, office })()).resolves.toBe(
    "emulator-token-1"
  );
  expect(methods(s)).toEqual(["GetInitContext"]);
  expect(opened).toHaveLength(1);
});

test("a host without the NestedAppAuth 1.1 requirement set goes to the dialog without touching the bridge", async () => {
  const s = bridge();
  const { office, opened } = officeWithDialog({ naaSet: false });
  await expect(createGraphTokenProvider(config, { sharedMailbox: false, office })()).resolves.toBe(
    "emulator-token-1"
  );
  expect(s.requests).toEqual([]);
  expect(opened).toHaveLength(1);
});

test("claims challenge: the claims reach the bridge, MSAL's cache is bypassed and a new token comes back", async () => {
  const s = bridge();
  const getToken = createGraphTokenProvider(config, {
    sharedMailbox: false,
    office: officeWithDialog().office,
  });
  const first = await getToken();
  const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
  const second = await getToken({ claims });
  expect(second).not.toBe(first);
  expect(methods(s)).toEqual(["GetInitContext", "GetToken", "GetToken"]);
  expect(s.requests[1].claims ?? "").not.toContain("nbf");
  expect(JSON.parse(s.requests[2].claims!).access_token.nbf).toEqual({
    essential: true,
    value: "1700000000",
  });
});

test("claims challenge on the dialog path reopens the dialog with the claims", async () => {
  bridge({ naaUnsupported: true });
  jest.spyOn(console, "log").mockImplementation(() => {});
  const { office, opened } = officeWithDialog();
  const getToken = createGraphTokenProvider(config, { sharedMailbox: false, office });
  await getToken();
  await getToken({ claims: '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}' });
  expect(opened).toHaveLength(2);
  expect(new URL(opened[1]).searchParams.get("claims")).toContain('"acrs"');
});

test("closing the sign-in dialog is a user-cancelled AuthError", async () => {
  bridge({ naaUnsupported: true });
  jest.spyOn(console, "log").mockImplementation(() => {});
  const { office } = officeWithDialog({ dialog: "closed" });
  const error = await createGraphTokenProvider(config, { sharedMailbox: false, office })().catch(
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(AuthError);
  expect((error as AuthError).code).toBe("user-cancelled");
});

test("a build without a client id fails clearly before any sign-in attempt", async () => {
  const s = bridge();
  const error = await createGraphTokenProvider(
    { ...config, clientId: "" },
    { sharedMailbox: false }
  )().catch((e: unknown) => e);
  expect((error as AuthError).code).toBe("not-configured");
  expect(s.requests).toEqual([]);
});

describe("the drive provider (Files.ReadWrite, incremental consent)", () => {
  test("asks the bridge for Files.ReadWrite only — and the mail provider never asks for it", async () => {
    const s = bridge();
    const office = officeWithDialog().office;
    await createGraphTokenProvider(config, { sharedMailbox: false, office })();
    await createDriveTokenProvider(config, { office })();
    const scopes = s.requests
      .filter((r) => r.method === "GetToken")
      .map((r) => r.scope?.split(" ").sort());
    expect(scopes).toEqual([["Calendars.ReadWrite", "Mail.ReadWrite"], ["Files.ReadWrite"]]);
  });

  test("the drive provider reuses the pane's NAA client: one bridge handshake for both scopes", async () => {
    const s = bridge();
    const office = officeWithDialog().office;
    await createGraphTokenProvider(config, { sharedMailbox: false, office })();
    await createDriveTokenProvider(config, { office })();
    expect(methods(s)).toEqual(["GetInitContext", "GetToken", "GetToken"]);
  });

  test("startNestedClient makes the handshake ahead and asks for no token; the share's first token reuses it", async () => {
    const s = bridge();
    const office = officeWithDialog().office;
    startNestedClient(config, office);
    for (let waited = 0; s.requests.length === 0 && waited < 5_000; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(methods(s)).toEqual(["GetInitContext"]);
    expect(issued).toBe(0);
    await createDriveTokenProvider(config, { office })();
    expect(methods(s)).toEqual(["GetInitContext", "GetToken"]);
  });

  test("consent not yet given (interaction required) → the popup asks for Files.ReadWrite", async () => {
    const s = bridge({ interactionRequired: true });
    const { office, opened } = officeWithDialog();
    await expect(createGraphTokenProvider(config, { scopes: "drive", office })()).resolves.toBe(
      "emulator-token-1"
    );
    expect(methods(s)).toEqual(["GetInitContext", "GetToken", "GetTokenPopup"]);
    expect(s.requests[2].scope).toBe("Files.ReadWrite");
    expect(opened).toEqual([]);
  });

  test("popup blocked → the dialog opens with scopes=Files.ReadWrite, which the dialog page keeps", async () => {
    bridge({ interactionRequired: true, popupBlocked: true });
    const { office, opened } = officeWithDialog();
    await createDriveTokenProvider(config, { office })();
    const requested = new URL(opened[0]).searchParams.get("scopes");
    expect(requested).toBe("Files.ReadWrite");
    // The dialog intersects what its URL asks with the add-in's own scopes: Files.ReadWrite is one of them.
    expect(allowedScopes(requested)).toEqual(["Files.ReadWrite"]);
    expect(addinScopes()).toEqual(expect.arrayContaining(["Files.ReadWrite"]));
    expect(addinScopes()).not.toEqual(expect.arrayContaining(["Files.ReadWrite.All"]));
  });

  test("its dialog token is its own: a mail token in memory is not handed out for the drive", async () => {
    bridge({ naaUnsupported: true });
    jest.spyOn(console, "log").mockImplementation(() => {});
    const { office, opened } = officeWithDialog();
    const mail = await createGraphTokenProvider(config, { sharedMailbox: false, office })();
    const drive = await createDriveTokenProvider(config, { office })();
    expect(drive).not.toBe(mail);
    expect(opened.map((u) => new URL(u).searchParams.get("scopes"))).toEqual([
      "Mail.ReadWrite Calendars.ReadWrite",
      "Files.ReadWrite",
    ]);
  });
});
