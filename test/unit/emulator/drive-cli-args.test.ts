// The OneDrive CLI switches land in the same drive.* config fields as PUT /_emulator/config.
import { configFromArgs } from "../../../dev/graph-emulator/cli";
import { applyConfigPatch, DEFAULT_CONFIG } from "../../../dev/graph-emulator/config";

test("drive flags map to drive.* config fields", () => {
  const patch = configFromArgs({
    "drive-range-rules": "off",
    "drive-middle-status": "200",
    "drive-final-status": "200",
    "drive-missing-folder": "create",
    "drive-quota": "100MB",
    "drive-max-file": "1GB",
    "drive-link-scopes": "organization,users",
    "drive-session-ttl": "60",
    "drive-get-status": "off",
    "drive-content-redirect": "on",
  });
  expect(applyConfigPatch(DEFAULT_CONFIG, patch).drive).toEqual({
    enforceRangeRules: false,
    middleStatus: 200,
    finalStatus: 200,
    missingFolder: "create",
    quotaBytes: 104_857_600,
    maxFileBytes: 1_073_741_824,
    linkScopes: ["organization", "users"],
    sessionTtlSeconds: 60,
    getStatus: false,
    contentRedirect: true,
  });
});

test("without drive flags the patch has no drive part, and the defaults are the documented ones", () => {
  expect(configFromArgs({})).not.toHaveProperty("drive");
  expect(DEFAULT_CONFIG.drive).toMatchObject({
    enforceRangeRules: true,
    middleStatus: 202,
    finalStatus: 201,
    missingFolder: "notFound",
    maxFileBytes: 250 * 1024 ** 3,
    getStatus: true,
  });
});

test("bad drive flag values are refused", () => {
  expect(() => configFromArgs({ "drive-range-rules": "maybe" })).toThrow(/on\/off/);
  expect(() =>
    applyConfigPatch(DEFAULT_CONFIG, configFromArgs({ "drive-middle-status": "204" }))
  ).toThrow(/drive\.middleStatus/);
  expect(() =>
    applyConfigPatch(DEFAULT_CONFIG, configFromArgs({ "drive-link-scopes": "everyone" }))
  ).toThrow(/drive\.linkScopes/);
});
