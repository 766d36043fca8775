// The server commits the last range, and its answer is lost (found by the chaos matrix: run seed
// 20261123, trial 3706024397, an emulator restart 19 ms into the last range). The finished session
// then answers 404 like a lost one; starting over attached the file twice. The engine now checks the
// item first — and still starts over when the file really is not there.
import { attachFile, type UploadOptions } from "../../../src/upload";
import {
  useEmulatorFixture,
  memoryFile,
  MiB,
  patternBytes,
  QUICK,
  readBack,
  sha256,
} from "./fixture";

const fx = useEmulatorFixture();

/** A fetch that sends the last range for real, then throws away the server's answer (once). */
function losingLastAnswer(size: number, lost: { count: number }): UploadOptions["fetch"] {
  return async (input, init) => {
    const answer = await fetch(input, init);
    const range = new Headers(init?.headers).get("content-range");
    if (init?.method === "PUT" && lost.count === 0 && range?.endsWith(`-${size - 1}/${size}`)) {
      lost.count++;
      await answer.arrayBuffer(); // the server has answered: the range is committed
      throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
    }
    return answer;
  };
}

test.each([
  ["a one-range session", 3 * MiB + 777],
  ["a several-range session", 5 * MiB + 1234],
])(
  "%s whose last answer is lost → reported attached with the stored id, attached once, no session left",
  async (_label, size) => {
    const target = fx.newTarget();
    const name = `lost-answer-${size}.bin`;
    const bytes = patternBytes(size, 31);
    const lost = { count: 0 };
    const result = await attachFile(memoryFile(name, bytes), target, fx.getToken, {
      ...QUICK,
      chunkSize: 2 * MiB,
      fetch: losingLastAnswer(size, lost),
    });
    expect(lost.count).toBe(1);
    const stored = await readBack(target, fx.token);
    expect(stored).toEqual([{ id: result.attachmentId, name, sha256: sha256(bytes) }]);
    expect(fx.emulator.openSessions().filter((s) => s.itemId === target.itemId)).toEqual([]);
  }
);

test("an earlier attachment of the same name does not count: a lost session still starts over", async () => {
  const target = fx.newTarget();
  const name = "same-name.bin";
  const earlier = patternBytes(4 * MiB, 41);
  const first = await attachFile(memoryFile(name, earlier), target, fx.getToken, QUICK);
  // Outlook's timestamps have whole seconds: make the earlier one clearly older than the next upload.
  await new Promise((resolve) => setTimeout(resolve, 4_100));

  const bytes = patternBytes(4 * MiB, 42);
  let sessionsCreated = 0;
  let lostOnce = false;
  const result = await attachFile(memoryFile(name, bytes), target, fx.getToken, {
    ...QUICK,
    chunkSize: 1 * MiB,
    fetch: async (input, init) => {
      if (String(input).endsWith("/createUploadSession")) sessionsCreated++;
      const range = new Headers(init?.headers).get("content-range");
      // The session vanishes before the last range arrives (as after a restart): not committed.
      if (
        init?.method === "PUT" &&
        !lostOnce &&
        range?.endsWith(`-${bytes.length - 1}/${bytes.length}`)
      ) {
        lostOnce = true;
        const [session] = fx.emulator.openSessions().filter((s) => s.itemId === target.itemId);
        await fetch(String(input), { method: "DELETE" }).catch(() => undefined);
        expect(session).toBeDefined();
      }
      return fetch(input, init);
    },
  });
  expect(lostOnce).toBe(true);
  expect(sessionsCreated).toBe(2);
  expect(result.attachmentId).not.toBe(first.attachmentId);
  const stored = await readBack(target, fx.token);
  expect(stored.map((a) => a.sha256).sort()).toEqual([sha256(earlier), sha256(bytes)].sort());
  expect(fx.emulator.openSessions().filter((s) => s.itemId === target.itemId)).toEqual([]);
});
