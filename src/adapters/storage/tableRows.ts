import type { TableClient, TableEntityResult } from '@azure/data-tables';
import { statusOf } from './tables';

/** Row primitives the index is built from: point reads, ETag-guarded writes, tolerant deletes. */

export interface RowKeys {
  partitionKey: string;
  rowKey: string;
}

export type Row = Record<string, unknown>;

/** Concurrent writers of one row each retry a lost ETag race this often before giving up. */
const MAX_RACES = 8;

/** The stored properties, without the service's metadata. */
export function propertiesOf(entity: TableEntityResult<Row>): Row {
  const { etag: _etag, timestamp: _timestamp, partitionKey: _pk, rowKey: _rk, ...rest } = entity as Row;
  delete rest['odata.metadata'];
  return rest;
}

export async function readRow(client: TableClient, keys: RowKeys): Promise<{ row: Row; etag: string } | undefined> {
  try {
    const entity = await client.getEntity<Row>(keys.partitionKey, keys.rowKey);
    return { row: propertiesOf(entity), etag: entity.etag };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * Replaces the row with `next(current)`, conditional on the ETag just read (or on the row not
 * existing yet), so two writers never overwrite each other blindly; `next` answering undefined
 * (for example: the stored revision is already newer) leaves the row alone.
 */
export async function guardedWrite(
  client: TableClient,
  keys: RowKeys,
  next: (current: Row | undefined) => Row | undefined,
  /** the row as the caller just read it (`null`: just found absent), saving the first read */
  known?: { row: Row; etag: string } | null,
): Promise<boolean> {
  for (let race = 0; race < MAX_RACES; race++) {
    const current = race === 0 && known !== undefined ? (known ?? undefined) : await readRow(client, keys);
    const row = next(current?.row);
    if (!row) return false;
    try {
      if (current) await client.updateEntity({ ...row, ...keys }, 'Replace', { etag: current.etag });
      else await client.createEntity({ ...row, ...keys });
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 409) continue;
      throw error;
    }
  }
  throw new Error(`${client.tableName}: lost ${MAX_RACES} write races on one row`);
}

export async function deleteRow(client: TableClient, keys: RowKeys): Promise<void> {
  try {
    await client.deleteEntity(keys.partitionKey, keys.rowKey);
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}

/** A transaction holds at most 100 operations, all in one partition. */
export const TRANSACTION_LIMIT = 100;

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
