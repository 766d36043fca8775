// Cancel while createUploadSession is in flight, after the server has created the session but
// before its answer is read (found by the chaos matrix: seeds 3917664074 and 4089702237 left a
// session open). The engine must learn the session's URL anyway and DELETE it.
import { attachFile, AbortError, PauseRequest, type ResumeRecord } from "../../../src/upload";
import { emulatorFixture, memoryFile, MiB, patternBytes, QUICK } from "./fixture";

let fx: Awaited<ReturnType<typeof emulatorFixture>>;
beforeAll(async () => {
  fx = await emulatorFixture();
});
afterAll(async () => {
  await fx?.emulator.close();
});

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
