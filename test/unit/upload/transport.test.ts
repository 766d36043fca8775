import { xhrTransport } from "../../../src/upload";

class FakeXhr {
  static last: FakeXhr;
  method = "";
  url = "";
  headers: Record<string, string> = {};
  status = 0;
  responseText = "";
  withCredentials = true;
  body: Blob | null | undefined;
  aborted = false;
  upload = { onprogress: null as ((e: { loaded: number }) => void) | null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string) {
    return name.toLowerCase() === "location" ? "https://h/api/v2.0/Attachments('X')" : null;
  }
  send(body?: Blob | null) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
}

describe("xhrTransport", () => {
  test("reports progress within a range, leaves Content-Length to the browser, sends no credentials", async () => {
    const transport = xhrTransport(() => new FakeXhr());
    const loaded: number[] = [];
    const body = new Blob([new Uint8Array(1000)]);
    const pending = transport.send({
      method: "PUT",
      url: "https://up.test/s",
      headers: { "Content-Range": "bytes 0-999/5000", "Content-Length": "1000" },
      body,
      onUploadProgress: (n) => loaded.push(n),
    });
    const xhr = FakeXhr.last;
    expect(xhr.headers).toEqual({ "Content-Range": "bytes 0-999/5000" });
    expect(xhr.withCredentials).toBe(false);
    expect(xhr.body).toBe(body);
    xhr.upload.onprogress!({ loaded: 300 });
    xhr.upload.onprogress!({ loaded: 700 });
    xhr.status = 201;
    xhr.onload!();
    const response = await pending;
    expect(loaded).toEqual([300, 700, 1000]);
    expect(response.status).toBe(201);
    expect(response.header("Location")).toMatch(/Attachments\('X'\)/);
  });

  test("an abort signal aborts the XHR and rejects with the signal's reason", async () => {
    const transport = xhrTransport(() => new FakeXhr());
    const controller = new AbortController();
    const pending = transport.send({
      method: "PUT",
      url: "u",
      headers: {},
      signal: controller.signal,
    });
    const reason = new Error("stop");
    controller.abort(reason);
    expect(FakeXhr.last.aborted).toBe(true);
    await expect(pending).rejects.toBe(reason);
  });

  test("a network error rejects with a TypeError", async () => {
    const transport = xhrTransport(() => new FakeXhr());
    const pending = transport.send({ method: "GET", url: "u", headers: {} });
    FakeXhr.last.onerror!();
    await expect(pending).rejects.toBeInstanceOf(TypeError);
  });

  test("refuseRedirects: OneDrive's guid='…' read back percent-encoded is the same URL; another URL is a redirect", async () => {
    const transport = xhrTransport(() => new FakeXhr());
    const url = "http://127.0.0.1:9/_api/v2.0/drives/d/items/i/uploadSession?guid='ab'&tempauth=t";
    const answer = (responseURL: string) => {
      const pending = transport.send({ method: "PUT", url, headers: {}, refuseRedirects: true });
      Object.assign(FakeXhr.last, { status: 202, responseURL });
      FakeXhr.last.onload!();
      return pending;
    };
    await expect(answer(url.replace(/'/g, "%27"))).resolves.toMatchObject({ status: 202 });
    await expect(answer("http://127.0.0.1:9/elsewhere")).rejects.toThrow(/redirect/);
  });
});
