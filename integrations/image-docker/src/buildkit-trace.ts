/**
 * BuildKit's progress, as the Engine API streams it (`{"id":"moby.buildkit.trace","aux":"<base64>"}`, each aux a
 * protobuf `moby.buildkit.v1.StatusResponse`), turned into the lines `docker buildx` prints: `#3 [2/3] COPY …`,
 * `#3 CACHED`, `#3 DONE`, the steps' output and errors. Only the fields needed are decoded.
 */
export function createTraceReader(onLog: (line: string) => void): (aux: string) => void {
  const numbers = new Map<string, number>();
  const said = new Set<string>();
  const once = (key: string, line: string) => {
    if (said.has(key)) return;
    said.add(key);
    onLog(line);
  };
  const number = (digest: string) => numbers.get(digest) ?? (numbers.set(digest, numbers.size + 1), numbers.size);
  return (aux) => {
    for (const [field, value] of fields(Buffer.from(aux, 'base64'))) {
      if (!(value instanceof Uint8Array)) continue;
      if (field === 1) {
        const v = new Map(fields(value).map(([f, x]) => [f, x]));
        const digest = text(v.get(1));
        const n = number(digest);
        once(`${digest}:name`, `#${n} ${text(v.get(3))}`);
        if (v.get(4) === 1) once(`${digest}:cached`, `#${n} CACHED`);
        const error = text(v.get(7));
        if (error) once(`${digest}:error`, `#${n} ERROR: ${error}`);
        else if (v.has(6)) once(`${digest}:done`, `#${n} DONE`);
      } else if (field === 3) {
        const v = new Map(fields(value).map(([f, x]) => [f, x]));
        const n = number(text(v.get(1)));
        for (const line of text(v.get(4)).split('\n')) if (line.trim()) onLog(`#${n} ${line.trimEnd()}`);
      }
    }
  };
}

type Field = [number, number | Uint8Array];

/** The top-level fields of a protobuf message: varints as numbers, length-delimited as bytes; fixed widths skipped. */
function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = buf[at++]!;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  };
  while (at < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const type = key & 7;
    if (type === 0) out.push([field, varint()]);
    else if (type === 2) {
      const len = varint();
      out.push([field, buf.subarray(at, at + len)]);
      at += len;
    } else if (type === 1) at += 8;
    else if (type === 5) at += 4;
    else break;
  }
  return out;
}

const text = (v: number | Uint8Array | undefined): string => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : '');
