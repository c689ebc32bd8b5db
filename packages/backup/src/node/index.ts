/// <reference types="node" />
/**
 * @magneto/backup/node — what only runs on Node: an object store in a directory, for exports and imports.
 *
 * @example
 * import { directoryObjectStore } from '@magneto/backup/node';
 */
export { directoryObjectStore } from './directory-object-store.js';
