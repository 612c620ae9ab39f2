// An open-loop load at a steady rate: requests fall due at evenly spaced moments, whatever the answers do, and go
// out over a pool of keep-alive connections (a timer sends what has fallen due every few milliseconds). Each
// latency is counted from the moment the request was handed to the pool, so time spent waiting for a free
// connection counts too (no "coordinated omission"), but the timer's own granularity does not. autocannon's rate
// limit sends each connection's share of a second in one burst and then waits: that measures bursts.
import { Agent, request } from 'node:http';

export interface SteadyOptions {
  url: string;
  path: string;
  headers: Record<string, string>;
  bodies: string[];
  rate: number;
  seconds: number;
  connections: number;
  /** Called with each answer's status and milliseconds since it was sent. */
  onResponse?: (status: number, ms: number) => void;
}

export interface SteadyResult {
  latencies: number[];
  sent: number;
  non2xx: number;
  errors: number;
  /** The last connection error, if any. */
  lastError: string | null;
}

export async function steadyLoad(o: SteadyOptions): Promise<SteadyResult> {
  // FIFO: every connection takes turns, so none sits idle long enough for the server's keep-alive timeout to close
  // it just as a request goes out on it (a client-side race that would show up as a connection error).
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections, scheduling: 'fifo' });
  const target = new URL(o.path, o.url);
  const latencies: number[] = [];
  let sent = 0;
  let non2xx = 0;
  let errors = 0;
  let lastError: string | null = null;
  let open = 0;
  const start = performance.now();
  const end = start + o.seconds * 1000;
  const interval = 1000 / o.rate;

  const fire = (body: string) => {
    const handed = performance.now();
    open++;
    const req = request(target, { method: 'POST', agent, headers: { ...o.headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => {
        const ms = performance.now() - handed;
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) non2xx++;
        latencies.push(ms);
        o.onResponse?.(status, ms);
        open--;
      });
    });
    req.on('error', (err) => {
      errors++;
      lastError = err.message;
      open--;
    });
    req.end(body);
  };

  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const now = Math.min(performance.now(), end);
      while (start + sent * interval <= now) {
        fire(o.bodies[sent % o.bodies.length]!);
        sent++;
      }
      if (performance.now() >= end) {
        clearInterval(timer);
        done();
      }
    }, 2);
  });
  // Let the last answers come in (bounded: a server that stopped answering does not hang the benchmark).
  for (let waited = 0; open > 0 && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  agent.destroy();
  return { latencies, sent, non2xx, errors, lastError };
}
