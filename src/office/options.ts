// One defaults object for the Outlook adapters (tests pass a `sleep` that does not wait).

export interface OutlookHostOptions {
  /**
   * Waits (ms) before asking Outlook again for an id that came back empty. Outlook on Mac has returned an
   * empty id for saved items (office-js #2381, #3516, #5276); the length is the retry budget.
   */
  emptyIdRetryDelaysMs: number[];
  sleep(ms: number): Promise<void>;
  /**
   * The signed-in account (UPN) that Graph tokens are for; decides whether a shared item's owner is someone
   * else. Default: Office.auth.getAuthContext() (NestedAppAuth 1.1), else userProfile.emailAddress.
   */
  signedInAccount?: () => Promise<string | undefined>;
  /** Upper bound on asking the host for the signed-in account. */
  accountLookupTimeoutMs: number;
}

export const DEFAULT_OUTLOOK_HOST_OPTIONS: OutlookHostOptions = {
  emptyIdRetryDelaysMs: [250, 500, 1000, 2000],
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  accountLookupTimeoutMs: 3000,
};
