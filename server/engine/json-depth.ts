// Deeply nested JSON is harmless to JSON.parse but not to the recursive code that reads it afterwards (value
// conversion, the schema validator, compilation): a hostile document could exhaust the stack. This walk is
// iterative, so it is the one place that may look at any depth.

/** The JSON pointer of the first value nested more than `limit` levels below the root, or null when none is. */
export function tooDeepAt(value: unknown, limit: number): string | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= limit) return path === '' ? '/' : path;
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, x] = entries[i]!;
      stack.push({ v: x, path: `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth: depth + 1 });
    }
  }
  return null;
}
