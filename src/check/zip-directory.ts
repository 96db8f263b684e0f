/**
 * Reads a zip's central directory: the entries' names and declared sizes, without inflating
 * anything. Written here rather than taken from a library because the zip libraries at hand
 * (JSZip inside mammoth, fflate) inflate every entry as they list it, which is exactly what a zip
 * bomb exploits; this needs only the fixed-layout records of APPNOTE 4.3.12 and 4.3.16.
 */

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  /** As declared; a hostile file may lie, so the inflating side must bound itself too. */
  uncompressedSize: number;
  /** Offset of the entry's local header. */
  localOffset: number;
}

export class ZipFormatError extends Error {
  override name = "ZipFormatError";
}

const END_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const END_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
/** The end record sits at most a maximal comment (65535 bytes) before the end. */
const MAX_COMMENT = 0xffff;
/** ZIP64 marks its real values elsewhere; Word never needs it for a document this small. */
const ZIP64_U16 = 0xffff;
const ZIP64_U32 = 0xffffffff;

export function readZipDirectory(data: Uint8Array): ZipEntry[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const end = findEnd(view);
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  const offset = view.getUint32(end + 16, true);
  if (count === ZIP64_U16 || size === ZIP64_U32 || offset === ZIP64_U32) {
    throw new ZipFormatError("ZIP64 archives are not accepted");
  }
  if (offset + size > end) throw new ZipFormatError("central directory out of bounds");
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_SIZE > end || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw new ZipFormatError(`central directory entry ${i} is damaged`);
    }
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (at + CENTRAL_SIZE + skip > end) throw new ZipFormatError(`entry ${i} out of bounds`);
    const entry: ZipEntry = {
      name: new TextDecoder().decode(
        data.subarray(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength),
      ),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
    };
    if (entry.compressedSize === ZIP64_U32 || entry.uncompressedSize === ZIP64_U32) {
      throw new ZipFormatError("ZIP64 entries are not accepted");
    }
    entries.push(entry);
    at += CENTRAL_SIZE + skip;
  }
  return entries;
}

/** Where an entry's compressed bytes start, from its local header. */
export function entryDataOffset(data: Uint8Array, entry: ZipEntry): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const at = entry.localOffset;
  if (at + LOCAL_SIZE > data.byteLength || view.getUint32(at, true) !== LOCAL_SIGNATURE) {
    throw new ZipFormatError(`local header of ${entry.name} is damaged`);
  }
  const start = at + LOCAL_SIZE + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > data.byteLength) {
    throw new ZipFormatError(`data of ${entry.name} out of bounds`);
  }
  return start;
}

function findEnd(view: DataView): number {
  const last = view.byteLength - END_SIZE;
  const first = Math.max(0, last - MAX_COMMENT);
  for (let at = last; at >= first; at--) {
    if (view.getUint32(at, true) === END_SIGNATURE) return at;
  }
  throw new ZipFormatError("no end of central directory record");
}
