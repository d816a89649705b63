/**
 * What a `catch` receives is `unknown`: these read its message and its Node error code (`ENOENT`,
 * `EPERM`, `Z_DATA_ERROR`, ...) without assuming it is an Error of this realm.
 */
export function errorMessage(e: unknown): string {
  return typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string' ? e.message : String(e);
}

/** The `code` of a Node system or zlib error; undefined for anything else. */
export function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}
