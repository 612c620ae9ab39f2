// Puts a suite's figures into bench/README.md, between its markers `<!-- bench:NAME:start -->` and `…:end -->`,
// so the prose around them is written by people and the numbers by the run.
import { readFileSync, writeFileSync } from 'node:fs';

export function writeFigures(name: string, text: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const url = new URL('./README.md', import.meta.url);
  const readme = readFileSync(url, 'utf8');
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error(`bench/README.md has no ${start} … ${end} section`);
  writeFileSync(url, `${readme.slice(0, a + start.length)}\n${text}\n${readme.slice(b)}`);
  console.log(`figures written to bench/README.md (${name})`);
}
