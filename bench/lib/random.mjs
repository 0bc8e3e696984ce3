// Seeded, deterministic randomness: the same seed gives the same data set on every machine.

/** sfc32: small, fast, good enough for test data (not for secrets). */
export function makeRandom(seed = 1) {
  let a = 0x9e3779b9,
    b = 0x243f6a88,
    c = 0xb7e15162,
    d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) + t;
    return t >>> 0;
  };
  for (let i = 0; i < 20; i++) next(); // mix the seed in
  const float = () => next() / 4294967296;
  const rnd = {
    float,
    int: (n) => Math.floor(float() * n),
    between: (lo, hi) => lo + Math.floor(float() * (hi - lo + 1)),
    chance: (p) => float() < p,
    pick: (list) => list[Math.floor(float() * list.length)],
    /** Zipf-like: index 0 is the most frequent, the tail is rare (so search terms range from common to selective). */
    zipf: (list, s = 1.1) => list[Math.min(list.length - 1, Math.floor(Math.pow(list.length + 1, Math.pow(float(), s)) - 1))],
    /** One of `entries` ([value, weight]) by weight. */
    weighted: (entries) => {
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let r = float() * total;
      for (const [value, w] of entries) if ((r -= w) < 0) return value;
      return entries[entries.length - 1][0];
    },
    /** Random v4 UUID built from the seeded stream, so ids (and tie-breaks on id) are reproducible too. */
    uuid: () => {
      const h = [next(), next(), next(), next()].map((n) => n.toString(16).padStart(8, '0')).join('');
      const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
  return rnd;
}

/** Unicode code points in a string (span offsets are code points, not UTF-16 units). */
export function codePoints(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}
