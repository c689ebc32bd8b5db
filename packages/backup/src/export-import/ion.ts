import { Decimal, IonTypes, dom, loadAll, makeTextWriter, type Writer } from 'ion-js';
import type { AttributeValue, Item } from '@magneto/core';

/**
 * Amazon Ion text as DynamoDB's ION exports write it and its ION imports read it (ion-js does the Ion):
 * S → string, N → decimal, B → blob, BOOL → bool, NULL → null, M → struct, L → list, and the sets as
 * lists annotated `$dynamodb_SS`, `$dynamodb_NS`, `$dynamodb_BS`. A data file starts with the version
 * marker `$ion_1_0`, then one value per line, e.g. `{Item:{Id:103.,Authors:$dynamodb_SS::["A","B"]}}`.
 */

/** The Ion version marker a data file starts with. */
export const ION_VERSION_MARKER = '$ion_1_0 ';

const SET_ANNOTATIONS = { SS: '$dynamodb_SS', NS: '$dynamodb_NS', BS: '$dynamodb_BS' } as const;

/**
 * Ion text lines, one struct of the given members each (an item, or a DynamoDB JSON map for Metadata),
 * every line ending in `\n`. One writer serves them all (ion-js puts a newline between top-level values):
 * a writer per line costs twice as much.
 */
export function encodeIonLines(lines: readonly Readonly<Record<string, Item | undefined>>[]): string {
  if (lines.length === 0) return '';
  const writer = makeTextWriter();
  for (const members of lines) {
    writer.stepIn(IonTypes.STRUCT);
    for (const [name, item] of Object.entries(members)) {
      if (item === undefined) continue;
      writer.writeFieldName(name);
      writeMap(writer, item);
    }
    writer.stepOut();
  }
  writer.close();
  return `${new TextDecoder().decode(writer.getBytes())}\n`;
}

function writeMap(writer: Writer, item: Item): void {
  writer.stepIn(IonTypes.STRUCT);
  for (const [name, value] of Object.entries(item)) {
    writer.writeFieldName(name);
    writeValue(writer, value);
  }
  writer.stepOut();
}

function writeValue(writer: Writer, value: AttributeValue): void {
  if ('S' in value) writer.writeString(value.S);
  else if ('N' in value) writer.writeDecimal(ionDecimalOf(value.N));
  else if ('B' in value) writer.writeBlob(value.B);
  else if ('BOOL' in value) writer.writeBoolean(value.BOOL);
  else if ('NULL' in value) writer.writeNull(IonTypes.NULL);
  else if ('M' in value) writeMap(writer, value.M);
  else if ('L' in value) {
    writer.stepIn(IonTypes.LIST);
    for (const element of value.L) writeValue(writer, element);
    writer.stepOut();
  } else {
    const [type, members] = 'SS' in value ? (['SS', value.SS] as const) : 'NS' in value ? (['NS', value.NS] as const) : (['BS', value.BS] as const);
    writer.setAnnotations([SET_ANNOTATIONS[type]]);
    writer.stepIn(IonTypes.LIST);
    for (const member of members) {
      if (type === 'SS') writer.writeString(member as string);
      else if (type === 'NS') writer.writeDecimal(ionDecimalOf(member as string));
      else writer.writeBlob(member as Uint8Array);
    }
    writer.stepOut();
  }
}

/** A DynamoDB number (exact, up to 38 digits) as an Ion decimal: its digits as the coefficient, never through `number`. */
function ionDecimalOf(number: string): Decimal {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(number);
  if (match === null) throw new Error(`Not a number: ${number}`);
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const coefficient = BigInt(`${whole}${fraction}` || '0');
  return new Decimal(coefficient, Number(exponent) - fraction.length, sign === '-' && coefficient !== 0n);
}

/** The top-level struct of one Ion line (`$ion_1_0` allowed before it); throws when the line is not exactly one struct. */
export function decodeIonLine(line: string): dom.Struct {
  const values = loadAll(line);
  if (values.length !== 1 || values[0]!.getType() !== IonTypes.STRUCT) throw new Error('Line is not one Ion struct');
  return values[0] as dom.Struct;
}

/** The item of an ION import line (`{Item:{…}}`); throws (a line error) when it is not one. */
export function decodeIonItemLine(line: string): Item {
  return itemOfLine(decodeIonLine(line));
}

/**
 * The items of many ION lines read in one pass (one parse of their text costs far less than one per line);
 * throws when any line is not exactly one `{Item:{…}}` struct, and the caller then reads them one by one.
 */
export function decodeIonItemLines(lines: readonly string[]): Item[] {
  const values = loadAll(lines.join('\n'));
  if (values.length !== lines.length) throw new Error('Not one Ion value per line');
  return values.map((value) => {
    if (value.getType() !== IonTypes.STRUCT) throw new Error('Line is not one Ion struct');
    return itemOfLine(value as dom.Struct);
  });
}

function itemOfLine(line: dom.Struct): Item {
  const item = line.get('Item');
  if (item === null || item.getType() !== IonTypes.STRUCT) throw new Error('Line is not a struct with an Item member');
  return itemOf(item as dom.Struct);
}

function itemOf(struct: dom.Value): Item {
  const item: Item = {};
  for (const [name, value] of struct.fields()) item[name] = attributeValueOf(value);
  return item;
}

function attributeValueOf(value: dom.Value): AttributeValue {
  const type = value.getType();
  const annotation = value.getAnnotations()[0];
  if (value.isNull()) {
    if (type !== IonTypes.NULL) throw new Error(`Unsupported Ion value: null.${type.name}`);
    return { NULL: true };
  }
  if (type === IonTypes.STRING) return { S: value.stringValue()! };
  if (type === IonTypes.DECIMAL || type === IonTypes.INT) return { N: numberOf(value) };
  if (type === IonTypes.BLOB) return { B: value.uInt8ArrayValue()! };
  if (type === IonTypes.BOOL) return { BOOL: value.booleanValue()! };
  if (type === IonTypes.STRUCT) return { M: itemOf(value) };
  if (type === IonTypes.LIST) {
    const elements = [...value.elements()];
    if (annotation === SET_ANNOTATIONS.SS) return { SS: elements.map((e) => scalarOf(e, IonTypes.STRING, () => e.stringValue()!)) };
    if (annotation === SET_ANNOTATIONS.NS) return { NS: elements.map((e) => (e.getType() === IonTypes.DECIMAL || e.getType() === IonTypes.INT ? numberOf(e) : unsupported(e))) };
    if (annotation === SET_ANNOTATIONS.BS) return { BS: elements.map((e) => scalarOf(e, IonTypes.BLOB, () => e.uInt8ArrayValue()!)) };
    return { L: elements.map(attributeValueOf) };
  }
  return unsupported(value);
}

function scalarOf<T>(value: dom.Value, type: (typeof IonTypes)[keyof typeof IonTypes], read: () => T): T {
  return value.getType() === type && !value.isNull() ? read() : unsupported(value);
}

function unsupported(value: dom.Value): never {
  throw new Error(`Unsupported Ion value of type ${value.getType().name}`);
}

/** An Ion decimal or int as a DynamoDB number string (the write normalizes it). */
function numberOf(value: dom.Value): string {
  if (value.getType() === IonTypes.INT) return value.bigIntValue()!.toString();
  // The coefficient carries the sign (a negative zero is zero to DynamoDB).
  const decimal = value.decimalValue()!;
  return `${decimal.getCoefficient()}E${decimal.getExponent()}`;
}
