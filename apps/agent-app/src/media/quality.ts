/**
 * Network quality from two `RTCPeerConnection.getStats()` snapshots taken a few seconds apart:
 * packet loss on the received video over the interval, round-trip time of the nominated
 * candidate pair, and frames decoded. Pure: the snapshots come in as plain entries.
 */

export interface StatsEntry {
  type: string;
  kind?: string;
  state?: string;
  nominated?: boolean;
  packetsReceived?: number;
  packetsLost?: number;
  framesDecoded?: number;
  currentRoundTripTime?: number;
}

export interface Quality {
  level: 'good' | 'fair' | 'poor' | 'unknown';
  lossPercent?: number;
  rttMs?: number;
  framesDecoded: number;
  /** frames decoded during the interval */
  framesInInterval: number;
}

function inboundVideo(entries: StatsEntry[]) {
  let received = 0;
  let lost = 0;
  let frames = 0;
  for (const e of entries) {
    if (e.type === 'inbound-rtp' && e.kind === 'video') {
      received += e.packetsReceived ?? 0;
      lost += e.packetsLost ?? 0;
      frames += e.framesDecoded ?? 0;
    }
  }
  return { received, lost, frames };
}

function rttOf(entries: StatsEntry[]): number | undefined {
  const pair = entries.find((e) => e.type === 'candidate-pair' && e.nominated && e.state === 'succeeded' && e.currentRoundTripTime !== undefined)
    ?? entries.find((e) => e.type === 'candidate-pair' && e.currentRoundTripTime !== undefined);
  return pair?.currentRoundTripTime === undefined ? undefined : pair.currentRoundTripTime * 1000;
}

/** Thresholds as video calls usually grade them: ≥ 5 % loss or ≥ 400 ms is poor, ≥ 2 % or ≥ 200 ms fair. */
export function qualityOf(previous: StatsEntry[], current: StatsEntry[]): Quality {
  const a = inboundVideo(previous);
  const b = inboundVideo(current);
  const received = b.received - a.received;
  const lost = Math.max(0, b.lost - a.lost);
  const rttMs = rttOf(current);
  const framesInInterval = Math.max(0, b.frames - a.frames);
  const base = { framesDecoded: b.frames, framesInInterval, ...(rttMs === undefined ? {} : { rttMs: Math.round(rttMs) }) };
  if (received + lost <= 0) return { level: 'unknown', ...base };
  const lossPercent = Math.round((lost / (received + lost)) * 1000) / 10;
  let level: Quality['level'] = 'good';
  if (lossPercent >= 5 || (rttMs ?? 0) >= 400 || framesInInterval === 0) level = 'poor';
  else if (lossPercent >= 2 || (rttMs ?? 0) >= 200) level = 'fair';
  return { level, lossPercent, ...base };
}
