// The composition root: Office.onReady → runtime config → OutlookHost → compose target → token
// provider → render. The only module that wires real adapters (Office.js, MSAL, localStorage, XHR,
// window events) into the store; everything below it receives them through the PaneProvider.
import { FluentProvider, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { createRoot } from "react-dom/client";
// The office adapters by file, not through ../office's index, which would also bring the body
// insertion (src/office/body.ts) that the "share" chunk carries.
import { createOutlookHost } from "../office/host";
import { loadSharePreferences, saveSharePreferences } from "../office/share-settings";
import { xhrTransport } from "../upload/transport";
import type { TokenProvider } from "../upload/types";
import { App } from "./components/App";
import { readRuntimeConfig, type RuntimeConfig } from "./config";
import { PaneProvider } from "./context";
import { ringFocusArrivingByKeyboard } from "./focus";
import { enUS, loadStrings, pickLocale, type Strings } from "./locales";
import { rowsChunk, shareChunk } from "./chunks";
import type { PaneHost } from "./store/host";
import { createPaneStore, type PaneStore } from "./store/pane-store";
import type { ShareDeps } from "./store/share";

/** Outside Outlook (a plain browser tab) there is no item: the pane says so instead of failing blank. */
const NO_OUTLOOK: PaneHost = {
  getComposeTarget: () =>
    Promise.reject(Object.assign(new Error("No Outlook item"), { code: "read-mode" })),
  verifyAttachmentVisible: async () => "unsupported",
  theme: () => "light",
  locale: () => (typeof navigator === "undefined" ? "en-US" : navigator.language),
  signedInUser: () => undefined,
  onItemChanged: () => () => {},
};

/**
 * Progress-only renders at most 4 a second. Each one (the store, React, style, layout, paint) took
 * 15–20 ms of the pane's main thread; at 10 a second they cost the OneDrive route a fifth of its
 * throughput on a 2-core machine, where the upload itself needs the CPU (bench/analysis.md).
 */
const PROGRESS_INTERVAL_MS = 250;

type AuthModule = typeof import("../auth");
/* eslint-disable no-unused-vars -- parameter names in a function type, not variables */
type CreateProvider = (
  auth: AuthModule,
  authConfig: ReturnType<AuthModule["authConfigFromBuild"]>
) => TokenProvider;
/* eslint-enable no-unused-vars */

/**
 * MSAL (≈ 70 KB gz) is loaded after first paint: the pane is interactive while it loads. `preload`
 * fetches and evaluates it once the pane is idle, so the first upload does not wait for it: loaded
 * on the first pick, its parse and start-up ran as one main-thread task of 56–134 ms at the start of
 * the upload on a busy 2-core machine (bench/RESULTS.md, Browser). It also starts the host's one NAA
 * client (no token, no consent asked). The first Graph call still loads it if it comes first; a
 * failed load is tried again on the next call. `create` makes the provider from the loaded module:
 * the item's mailbox scopes, or the drive's (Files.ReadWrite), whose provider is only made — and
 * consent only asked — when the user first shares a file.
 */
function lazyTokenProvider(
  config: RuntimeConfig,
  office: typeof Office | undefined,
  create: CreateProvider
): { getToken: TokenProvider; preload(): void } {
  let loaded: Promise<{ provider: TokenProvider; start(): void }> | undefined;
  const load = () =>
    (loaded ??= import(/* webpackChunkName: "auth" */ "../auth").then(
      (auth) => {
        const build = auth.authConfigFromBuild();
        const authConfig = { ...build, clientId: build.clientId || config.clientId || "" };
        return {
          provider: create(auth, authConfig),
          start: () => auth.startNestedClient(authConfig, office),
        };
      },
      (error: unknown) => {
        loaded = undefined;
        throw error;
      }
    ));
  return {
    getToken: async (request) => (await load()).provider(request),
    preload: () =>
      void load().then(
        (auth) => auth.start(),
        () => undefined
      ),
  };
}

/** Share as a link: the drive token, the body and the user's choices, from src/auth and src/office. */
function shareDeps(config: RuntimeConfig, office: typeof Office | undefined): ShareDeps {
  const drive = lazyTokenProvider(config, office, (auth, authConfig) =>
    auth.createDriveTokenProvider(authConfig, { office })
  );
  return {
    getToken: drive.getToken,
    // A "Share as a link" on screen: MSAL, its NAA client and the drive route's code get ready while
    // the user decides (loaded at the click, they held the share's first request back ≈ 60 ms).
    preload: () => {
      drive.preload();
      void shareChunk.load().catch(() => undefined);
    },
    // In the "share" chunk, which the share itself has loaded by the time its link exists.
    insertLink: async (link) => (await shareChunk.load()).insertLinkIntoBody(office!, link),
    loadPreferences: () => loadSharePreferences(office),
    savePreferences: (change) => saveSharePreferences(office, change),
  };
}

/** After the pane is ready and `delayMs` have passed (first paint and interactive are not delayed), when idle. */
function whenSettled(store: PaneStore, win: Window, run: () => void, delayMs = 1000) {
  const schedule = () =>
    win.setTimeout(() => {
      if (typeof win.requestIdleCallback === "function")
        win.requestIdleCallback(run, { timeout: 2000 });
      else run();
    }, delayMs);
  if (store.getState().status === "ready") return void schedule();
  const stop = store.subscribe(() => {
    if (store.getState().status !== "ready") return;
    stop();
    schedule();
  });
}

export function startTaskPane(
  office: typeof Office | undefined,
  doc: Document = document,
  win: Window = window
) {
  const config = readRuntimeConfig(doc);
  const hasMailbox = Boolean(office?.context?.mailbox);
  const host: PaneHost = hasMailbox ? createOutlookHost(office!) : NO_OUTLOOK;
  const locale = pickLocale(host.locale());
  let strings: Strings = enUS;
  doc.documentElement.lang = locale;
  const dark = host.theme() === "dark";
  const theme = dark ? webDarkTheme : webLightTheme;
  doc.body.style.margin = "0";
  doc.body.style.backgroundColor = theme.colorNeutralBackground1;
  doc.documentElement.style.colorScheme = dark ? "dark" : "light";

  let store: PaneStore;
  const auth = lazyTokenProvider(config, office, (module, authConfig) =>
    module.createGraphTokenProvider(authConfig, {
      sharedMailbox: store.getState().target?.isShared ?? false,
      office,
    })
  );
  store = createPaneStore({
    host,
    config,
    getToken: auth.getToken,
    storage: safeLocalStorage(win),
    transport: xhrTransport(),
    progressIntervalMs: PROGRESS_INTERVAL_MS,
    ...(config.watchIntervalMs ? { watchIntervalMs: config.watchIntervalMs } : {}),
    // Only inside Outlook: the link goes into the open item's body.
    ...(hasMailbox ? { share: shareDeps(config, office) } : {}),
  });

  win.addEventListener("online", () => store.setOffline(false));
  win.addEventListener("offline", () => store.setOffline(true));
  if (win.navigator.onLine === false) store.setOffline(true);
  // A file dropped where no drop zone listens (while loading, or on an error screen) would make the
  // browser open it in place of the pane. The drop zone's own handlers run first (React listens on
  // the root container) and have already taken the event when it is theirs.
  const keepPane = (event: DragEvent) => {
    if (event.defaultPrevented || !event.dataTransfer?.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "none";
  };
  win.addEventListener("dragover", keepPane);
  win.addEventListener("drop", keepPane);
  win.addEventListener("beforeunload", (event) => {
    if (!store.hasActiveUploads()) return;
    event.preventDefault();
    // Older Chromium-based hosts still need returnValue set to show the prompt.
    event.returnValue = strings.beforeUnload;
  });
  // A pinned pane stays open across items: start over for the new item (resume records survive).
  host.onItemChanged(() => {
    if (!store.hasActiveUploads()) win.location.reload();
  });

  ringFocusArrivingByKeyboard(doc);

  const container = doc.getElementById("container");
  if (!container) throw new Error("taskpane.html has no #container");
  const render = (loaded: Strings) => {
    strings = loaded;
    createRoot(container).render(
      <FluentProvider theme={theme} style={{ backgroundColor: "transparent" }}>
        <PaneProvider store={store} strings={strings}>
          <App />
        </PaneProvider>
      </FluentProvider>
    );
  };
  // en-US is in this script; another locale is its own chunk, and a pane that cannot load it
  // (offline) shows English rather than nothing.
  if (locale === "en-US") render(enUS);
  else
    void loadStrings(locale).then(render, () => {
      doc.documentElement.lang = "en-US";
      render(enUS);
    });
  void store.start();
  whenSettled(store, win, auth.preload);
  // The file rows, and the share settings, a shared row's link, the body insertion and the drive
  // route: fetched once the pane is interactive (a pick or a click on "Share as a link" before then
  // waits for the same load). src/taskpane/chunks.ts.
  whenSettled(store, win, () => void rowsChunk.load().catch(() => undefined), 0);
  if (hasMailbox) whenSettled(store, win, () => void shareChunk.load().catch(() => undefined), 0);
  return store;
}

function safeLocalStorage(win: Window) {
  try {
    return win.localStorage;
  } catch {
    return undefined; // blocked storage (privacy settings): resume after reload is off
  }
}
