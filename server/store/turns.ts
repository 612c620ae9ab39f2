// One at a time, in the order asked: the write transactions of one database adapter (./sql-sqlite.ts, ./sql-postgres.ts)
// queue here so that they never interleave inside this process, whatever the database would allow.

export class Turns {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `fn` once everything asked for before it has ended (settled either way). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    try {
      await before;
      return await fn();
    } finally {
      release();
    }
  }
}
