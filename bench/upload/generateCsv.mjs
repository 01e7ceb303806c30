// Writes a CSV of about `bytes` bytes of orders (bench/lib/writeOrders.mjs):
// the same size always gives the same content and digest.
import { writeOrders } from '../lib/writeOrders.mjs';

const HEADER =
  'order_id,created_at,customer_id,country,status,currency,amount,items,note\n';

/**
 * Writes the file and resolves with its exact size, SHA-256 and row count;
 * it is at most `bytes` long.
 */
export function generateCsv(file, bytes) {
  return writeOrders(file, bytes, {
    header: HEADER,
    line: (id, order) =>
      `${id},${order.createdAt()},${order.customerId()},${order.country()},${order.status()},${order.currency()},${order.amount()},${order.items()},${order.note()}\n`,
  });
}
