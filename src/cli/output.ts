/** Where a command prints: stdout and stderr in the CLI, buffers in tests. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** A transient status line (a terminal progress counter); an empty text clears it. */
  progress?(text: string): void;
}
