import { READ_REQUEST_UNIT_USD_PER_MILLION, WRITE_REQUEST_UNIT_USD_PER_MILLION } from './defaults';

/** What the request units cost on demand; the units already count transactions twice and eventually consistent reads half. */
export function requestUnitsCostUsd(units: { read: number; write: number }): number {
  return (units.write * WRITE_REQUEST_UNIT_USD_PER_MILLION + units.read * READ_REQUEST_UNIT_USD_PER_MILLION) / 1_000_000;
}
