// A small-file POST whose connection dies after the server has the whole body (found by the chaos
// matrix: trial 965010870, an emulator restart during a single POST). The server goes on storing
// it, so a listing sent at once can miss it and a re-sent POST attach the file twice. The engine
// now lists only after its backoff wait, and after a re-sent POST lists once more and DELETEs its
// own (newer) copy when the cut POST landed after all.
import { attachFile, type UploadOptions, type UploadPhase } from "../../../src/upload";
import { useEmulatorFixture, memoryFile, patternBytes, QUICK, readBack, sha256 } from "./fixture";

const fx = useEmulatorFixture();

afterEach(() => fx.emulator.configure({ postHiddenFromListings: 0 }));

/** Sends the first POST for real, then throws its answer away as a cut connection would. */
function cuttingFirstPost(posts: { count: number }): UploadOptions["fetch"] {
  return async (input, init) => {
    const answer = await fetch(input, init);
    if (init?.method !== "POST") return answer;
    if (++posts.count > 1) return answer;
    await answer.arrayBuffer(); // the server has stored it
    fx.emulator.configure({ postHiddenFromListings: 0 }); // only that POST is still being stored
    throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
  };
}

test("a cut POST the first listing cannot see yet → the re-sent copy is DELETEd, attached once, the older id", async () => {
  const target = fx.newTarget();
  const name = "cut-post.bin";
  const bytes = patternBytes(300_000, 51);
  fx.emulator.configure({ postHiddenFromListings: 1 });
  const posts = { count: 0 };
  const phases: UploadPhase[] = [];
  const result = await attachFile(memoryFile(name, bytes), target, fx.getToken, {
    ...QUICK,
    fetch: cuttingFirstPost(posts),
    onPhase: (phase) => phases.push(phase),
  });
  expect(posts.count).toBe(2);
  const stored = await readBack(target, fx.token);
  expect(stored).toEqual([{ id: result.attachmentId, name, sha256: sha256(bytes) }]);
  // The listing comes after the backoff wait, not before it.
  expect(phases.indexOf("retrying")).toBeGreaterThanOrEqual(0);
  expect(phases.indexOf("verifying")).toBeGreaterThan(phases.indexOf("retrying"));
});

test("a cut POST the listing sees → not sent again, its id reported", async () => {
  const target = fx.newTarget();
  const name = "cut-post-seen.bin";
  const bytes = patternBytes(200_000, 52);
  const posts = { count: 0 };
  const result = await attachFile(memoryFile(name, bytes), target, fx.getToken, {
    ...QUICK,
    fetch: cuttingFirstPost(posts),
  });
  expect(posts.count).toBe(1);
  const stored = await readBack(target, fx.token);
  expect(stored).toEqual([{ id: result.attachmentId, name, sha256: sha256(bytes) }]);
});
