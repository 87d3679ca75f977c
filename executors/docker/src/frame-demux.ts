/**
 * Splits Docker's multiplexed attach stream (used when a container or exec has no TTY) into stdout and stderr. Each
 * frame is an 8-byte header — stream type (1 stdout, 2 stderr), three zero bytes, a big-endian payload length — then
 * the payload. Chunks from the socket cut frames and headers anywhere, so the parser keeps what it has not consumed.
 */
export function createFrameDemux(onFrame: (stream: 'stdout' | 'stderr', payload: Buffer) => void): { push(chunk: Buffer): void } {
  let pending: Buffer = Buffer.alloc(0);
  return {
    push(chunk) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let offset = 0;
      while (pending.length - offset >= 8) {
        const type = pending[offset]!;
        const size = pending.readUInt32BE(offset + 4);
        if (pending.length - offset - 8 < size) break;
        const payload = pending.subarray(offset + 8, offset + 8 + size);
        // Type 0 (stdin) never arrives for an exec without stdin; anything unexpected is shown rather than dropped.
        onFrame(type === 2 ? 'stderr' : 'stdout', payload);
        offset += 8 + size;
      }
      pending = pending.subarray(offset);
    },
  };
}
