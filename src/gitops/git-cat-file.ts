/** Reading many objects with ONE `git cat-file --batch` process (1,000 clusters = 1 process). */

export interface BatchObject {
  type: string;
  content: Buffer;
}

/**
 * Parses `cat-file --batch` output for the given requests, in order: `<oid> <type> <size>\n
 * <content>\n` per object, `<request> missing\n` (or `ambiguous`) for the ones it cannot find.
 */
export function parseCatFileBatch(
  output: Buffer,
  requests: readonly string[],
): Map<string, BatchObject | undefined> {
  const result = new Map<string, BatchObject | undefined>();
  let offset = 0;
  for (const request of requests) {
    const end = output.indexOf(0x0a, offset);
    if (end < 0) throw new Error(`cat-file output ended early at ${request}`);
    const header = output.subarray(offset, end).toString("utf8");
    offset = end + 1;
    const match = /^([0-9a-f]{40,64}) (\S+) (\d+)$/.exec(header);
    if (!match) {
      result.set(request, undefined);
      continue;
    }
    const size = Number(match[3]);
    result.set(request, { type: match[2]!, content: output.subarray(offset, offset + size) });
    offset += size + 1;
  }
  return result;
}
