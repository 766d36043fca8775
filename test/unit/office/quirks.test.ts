/**
 * Outlook quirks the adapters must survive (issue #16), each against an office-addin-mock Outlook:
 * convertToRestId answering null (new Outlook for Mac), the shared-mailbox decision made against the signed-in
 * account with `owner`, the .Shared scopes, and a file of 3 MB or more in a shared mailbox refused up front.
 */
import { graphScopes } from "../../../src/auth/config";
import {
  createComposeFormRoute,
  createOutlookHost,
  ewsToRestId,
  FormRouteRefusal,
  ItemIdUnavailableError,
} from "../../../src/office";
import { fail, ok, outlookMock, sequence } from "./helpers/outlook-mock";

const EWS_ID = "AAMkAD/draft+1=";
const noWait = { sleep: async () => {} };
const MB = 1024 * 1024;

function messageItem(overrides: Record<string, unknown> = {}) {
  return {
    itemType: "message",
    subject: { getAsync: ok("Quarterly report") },
    saveAsync: sequence(ok(EWS_ID)),
    getItemIdAsync: sequence(ok(EWS_ID)),
    ...overrides,
  };
}

describe("EWS → REST id", () => {
  test("convertToRestId answering null (new Outlook for Mac, office-js #5875): converted by hand, not sent raw", async () => {
    const office = outlookMock({
      item: messageItem(),
      platform: "Mac",
      mailbox: { convertToRestId: () => null },
    });
    const target = await createOutlookHost(office, noWait).getComposeTarget();
    expect(target.restId).toBe("AAMkAD-draft_1=");
    expect(target.restId).not.toContain("/");
  });

  test("ewsToRestId makes the base64 URL-safe the way convertToRestId does", () => {
    expect(ewsToRestId("AA/b+c/d==")).toBe("AA-b_c-d==");
  });
});

describe("shared mailbox decided against the signed-in account, with owner", () => {
  // Outlook on the web, "open another mailbox": userProfile is the other mailbox, targetMailbox a REST location.
  const sharedItem = () =>
    messageItem({
      getSharedPropertiesAsync: ok({
        owner: "sales@contoso.test",
        targetMailbox: "AAMkSalesLocation==",
        targetRestUrl: "https://outlook.office.com/api",
        delegatePermissions: 3,
      }),
    });

  test("userProfile is the shared mailbox: the signed-in account (Office.auth.getAuthContext) decides, owner is addressed", async () => {
    const office = outlookMock({
      item: sharedItem(),
      userEmail: "sales@contoso.test",
      sets: { Mailbox: "1.8", NestedAppAuth: "1.1" },
    });
    (office as unknown as { auth: unknown }).auth = {
      getAuthContext: async () => ({ userPrincipalName: "adele@contoso.test" }),
    };
    const target = await createOutlookHost(office, noWait).getComposeTarget();
    expect(target).toMatchObject({ mailbox: "sales@contoso.test", isShared: true });
  });

  test("an injected signed-in account wins; owner (not targetMailbox) is the mailbox", async () => {
    const office = outlookMock({ item: sharedItem(), userEmail: "sales@contoso.test" });
    const target = await createOutlookHost(office, {
      ...noWait,
      signedInAccount: async () => "Adele@Contoso.test",
    }).getComposeTarget();
    expect(target.mailbox).toBe("sales@contoso.test");
    expect(target.isShared).toBe(true);
  });

  test("owner equal to the signed-in account stays on /me", async () => {
    const office = outlookMock({ item: sharedItem(), userEmail: "adele@contoso.test" });
    const target = await createOutlookHost(office, {
      ...noWait,
      signedInAccount: async () => "SALES@contoso.test",
    }).getComposeTarget();
    expect(target).toMatchObject({ mailbox: "me", isShared: false });
  });

  test("a host that never answers for the account is bounded: falls back to userProfile", async () => {
    const office = outlookMock({ item: sharedItem(), userEmail: "adele@contoso.test" });
    const target = await createOutlookHost(office, {
      ...noWait,
      accountLookupTimeoutMs: 20,
      signedInAccount: () => new Promise<string>(() => {}),
    }).getComposeTarget();
    expect(target).toMatchObject({ mailbox: "sales@contoso.test", isShared: true });
  });

  test("no shared properties (own item) stays on /me", async () => {
    const office = outlookMock({
      item: messageItem({ getSharedPropertiesAsync: fail(9050, "NotSharedItem") }),
    });
    expect(await createOutlookHost(office, noWait).getComposeTarget()).toMatchObject({
      mailbox: "me",
      isShared: false,
    });
  });
});

describe("scopes", () => {
  test("a shared item asks for Calendars.ReadWrite.Shared as well as Mail.ReadWrite.Shared", () => {
    expect(graphScopes(true)).toEqual(
      expect.arrayContaining(["Mail.ReadWrite.Shared", "Calendars.ReadWrite.Shared"])
    );
    expect(graphScopes(false)).not.toEqual(expect.arrayContaining(["Calendars.ReadWrite.Shared"]));
  });
});

describe("a file of 3 MB or more in a shared mailbox", () => {
  const file = (size: number) => ({ name: `f-${size}.bin`, size, slice: () => new Blob([]) });
  const noFormApi = () =>
    outlookMock({ item: messageItem(), platform: "OfficeOnline", sets: { Mailbox: "1.7" } });

  test("is refused before any upload, naming Graph's known issue, where the form cannot take it", () => {
    const route = createComposeFormRoute(noFormApi(), { isShared: true });
    let error: unknown;
    try {
      route.plan(file(3 * MB));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FormRouteRefusal);
    expect((error as Error).message).toMatch(/shared mailbox.*known issue/);
    expect(route.plan(file(3 * MB - 1))).toBe("graph"); // one POST is not affected
  });

  test("goes through the compose form when the form can take it (no Graph session involved)", () => {
    const office = outlookMock({
      item: messageItem({ addFileAttachmentFromBase64Async: () => {} }),
      platform: "OfficeOnline",
    });
    const route = createComposeFormRoute(office, { isShared: true });
    expect(route.plan(file(10 * MB))).toBe("form");
    expect(() => route.plan(file(30 * MB))).toThrow(FormRouteRefusal);
  });

  test("in the user's own mailbox the same sizes go to Graph", () => {
    const route = createComposeFormRoute(noFormApi(), { isShared: false });
    expect(route.plan(file(30 * MB))).toBe("graph");
  });
});

describe("no save advice in the adapter's own messages", () => {
  test("ItemIdUnavailableError does not advise Ctrl+S (a save of the form can overwrite the server copy)", () => {
    const message = new ItemIdUnavailableError(3).message;
    expect(message).not.toMatch(/Ctrl\s*\+\s*S|Save the draft/i);
    expect(message).toMatch(/reopen it from Drafts/);
  });
});
