/**
 * A stand-in for the server's upload route, installed as the global fetch:
 * it answers each POST with what `answer` decides and keeps every request,
 * so tests see what left the device and what the device was told.
 */
import { vi } from 'vitest';
import type { UploadReply } from '../../shared/api.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import type { DeviceInfo, NewTransaction } from '../../shared/outbox-messages.js';

export interface SentUpload { url: string; workstation: string; transactions: OfflineTransaction[] }

export type Answer = (sent: SentUpload, call: number) => Promise<Response | Partial<UploadReply>> | Response | Partial<UploadReply>;

/** Accepts every transaction sent, as a healthy server does. */
export const acceptAll: Answer = (sent) => ({ accepted: sent.transactions.map((t) => t.id) });

export function installFakeServer(answer: Answer = acceptAll): SentUpload[] {
  const sent: SentUpload[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
    const body = JSON.parse(init.body as string) as { workstation: string; transactions: OfflineTransaction[] };
    const upload = { url, workstation: body.workstation, transactions: body.transactions };
    sent.push(upload);
    // An uploader that loops on the same chunk fails the test quickly instead of hanging it.
    if (sent.length > 20) throw new TypeError('the same chunk again and again');
    const reply = await answer(upload, sent.length);
    if (reply instanceof Response) return reply;
    return Response.json({ upload_id: sent.length, accepted: [], duplicates: [], rejected: [], ...reply });
  }));
  return sent;
}

export const device: DeviceInfo = {
  workstation: 'CENTRAL-DESK-1', branch: 'CENTRAL',
  staff: { username: 'kim', display_name: 'Kim', roles: [{ branch: 'CENTRAL', role: 'circulation' }] },
};

let n = 0;
/** An in-house use of an item, as the desk records it. */
export function scan(item = 'I00001'): NewTransaction {
  n++;
  return { id: crypto.randomUUID(), type: 'in_house_use', occurred_at: new Date(Date.UTC(2026, 10, 29, 10, 0, n)).toISOString(), item_barcode: item, count: 1 };
}
