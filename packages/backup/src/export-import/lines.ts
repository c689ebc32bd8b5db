/**
 * The UTF-8 text lines of chunked bytes (without their `\n` or `\r\n`), as they arrive: the lines each
 * chunk completes, in one batch (an await per line would cost more than reading the line).
 */
export async function* linesOf(chunks: AsyncIterable<Uint8Array>): AsyncIterable<string[]> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    const lines: string[] = [];
    let start = 0;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n', start)) {
      lines.push(trimCarriageReturn(pending.slice(start, end)));
      start = end + 1;
    }
    pending = pending.slice(start);
    if (lines.length > 0) yield lines;
  }
  pending += decoder.decode();
  if (pending.length > 0) yield [trimCarriageReturn(pending)];
}

function trimCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
