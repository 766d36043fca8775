import {
  createOutlookHost,
  ItemIdUnavailableError,
  MeetingSaveDeclinedError,
  ReadModeError,
} from "../../../src/office";
import { fail, ok, outlookMock, sequence, toRest } from "./helpers/outlook-mock";

const EWS_ID = "AAMkAD/draft+1=";
const noWait = { sleep: async () => {} };

function messageItem(overrides: Record<string, unknown> = {}) {
  return {
    itemType: "message",
    subject: { getAsync: ok("Quarterly report") },
    saveAsync: sequence(ok(EWS_ID)),
    getItemIdAsync: sequence(ok(EWS_ID)),
    ...overrides,
  };
}

describe("getComposeTarget", () => {
  test("saved draft: takes the id from getItemIdAsync, converts it to REST v2.0, does not save", async () => {
    const item = messageItem();
    const host = createOutlookHost(outlookMock({ item }), noWait);
    const target = await host.getComposeTarget();
    expect(target).toEqual({
      kind: "message",
      restId: toRest(EWS_ID),
      mailbox: "me",
      subject: "Quarterly report",
      isShared: false,
      justSaved: false,
    });
    expect(item.saveAsync.calls).toBe(0);
  });

  test("unsaved draft: getItemIdAsync answers ItemNotSaved, so the draft is saved and the saved id used", async () => {
    const item = messageItem({
      getItemIdAsync: sequence(fail(9044, "ItemNotSaved")),
      saveAsync: sequence(ok("AAMkAD/new-draft")),
    });
    const target = await createOutlookHost(outlookMock({ item }), noWait).getComposeTarget();
    expect(item.saveAsync.calls).toBe(1);
    expect(target.restId).toBe(toRest("AAMkAD/new-draft"));
    expect(target.justSaved).toBe(true);
  });

  test("getItemIdAsync missing (Mailbox < 1.8): saves to get the id", async () => {
    const item = messageItem({
      getItemIdAsync: undefined,
      saveAsync: sequence(ok("AAMkAD/old-client")),
    });
    delete (item as Record<string, unknown>).getItemIdAsync;
    const target = await createOutlookHost(
      outlookMock({ item, sets: { Mailbox: "1.5" } }),
      noWait
    ).getComposeTarget();
    expect(item.saveAsync.calls).toBe(1);
    expect(target).toMatchObject({
      restId: toRest("AAMkAD/old-client"),
      justSaved: true,
      mailbox: "me",
      isShared: false,
    });
  });

  test("empty id then a real one: asks again with backoff until Outlook gives an id", async () => {
    const waits: number[] = [];
    const item = messageItem({
      getItemIdAsync: sequence(ok(""), ok(""), ok(""), ok(EWS_ID)),
      saveAsync: sequence(ok("")),
    });
    const host = createOutlookHost(outlookMock({ item }), {
      emptyIdRetryDelaysMs: [10, 20, 40, 80],
      sleep: async (ms) => void waits.push(ms),
    });
    const target = await host.getComposeTarget();
    expect(target.restId).toBe(toRest(EWS_ID));
    expect(item.getItemIdAsync.calls).toBe(4);
    expect(waits).toEqual([10, 20, 40]);
  });

  test("an id that stays empty ends in ItemIdUnavailableError after the retry budget", async () => {
    const item = messageItem({ getItemIdAsync: sequence(ok("")), saveAsync: sequence(ok("")) });
    const host = createOutlookHost(outlookMock({ item }), {
      emptyIdRetryDelaysMs: [1, 1],
      sleep: async () => {},
    });
    const error = await host.getComposeTarget().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ItemIdUnavailableError);
    expect((error as ItemIdUnavailableError).attempts).toBe(3);
    expect(item.getItemIdAsync.calls).toBe(3);
  });

  test("appointment organizer: a saved meeting resolves as an event without saving again", async () => {
    const item = {
      itemType: "appointment",
      subject: { getAsync: ok("Design review") },
      requiredAttendees: { getAsync: ok([{ emailAddress: "megan@contoso.test" }]) },
      optionalAttendees: { getAsync: ok([]) },
      saveAsync: sequence(ok("AAMkAD/event")),
      getItemIdAsync: sequence(ok("AAMkAD/event")),
    };
    const confirm = jest.fn(async () => true);
    const target = await createOutlookHost(outlookMock({ item }), noWait).getComposeTarget({
      confirmMeetingSave: confirm,
    });
    expect(target).toMatchObject({
      kind: "event",
      restId: toRest("AAMkAD/event"),
      subject: "Design review",
      justSaved: false,
    });
    expect(confirm).not.toHaveBeenCalled();
    expect(item.saveAsync.calls).toBe(0);
  });

  test("new meeting with attendees: asks before the first save and saves only when confirmed", async () => {
    const item = {
      itemType: "appointment",
      requiredAttendees: { getAsync: ok([{ emailAddress: "megan@contoso.test" }]) },
      optionalAttendees: { getAsync: ok([]) },
      saveAsync: sequence(ok("AAMkAD/new-event")),
      getItemIdAsync: sequence(fail(9044, "ItemNotSaved")),
    };
    const confirm = jest.fn(async () => true);
    const target = await createOutlookHost(outlookMock({ item }), noWait).getComposeTarget({
      confirmMeetingSave: confirm,
    });
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(item.saveAsync.calls).toBe(1);
    expect(target).toMatchObject({
      kind: "event",
      restId: toRest("AAMkAD/new-event"),
      justSaved: true,
    });
  });

  test("new meeting with attendees: a declined confirmation (or none offered) stops before saving", async () => {
    const makeItem = () => ({
      itemType: "appointment",
      requiredAttendees: { getAsync: ok([]) },
      optionalAttendees: { getAsync: ok([{ emailAddress: "lee@contoso.test" }]) },
      saveAsync: sequence(ok("AAMkAD/new-event")),
      getItemIdAsync: sequence(fail(9044, "ItemNotSaved")),
    });
    const declined = makeItem();
    await expect(
      createOutlookHost(outlookMock({ item: declined }), noWait).getComposeTarget({
        confirmMeetingSave: async () => false,
      })
    ).rejects.toBeInstanceOf(MeetingSaveDeclinedError);
    expect(declined.saveAsync.calls).toBe(0);

    const unasked = makeItem();
    await expect(
      createOutlookHost(outlookMock({ item: unasked }), noWait).getComposeTarget()
    ).rejects.toBeInstanceOf(MeetingSaveDeclinedError);
    expect(unasked.saveAsync.calls).toBe(0);
  });

  test("new appointment without attendees is saved without asking", async () => {
    const item = {
      itemType: "appointment",
      requiredAttendees: { getAsync: ok([]) },
      optionalAttendees: { getAsync: ok([]) },
      saveAsync: sequence(ok("AAMkAD/solo")),
      getItemIdAsync: sequence(fail(9044, "ItemNotSaved")),
    };
    const confirm = jest.fn(async () => false);
    const target = await createOutlookHost(outlookMock({ item }), noWait).getComposeTarget({
      confirmMeetingSave: confirm,
    });
    expect(confirm).not.toHaveBeenCalled();
    expect(target).toMatchObject({ kind: "event", justSaved: true });
  });

  test("read mode is refused with a typed error and nothing is saved", async () => {
    const readItem = {
      itemType: "message",
      itemId: EWS_ID,
      subject: "Hello",
      displayReplyForm: () => {},
    };
    const error = await createOutlookHost(outlookMock({ item: readItem }), noWait)
      .getComposeTarget()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadModeError);
    expect((error as ReadModeError).code).toBe("read-mode");
    expect((error as Error).message).toMatch(/writing/);
  });

  test("shared mailbox: getSharedPropertiesAsync selects the owner's mailbox", async () => {
    const item = messageItem({
      getSharedPropertiesAsync: ok({
        targetMailbox: "sales@contoso.test",
        owner: "sales@contoso.test",
        delegatePermissions: 3,
      }),
    });
    const target = await createOutlookHost(outlookMock({ item }), noWait).getComposeTarget();
    expect(target).toMatchObject({
      mailbox: "sales@contoso.test",
      isShared: true,
      restId: toRest(EWS_ID),
    });
  });

  test("own mailbox: a failing getSharedPropertiesAsync or one naming the user stays on /me", async () => {
    const notShared = messageItem({ getSharedPropertiesAsync: fail(5000, "GenericResponseError") });
    expect(
      await createOutlookHost(outlookMock({ item: notShared }), noWait).getComposeTarget()
    ).toMatchObject({
      mailbox: "me",
      isShared: false,
    });
    const self = messageItem({
      getSharedPropertiesAsync: ok({ targetMailbox: "Adele@Contoso.test" }),
    });
    expect(
      await createOutlookHost(outlookMock({ item: self }), noWait).getComposeTarget()
    ).toMatchObject({
      mailbox: "me",
      isShared: false,
    });
  });

  test("shared properties are not asked for where Mailbox 1.8 is not supported", async () => {
    const getShared = sequence(ok({ targetMailbox: "sales@contoso.test" }));
    const item = messageItem({ getSharedPropertiesAsync: getShared });
    const target = await createOutlookHost(
      outlookMock({ item, sets: { Mailbox: "1.7" } }),
      noWait
    ).getComposeTarget();
    expect(target.mailbox).toBe("me");
    expect(getShared.calls).toBe(0);
  });

  test.each(["iOS", "Android"])(
    "mobile (%s): the id is already REST-formatted and is not converted",
    async (platform) => {
      const restId = "AAMkAD-mobile_rest-id";
      const item = messageItem({ getItemIdAsync: sequence(ok(restId)) });
      const target = await createOutlookHost(
        outlookMock({ item, platform }),
        noWait
      ).getComposeTarget();
      expect(target.restId).toBe(restId);
    }
  );

  test("desktop platforms convert the EWS id", async () => {
    for (const platform of ["PC", "Mac", "OfficeOnline"]) {
      const target = await createOutlookHost(
        outlookMock({ item: messageItem(), platform }),
        noWait
      ).getComposeTarget();
      expect(target.restId).toBe(toRest(EWS_ID));
    }
  });
});
