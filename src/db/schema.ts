// Every module's tables, for drizzle-kit and for typed queries. Each module owns its own file.
export * from '../authority/schema.ts';
export * from '../cases/schema.ts';
export * from '../documents/schema.ts';
export * from '../misconduct/schema.ts';
export * from '../org/schema.ts';
export * from '../platform/schema.ts';
export * from '../reports/schema.ts';
export * from '../rotation/schema.ts';
export * from '../verification/schema.ts';
