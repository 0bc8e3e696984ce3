/** The part of fs-native-extensions (no bundled types) that src/db/data-folder-lock.ts uses. */
declare module 'fs-native-extensions' {
  /** An exclusive (or shared) lock on the whole file; false when another open file holds it. Linux: an OFD lock (fcntl F_OFD_SETLK). */
  export function tryLock(fd: number, options?: { shared?: boolean }): boolean;
  export function unlock(fd: number): void;
  const nativeFs: { tryLock: typeof tryLock; unlock: typeof unlock };
  export default nativeFs;
}
