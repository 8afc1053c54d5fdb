import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { FetchSettings } from '@newsflow/core';
import { fetchUrl } from '@newsflow/fetch';

export interface LoadedInput {
  /** `{file: …}` or `{url: …}`: how the output line names its input. */
  source: { file: string } | { url: string };
  bytes: Buffer;
  contentType: string | undefined;
  /** The URL relative links resolve against (the final URL after redirects, or a file: URL). */
  baseUrl: string;
}

/** Reads a file (gunzipped when it is gzip) or fetches an http(s) URL with the pipeline's fetch settings. */
export async function loadInput(input: string, fetchSettings: FetchSettings, accept: string): Promise<LoadedInput> {
  if (/^https?:\/\//i.test(input)) {
    const response = await fetchUrl(input, { ...fetchSettings, accept });
    return { source: { url: input }, bytes: response.body, contentType: response.contentType, baseUrl: response.url };
  }
  const raw = await readFile(input);
  const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipBounded(raw, fetchSettings.maxBytes, input) : raw;
  return {
    source: { file: input },
    bytes,
    contentType: undefined,
    baseUrl: new URL(input, `file://${process.cwd()}/`).href,
  };
}

/** A gzip bomb (a few KB that inflate to gigabytes) stops at the same cap as a download, with a clear error. */
function gunzipBounded(raw: Buffer, maxBytes: number, input: string): Buffer {
  try {
    return gunzipSync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
      throw new Error(`${input} inflates to more than fetch.maxBytes (${maxBytes} bytes)`, { cause: error });
    throw new Error(`${input} is not valid gzip: ${(error as Error).message}`, { cause: error });
  }
}

export function sourceOf(input: string): { file: string } | { url: string } {
  return /^https?:\/\//i.test(input) ? { url: input } : { file: input };
}
