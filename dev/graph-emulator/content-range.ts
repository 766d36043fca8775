// `Content-Range: bytes {start}-{end}/{total}` as the docs define it for range PUTs.

export interface ContentRange {
  start: number;
  end: number;
  total: number;
  length: number;
}

/** Parses a Content-Range header, or returns a reason it is unusable. */
export function parseContentRange(header: string | undefined): ContentRange | string {
  if (!header) return "The Content-Range header is missing.";
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+)\s*$/i.exec(header);
  if (!match)
    return `The Content-Range header "${header}" is not of the form "bytes start-end/total".`;
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (end < start) return `The Content-Range "${header}" ends before it starts.`;
  if (end >= total) return `The Content-Range "${header}" ends beyond its total.`;
  return { start, end, total, length: end - start + 1 };
}
