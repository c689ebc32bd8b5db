/// <reference types="node" />
/**
 * `error` naming `path`: Node leaves the path out of errors of reads from an open file (EISDIR when the
 * name is a directory, EIO), so a store's error would not say which file it met.
 */
export function withPath(error: unknown, path: string): unknown {
  const { code, errno, syscall, path: named, message } = error as NodeJS.ErrnoException;
  if (named !== undefined || code === undefined) return error;
  return Object.assign(new Error(`${message} '${path}'`, { cause: error }), { code, errno, syscall, path });
}
