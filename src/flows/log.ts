/** Where flows write progress. The action logs through @actions/core, the CLI to stderr; both mask secrets. */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Collapsible section in the action log; plain heading in a terminal. */
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
}

export const silentLog: Log = {
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  group: (_title, work) => work(),
};
