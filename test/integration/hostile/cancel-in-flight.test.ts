// A cancel that lands while a request the server has already acted on is in flight (both found by
// the chaos matrix): createUploadSession after the server created the session (seeds 3917664074 and
// 4089702237 of run seed 8 left a session open), and the last range after the server committed the
// attachment (seed 3129058482 of run seed 9 reported "cancelled" for an attached file). The engine
// lets such a request finish, so it can DELETE the session or report the attachment truthfully.
import { attachFile, AbortError, PauseRequest, type ResumeRecord } from "../../../src/upload";
import { useEmulatorFixture, memoryFile, MiB, patternBytes, QUICK, sha256 } from "./fixture";

const fx = useEmulatorFixture();

/** Waits until the emulator lists a session for the item (the POST has been acted on). */
async function sessionOpened(itemId: string) {
  for (let i = 0; i < 500; i++) {
    if (fx.emulator.openSessions().some((s) => s.itemId === itemId)) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error("the emulator never created the session");
}

test.each(["cancel", "pause"] as const)(
  "%s while createUploadSession is in flight → the created session is DELETEd (cancel) or kept with its record (pause)",
  async (how) => {
    const target = fx.newTarget();
    const controller = new AbortController();
    const records: (ResumeRecord | null)[] = [];
    const error = await attachFile(
      memoryFile(`${how}-creating.bin`, patternBytes(5 * MiB, 7)),
      target,
      fx.getToken,
      {
        ...QUICK,
        chunkSize: 1 * MiB,
        signal: controller.signal,
        onResumeRecord: (r) => records.push(r),
        // The caller's signal fires once the server holds the session, while the answer is unread.
        fetch: async (input, init) => {
          const answer = fetch(input, init);
          if (String(input).endsWith("/createUploadSession")) {
            await sessionOpened(target.itemId);
            controller.abort(how === "pause" ? new PauseRequest() : undefined);
          }
          return answer;
        },
      }
    ).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).paused).toBe(how === "pause");
    expect(fx.emulator.attachments().filter((a) => a.itemId === target.itemId)).toEqual([]);
    const open = fx.emulator.openSessions().filter((s) => s.itemId === target.itemId);
    if (how === "cancel") {
      expect(open).toEqual([]);
      expect(records.at(-1)).toBeNull();
    } else {
      // A pause keeps the session and hands over a record that resumes it.
      expect(open).toHaveLength(1);
      const record = records.at(-1);
      expect(record?.uploadUrl).toMatch(/^https?:\/\//);
      const result = await attachFile(
        memoryFile(`${how}-creating.bin`, patternBytes(5 * MiB, 7)),
        target,
        fx.getToken,
        { ...QUICK, chunkSize: 1 * MiB, resume: record! }
      );
      expect(result.bytes).toBe(5 * MiB);
      expect(fx.emulator.openSessions().filter((s) => s.itemId === target.itemId)).toEqual([]);
    }
  }
);

test("cancel while the last range is in flight, after the server committed the attachment → reported attached, once, no session", async () => {
  const target = fx.newTarget();
  const controller = new AbortController();
  const name = "cancel-last-range.bin";
  const bytes = patternBytes(3 * MiB + 4321, 11);
  const records: (ResumeRecord | null)[] = [];
  const settled = await attachFile(memoryFile(name, bytes), target, fx.getToken, {
    ...QUICK,
    chunkSize: 1 * MiB,
    signal: controller.signal,
    onResumeRecord: (r) => records.push(r),
    fetch: async (input, init) => {
      const answer = fetch(input, init);
      const range = new Headers(init?.headers).get("content-range");
      if (init?.method === "PUT" && range?.endsWith(`-${bytes.length - 1}/${bytes.length}`)) {
        for (let i = 0; i < 500 && !fx.emulator.attachments().some((a) => a.name === name); i++)
          await new Promise((r) => setTimeout(r, 2));
        controller.abort();
      }
      return answer;
    },
  }).then(
    (result) => ({ result }),
    (error: unknown) => ({ error })
  );
  const stored = fx.emulator.attachments().filter((a) => a.itemId === target.itemId);
  expect(stored).toHaveLength(1);
  expect(settled).toEqual({ result: expect.objectContaining({ attachmentId: stored[0].id }) });
  expect(stored[0].sha256).toBe(sha256(bytes));
  expect(fx.emulator.openSessions().filter((s) => s.itemId === target.itemId)).toEqual([]);
  expect(records.at(-1)).toBeNull();
});
