import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Bed, BedBoard } from '../../api/types.js';
import { session } from '../../auth/session.js';

export const boardKey = (facilityId: string) => ['beds', 'board', facilityId] as const;

/** Whether the board is receiving live changes. */
export type LiveStatus = 'connecting' | 'live' | 'offline';

const RECONNECT_MS = 3000;

/**
 * Keeps the cached board of a facility current: reads the server-sent events of
 * `/facilities/:id/board/stream` with fetch (so the access token goes in the Authorization header, never in
 * the URL), puts each changed bed into the cached board, and re-reads the whole board whenever
 * the stream (re)connects so nothing missed while away stays stale. Reconnects when the server
 * ends the stream (it does when the access token would expire) or the network drops.
 */
export function useBedBoardStream(facilityId: string | null): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    if (!facilityId) return;
    const abort = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;

    const apply = (bed: Bed) =>
      queryClient.setQueryData<BedBoard>(boardKey(facilityId), (board) =>
        board
          ? {
              ...board,
              units: board.units.map((unit) =>
                unit.id === bed.unitId
                  ? { ...unit, beds: unit.beds.map((b) => (b.id === bed.id ? bed : b)) }
                  : unit,
              ),
            }
          : board,
      );

    const connect = async () => {
      setStatus('connecting');
      try {
        const token = session.token();
        const response = await fetch(
          `/api/v1/scheduling/facilities/${encodeURIComponent(facilityId)}/board/stream`,
          {
            headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            signal: abort.signal,
          },
        );
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const message = parseMessage(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (message?.event === 'ready') {
              setStatus('live');
              void queryClient.invalidateQueries({ queryKey: boardKey(facilityId) });
            } else if (message?.event === 'bed') {
              apply(JSON.parse(message.data) as Bed);
            } else if (message?.event === 'revoked') {
              void queryClient.invalidateQueries({ queryKey: boardKey(facilityId) });
            }
          }
        }
      } catch {
        if (abort.signal.aborted) return;
      }
      if (abort.signal.aborted) return;
      setStatus('offline');
      retry = setTimeout(() => void connect(), RECONNECT_MS);
    };
    void connect();
    return () => {
      abort.abort();
      if (retry) clearTimeout(retry);
    };
  }, [facilityId, queryClient]);

  return status;
}

function parseMessage(block: string): { event: string; data: string } | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  return data.length > 0 ? { event, data: data.join('\n') } : null;
}
