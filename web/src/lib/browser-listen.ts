import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Real-time listening in the browser (CC-11): the server streams the call as 8 kHz mono 16-bit
 * PCM over a WebSocket; each ~100 ms batch is scheduled back to back on an AudioContext, with a
 * small lead so network jitter does not cause gaps.
 */
export function useBrowserListen(): {
  listening: string | null;
  start: (callId: string) => void;
  stop: () => void;
  error: string | null;
} {
  const [listening, setListening] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const socket = useRef<WebSocket | null>(null);
  const audio = useRef<AudioContext | null>(null);
  const playAt = useRef(0);

  const stop = useCallback(() => {
    socket.current?.close();
    socket.current = null;
    void audio.current?.close();
    audio.current = null;
    setListening(null);
  }, []);

  const start = useCallback(
    (callId: string) => {
      stop();
      setError(null);
      const ctx = new AudioContext();
      audio.current = ctx;
      playAt.current = 0;
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/supervisor/calls/${encodeURIComponent(callId)}/listen`;
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      socket.current = ws;
      setListening(callId);
      ws.onmessage = (event: MessageEvent) => {
        if (typeof event.data === 'string') {
          const msg = JSON.parse(event.data) as { type: string; message?: string };
          if (msg.type === 'error') setError(msg.message ?? 'error');
          if (msg.type === 'ended' || msg.type === 'error') stop();
          return;
        }
        const pcm = new Int16Array(event.data as ArrayBuffer);
        const buffer = ctx.createBuffer(1, pcm.length, 8000);
        const channel = buffer.getChannelData(0);
        for (let i = 0; i < pcm.length; i++) channel[i] = (pcm[i] ?? 0) / 32768;
        const source = ctx.createBufferSource();
        source.buffer = buffer;
        source.connect(ctx.destination);
        const at = Math.max(playAt.current, ctx.currentTime + 0.15);
        source.start(at);
        playAt.current = at + buffer.duration;
      };
      ws.onclose = () => {
        if (socket.current === ws) stop();
      };
    },
    [stop],
  );

  useEffect(() => stop, [stop]);
  return { listening, start, stop, error };
}
