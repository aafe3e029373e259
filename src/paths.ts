import { fileURLToPath } from 'node:url';

/** Folders shipped with neikong, found relative to this file so the CLI works from any cwd. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
export const policiesDir = fileURLToPath(new URL('../policies', import.meta.url));
export const templatesDir = fileURLToPath(new URL('../templates', import.meta.url));
