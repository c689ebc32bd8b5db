/**
 * `node --import tsx packages/core/bench/item-codec.ts [other item-codec.ts]`: CPU nanoseconds per
 * `encodeItem` and per `decodeItem` of items of compare.ts's shape (pk S, sk N, name S, visits N, active
 * BOOL), read in storage order (as a Query reads them) and shuffled (as GetItems do). With the path of another build's
 * item-codec module (e.g. a worktree of an older commit), both run in one process, alternating rounds.
 */
import { pathToFileURL } from 'node:url';
import type { Item } from '../src/model/attribute-value.js';

type Codec = { encodeItem(item: Item, size: number): string; decodeItem(stored: string): Item };

const other = process.argv[2];
const codecs: Array<[string, Codec]> = [['this', (await import('../src/storage/item-codec.js')) as Codec]];
if (other !== undefined) codecs.push(['other', (await import(pathToFileURL(other).href)) as Codec]);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const PASSES = 100;

function item(p: number, s: number): Item {
  return { pk: { S: `user#${p}` }, sk: { N: String(s) }, name: { S: `name-${p}-${s}-abcdefghij` }, visits: { N: String(s * 7) }, active: { BOOL: s % 2 === 0 } };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
let sink: unknown;
{
  const items: Item[] = [];
  for (let p = 0; p < 500; p++) for (let s = 0; s < 20; s++) items.push(item(p, s));
  const samples: number[][] = codecs.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let c = 0; c < codecs.length; c++) {
      const k = round % 2 === 0 ? c : codecs.length - 1 - c;
      const encode = codecs[k]![1].encodeItem;
      const start = process.cpuUsage();
      for (let pass = 0; pass < PASSES; pass++) for (let i = 0; i < items.length; i++) sink = encode(items[i]!, 60);
      const used = process.cpuUsage(start);
      samples[k]!.push(((used.user + used.system) * 1000) / (PASSES * items.length));
    }
  }
  report('encodeItem', samples);
}
for (const order of ['storage order', 'shuffled'] as const) {
  // Each codec decodes its own encodings (the name dictionaries of two builds differ).
  const inputs = codecs.map(([, codec]) => {
    const stored: string[] = [];
    for (let p = 0; p < 500; p++) for (let s = 0; s < 20; s++) stored.push(codec.encodeItem(item(p, s), 60));
    if (order === 'shuffled') for (let i = stored.length - 1; i > 0; i--) { const j = (i * 7919) % (i + 1); [stored[i], stored[j]] = [stored[j]!, stored[i]!]; }
    return stored;
  });
  const samples: number[][] = codecs.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let c = 0; c < codecs.length; c++) {
      const k = round % 2 === 0 ? c : codecs.length - 1 - c;
      const decode = codecs[k]![1].decodeItem;
      const stored = inputs[k]!;
      const start = process.cpuUsage();
      for (let pass = 0; pass < PASSES; pass++) for (let i = 0; i < stored.length; i++) sink = decode(stored[i]!);
      const used = process.cpuUsage(start);
      samples[k]!.push(((used.user + used.system) * 1000) / (PASSES * stored.length));
    }
  }
  report(`decodeItem (${order})`, samples);
}

function report(label: string, samples: number[][]): void {
  const line = codecs.map(([name], c) => `${name} ${median(samples[c]!).toFixed(0)} ns`).join('   ');
  const ratio = codecs.length === 2 ? `   this/other ${(median(samples[0]!) / median(samples[1]!)).toFixed(2)}` : '';
  console.log(`${label}: ${line}${ratio}`);
}
(globalThis as { sink?: unknown }).sink = sink;
