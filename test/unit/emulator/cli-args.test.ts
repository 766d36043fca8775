// Every CLI switch lands in the same config field as PUT /_emulator/config, and sizes parse with units.
import { configFromArgs, parseFaultScript } from "../../../dev/graph-emulator/cli";
import { applyConfigPatch, DEFAULT_CONFIG } from "../../../dev/graph-emulator/config";
import { parseByteSize } from "../../../dev/graph-emulator/limits";

test("parseByteSize reads Exchange-style sizes", () => {
  expect(parseByteSize("35MB")).toBe(36_700_160);
  expect(parseByteSize("150 MB")).toBe(157_286_400);
  expect(parseByteSize("4MiB")).toBe(4_194_304);
  expect(parseByteSize("512k")).toBe(524_288);
  expect(parseByteSize("2097152")).toBe(2_097_152);
  expect(() => parseByteSize("12 parsecs")).toThrow(/unit/);
  expect(() => parseByteSize("lots")).toThrow(/Not a byte size/);
});

test("quirk flags map to config fields", () => {
  const patch = configFromArgs({
    "range-casing": "camel",
    "range-form": "dashed",
    "api-version": "gv1.0",
    "upload-host": "localhost",
    "location-host": "outlook.office.com",
    "path-casing": "lower",
    "get-status": "on",
    "shared-mailbox-403": "off",
    "item-invisible-seconds": "30",
    "reported-size": "raw",
    "message-size-factor": "1.3333",
    "session-ttl": "60",
    "chunk-cap": "4MiB",
    "max-message-size": "35MB",
    "session-min": "3000000",
    "session-max": "150MB",
    "small-post-max": "3MB",
  });
  const config = applyConfigPatch(DEFAULT_CONFIG, patch);
  expect(config).toMatchObject({
    rangeCasing: "camel",
    rangeForm: "dashed",
    apiVersion: "gv1.0",
    uploadHost: "localhost",
    locationHost: "outlook.office.com",
    pathCasing: "lower",
    getStatus: true,
    sharedMailbox403: false,
    itemInvisibleSeconds: 30,
    reportedSize: "raw",
    messageSizeFactor: 1.3333,
    sessionTtlSeconds: 60,
    chunkCapBytes: 4_194_304,
    maxMessageSizeBytes: 36_700_160,
    sessionMinBytes: 3_000_000,
    sessionMaxBytes: 157_286_400,
    smallPostBodyBytes: 3_145_728,
  });
});

test("fault flags map to the fault config", () => {
  const patch = configFromArgs({
    seed: "9",
    latency: "10-50",
    bandwidth: "8MB/s",
    "bandwidth-scope": "connection",
    "drop-put": "3",
    "drop-after": "1000",
    "fault-rate": "0.1",
    "fault-statuses": "429,503",
    "retry-after": "2",
    "fault-script": "upload/PUT:503x3@1,POST:429",
  });
  const config = applyConfigPatch(DEFAULT_CONFIG, patch);
  expect(config.faults).toEqual({
    seed: 9,
    latencyMs: [10, 50],
    bandwidthBytesPerSec: 8 * 1024 * 1024,
    bandwidthScope: "connection",
    dropConnection: { putNumber: 3, probability: undefined, afterBytes: 1000, count: undefined },
    stall: null,
    lostAnswer: null,
    statusRate: { rate: 0.1, statuses: [429, 503], retryAfterSeconds: 2, target: "any" },
    script: [
      { target: "upload", methods: ["PUT"], status: 503, count: 3, retryAfterSeconds: 1 },
      { target: "any", methods: ["POST"], status: 429, count: 1, retryAfterSeconds: undefined },
    ],
  });
});

test("stall flags map to faults.stall", () => {
  const patch = configFromArgs({
    stall: "mid-body",
    "stall-count": "2",
    "stall-put": "3",
    "stall-after": "64KB",
  });
  expect(applyConfigPatch(DEFAULT_CONFIG, patch).faults.stall).toEqual({
    on: "mid-body",
    count: 2,
    putNumber: 3,
    afterBytes: 64 * 1024,
    commit: undefined,
  });
  expect(() => configFromArgs({ stall: "sometimes" })).toThrow(/--stall/);
});

test("lost-answer flags map to faults.lostAnswer", () => {
  const patch = configFromArgs({ "lost-answer": "createLink", "lost-answer-count": "2" });
  expect(applyConfigPatch(DEFAULT_CONFIG, patch).faults.lostAnswer).toEqual({
    on: "createLink",
    count: 2,
  });
  expect(() => configFromArgs({ "lost-answer": "createUploadSession" })).toThrow(/--lost-answer/);
});

test("bad values are refused with the field named", () => {
  expect(() => applyConfigPatch(DEFAULT_CONFIG, { rangeCasing: "kebab" as "camel" })).toThrow(
    /rangeCasing/
  );
  expect(() => applyConfigPatch(DEFAULT_CONFIG, { chunkCapBytes: -1 })).toThrow(/chunkCapBytes/);
  expect(() => applyConfigPatch(DEFAULT_CONFIG, { nonsense: 1 } as never)).toThrow(
    /Unknown config field/
  );
  expect(() => configFromArgs({ "get-status": "maybe" })).toThrow(/on\/off/);
  expect(() => parseFaultScript("PUT-503")).toThrow(/fault-script/);
  expect(() => configFromArgs({ "bandwidth-scope": "per-file" })).not.toThrow();
  expect(() =>
    applyConfigPatch(DEFAULT_CONFIG, configFromArgs({ "bandwidth-scope": "per-file" }))
  ).toThrow(/bandwidthScope/);
});
