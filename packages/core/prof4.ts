import { validateItem } from './src/model/validate-item.ts';
const item = (i: number) => ({ pk: { S: `user#${i.toString().padStart(8, '0')}` }, name: { S: `name-${i}-abcdefghij` }, email: { S: `user${i}@example.com` }, visits: { N: String(i % 1000) }, active: { BOOL: i % 2 === 0 }, score: { N: `${i % 97}.5` } });
const items = Array.from({ length: 100 }, (_, i) => item(i));
let x = 0;
for (let r = 0; r < 3; r++) {
let t = performance.now();
for (let j = 0; j < 1000000; j++) x += validateItem(items[j % 100]!) ? 1 : 0;
console.log('validateItem hot ns/op', (performance.now() - t));
}
