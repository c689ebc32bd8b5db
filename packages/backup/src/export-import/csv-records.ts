/** One record of a CSV source: its fields, or why it is malformed (ImportTable counts it and goes on). */
export type CsvRecord = { readonly fields: string[] } | { readonly error: string };

/**
 * The records of a CSV source, as DynamoDB's import reads them (RFC 4180): fields split by `delimiter`,
 * a field in double quotes may hold the delimiter, newlines and `""` for a quote; records end at a
 * newline outside quotes. A record with an unescaped quote is malformed, and the next record is read on.
 * Streams over text chunks, answering the records each chunk completes in one batch.
 */
export async function* csvRecords(text: AsyncIterable<string>, delimiter: string): AsyncIterable<CsvRecord[]> {
  let fields: string[] = [];
  let error: string | undefined;
  let field = '';
  let quoted = false;
  /** After a closing quote: the next character must end the field. */
  let afterQuote = false;
  let fieldStarted = false;
  let pendingCarriageReturn = false;
  for await (const chunk of text) {
    const records: CsvRecord[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (quoted) {
        if (c === '"') {
          quoted = false;
          afterQuote = true;
        } else field += c;
        continue;
      }
      if (pendingCarriageReturn && c !== '\n') {
        field += '\r';
        pendingCarriageReturn = false;
      }
      if (c === '"') {
        if (afterQuote) {
          // `""` inside a quoted field is one quote.
          field += '"';
          quoted = true;
          afterQuote = false;
        } else if (!fieldStarted) {
          quoted = true;
          fieldStarted = true;
        } else {
          error ??= 'Unescaped double quote inside a field';
          field += c;
        }
      } else if (c === delimiter) {
        fields.push(field);
        field = '';
        afterQuote = false;
        fieldStarted = false;
      } else if (c === '\r') {
        pendingCarriageReturn = true;
      } else if (c === '\n') {
        pendingCarriageReturn = false;
        fields.push(field);
        records.push(error === undefined ? { fields } : { error });
        error = undefined;
        fields = [];
        field = '';
        afterQuote = false;
        fieldStarted = false;
      } else {
        if (afterQuote) error ??= 'Characters after a closing double quote';
        field += c;
        fieldStarted = true;
      }
    }
    if (records.length > 0) yield records;
  }
  if (quoted) yield [{ error: 'Unterminated quoted field' }];
  else if (fieldStarted || fields.length > 0) {
    fields.push(field);
    yield [error === undefined ? { fields } : { error }];
  }
}

/** The text of chunked UTF-8 bytes. */
export async function* textOf(chunks: AsyncIterable<Uint8Array>): AsyncIterable<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}
