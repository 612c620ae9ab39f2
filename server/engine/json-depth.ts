// Deeply nested JSON is harmless to JSON.parse but not to the recursive code that reads it afterwards (value
// conversion, the schema validator, compilation): a hostile document could exhaust the stack. These walks are
// iterative, so they are the one place that may look at any depth.

/** The JSON pointer of the first value nested more than `limit` levels below the root, or null when none is. */
export function tooDeepAt(value: unknown, limit: number): string | null {
  // Every request body passes here: the common answer (not too deep) is found without building any path.
  return deeperThan(value, limit) ? pathPast(value, limit) : null;
}

function deeperThan(root: unknown, limit: number): boolean {
  if (typeof root !== 'object' || root === null) return false;
  const values: unknown[] = [root];
  const depths: number[] = [0];
  while (values.length > 0) {
    const v = values.pop()!;
    const depth = depths.pop()!;
    if (depth >= limit) return true;
    for (const x of Array.isArray(v) ? (v as unknown[]) : Object.values(v as object)) {
      if (typeof x === 'object' && x !== null) {
        values.push(x);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

function pathPast(root: unknown, limit: number): string {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (depth >= limit) return path === '' ? '/' : path;
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v as object);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, x] = entries[i]!;
      if (typeof x === 'object' && x !== null) stack.push({ v: x, path: `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth: depth + 1 });
    }
  }
  return '/';
}
