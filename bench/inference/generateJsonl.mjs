// Writes a JSON Lines file of about `bytes` bytes with the same orders-like
// rows as generateCsv.mjs (bench/lib/writeOrders.mjs; one object per line,
// `note` null when empty): the same size always gives the same content.
import { writeOrders } from '../lib/writeOrders.mjs';

/** Writes the file and resolves with its exact size, SHA-256 and row count. */
export function generateJsonl(file, bytes) {
  return writeOrders(file, bytes, {
    line: (id, order) => {
      // Drawn first, unlike in the CSV, as this format always has.
      const note = order.note();
      return `${JSON.stringify({
        order_id: id,
        created_at: order.createdAt(),
        customer_id: order.customerId(),
        country: order.country(),
        status: order.status(),
        currency: order.currency(),
        amount: Number(order.amount()),
        items: order.items(),
        note: note || null,
      })}\n`;
    },
  });
}
