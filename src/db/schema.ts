// Every module's tables, for drizzle-kit and for typed queries. Each module owns its own file.
export * from '../org/schema.ts';
export * from '../platform/schema.ts';
