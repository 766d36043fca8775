// One defaults object for the Outlook adapters (tests pass a `sleep` that does not wait).

export interface OutlookHostOptions {
  /**
   * Waits (ms) before asking Outlook again for an id that came back empty. Outlook on Mac has returned an
   * empty id for saved items (office-js #2381, #3516, #5276); the length is the retry budget.
   */
  emptyIdRetryDelaysMs: number[];
  sleep(ms: number): Promise<void>;
}

export const DEFAULT_OUTLOOK_HOST_OPTIONS: OutlookHostOptions = {
  emptyIdRetryDelaysMs: [250, 500, 1000, 2000],
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
