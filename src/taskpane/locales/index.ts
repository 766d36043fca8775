// Picks the strings for Office's display language and fills placeholders. Values are inserted as
// plain text; React renders the result as a text node, so a file name can never become markup.
import { enUS, type Strings } from "./en-US";

export { enUS };
export type { Strings };
export type StringKey = keyof Strings;

export type LocaleTag = "en-US" | "zh-CN";

/** Simplified Chinese for zh, zh-CN, zh-Hans, zh-SG; English otherwise. */
export function pickLocale(displayLanguage: string | undefined): LocaleTag {
  return /^zh(-(cn|hans(-cn)?|sg)|$)/i.test(displayLanguage ?? "") ? "zh-CN" : "en-US";
}

/**
 * A locale's strings. en-US is in the pane's first script; zh-CN is a chunk of its own
 * ("locale-zh-CN", ≈ 4 KB gzipped), which a pane in Chinese loads before it renders (the pane
 * falls back to en-US if it does not arrive), so no pane carries the strings of a language it
 * does not show.
 */
export async function loadStrings(locale: LocaleTag): Promise<Strings> {
  if (locale === "zh-CN")
    return (await import(/* webpackChunkName: "locale-zh-CN" */ "./zh-CN")).zhCN;
  return enUS;
}

export function format(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole
  );
}

/**
 * The template for a count in the locale's plural category (Intl.PluralRules): `key` names the
 * "_other" form; "_one" (and the rest) are used where the locale has them.
 */
export function pluralKey(strings: Strings, key: StringKey, count: number): StringKey {
  const match = /^(.*)_other$/.exec(key);
  if (!match) return key;
  const category = pluralRules(strings.locale).select(count);
  const candidate = `${match[1]}_${category}`;
  return candidate in strings ? (candidate as StringKey) : key;
}

/** 1 decimal under 100 units, none above; binary units as Outlook shows them (1 MB = 1,048,576 bytes). */
export function formatBytes(strings: Strings, bytes: number): string {
  const n = (value: number) => number(strings, round(value));
  if (bytes < 1024) return format(strings.bytes, { n: n(bytes) });
  if (bytes < 1024 * 1024) return format(strings.kilobytes, { n: n(bytes / 1024) });
  return format(strings.megabytes, { n: n(bytes / (1024 * 1024)) });
}

/** Every byte, grouped ("157,286,401 bytes"): for a size judged against a limit it rounds to. */
export function formatBytesExact(strings: Strings, bytes: number): string {
  return format(strings.exactBytes, { n: number(strings, bytes) });
}

export function formatDuration(strings: Strings, seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return format(strings.seconds, { n: number(strings, s) });
  if (s < 3600) return format(strings.minutes, { n: number(strings, Math.round(s / 60)) });
  return format(strings.hours, { n: number(strings, round(s / 3600)) });
}

/**
 * A number as the locale writes it, with at most one decimal. Both shipped locales write numbers
 * the same way (en-US and zh-CN: "1,234.5"), so they are formatted here without Intl: the first
 * Intl.NumberFormat of a page loads ICU's number data, 30–60 ms of main thread measured in
 * Chromium and Node — that was the pane's longest task, at the first row's render on pick
 * (bench/analysis.md, 2026-12-02 pane-speed). Any other locale goes through a cached Intl.NumberFormat.
 */
function number(strings: Strings, value: number) {
  if (GROUPED_WITH_COMMA.has(strings.locale) && value >= 0 && value < 1e14) return grouped(value);
  return numberFormat(strings.locale).format(value);
}

const GROUPED_WITH_COMMA: ReadonlySet<string> = new Set(["en-US", "zh-CN"]);

/**
 * A non-negative `value` below 10^14 with at most one decimal, integer digits in groups of three
 * ("12,345.6"), as Intl.NumberFormat("en-US", { maximumFractionDigits: 1 }) writes it: rounded
 * half up from the number's shortest decimal form (so 0.95 gives "1", as Intl's does).
 */
export function grouped(value: number): string {
  const shortest = String(value);
  let tenths: number;
  if (shortest.includes("e"))
    tenths = 0; // below 1e-6
  else {
    const [whole, fraction = ""] = shortest.split(".");
    tenths =
      Number(whole) * 10 + Number(fraction[0] ?? 0) + (Number(fraction[1] ?? 0) >= 5 ? 1 : 0);
  }
  const digits = String(Math.floor(tenths / 10)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return tenths % 10 ? `${digits}.${tenths % 10}` : digits;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string): Intl.NumberFormat {
  let formatter = numberFormats.get(locale);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    numberFormats.set(locale, formatter);
  }
  return formatter;
}

const plurals = new Map<string, Intl.PluralRules>();
function pluralRules(locale: string): Intl.PluralRules {
  let rules = plurals.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    plurals.set(locale, rules);
  }
  return rules;
}

function round(n: number) {
  return n < 100 ? Math.round(n * 10) / 10 : Math.round(n);
}
