/** The referrer of an event (DATA-CONTRACT §6.1): the host name of the URL it came from. */

/** Referrer of an event whose `from` is missing, not a string or empty. */
export const DIRECT_REFERRER = '(direct)';
/** Referrer of an event whose `from` is not a URL, or a URL without a host. */
export const INVALID_REFERRER = '(invalid)';

/**
 * The host name of `from` as the WHATWG URL parser gives it (`new URL(from).hostname`: lower-case
 * for special schemes, no port, IPv6 in brackets); {@link DIRECT_REFERRER} when `from` is missing,
 * not a string or `""`; {@link INVALID_REFERRER} when the parser refuses it or the host is empty.
 */
export function referrerHost(from: unknown): string {
  if (typeof from !== 'string' || from === '') return DIRECT_REFERRER;
  let url: URL;
  try {
    url = new URL(from);
  } catch {
    return INVALID_REFERRER;
  }
  return url.hostname === '' ? INVALID_REFERRER : url.hostname;
}
