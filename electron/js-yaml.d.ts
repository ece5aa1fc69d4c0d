// js-yaml ships no types and @types/js-yaml is not installed; the builder-config test needs only load().
declare module 'js-yaml' {
  export function load(source: string, options?: Record<string, unknown>): unknown;
}
