// $util: the helper functions API Gateway gives templates, with Java's encodings.
import { TemplateMethodError } from './java-methods.js';
import { HostObject, javaString, parseJson } from './java-values.js';

const hex = (code: number, width: number) => code.toString(16).toUpperCase().padStart(width, '0');

/** Apache Commons Lang's escapeJavaScript: quotes, backslash and `/` escaped, non-ASCII as \uXXXX. */
export function escapeJavaScript(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const c = s[i]!;
    if (code > 0x7f) out += `\\u${hex(code, 4)}`;
    else if (code < 32) {
      const named: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
      out += named[code] ?? `\\u${hex(code, 4)}`;
    } else if (c === "'" || c === '"' || c === '\\' || c === '/') out += `\\${c}`;
    else out += c;
  }
  return out;
}

/** java.net.URLEncoder with UTF-8: space as `+`, only `A-Za-z0-9.-*_` left as they are. */
export function urlEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => `%${hex(c.charCodeAt(0), 2)}`)
    .replace(/%20/g, '+');
}

/** java.net.URLDecoder with UTF-8; malformed escapes fail the render as Java's throw does. */
export function urlDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new TemplateMethodError(`cannot URL-decode: ${s}`);
  }
}

const text = (v: unknown) => javaString(v);
const orNull = (f: (s: string) => unknown) => (v: unknown) => (v === null || v === undefined ? undefined : f(text(v)));

const methods = {
  escapeJavaScript: orNull(escapeJavaScript),
  parseJson: orNull((s) => {
    try {
      return parseJson(s);
    } catch {
      throw new TemplateMethodError('$util.parseJson: invalid JSON');
    }
  }),
  urlEncode: orNull(urlEncode),
  urlDecode: orNull(urlDecode),
  base64Encode: orNull((s) => Buffer.from(s, 'utf8').toString('base64')),
  base64Decode: orNull((s) => Buffer.from(s, 'base64').toString('utf8')),
};

/** A fresh $util per render, so a template's #set on it stays within that render. */
export const utilVariable = (): HostObject => new HostObject({}, methods);
