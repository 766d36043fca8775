// driveItem and permission JSON as Graph returns them (driveitem.md, permission.md): the default
// property set, with `file` or `folder`, `parentReference`, `webUrl` and, for a file, the
// pre-authenticated `@microsoft.graph.downloadUrl` (driveitem-get-content.md).
import { pathOf, webUrlOf, type Drive, type DriveItem, type SharingLink } from "./drive-store";
import { uploadOrigin, type EmulatorState } from "./state";

const GRAPH = "https://graph.microsoft.com/v1.0";

/**
 * The pre-authenticated URL of a file's bytes on the upload origin (no Authorization needed;
 * a new one with each new content), where `…/content` redirects with drive.contentRedirect.
 */
export function downloadUrlOf(state: EmulatorState, drive: Drive, item: DriveItem): string {
  return `${uploadOrigin(state)}/_api/v2.0/drives/${encodeURIComponent(drive.id)}/items/${item.id}/download?tempauth=${item.downloadToken}`;
}

export function driveItemJson(
  state: EmulatorState,
  item: DriveItem,
  drive: Drive
): Record<string, unknown> {
  const owner = { user: { email: drive.owner.address, displayName: drive.owner.displayName } };
  return {
    "@odata.context": `${GRAPH}/$metadata#drives('${encodeURIComponent(drive.id)}')/items/$entity`,
    ...(item.kind === "file"
      ? { "@microsoft.graph.downloadUrl": downloadUrlOf(state, drive, item) }
      : {}),
    id: item.id,
    name: item.name,
    size: item.kind === "file" ? item.size : folderSize(item),
    webUrl: webUrlOf(drive, item),
    createdDateTime: item.createdDateTime,
    lastModifiedDateTime: item.lastModifiedDateTime,
    eTag: `"{${item.id}},${item.version}"`,
    cTag: `"c:{${item.id}},${item.version}"`,
    createdBy: owner,
    lastModifiedBy: owner,
    parentReference: item.parent
      ? {
          driveType: "business",
          driveId: drive.id,
          id: item.parent.id,
          path: `/drive/root:${pathOf(item.parent)}`,
        }
      : { driveType: "business", driveId: drive.id },
    ...(item.kind === "file"
      ? { file: { mimeType: item.mimeType } }
      : { folder: { childCount: item.children.size } }),
    ...(item.parent ? {} : { root: {} }),
  };
}

function folderSize(folder: DriveItem): number {
  let total = 0;
  for (const c of folder.children.values()) total += c.kind === "file" ? c.size : folderSize(c);
  return total;
}

export function permissionJson(link: SharingLink): Record<string, unknown> {
  return {
    "@odata.context": `${GRAPH}/$metadata#permission`,
    id: link.id,
    roles: [link.type === "edit" ? "write" : "read"],
    shareId: `u!${Buffer.from(link.webUrl).toString("base64url")}`,
    hasPassword: false,
    link: {
      type: link.type,
      scope: link.scope,
      webUrl: link.webUrl,
      preventsDownload: false,
      // As in the docs' example answer: the app that made the link (the emulator's names it by id).
      application: { id: link.app, displayName: link.app },
    },
  };
}
