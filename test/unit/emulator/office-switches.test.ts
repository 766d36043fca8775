/**
 * Two emulator switches for issue #16, over HTTP against the real emulator: an upload origin that does not
 * expose Location to browser JavaScript (CORS), and an expired session's URL answering 401.
 */
import { createDevTokenProvider } from "../../../dev/naa-bridge";
import { startEmulator, type RunningEmulator } from "../../../dev/graph-emulator";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator?.close());
afterEach(() =>
  emulator.configure({ exposeLocation: true, expiredUploadUrl401: false, sessionTtlSeconds: 900 })
);

async function session(size = 4 * 1024 * 1024) {
  const { id } = emulator.createItem({ kind: "message", properties: { subject: "Switches" } });
  const token = await createDevTokenProvider({
    tokenUrl: `${emulator.url}/_emulator/token`,
    user: "adele@contoso.test",
  })();
  const response = await fetch(
    `${emulator.graphUrl}/me/messages/${id}/attachments/createUploadSession`,
    {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ AttachmentItem: { attachmentType: "file", name: "a.bin", size } }),
    }
  );
  return ((await response.json()) as { uploadUrl: string }).uploadUrl;
}

const put = (url: string, bytes: number, total: number) =>
  fetch(url, {
    method: "PUT",
    headers: {
      Origin: "http://127.0.0.1:1",
      "Content-Type": "application/octet-stream",
      "Content-Range": `bytes 0-${bytes - 1}/${total}`,
    },
    body: new Uint8Array(bytes),
  });

test("exposeLocation off: the 201 still carries Location, but CORS no longer exposes it to scripts", async () => {
  const size = 3 * 1024 * 1024;
  const shown = await put(await session(size), size, size);
  expect(shown.status).toBe(201);
  expect(shown.headers.get("access-control-expose-headers")).toMatch(/Location/);

  emulator.configure({ exposeLocation: false });
  const hidden = await put(await session(size), size, size);
  expect(hidden.status).toBe(201);
  expect(hidden.headers.get("location")).toBeTruthy();
  expect(hidden.headers.get("access-control-expose-headers")).not.toMatch(/Location/);
});

test("expiredUploadUrl401 on: a range after the session expired is answered 401, not 410", async () => {
  emulator.configure({ sessionTtlSeconds: 1 });
  const first = await session();
  const second = await session();
  await new Promise((resolve) => setTimeout(resolve, 1200));
  expect((await put(first, 1024, 4 * 1024 * 1024)).status).toBe(410);
  emulator.configure({ expiredUploadUrl401: true });
  const late = await put(second, 1024, 4 * 1024 * 1024);
  expect(late.status).toBe(401);
  expect(((await late.json()) as { error: { code: string } }).error.code).toBe(
    "InvalidAuthenticationToken"
  );
});
