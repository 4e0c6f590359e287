/**
 * Uploads the device's pending transactions to a session in chunks. A
 * transaction is marked uploaded only when the server named its id as
 * accepted or already held; anything else stays pending on the device.
 */
import type { UploadReply } from '../../shared/api.js';
import { api } from './api.js';
import * as outbox from './outbox-client.js';

export const CHUNK_SIZE = 250;

export interface UploadProgress { sent: number; total: number; accepted: number; duplicates: number; rejected: number }

export async function uploadPending(sessionId: number, workstation: string, total: number,
  onProgress: (p: UploadProgress) => void): Promise<UploadProgress> {
  const progress: UploadProgress = { sent: 0, total, accepted: 0, duplicates: 0, rejected: 0 };
  for (;;) {
    const batch = await outbox.pendingBatch(CHUNK_SIZE);
    if (!batch.length) break;
    const reply = await api<UploadReply>('POST', `/sessions/${sessionId}/uploads`, {
      workstation,
      device_time: new Date().toISOString(),
      transactions: batch.map((e) => e.tx),
    });
    await outbox.markUploaded(reply.accepted, reply.duplicates, sessionId);
    const rejected = reply.rejected.filter((r) => r.id !== null).map((r) => ({ id: r.id!, reason: r.reason }));
    await outbox.markRejected(rejected);
    progress.sent += batch.length;
    // Scans recorded while the upload runs join the queue; the total grows with them.
    progress.total = Math.max(progress.total, progress.sent);
    progress.accepted += reply.accepted.length;
    progress.duplicates += reply.duplicates.length;
    progress.rejected += reply.rejected.length;
    onProgress({ ...progress });
    const settled = reply.accepted.length + reply.duplicates.length + rejected.length;
    // A reply that settles nothing would make the next chunk the same one: stop rather than loop.
    if (settled === 0) throw new Error('The server acknowledged none of the transactions sent; they stay on this device');
  }
  return progress;
}
