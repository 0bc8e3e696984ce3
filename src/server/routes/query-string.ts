/**
 * A raw query string's name=value pairs, in order and percent-decoded (`+` as a space), for the
 * REST routes that read it strictly (each applies its own rules on names and repeats). `invalid`
 * makes the route's error for a part that is not valid percent-encoding.
 */
export function queryPairs(rawQuery: string, invalid: (what: string, message: string) => Error): [name: string, value: string][] {
  const decode = (raw: string, what: string) => {
    try {
      return decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      throw invalid(what, `${what} is not valid percent-encoding (UTF-8)`);
    }
  };
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const [rawName, rawValue] = equals === -1 ? [part, ''] : [part.slice(0, equals), part.slice(equals + 1)];
    const name = decode(rawName, 'a parameter name');
    pairs.push([name, decode(rawValue, name)]);
  }
  return pairs;
}
