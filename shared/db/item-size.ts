/**
 * An item's size as DynamoDB counts it for capacity units, from the item as the document
 * client sees it (plain JavaScript): the sum over attributes of the name's UTF-8 bytes and
 * the value's size. Values: strings their UTF-8 bytes, binary its bytes, numbers about
 * 1 byte plus 1 per two significant digits, booleans and null 1 byte, lists and maps 3 bytes
 * plus their elements plus 1 byte per element (a map element counts its name too), sets the
 * sum of their elements. Undefined attributes are not stored (removeUndefinedValues).
 */
export function itemSize(item: Record<string, unknown> | undefined): number {
  if (!item) return 0;
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    size += utf8Bytes(name) + valueSize(value);
  }
  return size;
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** Significant digits of a number's decimal form: sign, point, exponent, leading and trailing zeros left out. */
export function significantDigits(value: number | bigint | string): number {
  const mantissa = String(value).toLowerCase().replace(/^-/, '').split('e')[0]!.replace('.', '');
  const trimmed = mantissa.replace(/^0+/, '').replace(/0+$/, '');
  return Math.max(1, trimmed.length);
}

const numberSize = (value: number | bigint | string) => 1 + Math.ceil(significantDigits(value) / 2);

export function valueSize(value: unknown): number {
  if (value === null) return 1;
  switch (typeof value) {
    case 'string':
      return utf8Bytes(value);
    case 'number':
    case 'bigint':
      return numberSize(value);
    case 'boolean':
      return 1;
    case 'object':
      break;
    default:
      return 0;
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) {
    let size = 0;
    for (const element of value as Set<unknown>) size += valueSize(element);
    return size;
  }
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, element) => sum + valueSize(element) + 1, 0);
  let size = 3;
  for (const [name, element] of Object.entries(value)) {
    if (element === undefined) continue;
    size += utf8Bytes(name) + valueSize(element) + 1;
  }
  return size;
}
